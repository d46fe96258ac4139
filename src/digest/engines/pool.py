"""Which engine runs a model, and a pool that loads each model once per run."""

from __future__ import annotations

from dataclasses import dataclass

from .base import Engine, ModelLoadError


@dataclass(frozen=True)
class Runtime:
    """Where and how engines run; shared by every model of a run."""

    engine: str = "hf"
    device: str = "auto"
    dtype: str = "auto"
    compute_type: str = "auto"
    threads: int = 0
    batch_size: int = 8
    trust_remote_code: bool = False


def load_engine(model: str, runtime: Runtime, revision: str | None = None) -> Engine:
    """Build the engine for `model` (hub id, local folder, or "extractive"[":lede"|":textrank"])."""
    if model == "extractive" or model.startswith("extractive:"):
        from .extractive import ExtractiveEngine

        try:
            return ExtractiveEngine(method=model.partition(":")[2] or "lede")
        except ValueError as exc:
            raise ModelLoadError(str(exc)) from None
    if runtime.engine == "ct2":
        from .ct2 import CT2Engine

        return CT2Engine(
            model, revision=revision, device=runtime.device, compute_type=runtime.compute_type,
            threads=runtime.threads, batch_size=runtime.batch_size,
            trust_remote_code=runtime.trust_remote_code,
        )
    from .hf import HFEngine

    return HFEngine(
        model, revision=revision, device=runtime.device, dtype=runtime.dtype, batch_size=runtime.batch_size,
        threads=runtime.threads, trust_remote_code=runtime.trust_remote_code,
    )


class EnginePool:
    """Loads each model once per run and remembers models that failed to load."""

    def __init__(self, runtime: Runtime, loader=load_engine) -> None:
        self.runtime = runtime
        self._loader = loader
        self._engines: dict[tuple[str, str | None], Engine] = {}
        self._errors: dict[tuple[str, str | None], ModelLoadError] = {}

    def get(self, model: str, revision: str | None = None) -> Engine:
        """The loaded engine for `model`; raises the same ModelLoadError every time it cannot load."""
        key = (model, revision)
        if key in self._errors:
            raise self._errors[key]
        if key not in self._engines:
            try:
                self._engines[key] = self._loader(model, self.runtime, revision)
            except ModelLoadError as exc:
                self._errors[key] = exc
                raise
        return self._engines[key]
