"""What the transformers and CTranslate2 engines share: the model's HF tokenizer and config, read the same way.

Both engines tokenize with the model's own HF tokenizer, so token counts, chunking and windows match between them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from ..errors import ModelLoadError, one_line
from .base import Engine
from .params import GenerationParams

#: generation-config fields that map onto GenerationParams
_GEN_FIELDS = (
    "num_beams", "min_length", "max_length", "length_penalty", "no_repeat_ngram_size",
    "repetition_penalty", "early_stopping",
)
#: tokenizers report this (or larger) when they have no real limit
_NO_LIMIT = 1_000_000


def quiet_transformers() -> None:
    """Silence transformers' own weight-loading bars and length warnings: digest shows its own progress,
    and it counts tokens of whole articles on purpose before chunking them."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def load_error(model: str, exc: BaseException) -> ModelLoadError:
    """One line that names the model, the cause and what to do about it."""
    from pathlib import Path

    looks_local = model.startswith(("/", "./", "../", "~")) or model.count("/") > 1  # hub ids are org/name
    if looks_local and not Path(model).expanduser().exists():
        return ModelLoadError(f"cannot load model {model!r}: no such folder")
    if Path(model).expanduser().is_dir() and not (Path(model).expanduser() / "config.json").is_file():
        return ModelLoadError(f"cannot load model {model!r}: the folder holds no config.json, so it is not a saved "
                              "Hugging Face model (save_pretrained or `digest models pull` writes one)")
    cause = one_line(exc, 200, first=True)

    if hub_offline():  # telling this user to set HF_HUB_OFFLINE=1 would send them in a circle
        return ModelLoadError(
            f"cannot load model {model!r}: {cause} — HF_HUB_OFFLINE is set and the model is not in the local cache: "
            "download it on a machine that is online (`digest models pull`), or give a local folder")
    return ModelLoadError(
        f"cannot load model {model!r}: {cause} — give a local folder, a valid hub id, or download it first "
        "(`digest models pull`) and run with HF_HUB_OFFLINE=1"
    )


def window_of(tokenizer, config) -> int:
    """The model's input window in tokens: tokenizer limit, else position embeddings, else 512."""
    limit = getattr(tokenizer, "model_max_length", None)
    if isinstance(limit, int) and 0 < limit < _NO_LIMIT:
        return limit
    for name in ("max_position_embeddings", "n_positions"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return 512


def task_prefixes_of(config) -> dict[str, str]:
    """Task prefixes from `task_specific_params` (T5's "summarize: " and friends)."""
    params = getattr(config, "task_specific_params", None) or {}
    return {task: p["prefix"] for task, p in params.items() if isinstance(p, dict) and p.get("prefix")}


def defaults_of(generation_config) -> GenerationParams:
    """The model's own generation defaults, the lowest layer of the settings."""
    if generation_config is None:
        return GenerationParams()
    values = {name: getattr(generation_config, name, None) for name in _GEN_FIELDS}
    return GenerationParams(**values)


class TokenizerEngine(Engine):
    """An engine whose texts go through an HF tokenizer (`self.tokenizer`)."""

    tokenizer: Any

    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        encoded = self.tokenizer(list(texts), add_special_tokens=True, truncation=False)["input_ids"]
        return [len(ids) for ids in encoded]

    def vocab_has(self, token: str) -> bool:
        unk = self.tokenizer.unk_token_id
        token_id = self.tokenizer.convert_tokens_to_ids(token)
        return token_id is not None and token_id != unk

    def code_scheme(self) -> str | None:
        """Read from the tokenizer's class and the model type (NLLB checkpoints say model_type m2m_100), with
        the vocabulary as the last word: a tokenizer that knows `__de__`, `deu_Latn` or `de_DE` uses that family."""
        name = type(self.tokenizer).__name__.lower()
        if "nllb" in name or self.vocab_has("deu_Latn"):
            return "nllb"
        if "mbart50" in name or (self.model_type == "mbart" and self.vocab_has("de_DE")):
            return "mbart50"
        if "m2m100" in name or self.model_type == "m2m_100" or self.vocab_has("__de__"):
            return "m2m100"
        return None


def hub_offline() -> bool:
    """HF_HUB_OFFLINE as huggingface_hub read it at import, or as the environment says now."""
    from huggingface_hub import constants

    value = os.environ.get("HF_HUB_OFFLINE", "")
    return bool(constants.HF_HUB_OFFLINE) or value.strip().upper() in ("1", "ON", "YES", "TRUE")
