"""Which engine runs a model, and a pool that loads each model once per run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .base import Engine, ModelLoadError
from .devices import batch_size_for
from .registry import builder_for


@dataclass(frozen=True)
class Runtime:
    """Where and how engines run; shared by every model of a run."""

    engine: str = "hf"
    device: str = "auto"
    dtype: str = "auto"
    compute_type: str = "auto"
    threads: int = 0
    batch_size: int | str = 8  # or "auto": see batch_size_for
    trust_remote_code: bool = False

    def batch_limit(self) -> int:
        """The batch size this runtime starts with (e.g. to size the waves of articles that feed it)."""
        return batch_size_for(self.batch_size, self.engine, self.device)


def load_engine(model: str, runtime: Runtime, revision: str | None = None) -> Engine:
    """Build the engine for `model` (hub id, local folder, or "extractive"[":lede"|":textrank"]) with the
    builder the registry gives for its scheme or the runtime's backend."""
    return builder_for(model, runtime.engine)(model, runtime, revision)


class EnginePool:
    """Loads each model once per run and remembers models that failed to load.

    `engines` are models the caller already holds (a script, a test), used for that model id at any revision
    instead of loading it; `loader` builds the others.
    """

    def __init__(self, runtime: Runtime, loader=load_engine, *, engines: Mapping[str, Engine] | None = None) -> None:
        self.runtime = runtime
        self._loader = loader
        self._given = dict(engines or {})
        self._engines: dict[tuple[str, str | None], Engine] = {}
        self._errors: dict[tuple[str, str | None], ModelLoadError] = {}

    def close(self) -> None:
        """Drop every model this pool loaded (the caller's own engines stay the caller's), so memory is freed."""
        self._engines.clear()
        self._errors.clear()
        import gc

        gc.collect()

    def get(self, model: str, revision: str | None = None) -> Engine:
        """The loaded engine for `model`; raises the same ModelLoadError every time it cannot load."""
        key = (model, revision)
        if key in self._errors:
            raise self._errors[key]
        if key not in self._engines and model in self._given:
            self._engines[key] = self._given[model]
        if key not in self._engines:
            try:
                self._engines[key] = self._loader(model, self.runtime, revision)
            except ModelLoadError as exc:
                self._errors[key] = exc
                raise
        return self._engines[key]
