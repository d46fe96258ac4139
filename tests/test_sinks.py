"""Outputs hang behind one Sink interface: a sink of one's own gets every record as it is made and the run's
changed records once at the end, next to the JSON store and the editions."""

from __future__ import annotations

from collections.abc import Sequence

from digest import Digester
from digest.config import load_config
from digest.inputs.article import Article
from digest.output.sinks import Editions, Failure, RecordStore
from digest.output.store import Store
from digest.records import ArticleRecord

TEXTS = {"a": "The harbour reopened on Monday after a two-week strike by dock workers ended.",
         "b": "The city will build three new schools in the northern district, the council said."}


class Spy:
    """A sink that remembers what it was given."""

    def __init__(self) -> None:
        self.saved: list[str] = []
        self.finished: list[list[str]] = []

    def save(self, record: ArticleRecord) -> None:
        self.saved.append(record.id)

    def finish(self, changed: Sequence[dict], failures: list[Failure]) -> None:
        self.finished.append(sorted(r["id"] for r in changed))


def test_a_sink_of_ones_own_gets_each_record_then_the_changed_ones_once(tmp_path) -> None:
    spies: list[Spy] = []

    class WithSpy(Digester):
        def sinks(self, store):
            spies.append(Spy())  # a new one on every call: a run must build its sinks once
            return [*super().sinks(store), spies[-1]]

    config = load_config(None, summary_model="extractive", targets=[], device="cpu")
    digester = WithSpy(config, progress=False)
    assert [type(s) for s in Digester.sinks(digester, Store(tmp_path / "out"))] == [RecordStore, Editions]
    articles = [Article(id=key, title=key, text=text, language="en") for key, text in TEXTS.items()]
    result = digester.run(articles, tmp_path / "out")
    assert result.counts["ok"] == 2 and len(spies) == 1
    assert sorted(spies[0].saved) == ["a", "b"] and spies[0].finished == [["a", "b"]]
    assert (tmp_path / "out" / "articles" / "a.json").is_file() and (tmp_path / "out" / "digest.en.html").is_file()
    digester.run(articles, tmp_path / "out")  # up to date: nothing saved, nothing changed
    assert len(spies) == 2 and spies[1].saved == [] and spies[1].finished == [[]]
    records = list(digester.digest([Article(id="c", title="c", text=TEXTS["a"] + " Again.", language="en")]))
    digester.publish(records, tmp_path / "out")  # publish builds its sinks once too
    assert len(spies) == 3 and spies[2].saved == ["c"] and "c" in spies[2].finished[0]
