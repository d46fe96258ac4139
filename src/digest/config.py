"""Typed configuration: built-in defaults < YAML file < overrides (CLI flags or API keywords).

Every setting lives in one dataclass tree so `digest config show` can print exactly what a run uses,
and a wrong key or type is reported with its dotted name and the file it came from.
"""

from __future__ import annotations

import dataclasses
import re
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .budget import DEFAULT_MAX_SECONDS
from .configfile import build, paths_from_config_folder, read_yaml
from .engines.registry import BACKENDS
from .errors import ConfigError
from .inputs.article import DEFAULT_MAX_BYTES
from .inputs.clean import DEFAULT_DROP_PATTERNS
from .nlp.glossary import Glossary
from .nlp.language import canonical_tag, tag_identity

ENGINES = tuple(BACKENDS)
DEVICES = ("auto", "cpu", "cuda", "mps")
EXECUTORS = ("local", "ray")
CODE_SCHEMES = ("auto", "iso", "m2m100", "nllb", "mbart50")
DTYPES = ("auto", "float32", "float16", "bfloat16")
FORMATS = ("md", "html", "email")
EDITIONS = ("day", "week", "run", "all")
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

    def __post_init__(self) -> None:
        _check_generation("summarizer.generation", self.generation)
        if self.max_input_tokens is not None and self.max_input_tokens < 1:
            raise ConfigError("'summarizer.max_input_tokens' must be at least 1 (or unset: the model's window)")


@dataclass
class MultilingualConfig:
    """One model for every language pair, with its own language codes."""

    model: str = ""
    revision: str | None = None
    #: auto: read from the model's config and tokenizer (m2m100, nllb, mbart50)
    codes: str = "auto"

    def __post_init__(self) -> None:
        _check_choice("translation.multilingual.codes", self.codes, CODE_SCHEMES)


@dataclass
class TranslationConfig:
    """How a (source, target) pair finds its model: overrides, one multilingual model, a pair pattern."""

    pattern: str | None = "Helsinki-NLP/opus-mt-{src}-{tgt}"
    models: dict[str, str] = field(default_factory=dict)
    multilingual: MultilingualConfig | None = None
    pivot: str = "en"
    generation: dict[str, Any] = field(default_factory=lambda: {"num_beams": 4, "max_length": 256})

    def __post_init__(self) -> None:
        _check_generation("translation.generation", self.generation)
        if self.pattern:
            _check_pattern(self.pattern)


@dataclass
class InputConfig:
    """Which files are read and how scraped text is cleaned."""

    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    drop_patterns: list[str] = field(default_factory=lambda: list(DEFAULT_DROP_PATTERNS))
    extra_drop_patterns: list[str] = field(default_factory=list)
    drop_repeated_title: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES
    #: seconds an article may spend in reading (and cleaning) and again in the checks; 0 = no limit
    max_seconds: float = DEFAULT_MAX_SECONDS
    language: str | None = None
    #: feed, sitemap, home page or article URLs read on every run besides the command line's inputs
    sources: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.max_bytes < 1:
            raise ConfigError("'input.max_bytes' must be at least 1")
        if isinstance(self.max_seconds, bool) or not isinstance(self.max_seconds, int | float) or \
                not 0 <= self.max_seconds < float("inf"):
            raise ConfigError(f"'input.max_seconds' must be a number of seconds, 0 or more (0: no limit), "
                              f"got {self.max_seconds!r}")
        for source in self.sources:
            if not isinstance(source, str) or not re.match(r"https?://[^\s/]+", source):
                raise ConfigError(f"'input.sources': {source!r} is not an http(s) URL")
        for key in ("drop_patterns", "extra_drop_patterns"):
            for pattern in getattr(self, key):
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ConfigError(f"'input.{key}': {pattern!r} is not a valid regex ({exc})") from None


@dataclass
class FrontConfig:
    """The front page (OUT/digest.<lang>.*, feed.<lang>.atom): the last `hours` of stories, `min_stories` to
    `max_stories` of them, the most covered first."""

    hours: float = 24
    min_stories: int = 20
    max_stories: int = 100

    def __post_init__(self) -> None:
        if self.hours <= 0:
            raise ConfigError(f"'output.front.hours' must be above 0, not {self.hours!r}")
        if self.min_stories < 0 or self.max_stories < 1:
            raise ConfigError("'output.front': min_stories must be at least 0 and max_stories at least 1")


@dataclass
class FetchConfig:
    """How web sources are fetched: politely (robots.txt, one request at a time per host, a delay between)."""

    delay: float = 1.0  # seconds between two requests to one host
    timeout: float = 20.0  # seconds per request
    max_redirects: int = 5
    retries: int = 3  # of a 429 or 503 answer, waiting as its Retry-After says (else backing off)
    robots: bool = True
    user_agent: str | None = None  # default: digest/<version>; add your contact page: digest/0.1 (+https://…)

    def __post_init__(self) -> None:
        if self.delay < 0 or self.timeout <= 0:
            raise ConfigError("'fetch.delay' must be 0 or more and 'fetch.timeout' above 0")
        if self.max_redirects < 0 or self.retries < 0:
            raise ConfigError("'fetch.max_redirects' and 'fetch.retries' must be 0 or more")


@dataclass
class OutputConfig:
    """Where results go and which digest formats are rendered."""

    dir: str = "outputs"
    formats: list[str] = field(default_factory=lambda: ["md", "html"])
    edition: str = "day"
    timezone: str = "UTC"
    #: print review flags on reader pages (HTML, Markdown, e-mail); off: they are for the editor's review desk
    show_flags: bool = False
    #: the newsroom's name: the feeds' author (without it, the host of `base_url`, else "digest")
    title: str | None = None
    #: a line under the masthead and the footer (e.g. the unsubscribe note) of every page, e-mail and text part
    intro: str | None = None
    footer: str | None = None
    #: a folder with the newsroom's own `page.html` (Jinja2, autoescaped), used instead of the shipped one
    templates: str | None = None
    #: group each page's stories by the sources' own sections (feed category, JSON-LD articleSection, JSON field)
    sections: bool = False
    #: where OUT is served (https://news.example.org/digest/): feeds' self and alternate links become absolute
    base_url: str | None = None
    front: FrontConfig = field(default_factory=FrontConfig)
    #: the language of the review desk's words (OUT/review.html); any BCP-47 tag, English where none is written
    review_language: str = "en"

    def __post_init__(self) -> None:
        import langcodes

        if not langcodes.tag_is_valid(self.review_language):
            raise ConfigError(f"'output.review_language': {self.review_language!r} is not a language tag (e.g. en, de)")
        for fmt in self.formats:
            if fmt not in FORMATS:
                raise ConfigError(f"'output.formats' may hold {', '.join(FORMATS)}, not {fmt!r}")
        _check_choice("output.edition", self.edition, EDITIONS)
        if self.templates is not None and not Path(self.templates).expanduser().is_dir():
            raise ConfigError(f"'output.templates': {self.templates!r} is not a folder")
        if self.base_url is not None and not re.match(r"https?://[^/\s]+(/\S*)?$", self.base_url):
            raise ConfigError(f"'output.base_url' must be an http(s) address, not {self.base_url!r}")
        if self.timezone.upper() != "UTC":
            from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

            try:
                ZoneInfo(self.timezone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ConfigError(f"'output.timezone': unknown time zone {self.timezone!r} (e.g. UTC, Europe/Berlin)"
                                  ) from None


@dataclass
class ClusterConfig:
    """Near-duplicate stories (one wire story from several outlets) become one item."""

    enabled: bool = True
    #: word-shingle Jaccard; 0.5 merged all 100 wire copies of 300 news articles and no distinct ones
    #: (benchmarks/stories.py), 0.7 missed 26
    threshold: float = 0.5
    #: weighted overlap of two reports' shared-language evidence above which two languages tell one story
    #: (benchmarks/stories.py --cross-language)
    cross_threshold: float = 0.25

    def __post_init__(self) -> None:
        if not 0 < self.threshold <= 1:
            raise ConfigError("'cluster.threshold' must be above 0 and at most 1")
        if not 0 < self.cross_threshold <= 1:
            raise ConfigError("'cluster.cross_threshold' must be above 0 and at most 1")


@dataclass
class FaithfulnessConfig:
    """Checks that tell an editor where a machine digest may be wrong."""

    checks: bool = True
    rerank: int = 1
    #: a summary or translated sentence stuck in a repetition loop (or far past its source's length) is made
    #: again with repeats blocked, cut and flagged if it persists (nlp/repetition.py); off only to time the bare
    #: models (random-weight benchmark models loop on every input)
    loops: bool = True

    def __post_init__(self) -> None:
        if self.rerank < 1:
            raise ConfigError("'faithfulness.rerank' must be at least 1 (1 = no reranking)")


@dataclass
class RayConfig:
    """Where the Ray executor runs and how big its actors are."""

    address: str | None = None
    concurrency: int = 2
    num_cpus: float = 1.0
    num_gpus: float = 0.0
    batch_size: int = 16

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.batch_size < 1:
            raise ConfigError("'ray.concurrency' and 'ray.batch_size' must be at least 1")
        if self.num_cpus <= 0 or (self.num_gpus or 0) < 0:
            raise ConfigError("'ray.num_cpus' must be above 0 and 'ray.num_gpus' 0 or more")


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
    fetch: FetchConfig = field(default_factory=FetchConfig)
    output: OutputConfig = field(default_factory=OutputConfig)
    faithfulness: FaithfulnessConfig = field(default_factory=FaithfulnessConfig)
    cluster: ClusterConfig = field(default_factory=ClusterConfig)
    glossary: dict[str, Any] = field(default_factory=dict)
    executor: str = "local"
    ray: RayConfig = field(default_factory=RayConfig)

    def __post_init__(self) -> None:
        """Checks of single values and across keys, here so that no way of making a Config (a file, overrides,
        `dataclasses.replace`, a script's own constructor call) can skip them."""
        for key, choices in (("engine", ENGINES), ("device", DEVICES), ("executor", EXECUTORS), ("dtype", DTYPES),
                             ("compute_type", COMPUTE_TYPES)):
            _check_choice(key, getattr(self, key), choices)
        if self.batch_size != "auto":
            if isinstance(self.batch_size, bool) or not isinstance(self.batch_size, int):
                raise ConfigError(f"'batch_size' must be a whole number or auto, not {self.batch_size!r}")
            if self.batch_size < 1:
                raise ConfigError("'batch_size' must be at least 1")
        if self.threads < 0:
            raise ConfigError("'threads' must be 0 (auto) or more")
        for target in self.targets:
            if target.strip() and not re.fullmatch(r"[a-z]{2,3}([_-][a-z0-9]+)*|[^\W\d_]{4,}", target.strip().lower()):
                raise ConfigError(f"'targets': {target!r} is not a language code (e.g. de, fr, pt-br)")
        # EN, english -> en; zh-TW -> zh-Hant, pt_br -> pt-BR; "zh" and "zh-Hans" are one target (the first spelling)
        unique: dict[tuple, str] = {}
        for tag in (canonical_tag(t) for t in self.targets if t.strip()):
            unique.setdefault(tag_identity(tag), tag)
        self.targets = list(unique.values())
        _check_servable(self.targets, self.translation.models)
        try:
            Glossary.from_dict(self.glossary)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None

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



def load_config(path: str | Path | None = None, **overrides: Any) -> Config:
    """Defaults, then the YAML file at `path`, then `overrides` (dotted keys or aliases)."""
    data: dict = {}
    origin = "built-in defaults"
    if path is not None:
        data, origin = paths_from_config_folder(read_yaml(Path(path)), Path(path)), str(path)
    config = build(Config, data, origin, "")
    return apply_overrides(config, overrides)


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
    return build(Config, data, "overrides", "")


def _check_servable(targets: list[str], models: dict[str, str]) -> None:
    """A target that is no language (`--to de,xx`) can never be served: say so now, not after the models load
    and every article failed. A code the user routed to a model of their own (translation.models) is theirs."""
    import langcodes

    named = {key.rpartition("-")[2] for key in models}
    for target in targets:
        if target not in named and (not langcodes.tag_is_valid(target) or target in ("und", "zxx", "mul", "mis")):
            raise ConfigError(f"'targets': {target!r} is not a language any translation model serves "
                              "(give ISO codes, e.g. de, fr, pt)")


def _check_choice(key: str, value: Any, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigError(f"'{key}' must be one of {', '.join(choices)}, not {value!r}")


def _check_generation(key: str, values: dict[str, Any]) -> None:
    """Types and ranges of each setting, then the rules between them that generate would trip over per article."""
    from .engines.params import GenerationParams

    try:
        params = GenerationParams().merged(values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"'{key}': {exc}") from None
    for low, high in (("min_length", "max_length"), ("min_new_tokens", "max_new_tokens")):
        lo, hi = getattr(params, low), getattr(params, high)
        if lo is not None and hi is not None and lo > hi:
            raise ConfigError(f"'{key}': {low} ({lo}) is above {high} ({hi})")
    k, beams = params.num_return_sequences, params.num_beams
    if k is not None and beams is not None and k > beams:
        raise ConfigError(f"'{key}': num_return_sequences ({k}) is above num_beams ({beams}); beam search returns at "
                          "most num_beams hypotheses (for reranking set faithfulness.rerank instead)")


def _check_pattern(pattern: str) -> None:
    """The pair pattern is str.format-ed with src and tgt for every pair: anything else would fail per article."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as exc:
        raise ConfigError(f"'translation.pattern' {pattern!r}: {exc}") from None
    if not names <= {"src", "tgt"}:
        bad = ", ".join(sorted("{" + name + "}" for name in names - {"src", "tgt"}))
        raise ConfigError(f"'translation.pattern' may use {{src}} and {{tgt}} only, not {bad}")
