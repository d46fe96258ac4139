"""Sinks: where a run's finished records go, behind one small interface, so the facade never asks what an output
is.

`save` takes each record as soon as it is made (a kill loses only work in flight); `finish` runs once, after
the run's last record, with every record whose pages may have changed. The JSON store keeps the records
(`OUT/articles/`); the editions sink renders what readers see from them (pages, feeds, e-mail, the front page
and review desk, in the formats `output.formats` names). A new kind of output is one more class here and one
more entry in `default_sinks`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, Protocol

from ..records import ArticleRecord
from .store import Store

#: a page that could not be rendered: (page, the article that broke it or None, the exception)
Failure = tuple[str, str | None, BaseException]


class Sink(Protocol):
    """Anything that takes finished records, one at a time and then all at once."""

    def save(self, record: ArticleRecord) -> None: ...

    def finish(self, changed: Sequence[dict], failures: list[Failure]) -> None: ...


@dataclasses.dataclass
class RecordStore:
    """Each record as `OUT/articles/<id>.json`, written atomically as it is made."""

    store: Store

    def save(self, record: ArticleRecord) -> None:
        self.store.save(record)

    def finish(self, changed: Sequence[dict], failures: list[Failure]) -> None:
        """Nothing left to do: every record was written when it was saved."""


@dataclasses.dataclass
class Editions:
    """The pages readers see, rebuilt from the stored records for the editions the changed records touch."""

    store: Store
    output: Any  # the config's OutputConfig
    languages: Sequence[str] = ()

    def save(self, record: ArticleRecord) -> None:
        """Pages are derived state: they are rendered once, in `finish`, from the records."""

    def finish(self, changed: Sequence[dict], failures: list[Failure]) -> None:
        from .editions import publish

        publish(self.store, changed, self.output, languages=self.languages, failures=failures)


def default_sinks(store: Store, output: Any, languages: Sequence[str]) -> list[Sink]:
    """The sinks of a run: the JSON store first (pages are made from it), then the editions."""
    return [RecordStore(store), Editions(store, output, languages)]
