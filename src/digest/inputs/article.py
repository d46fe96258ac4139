"""The data types of the input stage: an Article, a Problem (an input that is no article) and ReadOptions."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from ..budget import DEFAULT_MAX_SECONDS
from ..nlp.language import source_tag
from .clean import DEFAULT_DROP_PATTERNS
from .sanitize import clean_text, clean_text_field, clean_value

DEFAULT_MAX_BYTES: int = 5_000_000


@dataclass
class Article:
    """One article as the pipeline sees it, whatever file, stream, feed or script it came from.

    `url`, `site`, `date` and `author` say where it ran; a reader that only knows them as `meta` keys (`url`,
    `sitename`/`site`, `date`, `author`, as trafilatura names them) gets them copied into the fields here, so every
    later stage reads one place. `source` names the input for messages and the manifest ("api" when a script
    gives none).
    """

    id: str
    title: str
    text: str
    source: str = ""
    language: str | None = None
    meta: dict = field(default_factory=dict)
    url: str | None = None
    site: str | None = None
    date: str | None = None
    author: str | list[str] | None = None

    def __post_init__(self) -> None:
        """A script's `Article(id=101, language="EN")` is the same article as a file's `"101"` and `"en"`; every
        field passes the one border of sanitize.py, so no output can refuse what an article carries."""
        self.id = clean_text(id_text(self.id))
        self.title = clean_text(self.title if isinstance(self.title, str) else str(self.title or ""))
        self.text = clean_text(self.text if isinstance(self.text, str) else str(self.text or ""))
        self.source = clean_text(str(self.source or "api"))
        if isinstance(self.language, str):
            self.language = source_tag(clean_text(self.language)) or None
        meta = clean_value(self.meta) if isinstance(self.meta, dict) else {}
        self.meta = meta
        self.url = clean_text_field(self.url or meta.get("url"))
        self.site = clean_text_field(self.site or meta.get("sitename") or meta.get("site"))
        self.date = clean_text_field(self.date or meta.get("date"))
        author = self.author or meta.get("author")
        self.author = [a for a in map(clean_text_field, author) if a] if isinstance(author, list | tuple) else (
            clean_text_field(author))


def id_text(value: object) -> str:
    """Any JSON scalar id as a string: 101 -> "101", 1.5 -> "1.5", true -> "true"; strings stay as they are."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float) or value is None:
        return json.dumps(value)
    return str(value)


@dataclass(frozen=True)
class Problem:
    """An input that could not become an article; it ends up as a manifest line, never a crash."""

    source: str
    reason: str
    status: str = "failed"
    id: str | None = None
    #: a bug in digest's reading of this input (not the input's fault): exit 4, retried every run
    internal: bool = False
    trace: str | None = None


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are selected and cleaned; built from the `input:` section of the config."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    drop_patterns: tuple[str, ...] = tuple(DEFAULT_DROP_PATTERNS)
    drop_repeated_title: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES
    max_seconds: float = DEFAULT_MAX_SECONDS  # per article, reading and cleaning (see budget.py); 0: no limit
    language: str | None = None
    modified_since: float | None = None  # epoch seconds: older files are passed over unread (stdin never is)
    arrived_since: float | None = None  # the same, also counting a file's ctime (moved in with an old mtime)
    skip_dirs: tuple[str, ...] = ()  # resolved folders never read, e.g. the run's own output folder
    unique_ids: bool = True  # a later article with an id already read is a Problem (a run decides this itself)

    def __post_init__(self) -> None:
        """Fail at config time, not on the 500th file: bad regexes and limits are caught here."""
        for name in ("include", "exclude", "drop_patterns"):
            value = getattr(self, name)
            object.__setattr__(self, name, (value,) if isinstance(value, str) else tuple(value))
        for pattern in self.drop_patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid drop pattern {pattern!r}: {exc}") from None
        if self.max_bytes <= 0:
            raise ValueError(f"input.max_bytes must be positive, got {self.max_bytes}")
