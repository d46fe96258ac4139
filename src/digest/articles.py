"""Articles in: readers for txt/md/html/json/jsonl, scraped-text cleaning and stable ids."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Article:
    """One article as the pipeline sees it, whatever file or stream it came from."""

    id: str
    title: str
    text: str
    source: str
    language: str | None = None
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """An input that could not become an article; it ends up as a manifest line, never a crash."""

    source: str
    reason: str
    status: str = "failed"
    id: str | None = None
