"""Tiny multilingual models (M2M100 and NLLB) with their real tokenizer classes and language codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from .common import TINY_LAYERS, WIDE_INIT_STD, WINDOW, _fresh, _save, _spm_pieces, _train_spm, greedy_generation


def _build_m2m100(root: Path, work: Path) -> Path:
    from transformers import M2M100Tokenizer
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
    model, generation = _m2m100_model(tok, vocab_size, 1201)
    out = root / "m2m100"
    _fresh(out)
    return _save(model, tok, out, generation, "M2M100, seed 1201")



def _build_nllb(root: Path, work: Path) -> Path:
    from transformers import NllbTokenizer
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
    model, generation = _m2m100_model(tok, len(tok), 1401)
    return _save(model, tok, out, generation, "NLLB (M2M100 architecture), seed 1401")


def _m2m100_model(tok: Any, vocab_size: int, seed: int) -> tuple:
    """The tiny M2M100-architecture model both multilingual families use, and its generation settings."""
    import torch
    from transformers import M2M100Config, M2M100ForConditionalGeneration

    config = M2M100Config(
        vocab_size=vocab_size,
        **TINY_LAYERS,
        init_std=WIDE_INIT_STD,
        bos_token_id=tok.bos_token_id,
        pad_token_id=tok.pad_token_id,
        eos_token_id=tok.eos_token_id,
        decoder_start_token_id=tok.eos_token_id,
        scale_embedding=True,
    )
    torch.manual_seed(seed)
    return M2M100ForConditionalGeneration(config), greedy_generation(config, 64)
