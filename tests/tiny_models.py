"""Tiny random-weight seq2seq models with real tokenizer classes, for tests and benchmarks.

``build_tiny_models(root)`` trains small tokenizers on a fixed multilingual news corpus, builds
tiny randomly initialised models with fixed seeds, and saves everything with ``save_pretrained``
(safetensors) under ``root``.  Each folder loads exactly like a hub id::

    AutoTokenizer.from_pretrained(root / "bart")
    AutoModelForSeq2SeqLM.from_pretrained(root / "bart")

Nothing here touches the network (every from_pretrained gets a local folder) and importing it
changes no environment variables.  Plain module (no pytest), so a benchmark script can call it too.
"""

from __future__ import annotations

import io
import json
import shutil
import tempfile
from pathlib import Path

#: Window (tokenizer ``model_max_length`` and position embeddings) of every tiny model: a test
#: article of a few hundred words does not fit, so chunking paths get exercised.
WINDOW = 128

#: Weight init scales.  With the usual 0.02 a tiny random model ignores its input and every text
#: decodes to the same string (often only pad/eos, i.e. ""); larger scales make outputs non-empty
#: and input-dependent, which tests comparing per-article results need.  Marian/M2M100/NLLB need
#: the larger one to reach the same spread (values picked by measuring distinct outputs).
INIT_STD = 0.3
WIDE_INIT_STD = 1.0

#: Marian pairs that exist; there is deliberately no fr-de / de-fr pair (pivot through English).
OPUS_PAIRS = ("en-de", "en-fr", "en-es", "fr-en", "de-en")

#: ``task_specific_params`` of the real ``t5-small`` config (Apache-2.0), copied verbatim.
T5_TASK_SPECIFIC_PARAMS = {
    "summarization": {
        "early_stopping": True,
        "length_penalty": 2.0,
        "max_length": 200,
        "min_length": 30,
        "no_repeat_ngram_size": 3,
        "num_beams": 4,
        "prefix": "summarize: ",
    },
    "translation_en_to_de": {
        "early_stopping": True,
        "max_length": 300,
        "num_beams": 4,
        "prefix": "translate English to German: ",
    },
    "translation_en_to_fr": {
        "early_stopping": True,
        "max_length": 300,
        "num_beams": 4,
        "prefix": "translate English to French: ",
    },
    "translation_en_to_ro": {
        "early_stopping": True,
        "max_length": 300,
        "num_beams": 4,
        "prefix": "translate English to Romanian: ",
    },
}

#: distilbart-cnn style summarization params (no prefix), shrunk for a tiny model.
BART_TASK_SPECIFIC_PARAMS = {
    "summarization": {
        "early_stopping": True,
        "length_penalty": 2.0,
        "max_length": 24,
        "min_length": 4,
        "no_repeat_ngram_size": 3,
        "num_beams": 1,
    }
}

CORPUS = [
    # English
    "The government announced new measures on Monday to curb rising energy prices.",
    "Parliament voted late on Tuesday to approve the budget after a long debate.",
    "Heavy rain caused flooding in several towns, and thousands of homes lost power.",
    "The central bank kept interest rates unchanged, citing slowing inflation.",
    "Scientists said the new vaccine was safe and effective in a large trial.",
    "The football club confirmed that its coach would leave at the end of the season.",
    "Shares of the technology company fell sharply after weak quarterly results.",
    "Police arrested two men in connection with the robbery, officials said.",
    "The minister told reporters that talks with the unions would continue next week.",
    "Tourism returned to record levels this summer, according to the national statistics office.",
    "A spokesperson for the city council said the bridge would reopen in March.",
    "The president will travel to Brussels on Thursday for a summit with European leaders.",
    "summarize: The company reported higher profits and said it would hire more workers.",
    "translate English to German: The weather will be sunny tomorrow.",
    "translate English to French: The election results are expected tonight.",
    "translate English to Romanian: The museum is open every day except Monday.",
    # German
    "Die Regierung kündigte am Montag neue Maßnahmen gegen steigende Energiepreise an.",
    "Das Parlament hat den Haushalt nach einer langen Debatte am Dienstag beschlossen.",
    "Starker Regen führte in mehreren Städten zu Überschwemmungen.",
    "Die Zentralbank ließ die Zinsen unverändert und verwies auf die sinkende Inflation.",
    "Wissenschaftler sagten, der neue Impfstoff sei in einer großen Studie sicher gewesen.",
    "Der Fußballverein bestätigte, dass der Trainer am Ende der Saison geht.",
    "Die Aktien des Technologiekonzerns fielen nach schwachen Quartalszahlen deutlich.",
    "Die Polizei nahm zwei Männer im Zusammenhang mit dem Raub fest.",
    "Der Minister sagte, die Gespräche mit den Gewerkschaften würden nächste Woche fortgesetzt.",
    "Ein Sprecher der Stadt sagte, die Brücke werde im März wieder geöffnet.",
    # French
    "Le gouvernement a annoncé lundi de nouvelles mesures contre la hausse des prix de l'énergie.",
    "Le Parlement a adopté le budget mardi soir après un long débat.",
    "De fortes pluies ont provoqué des inondations dans plusieurs villes.",
    "La banque centrale a maintenu ses taux d'intérêt, invoquant le ralentissement de l'inflation.",
    "Les scientifiques ont déclaré que le nouveau vaccin était sûr et efficace.",
    "Le club de football a confirmé que son entraîneur partirait à la fin de la saison.",
    "Les actions de l'entreprise technologique ont fortement chuté après des résultats décevants.",
    "La police a arrêté deux hommes dans le cadre du vol, selon les autorités.",
    "Le ministre a déclaré que les négociations avec les syndicats se poursuivraient.",
    "Un porte-parole de la mairie a indiqué que le pont rouvrirait en mars.",
    # Spanish
    "El gobierno anunció el lunes nuevas medidas para frenar el aumento de los precios de la energía.",
    "El Parlamento aprobó el presupuesto el martes tras un largo debate.",
    "Las fuertes lluvias provocaron inundaciones en varias ciudades.",
    "El banco central mantuvo los tipos de interés sin cambios.",
    "Los científicos dijeron que la nueva vacuna era segura y eficaz.",
    "La policía detuvo a dos hombres en relación con el robo, según las autoridades.",
    "El ministro dijo que las negociaciones con los sindicatos continuarán la próxima semana.",
    # Digits, punctuation, quotes
    'On 12 May 2024, about 3,500 people (according to police) marched in the capital: "Enough!"',
    "Prices rose by 4.5% in April; analysts had expected 3.9% - a surprise for markets?",
    "Am 3. Oktober 2023 feierten 10.000 Menschen in Berlin; die Stimmung war gut!",
    "« C'est une décision historique », a-t-il dit le 14 juillet à 18 h 30.",
    "¿Qué pasará ahora? ¡Nadie lo sabe! Dijo el alcalde el 1 de enero.",
    # Every ASCII letter, digit and common punctuation, so ordinary text rarely maps to <unk>.
    "The quick brown fox jumps over the lazy dog. Jack, Kate, Victor and Yvonne quizzed Zoe.",
    "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG, 0123456789 times.",
    "Sources: [AP] {Reuters} | AFP * 50% & more + 3 = 10 / 2 # @ $ € £ ~ ^ _ ` < > \\ 'quoted'.",
    "“Typographic quotes” and ‘single’ ones — plus en–dashes… and so on.",
]


def _train_spm(model_type: str, vocab_size: int, **special) -> bytes:
    import sentencepiece as spm

    buf = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(CORPUS),
        model_writer=buf,
        model_type=model_type,
        vocab_size=vocab_size,
        hard_vocab_limit=False,
        character_coverage=1.0,
        num_threads=1,
        minloglevel=2,
        **special,
    )
    return buf.getvalue()


def _spm_pieces(model: bytes) -> list[str]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_proto=model)
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _fresh(folder: Path) -> None:
    """An empty ``folder``: a model folder left by an earlier build is replaced, not merged into."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def _save(model, tokenizer, out: Path, generation: dict, seed_note: str) -> Path:
    from transformers import GenerationConfig

    model.generation_config = GenerationConfig(**generation)
    model.eval()
    model.save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    (out / "README.md").write_text(
        f"Tiny random-weight test model ({seed_note}). Built by tests/tiny_models.py; not a real model.\n"
    )
    return out


def _build_bart(root: Path, work: Path) -> Path:
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(
        CORPUS,
        vocab_size=1000,
        min_frequency=1,
        show_progress=False,
        special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
    )
    src = work / "bart-bpe"
    src.mkdir()
    bpe.save_model(str(src))  # vocab.json + merges.txt
    tok = BartTokenizer(vocab=str(src / "vocab.json"), merges=str(src / "merges.txt"), model_max_length=WINDOW)
    out = root / "bart"
    _fresh(out)
    # Keep the classic slow-format files next to tokenizer.json, like facebook/bart-* repos.
    shutil.copy(src / "vocab.json", out / "vocab.json")
    shutil.copy(src / "merges.txt", out / "merges.txt")

    config = BartConfig(
        vocab_size=len(tok),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=WINDOW,
        init_std=INIT_STD,
        bos_token_id=tok.bos_token_id,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.eos_token_id,
        task_specific_params=BART_TASK_SPECIFIC_PARAMS,
        # ctranslate2's BartLoader reads this attribute; transformers 5 configs no longer carry it.
        normalize_before=False,
    )
    torch.manual_seed(1001)
    model = BartForConditionalGeneration(config)
    generation = {
        "bos_token_id": config.bos_token_id,
        "pad_token_id": config.pad_token_id,
        "eos_token_id": config.eos_token_id,
        "decoder_start_token_id": config.decoder_start_token_id,
        "forced_bos_token_id": tok.bos_token_id,
        "forced_eos_token_id": tok.eos_token_id,
        "max_length": 24,
        "num_beams": 1,
    }
    return _save(model, tok, out, generation, "BART, seed 1001")


def _build_t5(root: Path, work: Path) -> Path:
    import torch
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    # Real T5 layout: <pad>=0, </s>=1, <unk>=2, no <s>; T5Tokenizer appends 100 <extra_id_*> sentinels.
    spm_bytes = _train_spm("unigram", 600, pad_id=0, eos_id=1, unk_id=2, bos_id=-1)
    src = work / "t5-spm"
    src.mkdir()
    (src / "spiece.model").write_bytes(spm_bytes)
    tok = T5Tokenizer.from_pretrained(src, model_max_length=WINDOW)
    out = root / "t5"
    _fresh(out)
    shutil.copy(src / "spiece.model", out / "spiece.model")

    config = T5Config(
        vocab_size=len(tok),
        d_model=32,
        d_ff=64,
        d_kv=16,
        num_layers=2,
        num_decoder_layers=2,
        num_heads=2,
        n_positions=WINDOW,
        feed_forward_proj="relu",
        initializer_factor=3.0,  # see INIT_STD
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.pad_token_id,
        task_specific_params=T5_TASK_SPECIFIC_PARAMS,
    )
    torch.manual_seed(1002)
    model = T5ForConditionalGeneration(config)
    generation = {
        "pad_token_id": config.pad_token_id,
        "eos_token_id": config.eos_token_id,
        "decoder_start_token_id": config.decoder_start_token_id,
        "max_length": 24,
        "num_beams": 1,
    }
    return _save(model, tok, out, generation, "T5, seed 1002")


def _build_marian(root: Path, work: Path, pair: str, seed: int, spm_bytes: bytes) -> Path:
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    src_lang, tgt_lang = pair.split("-")
    src = work / f"opus-{pair}"
    src.mkdir()
    (src / "source.spm").write_bytes(spm_bytes)
    (src / "target.spm").write_bytes(spm_bytes)
    # Opus-MT layout: </s>=0, <unk>=1, the pieces, <pad> last (pad doubles as decoder start).
    pieces = [p for p in _spm_pieces(spm_bytes) if p not in ("<unk>", "<s>", "</s>", "<pad>")]
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in pieces:
        vocab.setdefault(piece, len(vocab))
    vocab["<pad>"] = len(vocab)
    (src / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1), encoding="utf-8")
    tok = MarianTokenizer(
        source_spm=str(src / "source.spm"),
        target_spm=str(src / "target.spm"),
        vocab=str(src / "vocab.json"),
        source_lang=src_lang,
        target_lang=tgt_lang,
        model_max_length=WINDOW,
    )
    size = len(vocab)
    config = MarianConfig(
        vocab_size=size,
        decoder_vocab_size=size,
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=WINDOW,
        init_std=WIDE_INIT_STD,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.pad_token_id,
        share_encoder_decoder_embeddings=True,
        scale_embedding=True,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    generation = {
        "pad_token_id": config.pad_token_id,
        "eos_token_id": config.eos_token_id,
        "decoder_start_token_id": config.decoder_start_token_id,
        "forced_eos_token_id": tok.eos_token_id,
        "bad_words_ids": [[config.pad_token_id]],
        "max_length": 64,
        "num_beams": 1,
    }
    out = root / f"opus-mt-{pair}"
    _fresh(out)
    return _save(model, tok, out, generation, f"Marian {pair}, seed {seed}")


def _build_m2m100(root: Path, work: Path) -> Path:
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, M2M100Tokenizer
    from transformers.models.m2m_100.tokenization_m2m_100 import FAIRSEQ_LANGUAGE_CODES

    spm_bytes = _train_spm("bpe", 600, unk_id=3, bos_id=0, pad_id=1, eos_id=2)
    src = work / "m2m100"
    src.mkdir()
    (src / "sentencepiece.bpe.model").write_bytes(spm_bytes)
    # fairseq dictionary layout: <s>=0, <pad>=1, </s>=2, <unk>=3, then the pieces.
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for piece in _spm_pieces(spm_bytes):
        vocab.setdefault(piece, len(vocab))
    (src / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1), encoding="utf-8")
    # transformers 5 registers the __xx__ language tokens as special only when they are passed in
    # (the hub repos list them in special_tokens_map.json); otherwise decode(skip_special_tokens=True)
    # keeps "__de__" in the text.
    lang_tokens = [f"__{code}__" for code in FAIRSEQ_LANGUAGE_CODES["m2m100"]]
    tok = M2M100Tokenizer(
        vocab_file=str(src / "vocab.json"),
        spm_file=str(src / "sentencepiece.bpe.model"),
        src_lang="en",
        additional_special_tokens=lang_tokens,
        model_max_length=WINDOW,
    )
    # len(tok) leaves out the language tokens (ids after the dictionary) and the made-up words
    # fairseq appends after them; the embedding matrix must cover all of them, as in m2m100_418M.
    vocab_size = tok.encoder_size + len(tok.lang_token_to_id) + tok.num_madeup_words
    config = M2M100Config(
        vocab_size=vocab_size,
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=WINDOW,
        init_std=WIDE_INIT_STD,
        bos_token_id=tok.bos_token_id,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.eos_token_id,
        scale_embedding=True,
    )
    torch.manual_seed(1201)
    model = M2M100ForConditionalGeneration(config)
    generation = {
        "bos_token_id": config.bos_token_id,
        "pad_token_id": config.pad_token_id,
        "eos_token_id": config.eos_token_id,
        "decoder_start_token_id": config.decoder_start_token_id,
        "max_length": 64,
        "num_beams": 1,
    }
    out = root / "m2m100"
    _fresh(out)
    return _save(model, tok, out, generation, "M2M100, seed 1201")


def _build_pegasus(root: Path, work: Path) -> Path:
    import torch
    from transformers import PegasusConfig, PegasusForConditionalGeneration, PegasusTokenizer

    # google/pegasus-* layout: <pad>=0, </s>=1; the tokenizer adds <mask_1>, <mask_2>, <unk_2..102>.
    spm_bytes = _train_spm("unigram", 600, pad_id=0, eos_id=1, unk_id=2, bos_id=-1)
    src = work / "pegasus-spm"
    src.mkdir()
    (src / "spiece.model").write_bytes(spm_bytes)
    tok = PegasusTokenizer.from_pretrained(src, model_max_length=WINDOW)
    out = root / "pegasus"
    _fresh(out)
    shutil.copy(src / "spiece.model", out / "spiece.model")
    config = PegasusConfig(
        vocab_size=len(tok),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=WINDOW,
        init_std=INIT_STD,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.pad_token_id,
        scale_embedding=True,
        # Hub pegasus configs carry these; ctranslate2's PegasusLoader reads normalize_before.
        normalize_before=True,
        normalize_embedding=False,
    )
    torch.manual_seed(1301)
    model = PegasusForConditionalGeneration(config)
    generation = {
        "pad_token_id": config.pad_token_id,
        "eos_token_id": config.eos_token_id,
        "decoder_start_token_id": config.decoder_start_token_id,
        "forced_eos_token_id": tok.eos_token_id,
        "max_length": 24,
        "num_beams": 1,
    }
    return _save(model, tok, out, generation, "Pegasus, seed 1301")


def _build_nllb(root: Path, work: Path) -> Path:
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration, NllbTokenizer
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    spm_bytes = _train_spm("bpe", 600, unk_id=3, bos_id=0, pad_id=1, eos_id=2)
    src = work / "nllb-spm"
    src.mkdir()
    (src / "sentencepiece.bpe.model").write_bytes(spm_bytes)
    # As with M2M100, the language codes (eng_Latn, deu_Latn, ...) must be passed in explicitly,
    # or transformers 5's spm -> tokenizers conversion leaves them out (they encode as <unk>).
    tok = NllbTokenizer.from_pretrained(
        src,
        src_lang="eng_Latn",
        additional_special_tokens=list(FAIRSEQ_LANGUAGE_CODES),
        model_max_length=WINDOW,
    )
    out = root / "nllb"
    _fresh(out)
    shutil.copy(src / "sentencepiece.bpe.model", out / "sentencepiece.bpe.model")
    config = M2M100Config(
        vocab_size=len(tok),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=WINDOW,
        init_std=WIDE_INIT_STD,
        bos_token_id=tok.bos_token_id,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.eos_token_id,
        scale_embedding=True,
    )
    torch.manual_seed(1401)
    model = M2M100ForConditionalGeneration(config)
    generation = {
        "bos_token_id": config.bos_token_id,
        "pad_token_id": config.pad_token_id,
        "eos_token_id": config.eos_token_id,
        "decoder_start_token_id": config.decoder_start_token_id,
        "max_length": 64,
        "num_beams": 1,
    }
    return _save(model, tok, out, generation, "NLLB (M2M100 architecture), seed 1401")


def build_tiny_models(root: Path) -> dict[str, Path]:
    """Build every tiny model under ``root`` (created if needed); return {key: folder}.

    Deterministic: the same transformers/tokenizers/sentencepiece versions give byte-identical
    folders.  Folders of these names already under ``root`` are replaced.  The global torch RNG
    state is restored afterwards, so building does not reseed the caller's torch.

    Keys: ``bart``, ``t5``, ``opus-mt-en-de``, ``opus-mt-en-fr``, ``opus-mt-en-es``,
    ``opus-mt-fr-en``, ``opus-mt-de-en``, ``m2m100``, ``pegasus``, ``nllb``.  Folder names equal the keys, so
    ``root / f"opus-mt-{src}-{tgt}"`` routes to the Marian pairs.
    """
    import warnings

    import torch
    from transformers.utils import logging as hf_logging

    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    models: dict[str, Path] = {}
    bars = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()  # "Writing model shards" bars, ten times over
    try:
        with (
            tempfile.TemporaryDirectory(prefix="tiny-models-src-") as tmp,
            warnings.catch_warnings(),
            torch.random.fork_rng(devices=[]),
        ):
            warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
            work = Path(tmp)
            models["bart"] = _build_bart(root, work)
            models["t5"] = _build_t5(root, work)
            marian_spm = _train_spm("unigram", 600)
            for i, pair in enumerate(OPUS_PAIRS):
                models[f"opus-mt-{pair}"] = _build_marian(root, work, pair, 1101 + i, marian_spm)
            models["m2m100"] = _build_m2m100(root, work)
            models["pegasus"] = _build_pegasus(root, work)
            models["nllb"] = _build_nllb(root, work)
    finally:
        if bars:
            hf_logging.enable_progress_bar()
    return models


if __name__ == "__main__":  # pragma: no cover - manual use: python tests/tiny_models.py OUT
    import sys
    import time

    start = time.perf_counter()
    built = build_tiny_models(Path(sys.argv[1] if len(sys.argv) > 1 else "tiny-models"))
    for key, path in built.items():
        print(f"{key:16s} {path}")
    print(f"built {len(built)} models in {time.perf_counter() - start:.1f}s")
