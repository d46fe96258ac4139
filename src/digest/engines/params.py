"""Decoding settings: one object merged from model defaults < config file < CLI, checked when it is built."""

from __future__ import annotations

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

