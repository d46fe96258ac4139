"""Sources: where a run's articles come from, behind one small interface, so the facade never asks what an
input is.

A source yields articles, or problems (a file that is no article, a URL that failed), and keeps its own notion of
"changed": folders and files by their times (`ReadOptions.modified_since` / `arrived_since`), web sources by the
listing and page state they keep in OUT, articles a caller hands over never (the caller chose them). A new kind
of input is one more class here and one more line in `sources_of`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol

from ..errors import internal_reason, traceback_text
from ..inputs.article import Article, Problem, ReadOptions
from ..inputs.discover import read_articles
from ..inputs.formats import article_language
from .fetch import FetchSettings
from .web import is_url, read_web


class Source(Protocol):
    """Anything that reads articles (or says why it could not) with the run's reading options."""

    def read(self, options: ReadOptions) -> Iterator[Article | Problem]: ...


@dataclasses.dataclass
class GivenArticles:
    """Articles a caller built (the Python API): they get what file articles get from the reader, a language
    decided the same way when they carry none, and "no text" when they are empty."""

    articles: Sequence[Article]

    def read(self, options: ReadOptions) -> Iterator[Article | Problem]:
        for article in self.articles:
            if not article.text or not article.text.strip():
                yield Problem(article.source, "no text", id=article.id)
                continue
            if not article.language:
                try:
                    meta = dict(article.meta)
                    language, _ = article_language(None, article.text, options, meta)
                except Exception as exc:  # noqa: BLE001 - the guard of the language stage
                    yield Problem(article.source, internal_reason("language", exc), id=article.id, internal=True,
                                  trace=traceback_text(exc))
                    continue
                article = dataclasses.replace(article, language=language, meta=meta)
            yield article


@dataclasses.dataclass
class Files:
    """Files and folders (and `-`, standard input): changed means modified or arrived since the given times."""

    paths: Sequence[str | Path]
    stdin: Any = None

    def read(self, options: ReadOptions) -> Iterator[Article | Problem]:
        if self.paths:
            yield from read_articles(self.paths, options, stdin=self.stdin)


@dataclasses.dataclass
class WebPages:
    """Feeds, sitemaps, home pages and article URLs: changed means what the listing state kept in `state_dir`
    says, and an article page is fetched again unless its URL is among those already `digested`."""

    urls: Sequence[str]
    settings: FetchSettings
    state_dir: Path | None = None
    digested: Collection[str] = ()

    def read(self, options: ReadOptions) -> Iterator[Article | Problem]:
        if self.urls:
            yield from read_web(self.urls, options, self.settings, self.state_dir, self.digested)


def sources_of(inputs: Sequence[str | Path | Article], *, stdin: Any, fetch: FetchSettings,
               state_dir: Path | None, digested: Collection[str] = ()) -> list[Source]:
    """The sources of a run's inputs, in the order a run reads them: given articles, files, the web."""
    return [
        GivenArticles([i for i in inputs if isinstance(i, Article)]),
        Files([i for i in inputs if not isinstance(i, Article) and not is_url(i)], stdin),
        WebPages([str(i) for i in inputs if not isinstance(i, Article) and is_url(i)], fetch, state_dir, digested),
    ]
