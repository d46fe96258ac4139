"""digest: turn piles of news articles into short, multilingual digests.

The Python API has the same verbs as the CLI::

    from digest import Digester
    digester = Digester.from_config("configs/default.yaml", targets=["de", "fr"])
    result = digester.run(["articles/"], out="out")        # the cron verb: read, digest, publish, manifest
    records = list(digester.digest([Article(...)]))        # the work alone, as a stream: writes nothing
    digester.publish(records, out="out")                   # records -> OUT/articles, manifest, pages, feeds
    digester.summarize(text)
    digester.translate(text, to="de")

Heavy libraries (torch, transformers, ctranslate2, ray) are imported only when a model is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Article", "ArticleRecord", "Config", "ConfigError", "DigestError", "Digester", "ManifestEntry", "ModelLoadError",
    "RunResult", "__version__", "load_config", "summarize", "translate",
]

if TYPE_CHECKING:
    from .api import Digester, RunResult
    from .config import Config, ConfigError, load_config
    from .engines.base import ModelLoadError
    from .errors import DigestError
    from .inputs.article import Article
    from .records import ArticleRecord, ManifestEntry

_LAZY = {
    "Article": "inputs.article", "Config": "config", "ConfigError": "config", "load_config": "config",
    "ModelLoadError": "engines.base", "Digester": "api", "RunResult": "api", "DigestError": "errors",
    "ArticleRecord": "records", "ManifestEntry": "records",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module 'digest' has no attribute {name!r}")


def summarize(text: str, *, config: str | None = None, language: str | None = None, **overrides: Any) -> str:
    """Summarize one text with the configured summarizer (loads the model; use Digester for many texts)."""
    from .api import Digester

    return Digester.from_config(config, progress=False, **overrides).summarize(text, language)


def translate(text: str, *, to: str, source: str | None = None, config: str | None = None, **overrides: Any) -> str:
    """Translate one text into `to` with the configured route (loads the models; reuse a Digester for many)."""
    from .api import Digester

    return Digester.from_config(config, progress=False, **overrides).translate(text, to, source)
