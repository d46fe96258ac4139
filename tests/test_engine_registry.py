"""Engines are registered by name: a backend or a model scheme added to the registry is what the loader and the
config use, with no branch to add anywhere else."""

from __future__ import annotations

import pytest
from scripted_engines import EchoEngine

from digest.config import ConfigError, load_config
from digest.engines import registry
from digest.engines.extractive import ExtractiveEngine
from digest.engines.pool import Runtime, load_engine


def build_echo(model: str, runtime: Runtime, revision: str | None = None) -> EchoEngine:
    """A builder the test registers: the model-free echo engine under the scheme "echo"."""
    return EchoEngine(model)


def test_a_registered_scheme_is_loaded_by_name(monkeypatch) -> None:
    monkeypatch.setitem(registry.SCHEMES, "echo", f"{__name__}:build_echo")
    engine = load_engine("echo:anything", Runtime())
    assert isinstance(engine, EchoEngine) and engine.model_id == "echo:anything"


def test_a_registered_backend_is_what_the_runtime_names(monkeypatch) -> None:
    monkeypatch.setitem(registry.BACKENDS, "echo-backend", f"{__name__}:build_echo")
    assert isinstance(load_engine("some/model", Runtime(engine="echo-backend")), EchoEngine)


def test_extractive_is_a_scheme_on_every_backend() -> None:
    for backend in registry.BACKENDS:
        engine = load_engine("extractive:textrank", Runtime(engine=backend))
        assert isinstance(engine, ExtractiveEngine) and engine.method == "textrank"


def test_the_config_knows_the_registered_backends_and_no_others() -> None:
    assert {load_config(None, engine=name).engine for name in registry.BACKENDS} == set(registry.BACKENDS)
    with pytest.raises(ConfigError):
        load_config(None, engine="tensorrt")
