"""Typed configuration: built-in defaults < YAML file < overrides (CLI flags or API keywords).

Every setting lives in one dataclass tree so `digest config show` can print exactly what a run uses,
and a wrong key or type is reported with its dotted name and the file it came from.
"""

from __future__ import annotations

import dataclasses
import re
import string
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .inputs.article import DEFAULT_MAX_BYTES
from .inputs.clean import DEFAULT_DROP_PATTERNS
from .nlp.glossary import Glossary
from .nlp.language import normalize

ENGINES = ("hf", "ct2")
DEVICES = ("auto", "cpu", "cuda", "mps")
EXECUTORS = ("local", "ray")
CODE_SCHEMES = ("auto", "iso", "m2m100", "nllb", "mbart50")
DTYPES = ("auto", "float32", "float16", "bfloat16")
#: CTranslate2's compute types (kept here so that checking a config needs no ctranslate2 import)
COMPUTE_TYPES = ("auto", "int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16",
                 "float32")


@dataclass
class SummarizerConfig:
    """Which model summarizes and how it decodes."""

    model: str = "sshleifer/distilbart-cnn-12-6"
    revision: str | None = None
    prefix: str | None = None
    max_input_tokens: int | None = None
    generation: dict[str, Any] = field(
        default_factory=lambda: {
            "num_beams": 4, "min_length": 56, "max_length": 142,
            "length_penalty": 2.0, "no_repeat_ngram_size": 3,
        }
    )


@dataclass
class MultilingualConfig:
    """One model for every language pair, with its own language codes."""

    model: str = ""
    revision: str | None = None
    #: auto: read from the model's config and tokenizer (m2m100, nllb, mbart50)
    codes: str = "auto"


@dataclass
class TranslationConfig:
    """How a (source, target) pair finds its model: overrides, one multilingual model, a pair pattern."""

    pattern: str | None = "Helsinki-NLP/opus-mt-{src}-{tgt}"
    models: dict[str, str] = field(default_factory=dict)
    multilingual: MultilingualConfig | None = None
    pivot: str = "en"
    generation: dict[str, Any] = field(default_factory=lambda: {"num_beams": 4, "max_length": 256})


@dataclass
class InputConfig:
    """Which files are read and how scraped text is cleaned."""

    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    drop_patterns: list[str] = field(default_factory=lambda: list(DEFAULT_DROP_PATTERNS))
    extra_drop_patterns: list[str] = field(default_factory=list)
    drop_repeated_title: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES
    language: str | None = None


@dataclass
class OutputConfig:
    """Where results go and which digest formats are rendered."""

    dir: str = "outputs"
    formats: list[str] = field(default_factory=lambda: ["md", "html"])
    edition: str = "day"
    timezone: str = "UTC"


@dataclass
class ClusterConfig:
    """Near-duplicate stories (one wire story from several outlets) become one item."""

    enabled: bool = True
    threshold: float = 0.7


@dataclass
class FaithfulnessConfig:
    """Checks that tell an editor where a machine digest may be wrong."""

    checks: bool = True
    rerank: int = 1


@dataclass
class RayConfig:
    """Where the Ray executor runs and how big its actors are."""

    address: str | None = None
    concurrency: int = 2
    num_cpus: float = 1.0
    num_gpus: float = 0.0
    batch_size: int = 16


@dataclass
class Config:
    """The whole effective configuration of a run."""

    engine: str = "hf"
    device: str = "auto"
    dtype: str = "auto"
    compute_type: str = "auto"
    threads: int = 0
    batch_size: int | str = 8  # or "auto": 64 for the HF engine on a GPU (halved on out-of-memory), else 8
    trust_remote_code: bool = False
    targets: list[str] = field(default_factory=lambda: ["de", "fr", "es"])
    summarizer: SummarizerConfig = field(default_factory=SummarizerConfig)
    translation: TranslationConfig = field(default_factory=TranslationConfig)
    input: InputConfig = field(default_factory=InputConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    faithfulness: FaithfulnessConfig = field(default_factory=FaithfulnessConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    glossary: dict[str, Any] = field(default_factory=dict)
    executor: str = "local"
    ray: RayConfig = field(default_factory=RayConfig)

    def to_dict(self) -> dict:
        """Plain data, e.g. for `digest config show` or a cache key."""
        return dataclasses.asdict(self)


#: short names the CLI and the Python API accept for nested settings
ALIASES = {
    "summary_model": "summarizer.model",
    "to": "targets",
    "translation_models": "translation.models",
    "multilingual_model": "translation.multilingual.model",
    "out": "output.dir",
    "output_dir": "output.dir",
    "ray_address": "ray.address",
    "rerank": "faithfulness.rerank",
}

_CHOICES = {
    "engine": ENGINES, "device": DEVICES, "translation.multilingual.codes": CODE_SCHEMES, "executor": EXECUTORS,
    "dtype": DTYPES, "compute_type": COMPUTE_TYPES, "output.edition": ("day", "week", "run", "all"),
}


def load_config(path: str | Path | None = None, **overrides: Any) -> Config:
    """Defaults, then the YAML file at `path`, then `overrides` (dotted keys or aliases)."""
    data: dict = {}
    origin = "built-in defaults"
    if path is not None:
        data, origin = _paths_from_config_folder(read_yaml(Path(path)), Path(path)), str(path)
    config = _validate(_build(Config, data, origin, ""), origin)
    return apply_overrides(config, overrides)


def _paths_from_config_folder(data: dict, path: Path) -> dict:
    """Model paths written relative to the config file (`./models/bart`, or a folder next to it) are read from
    there, whatever the working directory of the script; hub ids and absolute paths stay as written."""
    base = path.resolve().parent

    def local(value: Any, may_exist: bool = True) -> Any:
        if not isinstance(value, str) or not value or Path(value).is_absolute():
            return value
        if value.startswith(("./", "../")) or (may_exist and (base / value).exists()):
            return str((base / value).resolve())
        return value

    summarizer, translation = data.get("summarizer"), data.get("translation")
    if isinstance(summarizer, dict) and "model" in summarizer:
        data = {**data, "summarizer": {**summarizer, "model": local(summarizer["model"])}}
    if isinstance(translation, dict):
        translation = dict(translation)
        if "pattern" in translation:
            translation["pattern"] = local(translation["pattern"], may_exist=False)
        if isinstance(translation.get("models"), dict):
            translation["models"] = {pair: local(model) for pair, model in translation["models"].items()}
        multi = translation.get("multilingual")
        if isinstance(multi, dict) and "model" in multi:
            translation["multilingual"] = {**multi, "model": local(multi["model"])}
        data = {**data, "translation": translation}
    return data


def _check_servable(config: Config, origin: str) -> None:
    """A target that is no language (`--to de,xx`) can never be served: say so now, not after the models load
    and every article failed. A code the user routed to a model of their own (translation.models) is theirs."""
    import langcodes

    named = {key.rpartition("-")[2] for key in config.translation.models}
    for target in config.targets:
        if target not in named and (not langcodes.tag_is_valid(target) or target in ("und", "zxx", "mul", "mis")):
            raise ConfigError(f"{origin}: 'targets': {target!r} is not a language any translation model serves "
                              "(give ISO codes, e.g. de, fr, pt)")


def read_yaml(path: Path) -> dict:
    """Read a YAML mapping with the safe loader; errors name the file."""
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        at = f" at line {where.line + 1}" if where else ""
        raise ConfigError(f"{path}: invalid YAML{at}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: a config must be a mapping of keys, not {type(data).__name__}")
    return data


def apply_overrides(config: Config, overrides: dict[str, Any]) -> Config:
    """Set dotted keys (`summarizer.model`) or aliases (`summary_model`) on a copy of `config`."""
    data = config.to_dict()
    for key, value in overrides.items():
        if value is None:
            continue
        dotted = ALIASES.get(key, key).split(".")
        node = data
        for part in dotted[:-1]:
            if node.get(part) is None:
                node[part] = {}
            node = node[part]
        if isinstance(value, dict) and isinstance(node.get(dotted[-1]), dict):
            node[dotted[-1]] = {**node[dotted[-1]], **value}
        else:
            node[dotted[-1]] = value
    return _validate(_build(Config, data, "overrides", ""), "overrides")


def _validate(config: Config, origin: str) -> Config:
    """Checks that span several keys or need the engine's vocabulary of generation settings."""
    from .engines.params import GenerationParams

    for key, values in (("summarizer.generation", config.summarizer.generation),
                        ("translation.generation", config.translation.generation)):
        try:
            GenerationParams().merged(values)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{origin}: '{key}': {exc}") from None
    if config.batch_size != "auto" and config.batch_size < 1:
        raise ConfigError(f"{origin}: 'batch_size' must be at least 1")
    if config.threads < 0 or config.input.max_bytes < 1:
        raise ConfigError(f"{origin}: 'threads' must be 0 (auto) or more and 'input.max_bytes' at least 1")
    for target in config.targets:
        if target.strip() and not re.fullmatch(r"[a-z]{2,3}([_-][a-z0-9]+)*|[^\W\d_]{4,}", target.strip().lower()):
            raise ConfigError(f"{origin}: 'targets': {target!r} is not a language code (e.g. de, fr, pt-br)")
    config.targets = list(dict.fromkeys(normalize(t) for t in config.targets if t.strip()))  # EN, english -> en
    _check_servable(config, origin)
    if config.translation.pattern:
        _check_pattern(config.translation.pattern, origin)
    if config.faithfulness.rerank < 1:
        raise ConfigError(f"{origin}: 'faithfulness.rerank' must be at least 1 (1 = no reranking)")
    if config.ray.concurrency < 1 or config.ray.batch_size < 1:
        raise ConfigError(f"{origin}: 'ray.concurrency' and 'ray.batch_size' must be at least 1")
    if config.ray.num_cpus <= 0 or (config.ray.num_gpus or 0) < 0:
        raise ConfigError(f"{origin}: 'ray.num_cpus' must be above 0 and 'ray.num_gpus' 0 or more")
    try:
        Glossary.from_dict(config.glossary)
    except ValueError as exc:
        raise ConfigError(f"{origin}: {exc}") from None
    for key in ("drop_patterns", "extra_drop_patterns"):
        for pattern in getattr(config.input, key):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"{origin}: 'input.{key}': {pattern!r} is not a valid regex ({exc})") from None
    for fmt in config.output.formats:
        if fmt not in ("md", "html", "email"):
            raise ConfigError(f"{origin}: 'output.formats' may hold md, html and email, not {fmt!r}")
    _check_output(config, origin)
    return config


def _check_output(config: Config, origin: str) -> None:
    from .output.editions import zone

    try:
        zone(config.output.timezone)
    except ValueError as exc:
        raise ConfigError(f"{origin}: 'output.timezone': {exc}") from None
    if not 0 < config.cluster.threshold <= 1:
        raise ConfigError(f"{origin}: 'cluster.threshold' must be above 0 and at most 1")


def _check_pattern(pattern: str, origin: str) -> None:
    """The pair pattern is str.format-ed with src and tgt for every pair: anything else would fail per article."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as exc:
        raise ConfigError(f"{origin}: 'translation.pattern' {pattern!r}: {exc}") from None
    if not names <= {"src", "tgt"}:
        bad = ", ".join(sorted("{" + name + "}" for name in names - {"src", "tgt"}))
        raise ConfigError(f"{origin}: 'translation.pattern' may use {{src}} and {{tgt}} only, not {bad}")


def _build(cls: type, data: Any, origin: str, prefix: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: {prefix.rstrip('.') or 'config'} must be a mapping")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    for key in data:
        if key not in names:
            raise ConfigError(f"{origin}: unknown key '{prefix}{key}' (known: {', '.join(sorted(names))})")
    values = {key: _coerce(hints[key], value, origin, prefix + key) for key, value in data.items()}
    return cls(**values)


def _coerce(hint: Any, value: Any, origin: str, key: str) -> Any:
    """Check one value against its type hint; turn "de,fr" into a list where a list is expected."""
    args = typing.get_args(hint)
    if key == "batch_size" and value == "auto":
        return value
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        hint = next(a for a in args if a is not type(None))
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, origin, key + ".")
    origin_type = typing.get_origin(hint) or hint
    if origin_type is list:
        if isinstance(value, str):
            items = [v.strip() for v in value.split(",") if v.strip()]
            if not items:  # `--to ,,` is a slip; an empty list (e.g. `targets: []`, summaries only) is deliberate
                raise ConfigError(f"{origin}: '{key}' names nothing in {value!r}; give e.g. de,fr")
            value = items
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{origin}: '{key}' must be a list of strings")
        return list(value)
    if origin_type is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{origin}: '{key}' must be a mapping")
        return dict(value)
    if hint is bool and not isinstance(value, bool):
        raise ConfigError(f"{origin}: '{key}' must be true or false, not {value!r}")
    if hint in (int, float) and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise ConfigError(f"{origin}: '{key}' must be a number, not {value!r}")
    if hint is str and not isinstance(value, str):
        raise ConfigError(f"{origin}: '{key}' must be a string, not {value!r}")
    if key in _CHOICES and value not in _CHOICES[key]:
        raise ConfigError(f"{origin}: '{key}' must be one of {', '.join(_CHOICES[key])}, not {value!r}")
    if hint is int and value != int(value):
        raise ConfigError(f"{origin}: '{key}' must be a whole number, not {value!r}")
    return int(value) if hint is int else value
