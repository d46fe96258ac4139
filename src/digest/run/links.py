"""Stories across languages and runs: records of one event become one story after the models ran.

The within-run plan (stories.py) groups copies of one language by their text before any model runs. What it
cannot see is the same event reported in two languages, or a copy that arrives in a later run. Both are settled
here, from what the run already made: each record's headline and summary in the shared language (the run's first
target, English when it is one) and the numbers and Latin-script names of its original (nlp/evidence.py).

Candidates come from an inverted index of those terms, this run's and OUT's (output/storyindex.py), never from all
pairs; a record joins, in each other source language, the best candidate whose weighted overlap reaches
`cluster.cross_threshold`. Joined stories keep the oldest stored story's id; every member's record, stored ones
included, is rewritten with the merged list of sources, so the page of an earlier story gains the new outlet.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import cast

from ..config import ClusterConfig
from ..nlp.evidence import overlap, story_terms
from ..output.clusters import band_keys
from ..output.store import Store
from ..output.storyindex import StoryIndex
from ..records import ArticleRecord, Story, StorySource
from .sources import story_source

#: candidates scored per record and other language (by the sum of their shared term weights, then exactly)
CANDIDATES = 8
#: a term that more records of the pool share than this is passed over when looking for candidates
MAX_POSTINGS = 64


def shared_language(targets: Sequence[str]) -> str | None:
    """The language stories are compared in: English when it is a target, else the first target."""
    return "en" if "en" in targets else (targets[0] if targets else None)


def record_terms(record: ArticleRecord, shared: str) -> dict[str, float]:
    """The story evidence of one record in `shared` (empty when it has no summary there)."""
    summary = record.summaries.get(shared)
    if not summary:
        return {}
    own = record.language == shared
    title = record.titles.get(shared) or (record.title if own else "")
    original = "" if own else f"{record.title}\n{record.summaries.get(record.language, '')}"
    return story_terms(f"{title}\n{summary}", shared, original, record.language)


def story_of(record: ArticleRecord) -> tuple[str, list[StorySource]]:
    """(story id, its sources) of a record: its cluster, or the record alone."""
    cluster = record.cluster
    if isinstance(cluster, dict) and cluster.get("id"):
        return str(cluster["id"]), list(cluster.get("sources") or [])
    return (str(cluster) if isinstance(cluster, str) and cluster else record.id), []


def own_source(record: ArticleRecord) -> StorySource:
    """One record as a story source: id, language and where it ran."""
    return story_source(record.as_article(), record.language)


@dataclasses.dataclass
class _Report:
    record: ArticleRecord
    terms: dict[str, float]
    stored: bool


class Linker:
    """One run's story settling over OUT: cross-language links, stored stories joined, the index kept."""

    def __init__(self, store: Store, config: ClusterConfig, targets: Sequence[str],
                 save: Callable[[ArticleRecord], None] | None = None) -> None:
        self.store = store
        self.save = save or store.save  # a record whose story changed goes where the run's records go (its sinks)
        self.config = config
        self.shared = shared_language(targets)
        self.index = StoryIndex(store.root)
        self._loaded: dict[str, ArticleRecord | None] = {}

    def load(self, article_id: str) -> ArticleRecord | None:
        """A stored record, read once per run."""
        if article_id not in self._loaded:
            self._loaded[article_id] = self.store.load(article_id)
        return self._loaded[article_id]

    # -- before the models: a copy of a stored story ------------------------------------------------------

    def stored_copy(self, article_id: str, text: str, language: str | None,
                    current: Callable[[ArticleRecord], bool]) -> ArticleRecord | None:
        """The stored record of another article (up to date by `current`) that `text` is a near-copy of, in the
        same language."""
        if not self.config.enabled:
            return None
        for key in band_keys(text, self.config.threshold):
            for candidate_id in self.index.lookup(f"b:{key}"):
                stored = self.load(candidate_id) if candidate_id != article_id else None
                if (stored is not None and stored.language == language and stored.summaries and not stored.errors
                        and _near_copy(text, stored.text, self.config.threshold) and current(stored)):
                    return stored
        return None

    def ensure_index(self) -> None:
        """Index what OUT already holds when it has no story index yet (made before it existed): once."""
        if not self.config.enabled or self.index.exists() or not self.store.fs.names("articles", "*.json"):
            return  # indexed already, or nothing stored (a new OUT stays empty until the run writes)
        for record in self.store.records(quiet=True):  # a file that is no record is said where the pages are made
            if record.summaries and not record.errors:
                self.index.add(record.id, self._keys(record))
        self.index.write(create=True)

    def _keys(self, record: ArticleRecord, terms: dict[str, float] | None = None) -> list[str]:
        """The index keys of one record: its shared-language terms and the band keys of its text."""
        if terms is None:
            terms = record_terms(record, self.shared) if self.shared else {}
        return [f"t:{t}" for t in terms] + [f"b:{k}" for k in band_keys(record.text, self.config.threshold)]

    # -- after the models: stories across languages and runs ----------------------------------------------

    def settle(self, records: list[ArticleRecord]) -> list[ArticleRecord]:
        """Link this run's records into stories (across languages, and with stored stories), rewrite every
        member whose story changed, index the new records; returns the stored records rewritten (to re-render)."""
        if not self.config.enabled:
            return []
        ok = [r for r in records if r.summaries and not r.errors]
        reports = [_Report(r, record_terms(r, self.shared) if self.shared else {}, False) for r in ok]
        parent: dict[str, str] = {}
        stored_ids: set[str] = set()

        def root(node: str) -> str:
            parent.setdefault(node, node)
            while parent[node] != node:
                parent[node] = parent[parent[node]]
                node = parent[node]
            return node

        this_run = {report.record.id for report in reports}
        for report in reports:
            sid = story_of(report.record)[0]
            root(sid)
            if report.record.cluster and sid not in this_run and self.load(sid) is not None:
                stored_ids.add(sid)  # a copy of a stored story (joined before the models)

        def unite(x: str, y: str) -> None:
            rx, ry = root(x), root(y)
            if rx != ry:  # the older story keeps its id: a stored one's, else the smaller
                keep, drop = sorted((rx, ry), key=lambda node: (node not in stored_ids, node))
                parent[drop] = keep

        for a, b in self._links(reports):
            if b.stored:
                stored_ids.add(story_of(b.record)[0])
            unite(story_of(a.record)[0], story_of(b.record)[0])
        rewritten = self._rewrite(ok, parent, root, stored_ids)
        for report in reports:
            self.index.add(report.record.id, self._keys(report.record, report.terms))
        self.index.write(create=True)
        return rewritten

    def _links(self, reports: list[_Report]) -> list[tuple[_Report, _Report]]:
        """(this run's report, its best candidate) per other source language, above the cross threshold."""
        postings: dict[str, list[int]] = {}
        for n, report in enumerate(reports):
            for term in report.terms:
                postings.setdefault(term, []).append(n)
        stored: dict[str, _Report] = {}
        this_run = {report.record.id for report in reports}
        links = []
        for n, report in enumerate(reports):
            sums: dict[tuple[bool, str], float] = {}
            for term, weight in report.terms.items():
                local = postings.get(term, [])
                if len(local) <= MAX_POSTINGS:
                    for m in local:
                        if m != n:
                            key = (False, str(m))
                            sums[key] = sums.get(key, 0.0) + weight
                for article_id in self.index.lookup(f"t:{term}"):
                    key = (True, article_id)
                    sums[key] = sums.get(key, 0.0) + weight
            best: dict[str, tuple[float, _Report]] = {}
            for (is_stored, ident), _ in sorted(sums.items(), key=lambda kv: -kv[1])[: CANDIDATES * 4]:
                other = self._stored_report(ident, stored) if is_stored else reports[int(ident)]
                if other is None or other.record.language == report.record.language or other.record is report.record:
                    continue
                if other.stored and other.record.id in this_run:  # its own earlier record
                    continue
                score = overlap(report.terms, other.terms)
                lang = other.record.language
                if score >= self.config.cross_threshold and score > best.get(lang, (0.0, other))[0]:
                    best[lang] = (score, other)
            links += [(report, other) for _, other in best.values()]
        return links

    def _stored_report(self, article_id: str, cache: dict[str, _Report]) -> _Report | None:
        if article_id not in cache:
            record = self.load(article_id)
            if record is None or not self.shared:
                return None
            cache[article_id] = _Report(record, record_terms(record, self.shared), True)
        return cache[article_id]

    def _rewrite(self, ok: list[ArticleRecord], parent: dict[str, str], root: Callable[[str], str],
                 stored_ids: set[str]) -> list[ArticleRecord]:
        """Give every member of each changed story the story's id and all its sources; save them."""
        groups: dict[str, list[str]] = {}
        for node in list(parent):
            groups.setdefault(root(node), []).append(node)
        by_story: dict[str, list[ArticleRecord]] = {}
        for record in ok:
            by_story.setdefault(story_of(record)[0], []).append(record)
        rewritten: list[ArticleRecord] = []
        for story_id, nodes in groups.items():
            if len(nodes) == 1 and story_id not in stored_ids:
                continue
            members: dict[str, ArticleRecord] = {}
            stored_members: set[str] = set()
            for node in sorted(nodes, key=lambda n: (n not in stored_ids, n)):  # stored stories' sources first
                for record in self._stored_members(node) if node in stored_ids else []:
                    if record.id not in members:
                        members[record.id] = record
                        stored_members.add(record.id)
                for record in by_story.get(node, []):
                    members[record.id] = record
                    stored_members.discard(record.id)
            if len(members) < 2:
                continue
            sources: list[StorySource] = []
            seen: set[str] = set()
            for record in members.values():
                for source in [*story_of(record)[1], own_source(record)]:
                    if source.get("id") and source["id"] in members and source["id"] not in seen:
                        seen.add(source["id"])
                        sources.append(_with_language(source, members[source["id"]]))
            story = Story(id=story_id, sources=sources)
            for record in members.values():
                if record.cluster == story:
                    continue
                record.cluster = Story(id=story_id, sources=list(sources))
                self.save(record)
                if record.id in stored_members:
                    rewritten.append(record)
        return rewritten

    def _stored_members(self, story_id: str) -> list[ArticleRecord]:
        """The stored records of a stored story: its sources' records (or the story's one record)."""
        lead = self.load(story_id)
        if lead is None:
            return []
        ids = [s.get("id") for s in story_of(lead)[1]] or [lead.id]
        out = []
        for article_id in ids:
            record = self.load(article_id) if isinstance(article_id, str) else None
            if record is not None and story_of(record)[0] in (story_id, record.id):
                out.append(record)
        return out


def _with_language(source: StorySource, record: ArticleRecord) -> StorySource:
    return cast(StorySource, {**source, "language": record.language}) if record.language else source


def _near_copy(a: str, b: str, threshold: float) -> bool:
    from ..output.clusters import jaccard

    return jaccard(a, b) >= threshold
