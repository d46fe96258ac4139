"""Where an article ran: outlet, link, date and author, from the Article's fields (readers fill them from meta).

Kept in the record itself (not only in `meta`) so pages, feeds and other tools read one normalized form: the
outlet falls back to the URL's domain, the link is an http(s) URL or nothing, the date is ISO-8601 when parseable.
"""

from __future__ import annotations

from typing import Any, TypedDict, cast

from ..inputs.article import Article
from ..output.items import domain, parse_when, web_url
from ..records import StorySource


def _line(value: Any) -> str | None:
    """One line of text; several authors (a list) are joined with commas."""
    if isinstance(value, list | tuple):
        value = ", ".join(v.strip() for v in value if isinstance(v, str) and v.strip())
    return " ".join(value.split()) or None if isinstance(value, str) else None


def iso_date(value: Any) -> str | None:
    """The date as ISO-8601 (a bare day stays `YYYY-MM-DD`); the text as given when it cannot be parsed."""
    text = _line(value)
    if not text:
        return None
    when, with_time = parse_when(text)
    if when is None:
        return text
    return when.isoformat() if with_time else when.date().isoformat()


class SourceFields(TypedDict):
    """Where an article ran, as a record keeps it."""

    site: str | None
    url: str | None
    date: str | None
    author: str | None


def source_fields(article: Article) -> SourceFields:
    """{site, url, date, author} of one article; None where nothing is known. Never a local file path."""
    url = web_url(article.url)
    site = _line(article.site) or domain(url)
    return SourceFields(site=site, url=url, date=iso_date(article.date), author=_line(article.author))


def story_source(article: Article, language: str | None = None) -> StorySource:
    """One article as a source of its story: its id, the language given, and the fields known of where it ran."""
    fields = {k: v for k, v in source_fields(article).items() if v}
    return cast(StorySource, {"id": article.id, **({"language": language} if language else {}), **fields})
