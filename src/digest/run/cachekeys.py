"""Cache keys: what an article's output depends on, hashed, so a rerun redoes exactly what changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..engines.fingerprint import digest_of, model_fingerprint
from ..records import FORMAT_VERSION

__all__ = ["article_settings", "cache_key", "model_fingerprint", "run_settings"]

if TYPE_CHECKING:
    from ..config import Config
    from .translator import Translator


def cache_key(text: str, settings: dict | str) -> str:
    """Hash of the cleaned text and every setting that shapes the output."""
    return digest_of({"text": text, "settings": settings})


def run_settings(config: Config) -> str:
    """Fingerprint of everything in the config that can change an output (not where or how fast it runs)."""
    data = config.to_dict()
    for key in ("output", "batch_size", "threads", "executor", "ray", "fetch"):
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
