"""Shared pieces of the tiny test models: their window and seeds, the small multilingual news corpus their
tokenizers are trained on, and the save step. Plain module (no pytest), so benchmarks can use it too."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

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

#: the tiny encoder-decoder shape of every BART-like family here (BART, Marian, PEGASUS, M2M100, NLLB)
TINY_LAYERS: dict[str, Any] = {"d_model": 32, "encoder_layers": 2, "decoder_layers": 2, "encoder_attention_heads": 2,
               "decoder_attention_heads": 2, "encoder_ffn_dim": 64, "decoder_ffn_dim": 64,
               "max_position_embeddings": WINDOW}


def greedy_generation(config: object, max_length: int, **extra: object) -> dict:
    """A tiny model's generation_config.json: its special tokens, greedy search up to `max_length`, and `extra`
    (forced or banned tokens), as its family's real checkpoints write them."""
    ids = ("bos_token_id", "pad_token_id", "eos_token_id", "decoder_start_token_id")
    tokens = {k: getattr(config, k) for k in ids if getattr(config, k, None) is not None}
    return {**tokens, **extra, "max_length": max_length, "num_beams": 1}


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
        f"Tiny random-weight test model ({seed_note}). Built by python -m digest.testing.tiny_models; "
        "not a real model.\n"
    )
    return out
