"""Executors: where the batch processor runs (here in waves, or on Ray actors); either way outcomes come back.

An executor only turns (article, cache key) pairs into outcomes and yields them a batch at a time; the facade
alone writes them, so every executor shares one store, one lock and one set of cache keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from ..config import Config
from ..errors import WorkersLost
from ..inputs.article import Article
from ..records import ManifestEntry, Outcome
from .batch import BatchProcessor
from .progress import Progress

Todo = Sequence[tuple[Article, str]]
Executor = Callable[[Todo, Progress], Iterator[list[Outcome]]]


def local_executor(processor: Callable[[], BatchProcessor], wave: int) -> Executor:
    """Run here in waves of `wave` articles, written after each: a killed run loses at most one wave.

    `processor` is called on the first wave, so a run with nothing to do loads no model.
    """
    def execute(todo: Todo, progress: Progress) -> Iterator[list[Outcome]]:
        for start in range(0, len(todo), wave):
            yield processor().process(todo[start : start + wave], progress)

    return execute


def ray_executor(config: Config) -> Executor:
    """Run on Ray actors (run/ray_executor.py), each building its own batch processor from `config`."""
    def execute(todo: Todo, progress: Progress) -> Iterator[list[Outcome]]:
        from .ray_executor import run_on_ray

        done = 0
        try:
            for outcomes in run_on_ray(config, list(todo)):
                done += len(outcomes)
                progress.summarize.update(len(outcomes))
                progress.translate.update(len(outcomes) * len(config.targets))
                yield outcomes
        except WorkersLost as exc:  # what finished is written; the rest fails now and is retried next run
            yield [Outcome(None, ManifestEntry(article.id, "failed", article.source, f"not digested: {exc}",
                                               transient=True))
                   for article, _ in todo[done:]]

    return execute
