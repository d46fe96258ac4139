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

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .common import (
    BART_TASK_SPECIFIC_PARAMS,
    CORPUS,
    INIT_STD,
    OPUS_PAIRS,
    T5_TASK_SPECIFIC_PARAMS,
    TINY_LAYERS,
    WIDE_INIT_STD,
    WINDOW,
    _fresh,
    _save,
    _spm_pieces,
    _train_spm,
    greedy_generation,
)
from .multilingual import _build_m2m100, _build_nllb

__all__ = ["OPUS_PAIRS", "WINDOW", "build_tiny_models"]


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

    # Keys BartConfig's signature does not name; they land on the config as plain attributes.
    extra: dict[str, Any] = {
        "task_specific_params": BART_TASK_SPECIFIC_PARAMS,
        # ctranslate2's BartLoader reads this attribute; transformers 5 configs no longer carry it.
        "normalize_before": False,
    }
    config = BartConfig(
        vocab_size=len(tok),
        **TINY_LAYERS,
        init_std=INIT_STD,
        bos_token_id=tok.bos_token_id,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.eos_token_id,
        **extra,
    )
    torch.manual_seed(1001)
    model = BartForConditionalGeneration(config)
    generation = greedy_generation(config, 24, forced_bos_token_id=tok.bos_token_id,
                                   forced_eos_token_id=tok.eos_token_id)
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

    # Keys T5Config's signature does not name; they land on the config as plain attributes.
    extra: dict[str, Any] = {
        "n_positions": WINDOW,
        "decoder_start_token_id": tok.pad_token_id,
        "task_specific_params": T5_TASK_SPECIFIC_PARAMS,
    }
    config = T5Config(
        vocab_size=len(tok),
        d_model=32,
        d_ff=64,
        d_kv=16,
        num_layers=2,
        num_decoder_layers=2,
        num_heads=2,
        feed_forward_proj="relu",
        initializer_factor=3.0,  # see INIT_STD
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        **extra,
    )
    torch.manual_seed(1002)
    model = T5ForConditionalGeneration(config)
    generation = greedy_generation(config, 24)
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
        **TINY_LAYERS,
        init_std=WIDE_INIT_STD,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.pad_token_id,
        share_encoder_decoder_embeddings=True,
        scale_embedding=True,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    generation = greedy_generation(config, 64, forced_eos_token_id=tok.eos_token_id,
                                   bad_words_ids=[[config.pad_token_id]])
    out = root / f"opus-mt-{pair}"
    _fresh(out)
    return _save(model, tok, out, generation, f"Marian {pair}, seed {seed}")



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
    # Hub pegasus configs carry these; ctranslate2's PegasusLoader reads normalize_before. PegasusConfig's
    # signature does not name them, so they land on the config as plain attributes.
    extra: dict[str, Any] = {"normalize_before": True, "normalize_embedding": False}
    config = PegasusConfig(
        vocab_size=len(tok),
        **TINY_LAYERS,
        init_std=INIT_STD,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.pad_token_id,
        scale_embedding=True,
        **extra,
    )
    torch.manual_seed(1301)
    model = PegasusForConditionalGeneration(config)
    generation = greedy_generation(config, 24, forced_eos_token_id=tok.eos_token_id)
    return _save(model, tok, out, generation, "Pegasus, seed 1301")



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


if __name__ == "__main__":  # pragma: no cover - manual use: python -m digest.testing.tiny_models OUT
    import sys
    import time

    start = time.perf_counter()
    built = build_tiny_models(Path(sys.argv[1] if len(sys.argv) > 1 else "tiny-models"))
    for key, path in built.items():
        print(f"{key:16s} {path}")
    print(f"built {len(built)} models in {time.perf_counter() - start:.1f}s")
