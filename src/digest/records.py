"""What a run makes of each article: the record (OUT/articles/<id>.json) and its manifest entry.

This is the one place the JSON contract lives: `to_json` writes exactly the keys and values digest has always
written, in the same order, and `from_json` reads them back (the store, the Ray transport). Other tools and later
runs rely on these files, so a change here is a format change (bump FORMAT_VERSION).

A leaf module (it imports only errors.py), so the store and the renderers can use it without depending on the
executors or the facade.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, NamedTuple, TypedDict

from .errors import RecordError

if TYPE_CHECKING:
    from .inputs.article import Article

#: bump when the article JSON layout changes, so cached outputs are redone
FORMAT_VERSION = 2
STATUSES = ("ok", "failed", "skipped")

#: keys written only when set, each after the one before it (records before format 2 have none of them)
_OPTIONAL = ("titles", "site", "url", "date", "author", "cluster")


class StorySource(TypedDict, total=False):
    """One copy of a story: which article, and where it ran."""

    id: str
    site: str
    url: str
    date: str
    author: str
    #: the language it ran in (stories linked across languages name it on the page)
    language: str


class Story(TypedDict):
    """The story an article is one copy of (`cluster` in its record)."""

    id: str
    sources: list[StorySource]


class SummaryChecks(TypedDict, total=False):
    """What the checks found in a summary against its article (lists of the items they could not back)."""

    unsupported_numbers: list[str]
    unsupported_names: list[str]
    unsupported_quotes: list[str]
    #: the summary looped ("… I'm sorry I'm sorry …") even when retried, and the loop was cut
    repetition: bool


class TranslationChecks(TypedDict, total=False):
    """What the checks found in one translation against its summary."""

    number_mismatch: list[str]
    number_pairs: list[list[str]]
    numbers_added: list[str]
    missing_names: list[str]
    missing_sentences: list[str]
    glossary_missing: list[str]
    language: str | None
    wrong_language: bool
    #: the translation looped even when retried, and the loop was cut
    repetition: bool


class Checks(TypedDict, total=False):
    """The `checks` of a record: the summary's, each translation's by language, the flag count, and how the
    summary was chosen among candidates (`rerank`). Checks may add keys; readers ignore what they don't know."""

    summary: SummaryChecks
    translations: dict[str, TranslationChecks]
    flags: int
    rerank: dict[str, Any]


@dataclass
class ArticleRecord:
    """One digested article: its text, its summary in every language, and how each was made."""

    id: str
    title: str = ""
    source: str = ""
    language: str = ""
    text: str = ""
    #: language -> summary; the source language first, then the targets in the config's order
    summaries: dict[str, str] = field(default_factory=dict)
    chunks: int = 1
    #: "summary" -> summarizer model; target language -> the models of its route (or ["copy"])
    models: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
    created: str = ""
    #: None once an article failed: the next run redoes it
    cache_key: str | None = None
    format: int = FORMAT_VERSION
    #: how the summary was chosen among K candidates; moves into `checks` when the checks run
    rerank: dict | None = None
    checks: Checks | None = None
    #: language -> review flags for an editor
    flags: dict[str, list[str]] | None = None
    errors: list[str] | None = None
    # filled by later features; omitted from the JSON while empty
    titles: dict[str, str] = field(default_factory=dict)
    site: str | None = None
    url: str | None = None
    date: str | None = None
    author: str | None = None
    #: the story this article is one copy of: {"id": cluster id, "sources": [{id, site, url, date, author}, …]}
    cluster: Story | str | None = None
    #: keys this version does not know (a newer digest, another tool), kept so a round trip loses nothing
    extra: dict[str, Any] = field(default_factory=dict)
    #: languages whose summary or translation kept a repetition loop, cut; moves into `checks` when they run
    loops: list[str] = field(default_factory=list, compare=False)

    def as_article(self) -> Article:
        """The article this record was made from (for its manifest entry)."""
        from .inputs.article import Article

        return Article(id=self.id, title=self.title, text=self.text, source=self.source, language=self.language,
                       meta=self.meta, url=self.url, site=self.site, date=self.date, author=self.author)

    def to_json(self) -> dict[str, Any]:
        """The record as the JSON object written to OUT/articles/<id>.json."""
        data: dict[str, Any] = {
            "id": self.id, "title": self.title, "source": self.source, "language": self.language, "text": self.text,
            "summaries": self.summaries, "chunks": self.chunks, "models": self.models, "meta": self.meta,
            "created": self.created,
        }
        if self.cache_key is not None:
            data["cache_key"] = self.cache_key
        data["format"] = self.format
        for key in ("rerank", "checks", "flags", "errors"):
            value = getattr(self, key)
            if value is not None and (key != "rerank" or value):
                data[key] = value
        for key in _OPTIONAL:
            if getattr(self, key):
                data[key] = getattr(self, key)
        return {**data, **self.extra}

    @classmethod
    def from_json(cls, data: Any) -> ArticleRecord:
        """Read a record back; raises RecordError when `data` is not one (no id, summaries not an object, ...)."""
        if not isinstance(data, dict):
            raise RecordError(f"an article record is a JSON object, not {type(data).__name__}")
        if not isinstance(data.get("id"), str) or not data["id"]:
            raise RecordError("an article record needs an \"id\" string")
        for key, kind in (("summaries", dict), ("models", dict), ("meta", dict), ("titles", dict)):
            if key in data and not isinstance(data[key], kind):
                raise RecordError(f"record {data['id']!r}: {key!r} is {type(data[key]).__name__}, not an object")
        known = {f.name for f in fields(cls)} - {"extra"}
        values = {key: value for key, value in data.items() if key in known}
        return cls(**values, extra={key: value for key, value in data.items() if key not in known})


@dataclass
class ManifestEntry:
    """One line of OUT/manifest.jsonl: what became of one input in this run, and why."""

    id: str
    status: str
    source: str
    reason: str | None = None
    #: faithfulness flags raised on an ok article (hints for an editor, not failures)
    flags: int | None = None
    #: when digest last tried this article (ISO-8601 UTC)
    attempted: str | None = None
    #: a failure's fingerprint of input and settings: the same one next run means the same failure, not retried
    key: str | None = None
    #: this run did not retry it: it failed before with the same input and settings (counted, not re-reported)
    unchanged: bool = False
    #: a failure that was not the article's (Ray lost its workers): always retried, never `unchanged`
    transient: bool = False
    #: a bug in digest, not in the article (`internal error in <stage>: …`): exit 4, always retried
    internal: bool = False
    #: the traceback of an internal error, for the log (never written to the manifest)
    trace: str | None = field(default=None, repr=False, compare=False)

    @classmethod
    def of(cls, article: Article, status: str, reason: str | None = None) -> ManifestEntry:
        """The entry of an article that was read."""
        return cls(id=article.id, status=status, source=article.source, reason=reason)

    @classmethod
    def crashed(cls, article: Article, stage: str, exc: BaseException) -> ManifestEntry:
        """The entry of an article a bug in `stage` failed: its reason names the stage, the log gets the trace."""
        from .errors import internal_reason, traceback_text

        return cls(id=article.id, status="failed", source=article.source, reason=internal_reason(stage, exc),
                   internal=True, trace=traceback_text(exc))

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "status": self.status, "source": self.source}
        if self.reason:
            data["reason"] = self.reason
        if self.flags is not None:
            data["flags"] = self.flags
        for name in ("attempted", "key", "unchanged", "internal"):
            if getattr(self, name):
                data[name] = getattr(self, name)
        return data

    @classmethod
    def from_json(cls, data: Any) -> ManifestEntry:
        """Read an entry back; raises RecordError when `data` is not one."""
        if not isinstance(data, dict) or not all(isinstance(data.get(k), str) for k in ("id", "status", "source")):
            raise RecordError("a manifest entry is a JSON object with \"id\", \"status\" and \"source\" strings")
        if data["status"] not in STATUSES:
            raise RecordError(f"manifest entry {data['id']!r}: unknown status {data['status']!r}")
        attempted, key = (data[name] if isinstance(data.get(name), str) else None for name in ("attempted", "key"))
        return cls(id=data["id"], status=data["status"], source=data["source"], reason=data.get("reason"),
                   flags=data.get("flags"), internal=data.get("internal") is True, attempted=attempted, key=key)


class Outcome(NamedTuple):
    """One article's result: its record (None when nothing could be made) and its manifest entry."""

    record: ArticleRecord | None
    entry: ManifestEntry
