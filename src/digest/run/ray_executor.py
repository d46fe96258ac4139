"""The Ray executor: the batch processor on Ray Data actors, outcomes streamed back to the driver.

Why: one machine's cores (or its one GPU) cap a local run. Ray spreads batches of articles over a pool of
actors on any number of nodes; each actor loads the models once and keeps them for the whole run.

Only the work moves. Every outcome (the article record and its manifest entry) comes back to the driver, and
`Digester.run` writes it through the same Store as the local executor: one writer, the same lock, atomic files,
the same cache keys, so a run can resume on either executor. Hence OUT only has to be reachable from the
driver; the workers need `digest[ray]` installed and the models (the same local paths or a hub cache), never
the output folder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import math
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..config import Config
from ..errors import ConfigError, MissingExtra, ModelLoadError, WorkersLost, one_line
from ..inputs.article import Article
from ..records import ArticleRecord, ManifestEntry, Outcome

if TYPE_CHECKING:
    import numpy as np

    from .batch import BatchProcessor

RAY_MISSING = 'the Ray executor needs the ray extra: pip install "digest[ray]"'
#: what ray.init's ValueError says when a ray:// address needs Ray Client (the ray[client] extra)
_RAY_CLIENT_MISSING = "ray[client]"
#: An actor whose process dies (node lost, out of memory) is restarted this often, and the batch it held is
#: retried this often, then the run stops with the error. Ray Data's defaults (-1, -1) retry forever, which
#: turns an article that always kills its actor into a run that never ends. Per-article *exceptions* never get
#: here: the batch processor turns them into failed manifest entries.
MAX_RESTARTS = 4
#: the Article fields that say where it ran, sent along with each row
WHERE = ("url", "site", "date", "author")
MAX_TASK_RETRIES = 2


def run_on_ray(config: Config, todo: list[tuple[Article, str]]) -> Iterator[list[Outcome]]:
    """Digest `todo` ((article, cache key) pairs) on Ray actors; yield outcomes in input order, a batch at a time.

    Joins `config.ray.address` (None: a running cluster named by RAY_ADDRESS, else a new local Ray) unless Ray is
    already initialized in this process. A model that cannot load raises ModelLoadError, as in a local run.
    """
    if not todo:
        return
    ray = _import_ray()
    if not ray.is_initialized():  # a caller (a test, a notebook) may have connected already
        _connect(ray, config.ray.address)
    import pyarrow as pa  # comes with ray[data]

    size = config.ray.batch_size
    rows = [_row(article, key) for article, key in todo]
    # one block per batch, cut here: `from_items` cuts equal blocks that Ray Data then merges up to batch_size
    # (33 articles at 8 a batch became calls of 14, 13 and 6 articles: uneven work for the actors)
    blocks = [pa.Table.from_pylist(rows[start : start + size]) for start in range(0, len(rows), size)]
    ds = ray.data.from_arrow(blocks)
    ds.context.execution_options.preserve_order = True  # the manifest lists articles as a local run does
    ds.context.enable_progress_bars = False  # digest shows its own bars
    with warnings.catch_warnings():
        # max_restarts/max_task_retries still go through map_batches' **ray_remote_args, which warns since
        # Ray 2.60 (its named parameters have no replacement for them)
        warnings.filterwarnings("ignore", message=r"`ray_remote_args` is deprecated")
        ds = ds.map_batches(
            DigestActor,
            fn_constructor_kwargs={"config": _actor_config(config)},
            # numpy: each column arrives as a plain array of strings -- a batch is a few strings per article, so
            # a pandas DataFrame would only add conversion cost. Nested data (the article's meta, the records)
            # travels as JSON text both ways: Arrow would turn dicts into structs and unify their keys across
            # rows (a key one article lacks would come back as null), changing the records.
            batch_format="numpy",
            batch_size=size,
            # no more actors than batches (each would load the models for nothing), and one batch per actor at a
            # time: with Ray's default of several in flight, the first actor up takes every batch of a short run
            compute=ray.data.ActorPoolStrategy(size=min(config.ray.concurrency, len(blocks)),
                                               max_tasks_in_flight_per_actor=1),
            num_cpus=config.ray.num_cpus,
            num_gpus=config.ray.num_gpus or None,
            max_restarts=MAX_RESTARTS,
            max_task_retries=MAX_TASK_RETRIES,
        )
    with _quiet_ray_data_console():
        try:
            # whole blocks as actors finish them; no prefetching, which would hold each block back until the next
            for batch in ds.iter_batches(batch_size=None, batch_format="numpy", prefetch_batches=0):
                for error in batch["error"]:
                    if error:
                        raise ModelLoadError(error)
                yield [_received(record, entry, trace)
                       for record, entry, trace in zip(batch["record"], batch["entry"], batch["trace"], strict=True)]
        except ray.exceptions.RayError as exc:
            if isinstance(exc, ray.exceptions.RayTaskError):  # an exception in digest's own code: a bug
                raise
            first = one_line(exc, None, first=True)
            raise WorkersLost(f"Ray gave up on a batch after {MAX_RESTARTS} actor restarts: {first}") from exc


def _received(record: str, entry: str, trace: str) -> Outcome:
    """An outcome back from an actor, with the traceback of a bug there kept for the driver's log."""
    received = ManifestEntry.from_json(json.loads(entry))
    received.trace = trace or None
    return Outcome(ArticleRecord.from_json(json.loads(record)) if record else None, received)


def _connect(ray: Any, address: str | None) -> None:
    """ray.init, with the errors a user can fix turned into the one-line kinds the CLI reports (exit 2)."""
    try:
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False, logging_level=logging.WARNING)
    except ConnectionError as exc:  # "auto" with no cluster running here
        raise ConfigError(f"ray.address {address!r}: {exc}") from exc
    except ValueError as exc:  # a malformed address; or ray:// without Ray Client, which says what to install
        if _RAY_CLIENT_MISSING in str(exc):  # Ray has no error type of its own for a missing extra
            raise MissingExtra(str(exc)) from exc
        raise ConfigError(f"ray.address {address!r}: {exc}") from exc


class DigestActor:
    """One Ray actor: a batch processor built once, so its models are loaded once and reused for every batch."""

    def __init__(self, config: Config) -> None:
        from .factory import engine_pool

        self.config = config
        self.pool = engine_pool(config)  # loads nothing yet: a model that cannot load fails a batch, below
        self.processor: BatchProcessor | None = None

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Articles in, outcomes out as JSON text (one `record`, `entry` and `error` string per article)."""
        todo = [
            (Article(id=str(id_), title=str(title), text=str(text), source=str(source), language=str(language),
                     meta=json.loads(meta), **json.loads(where)), str(key))
            for id_, title, text, source, language, meta, where, key in zip(
                batch["id"], batch["title"], batch["text"], batch["source"], batch["language"], batch["meta"],
                batch["where"], batch["cache_key"], strict=True)
        ]
        try:
            if self.processor is None:
                from .factory import build_processor

                self.processor = build_processor(self.config, pool=self.pool)
            outcomes = self.processor.process(todo)
        except ModelLoadError as exc:
            # Ray hands the driver a user-code exception without its type; send the one-line reason as data so
            # that the driver raises the ModelLoadError the CLI reports as a setup error (exit 2)
            n = len(todo)
            return {"record": _strings([""] * n), "entry": _strings(["{}"] * n), "trace": _strings([""] * n),
                    "error": _strings([str(exc)] * n)}
        sent = [_send(article, outcome) for (article, _), outcome in zip(todo, outcomes, strict=True)]
        columns = {name: _strings([row[n] for row in sent]) for n, name in enumerate(("record", "entry", "trace"))}
        return columns | {"error": _strings([""] * len(sent))}


def _send(article: Article, outcome: Outcome) -> tuple[str, str, str]:
    """One outcome as JSON text (record, entry) plus its entry's traceback, which the manifest line never holds.

    A bug turning this one record into JSON fails this article alone ("internal error in write"), as the
    driver's own write guard does, instead of failing the actor's whole batch.
    """
    try:
        record = "" if outcome.record is None else json.dumps(outcome.record.to_json(), ensure_ascii=False)
        entry = outcome.entry
    except Exception as exc:  # noqa: BLE001 - the guard of this article's serialisation
        record, entry = "", ManifestEntry.crashed(article, "write", exc)
    return record, json.dumps(entry.to_json(), ensure_ascii=False), entry.trace or ""


def _strings(values: list[str]) -> np.ndarray:
    import numpy as np

    return np.array(values, dtype=object)  # object, not "<U…": no padding every string to the longest one


def _row(article: Article, key: str) -> dict[str, str]:
    """One dataset row: the article's fields as flat strings (see the batch_format note) and its cache key."""
    return {"id": article.id, "title": article.title, "text": article.text, "source": article.source,
            "language": article.language or "", "meta": json.dumps(article.meta, ensure_ascii=False),
            "where": json.dumps({name: getattr(article, name) for name in WHERE}, ensure_ascii=False),
            "cache_key": key}


def _actor_config(config: Config) -> Config:
    """The config the actors get: with `threads: 0` (auto), as many threads as CPUs the actor reserves.

    Otherwise every actor's engine would size its thread pool to the whole node, and `concurrency` actors on one
    node would fight over its cores. An explicit `threads` is kept. Cache keys ignore threads, so local and Ray
    runs share their outputs.
    """
    if config.threads > 0:
        return config
    return dataclasses.replace(config, threads=max(1, math.floor(config.ray.num_cpus)))


def _import_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise MissingExtra(RAY_MISSING) from exc
    return ray


class _ConsoleFilter(logging.Filter):
    """Ray Data's console: warnings and errors only, and no note that its progress bars are off."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING and not record.getMessage().startswith("Progress bars disabled")


@contextlib.contextmanager
def _quiet_ray_data_console() -> Iterator[None]:
    """digest reports progress and the run's summary itself; Ray Data's info lines still go to its log file."""
    console = [h for h in logging.getLogger("ray.data").handlers
               if isinstance(h, logging.StreamHandler) and not isinstance(h, logging.FileHandler)]
    quiet = _ConsoleFilter()
    for handler in console:
        handler.addFilter(quiet)
    try:
        yield
    finally:
        for handler in console:
            handler.removeFilter(quiet)
