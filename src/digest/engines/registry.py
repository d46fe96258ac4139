"""Engines by name: a new backend or model scheme is one entry here, not another branch in the loader.

Entries name the module that builds the engine and are imported only when a model is loaded, so reading this
table (the config does, to check `engine:`) costs no torch or CTranslate2 import.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import Engine
    from .pool import Runtime

#: builds an engine: (model, runtime, revision) -> Engine
Builder = Callable[[str, "Runtime", "str | None"], "Engine"]

#: `engine:` in the config -> "module:function" that builds seq2seq models with it
BACKENDS: dict[str, str] = {
    "hf": "digest.engines.hf:build",
    "ct2": "digest.engines.ct2:build",
}
#: a model name of the form "<scheme>" or "<scheme>:<option>" -> the builder of that model-free engine
SCHEMES: dict[str, str] = {
    "extractive": "digest.engines.extractive:build",
}


def _builder(target: str) -> Builder:
    module, _, name = target.partition(":")
    builder: Builder = getattr(importlib.import_module(module), name)
    return builder


def builder_for(model: str, backend: str) -> Builder:
    """The builder for `model` (a scheme like "extractive:lede" wins) on `backend` (hf, ct2, ...)."""
    scheme = model.partition(":")[0]
    if scheme in SCHEMES:
        return _builder(SCHEMES[scheme])
    if backend not in BACKENDS:
        raise ValueError(f"unknown engine {backend!r} (one of {', '.join(BACKENDS)})")
    return _builder(BACKENDS[backend])
