"""One small interface for every generation backend (transformers, CTranslate2, extractive).

Summarizer and Translator only talk to `Engine`; which library runs the model is a config choice.
Heavy libraries are imported inside the implementations, never here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace


@dataclass(frozen=True)
class GenerationParams:
    """Decoding settings; `None` means "leave it to the layer below" (config file < CLI, model default last)."""

    num_beams: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    min_new_tokens: int | None = None
    max_new_tokens: int | None = None
    length_penalty: float | None = None
    no_repeat_ngram_size: int | None = None
    repetition_penalty: float | None = None
    early_stopping: bool | None = None
    num_return_sequences: int | None = None

    def merged(self, override: GenerationParams | dict | None) -> GenerationParams:
        """Return these params with every non-None value of `override` on top."""
        if override is None:
            return self
        values = override if isinstance(override, dict) else asdict(override)
        unknown = set(values) - {f.name for f in fields(self)}
        if unknown:
            raise ValueError(f"unknown generation setting(s): {', '.join(sorted(unknown))}")
        for key, value in values.items():
            if value is not None:
                _check(key, value)
        return replace(self, **{k: v for k, v in values.items() if v is not None})

    def as_dict(self) -> dict:
        """Only the settings that are set, e.g. for `generate(**params)` or a cache key."""
        return {k: v for k, v in asdict(self).items() if v is not None}


#: the smallest value each setting may take; bools are checked as bools, floats may be fractional
_LOWEST = {"num_beams": 1, "min_length": 0, "max_length": 1, "min_new_tokens": 0, "max_new_tokens": 1,
           "no_repeat_ngram_size": 0, "num_return_sequences": 1, "repetition_penalty": 0.0}
_FLOATS = {"length_penalty", "repetition_penalty"}


def _check(key: str, value: object) -> None:
    """A wrong type or range fails when the config is read, not on every article inside generate."""
    if key == "early_stopping":
        if not isinstance(value, bool):
            raise ValueError(f"{key} must be true or false, not {value!r}")
        return
    numeric = (int, float) if key in _FLOATS else (int,)
    if isinstance(value, bool) or not isinstance(value, numeric):
        raise ValueError(f"{key} must be {'a number' if key in _FLOATS else 'a whole number'}, not {value!r}")
    if key in _LOWEST and value < _LOWEST[key]:
        raise ValueError(f"{key} must be at least {_LOWEST[key]}, not {value!r}")


@dataclass(frozen=True)
class Hypothesis:
    """One decoded candidate; `score` is the engine's length-normalised log-probability when it has one."""

    text: str
    score: float | None = None


class Engine(ABC):
    """A loaded seq2seq model: count tokens, generate text. Loaded once per run and reused."""

    #: the model as configured (hub id or local path); shown in outputs
    model_id: str
    #: longest input (in this model's tokens) the model accepts
    max_input_tokens: int
    #: the model's own task prefixes, e.g. {"summarization": "summarize: "} for T5
    task_prefixes: dict[str, str]
    #: the model's own generation defaults (its generation_config), lowest priority
    default_params: GenerationParams
    #: model family as transformers names it ("bart", "t5", "marian", "m2m_100", ...)
    model_type: str = ""

    @abstractmethod
    def count_tokens(self, texts: Sequence[str]) -> list[int]:
        """Number of input tokens (special tokens included) of each text."""

    @abstractmethod
    def generate_candidates(
        self,
        texts: Sequence[str],
        params: GenerationParams,
        *,
        src_lang: str | None = None,
        tgt_token: str | None = None,
    ) -> list[list[Hypothesis]]:
        """Decode every text; one list of `num_return_sequences` hypotheses per input, best first.

        `src_lang` is the tokenizer's source-language code and `tgt_token` the token forced first in the
        output, both only for multilingual models (M2M100, NLLB, MBart-50).
        """

    def generate(
        self,
        texts: Sequence[str],
        params: GenerationParams,
        *,
        src_lang: str | None = None,
        tgt_token: str | None = None,
    ) -> list[str]:
        """Decode every text and keep the best hypothesis."""
        single = params.merged({"num_return_sequences": 1})
        out = self.generate_candidates(texts, single, src_lang=src_lang, tgt_token=tgt_token)
        return [hyps[0].text for hyps in out]

    def vocab_has(self, token: str) -> bool:
        """Whether `token` is a single known token (used to check multilingual language codes)."""
        return False


class ModelLoadError(Exception):
    """A model could not be loaded; the message is one line naming the model and what to do."""


class DeviceError(ModelLoadError):
    """The configured device is not on this machine: no model can load, so the run stops (never a per-pair miss)."""


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
    """Build the engine for `model` (hub id, local folder, or "extractive")."""
    if model == "extractive":
        from .extractive import ExtractiveEngine

        return ExtractiveEngine()
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
