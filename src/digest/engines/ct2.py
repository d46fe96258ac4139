"""The CTranslate2 backend: the HF model converted once into a cache folder, decoded by CTranslate2.

Tokenization stays with the model's own HF tokenizer, so token counts, chunking and decoded text match
the transformers engine.  Decoding settings mean what they mean for `model.generate` (`decoding_lengths`,
`_decoding`); greedy output is token for token HF's (tests/test_ct2.py).  Not mapped: `early_stopping`
(CTranslate2's beam search stops once `beam_size` hypotheses are finished, which is HF's `early_stopping=True`;
HF's False/"never" search on a little longer, so beam outputs can differ when beams finish early), and
generation-config extras such as `bad_words_ids` (Marian's banned <pad> is dropped from the vocabulary by
the converter anyway) or `suppress_tokens`.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .base import DeviceError, Hypothesis, ModelLoadError
from .ct2_convert import (
    MARKER,
    MISSING,
    cache_dir,
    cache_root,
    convert_into,
    ensure_converted,
    import_ct2,
    is_converted,
)
from .hf_common import TokenizerEngine, defaults_of, load_error, quiet_transformers, task_prefixes_of, window_of
from .params import GenerationParams

if TYPE_CHECKING:
    from .pool import Runtime

log = logging.getLogger("digest")

#: conversion lives in ct2_convert.py; these stay importable from here
__all__ = ["MARKER", "MISSING", "CT2Engine", "cache_dir", "cache_root", "convert_into", "decoding_lengths",
           "default_threads", "ensure_converted", "is_converted", "resolve_compute_type", "resolve_device"]

#: what `convert(quantization=...)` accepts; "auto" picks one of these per device
QUANTIZATIONS = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16", "float32")
#: HF's own fallbacks for settings neither the model nor the user set (GenerationConfig defaults)
_HF_MAX_LENGTH = 20


def resolve_device(device: str = "auto") -> tuple[str, int]:
    """(device, index) for CTranslate2, which knows only cpu and cuda; `auto` asks CTranslate2, not torch."""
    cuda = import_ct2().get_cuda_device_count()
    if device == "auto":
        return ("cuda" if cuda > 0 else "cpu"), 0
    name, _, index = device.partition(":")
    if name == "cuda":
        if cuda == 0:
            raise DeviceError(f"device {device!r} requested but CTranslate2 sees no CUDA device; use --device cpu")
        return "cuda", int(index or 0)
    if name == "cpu":
        return "cpu", 0
    raise DeviceError(f"the ct2 engine runs on cpu or cuda, not {device!r}; use --device cpu or --engine hf")


def resolve_compute_type(compute_type: str, device: str) -> str:
    """`auto`: int8 on CPU (fastest there); float16 on CUDA (int8_float16 is smaller, but less accurate)."""
    if compute_type in ("auto", "default", ""):
        return "float16" if device == "cuda" else "int8"
    if compute_type not in QUANTIZATIONS:
        raise ModelLoadError(f"unknown compute_type {compute_type!r}; use auto or one of {', '.join(QUANTIZATIONS)}")
    return compute_type


def default_threads(threads: int = 0) -> int:
    """`threads`, else CTranslate2's default of 4 capped at the CPUs we may use: 4 threads on 2 cores only contend."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 4)
    return threads if threads > 0 else min(4, cpus)


def decoding_lengths(params: dict, *, forced_eos: bool) -> tuple[int, int]:
    """(min, max) decoding length for CTranslate2 from HF's length settings.

    HF's `max_length`/`min_length` count the decoder start token, CTranslate2's lengths do not (both count
    a forced first token: HF's forced BOS, our target prefix); `max_new_tokens`/`min_new_tokens` win over
    them as in HF.  With `forced_eos_token_id` HF spends the last step on the EOS, which CTranslate2 (that
    simply stops) does not return, so one token less.  Checked token for token against HF in test_ct2.py.
    """
    if params.get("max_new_tokens") is not None:
        longest = params["max_new_tokens"]
    else:
        longest = (params.get("max_length") or _HF_MAX_LENGTH) - 1
    longest = max(1, longest - 1 if forced_eos else longest)
    if params.get("min_new_tokens") is not None:
        shortest = params["min_new_tokens"]
    else:
        shortest = max(0, (params.get("min_length") or 0) - 1)
    return min(shortest, longest), longest


def target_ids(folder: Path) -> dict[str, int]:
    """Token -> id in the converted model's target vocabulary.

    Row i of the converted embeddings is row i of the HF model, so these are exactly the ids HF would have
    generated, also for tokens the HF tokenizer cannot map back from text (M2M100's `madeupword*`, which
    HF decodes as "<unk>"); `tokenizer.convert_tokens_to_ids` would turn those into the skipped unk id.
    """
    files = [folder / f"{name}_vocabulary.json" for name in ("target", "shared")]
    tokens = json.loads(next((f for f in files if f.is_file()), files[-1]).read_text(encoding="utf-8"))
    ids: dict[str, int] = {}
    for index, token in enumerate(tokens):
        ids.setdefault(token, index)
    return ids


class CT2Engine(TokenizerEngine):
    """A seq2seq model run by CTranslate2 (int8 on CPU by default); converted on first use, then cached."""

    def __init__(
        self, model: str, *, revision: str | None = None, device: str = "auto", compute_type: str = "auto",
        threads: int = 0, batch_size: int = 8, trust_remote_code: bool = False,
    ) -> None:
        ctranslate2 = import_ct2()
        quiet_transformers()
        self.model_id = model
        self.batch_size = max(1, batch_size)
        self.device, index = resolve_device(device)
        self.compute_type = resolve_compute_type(compute_type, self.device)
        try:
            from transformers import AutoConfig, AutoTokenizer, GenerationConfig

            self.tokenizer = AutoTokenizer.from_pretrained(model, revision=revision,
                                                           trust_remote_code=trust_remote_code)
            config = AutoConfig.from_pretrained(model, revision=revision, trust_remote_code=trust_remote_code)
            try:
                generation = GenerationConfig.from_pretrained(model, revision=revision)  # type: ignore[arg-type]  # stub says str; None is the default branch
            except OSError:  # no generation_config.json: HF derives it from the model config
                generation = GenerationConfig.from_model_config(config)
            self.path = cache_dir(model, revision, self.compute_type)
            self.converted = ensure_converted(model, self.path, quantization=self.compute_type, revision=revision,
                                              trust_remote_code=trust_remote_code)
            self._target_ids = target_ids(self.path)
            self.translator = ctranslate2.Translator(
                str(self.path), device=self.device, device_index=index, compute_type=self.compute_type,
                inter_threads=1, intra_threads=default_threads(threads),
            )
        except ModelLoadError:
            raise
        except Exception as exc:  # hub, file-system, conversion and format errors all mean "cannot load"
            raise load_error(model, exc) from exc
        self.model_type = getattr(config, "model_type", "")
        self.max_input_tokens = window_of(self.tokenizer, config)
        self.task_prefixes = task_prefixes_of(config)
        self.default_params = defaults_of(generation)
        forced_bos = getattr(generation, "forced_bos_token_id", None)
        self._forced_bos = self.tokenizer.convert_ids_to_tokens(forced_bos) if forced_bos is not None else None
        self._forced_eos = getattr(generation, "forced_eos_token_id", None) is not None

    # same tokenizer, same answers as the transformers engine

    def generate_candidates(
        self, texts: Sequence[str], params: GenerationParams, *, src_lang: str | None = None,
        tgt_token: str | None = None,
    ) -> list[list[Hypothesis]]:
        if not texts:
            return []
        if src_lang is not None:
            self.tokenizer.src_lang = src_lang
        if tgt_token is not None and not self.vocab_has(tgt_token):
            raise ValueError(f"model {self.model_id!r} has no language token {tgt_token!r}")
        settings = self._decoding(self.default_params.merged(params).as_dict())
        first = tgt_token or self._forced_bos  # HF's forced_bos_token_id is a one-token target prefix here
        prefix = [first] if first else []
        ids = self.tokenizer(list(texts), truncation=True, max_length=self.max_input_tokens)["input_ids"]
        source = [self.tokenizer.convert_ids_to_tokens(seq) for seq in ids]
        # CTranslate2 sorts by length and splits into batches of batch_size itself, then restores the order
        results = self.translator.translate_batch(
            source, [prefix] * len(source) if prefix else None, max_batch_size=self.batch_size,
            batch_type="examples", max_input_length=0, return_scores=True, **settings,
        )
        unk = self.tokenizer.unk_token_id
        flat = [[self._target_ids.get(t, unk) for t in hyp[len(prefix):]]  # drop the forced token
                for r in results for hyp in r.hypotheses]
        decoded = self.tokenizer.batch_decode(flat, skip_special_tokens=True)
        texts_out = iter(decoded)
        return [[Hypothesis(next(texts_out).strip(), float(score)) for score in r.scores] for r in results]

    def _decoding(self, kwargs: dict) -> dict:
        """translate_batch settings from HF-style ones (None → HF's default, not CTranslate2's)."""
        k = kwargs.get("num_return_sequences") or 1
        shortest, longest = decoding_lengths(kwargs, forced_eos=self._forced_eos)
        return {
            "beam_size": max(kwargs.get("num_beams") or 1, k),
            "num_hypotheses": k,
            "length_penalty": kwargs.get("length_penalty", 1.0),
            "no_repeat_ngram_size": kwargs.get("no_repeat_ngram_size") or 0,
            "repetition_penalty": kwargs.get("repetition_penalty", 1.0),
            "min_decoding_length": shortest,
            "max_decoding_length": longest,
        }


def build(model: str, runtime: Runtime, revision: str | None = None) -> CT2Engine:
    """The registry's builder for `engine: ct2`."""
    from .devices import batch_size_for

    return CT2Engine(model, revision=revision, device=runtime.device, compute_type=runtime.compute_type,
                     threads=runtime.threads, batch_size=batch_size_for(runtime.batch_size, "ct2", runtime.device),
                     trust_remote_code=runtime.trust_remote_code)
