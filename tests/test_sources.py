"""Inputs reach the run through sources behind one interface: a new kind of source is read like the others."""

from __future__ import annotations

import json
from collections.abc import Iterator

from digest import Digester
from digest.config import load_config
from digest.inputs.article import Article, Problem, ReadOptions
from digest.sources.base import Files, GivenArticles, Source, WebPages, sources_of
from digest.sources.fetch import FetchSettings


def test_each_kind_of_input_goes_to_its_source(tmp_path) -> None:
    article = Article(id="a", title="T", text="The council met on Monday.", language="en")
    sources = sources_of([article, tmp_path, "https://example.org/feed.xml", "-"], stdin=None,
                         fetch=FetchSettings(), state_dir=tmp_path)
    assert [type(s) for s in sources] == [GivenArticles, Files, WebPages]
    given, files, web = sources
    assert isinstance(given, GivenArticles) and list(given.articles) == [article]
    assert isinstance(files, Files) and list(files.paths) == [tmp_path, "-"]
    assert isinstance(web, WebPages) and list(web.urls) == ["https://example.org/feed.xml"]


def test_given_articles_get_a_language_decided_like_files_and_empty_ones_a_problem() -> None:
    text = ("Le conseil municipal a voté le budget mardi soir après un long débat. Le maire a salué un vote "
            "historique pour la ville et ses habitants.")
    out = list(GivenArticles([Article(id="fr", title="", text=text), Article(id="e", title="", text=" ")])
               .read(ReadOptions()))
    assert isinstance(out[0], Article) and out[0].language == "fr"
    assert isinstance(out[1], Problem) and out[1].reason == "no text"


class Numbered:
    """A source of the caller's own: the interface is all a run needs of it."""

    def read(self, options: ReadOptions) -> Iterator[Article | Problem]:
        for n in range(2):
            yield Article(id=f"n{n}", title=f"Item {n}", language="en",
                          text=f"Item {n}: the harbour reopened on Monday after a strike of {n + 2} weeks.")


def test_any_source_feeds_a_run(tmp_path, monkeypatch) -> None:
    import digest.api

    source: Source = Numbered()
    monkeypatch.setattr(digest.api, "sources_of", lambda *a, **k: [source])
    config = load_config(None, summary_model="extractive", targets=[], device="cpu")
    result = Digester(config, progress=False).run([], tmp_path / "out")
    assert result.counts["ok"] == 2
    assert json.loads((tmp_path / "out" / "articles" / "n1.json").read_text())["title"] == "Item 1"
