"""Cache keys: what an article's output depends on, hashed, so a rerun redoes exactly what changed."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .records import FORMAT_VERSION

if TYPE_CHECKING:
    from ..config import Config
    from .translator import Translator


@lru_cache(maxsize=64)
def model_fingerprint(model: str, revision: str | None = None) -> str:
    """Identify a model's exact files without loading it.

    A local folder is identified by the names, sizes and modification times of its files (cheap, and any
    re-save changes it); a hub id by the commit of its snapshot in the local HF cache, else by id@revision.
    """
    if model == "extractive":
        return "extractive"
    path = Path(model)
    if path.is_dir():
        stats = sorted(
            (str(p.relative_to(path)), p.stat().st_size, p.stat().st_mtime_ns)
            for p in path.rglob("*") if p.is_file()
        )
        return "dir:" + _digest(stats)
    try:
        from huggingface_hub import snapshot_download

        local = snapshot_download(model, revision=revision, local_files_only=True)
        return f"hub:{model}@{Path(local).name}"
    except Exception:  # not cached (or not a hub id): the configured revision is all we know
        return f"hub:{model}@{revision or 'main'}"


def cache_key(text: str, settings: dict) -> str:
    """Hash of the cleaned text and every setting that shapes the output."""
    return _digest({"text": text, "settings": settings})


def _digest(data: object) -> str:
    raw = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    return hashlib.sha256(raw).hexdigest()[:32]


def run_settings(config: Config) -> str:
    """Fingerprint of everything in the config that can change an output (not where or how fast it runs)."""
    data = config.to_dict()
    for key in ("output", "batch_size", "threads", "executor", "ray"):
        data.pop(key, None)
    return cache_key("", data)


def article_settings(config: Config, translator: Translator, language: str) -> dict:
    """Everything besides the text that the output of an article in `language` depends on (for its cache key)."""
    routes = {
        tgt: [[(h.model, model_fingerprint(h.model, h.revision)) for h in hops]
              for hops in translator.candidates(language, tgt)]
        for tgt in config.targets
    }
    return {
        "format": FORMAT_VERSION,
        "engine": [config.engine, config.dtype, config.compute_type],
        "summarizer": {**config.summarizer.__dict__,
                       "fingerprint": model_fingerprint(config.summarizer.model, config.summarizer.revision)},
        "translation": {"generation": config.translation.generation, "routes": routes},
        "faithfulness": config.faithfulness.__dict__,
        "glossary": config.glossary,
        "targets": sorted(config.targets),
    }
