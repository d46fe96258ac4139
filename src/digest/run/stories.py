"""Story clusters in the plan: near-duplicate articles of one run are summarized and translated once.

The same wire story from several outlets or feeds (lightly edited) is found with MinHash LSH
(output/clusters.py). Only one copy per story, its lead, goes to the executor; every other copy gets the lead's
summaries and headlines, its own source fields and checks against its own text, and every copy's record
names the story and all its sources (`cluster`), so a page shows one item listing each outlet.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone

from ..config import ClusterConfig
from ..inputs.article import Article
from ..nlp.glossary import Glossary
from ..output.clusters import cluster_ids
from ..records import ArticleRecord, ManifestEntry, Outcome, Story, StorySource
from .batch import finish
from .sources import source_fields, story_source

Todo = list[tuple[Article, str]]


@dataclasses.dataclass
class StoryPlan:
    """What goes to the executor (one copy per story) and the other copies each lead stands for."""

    todo: Todo
    #: lead article id -> (cluster id, the other copies with their cache keys)
    copies: dict[str, tuple[str, Todo]] = dataclasses.field(default_factory=dict)
    #: cluster id -> its sources, lead first
    sources: dict[str, list[StorySource]] = dataclasses.field(default_factory=dict)

    @property
    def model_articles(self) -> int:
        """How many articles the models see (the leads and the articles like no other)."""
        return len(self.todo)


def _lead_key(article: Article) -> tuple:
    """The copy whose text stands for the story: one with a headline, then the longest, then the smallest id."""
    return (not article.title, -len(article.text), article.id)


def plan_stories(todo: Sequence[tuple[Article, str]], config: ClusterConfig) -> StoryPlan:
    """Group near-duplicates of the same language in `todo`; with clustering off every article is its own."""
    if not config.enabled or len(todo) < 2:
        return StoryPlan(list(todo))
    by_lang: dict[str | None, list[tuple[Article, str]]] = {}
    for pair in todo:
        by_lang.setdefault(pair[0].language, []).append(pair)
    groups: dict[tuple, Todo] = {}
    for lang, pairs in by_lang.items():
        ids = cluster_ids(((a.id, a.text) for a, _ in pairs), config.threshold)
        for pair in pairs:
            groups.setdefault((lang, ids[pair[0].id]), []).append(pair)
    plan = StoryPlan([])
    for (_, cid), members in groups.items():
        members.sort(key=lambda pair: _lead_key(pair[0]))
        lead, rest = members[0], members[1:]
        plan.todo.append(lead)
        if rest:
            plan.copies[lead[0].id] = (cid, rest)
            plan.sources[cid] = [story_source(a) for a, _ in members]
    order = {pair[0].id: n for n, pair in enumerate(todo)}
    plan.todo.sort(key=lambda pair: order[pair[0].id])
    return plan


def expand(plan: StoryPlan, outcomes: Iterable[Outcome], *, checks: bool = True,
           glossary: Glossary | None = None, max_seconds: float | None = None) -> Iterator[Outcome]:
    """The executor's outcomes plus one for every copy their leads stand for, each record naming its story.

    A generator, so each copy is saved as soon as it is made: a killed clustered run keeps what it finished.
    """
    for outcome in outcomes:
        lead_id = outcome.entry.id
        if lead_id not in plan.copies:
            yield outcome
            continue
        cid, copies = plan.copies[lead_id]
        story = Story(id=cid, sources=plan.sources[cid])
        if outcome.record is not None:
            outcome.record.cluster = story
        yield outcome
        for article, key in copies:
            yield _copy(article, key, outcome, story, checks, glossary, max_seconds)


def _copy(article: Article, key: str, lead: Outcome, story: Story, checks: bool,
          glossary: Glossary | None, max_seconds: float | None = None) -> Outcome:
    """One more copy of the story: the lead's summaries and headlines with this article's own text and source."""
    if lead.record is None:
        entry = ManifestEntry.of(article, "failed", f"{lead.entry.reason} (same story as {lead.entry.id})")
        entry.transient = lead.entry.transient  # Ray lost the lead: the copies are retried next run with it
        entry.internal = lead.entry.internal
        return Outcome(None, entry)
    base: ArticleRecord = lead.record
    record = dataclasses.replace(
        base, id=article.id, title=article.title, source=article.source, text=article.text, meta=article.meta,
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"), summaries=dict(base.summaries),
        titles=dict(base.titles), models=dict(base.models), cache_key=None if base.errors else key,
        rerank=None, checks=None, flags=None, errors=list(base.errors) if base.errors else None, cluster=story,
        extra={}, **source_fields(article),
    )
    errors, record.errors = record.errors, None
    return finish(article, record, errors, None, glossary, checks and bool(record.summaries.get(record.language)),
                  max_seconds=max_seconds)


def join_stored(plan: StoryPlan, stored_copy: Callable[[Article], ArticleRecord | None], *, checks: bool = True,
                glossary: Glossary | None = None) -> list[Outcome]:
    """Take the stories the output folder already has off the executor's list: a lead that `stored_copy` finds
    a stored near-copy of becomes, with the copies it stands for, a copy of that stored story (its summaries and
    headlines, no model call). The stored story's pages gain the new outlets when the run settles (links.py)."""
    from .links import own_source, story_of

    joined: list[Outcome] = []
    keep: Todo = []
    for article, key in plan.todo:
        stored = stored_copy(article)
        if stored is None or stored.id == article.id:
            keep.append((article, key))
            continue
        _, copies = plan.copies.pop(article.id, ("", []))
        story_id, sources = story_of(stored)
        members = [(article, key), *copies]
        known = list(sources or [own_source(stored)])
        ids = {source["id"] for source in known}  # a copy the story already lists (saved before a kill) stays one
        story = Story(id=story_id, sources=[*known, *(
            story_source(a) for a, _ in members if a.id not in ids)])
        lead = Outcome(stored, ManifestEntry.of(stored.as_article(), "ok"))
        joined += [_copy(a, k, lead, story, checks, glossary) for a, k in members]
    plan.todo = keep
    return joined
