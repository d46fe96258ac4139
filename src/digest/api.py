"""Digester: the library behind every CLI verb, a thin facade: plan (read, cache keys, skip) → execute → write.

The work itself is elsewhere: run/batch.py turns articles into records, run/executors.py decides where that runs,
output/store.py writes; this module only wires them for one config and holds the output folder's lock.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import logging
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from .config import Config, load_config
from .engines.base import Engine
from .errors import (
    EXIT_USAGE,
    ConfigError,
    DigestError,
    ModelLoadError,
    NoRouteError,
    UnsafePathError,
    UsageError,
    internal_reason,
    one_line,
    traceback_text,
)
from .inputs.article import Article, Problem, ReadOptions
from .inputs.ids import safe_id
from .nlp.glossary import Glossary
from .nlp.language import canonical_tag, detect, source_tag
from .output.items import note_future_date
from .output.sinks import Failure, Sink, default_sinks
from .output.store import LOCK_NAME, Store
from .records import ArticleRecord, ManifestEntry, Outcome
from .run.batch import BatchProcessor, isolated
from .run.cachekeys import article_settings, cache_key, run_settings
from .run.executors import Executor, local_executor, ray_executor
from .run.factory import build_processor, build_summarizer, build_translator, engine_pool
from .run.links import Linker
from .run.progress import Progress, reading
from .run.result import RunResult
from .run.stories import StoryPlan, expand, join_stored, plan_stories
from .run.summarizer import Summarizer
from .sources import check_url, fetch_settings, is_url
from .sources.base import sources_of

log = logging.getLogger("digest")

Input = str | Path | Article
T = TypeVar("T")

__all__ = ["Digester", "Input", "RunResult"]


class Digester:
    """One config, models loaded once, reused for every article.

    `engines` maps model ids to engines already loaded (a script's own, a test's), used instead of loading them.
    """

    def __init__(self, config: Config | None = None, *, progress: bool | None = None,
                 engines: Mapping[str, Engine] | None = None) -> None:
        self.config = config or load_config()
        self.progress = sys.stderr.isatty() if progress is None else progress
        self.pool = engine_pool(self.config, engines)
        self.glossary = Glossary.from_dict(self.config.glossary)
        self.translator = build_translator(self.config, self.pool, self.glossary)
        self._summarizer: Summarizer | None = None
        self._processor: BatchProcessor | None = None
        self._settings: dict[str, dict] = {}

    @classmethod
    def from_config(cls, path: str | Path | None = None, *, progress: bool | None = None, **overrides: Any) -> Digester:
        """Load a YAML config (or the defaults) with keyword overrides, e.g. `targets=["de"]`."""
        return cls(load_config(path, **overrides), progress=progress)

    @property
    def summarizer(self) -> Summarizer:
        """Built on first use so that a run with nothing to do loads no model."""
        if self._summarizer is None:
            self._summarizer = build_summarizer(self.config, self.pool)
        return self._summarizer

    @property
    def processor(self) -> BatchProcessor:
        """The batch processor over this Digester's models (loads the summarizer)."""
        if self._processor is None:
            self._processor = build_processor(self.config, summarizer=self.summarizer, translator=self.translator)
        return self._processor

    # -- the verbs ------------------------------------------------------------------------------------------

    def summarize(self, text: str, language: str | None = None) -> str:
        """Summarize one text in its own language (chunked when longer than the model's window), cleaned as a
        `.txt` file is: a script's text gets the summary the CLI would print for it."""
        result = self.summarize_many([self.clean(text)], [language])[0]
        if isinstance(result, Exception):
            raise result
        return result

    def clean(self, text: str) -> str:
        """`text` as the readers pass it on: a leading headline, boilerplate lines and hard wraps gone (else the
        summarizer repeats the headline). A first line that reads as prose is the lede, not a headline: kept."""
        from .inputs.clean import clean_text
        from .inputs.formats import _reads_as_prose, parse_text

        cfg = self.config.input
        drop = tuple(cfg.drop_patterns) + tuple(cfg.extra_drop_patterns)
        items = parse_text(text, source="text", fallback_id="text", fmt="txt",
                           options=ReadOptions(drop_patterns=drop, drop_repeated_title=cfg.drop_repeated_title,
                                               language=cfg.language, max_seconds=cfg.max_seconds))
        article = next((a for a in items if isinstance(a, Article)), None)
        if article is None or _reads_as_prose(article.title):
            return clean_text(text, None, drop, cfg.drop_repeated_title)
        return article.text

    def summarize_many(self, texts: Sequence[str], languages: Sequence[str | None]) -> list[str | Exception]:
        """Summaries of many texts in one batch; a text that fails gets its exception and the others still come
        back, as articles do in a run. A model that cannot load raises ModelLoadError; an empty text, or an
        empty summary, is that text's ValueError (never a tokenizer's message)."""
        empty = ValueError("no text")
        todo = [i for i, text in enumerate(texts) if text and text.strip()]
        summaries = isolated(
            lambda sub: self.summarizer.summarize([texts[todo[j]] for j in sub], [languages[todo[j]] for j in sub]),
            len(todo))
        out: list[str | Exception] = [empty] * len(texts)
        for i, summary in zip(todo, summaries, strict=True):
            out[i] = summary if isinstance(summary, Exception) else summary.text
        return out

    def load(self) -> None:
        """Load the summarizer now, so that a model or settings problem (a window that leaves no room after the
        task prefix: ConfigError) stops a command before any input is read."""
        try:
            self.summarizer  # noqa: B018 - the property loads it
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc

    def source_language(self, text: str, given: str | None = None) -> str | None:
        """`given` (any common spelling: EN, English), else the detected language, else input.language; None when
        none of them says."""
        src = given or detect(text) or self.config.input.language
        return source_tag(src) if src else None  # zh-TW -> zh-Hant: the script reaches the model

    def translate(self, text: str, to: str, source: str | None = None) -> str:
        """Translate one text into `to`; the source language is detected when not given."""
        src = self.source_language(text, source)
        if not src:
            raise ValueError("cannot detect the language of the text; pass source=")
        return self.translator.translate([text], src, canonical_tag(to))[0][0]

    def digest(self, articles: Iterable[Article]) -> Iterator[ArticleRecord]:
        """Read → summarize → translate → check each article and yield its record as soon as its wave is done;
        writes nothing anywhere. One record per article, in order (near-duplicates of one wave become copies
        of one story); an article that failed has `errors` (its reason) and no summaries when none was made.
        Publish the records with `publish`, or use them as they are."""
        if isinstance(articles, Article):
            articles = [articles]
        wave = max(1, self.pool.runtime.batch_limit() * 4)
        pending: list[Article] = []
        for article in articles:
            pending.append(article)
            if len(pending) >= wave:
                yield from self._digest_wave(pending)
                pending = []
        if pending:
            yield from self._digest_wave(pending)

    def _digest_wave(self, articles: list[Article]) -> Iterator[ArticleRecord]:
        """One wave: its records in the order of its articles."""
        done: list[ArticleRecord] = []
        todo: list[tuple[Article, str]] = []
        for item in self._read(list(articles), None, None, None, Path(".")):
            if isinstance(item, Problem):
                done.append(ArticleRecord(id=item.id or item.source, source=item.source, errors=[item.reason]))
                continue
            if not item.language:
                done.append(ArticleRecord(id=item.id, title=item.title, source=item.source, text=item.text,
                                          errors=["language could not be detected; give the article a `language`"]))
                continue
            todo.append((item, self._cache_key(item, item.language)))
        stories = self._stories(todo, RunResult(out_dir=Path(".")))
        by_id = {article.id: article for article, _ in todo}
        for outcomes in self._executor()(stories.todo, Progress(0, 0, enabled=False)):
            for record, entry in expand(stories, outcomes, checks=self.config.faithfulness.checks,
                                        glossary=self.glossary, max_seconds=self.config.input.max_seconds):
                if record is None:
                    article = by_id.get(entry.id)
                    record = ArticleRecord(id=entry.id, source=entry.source, errors=[entry.reason or "failed"])
                    if article is not None:
                        record = dataclasses.replace(record, title=article.title, text=article.text,
                                                     language=article.language or "")
                elif entry.status == "failed" and not record.errors:
                    record.errors = [entry.reason or "failed"]
                done.append(record)
        order = {article.id: n for n, article in enumerate(articles)}
        yield from sorted(done, key=lambda record: order.get(record.id, len(order)))

    def publish(self, records: Iterable[ArticleRecord], out: str | Path | None = None, *,
                lock_timeout: float = 0.0) -> RunResult:
        """Write records (from `digest`, or made elsewhere) into `out`: article JSON, manifest, pages and feeds,
        holding the output folder's lock. A record with `errors` is a failed manifest entry; it is still
        written when it has summaries (its cache key cleared, so a later run redoes it)."""
        store = Store(out or self.config.output.dir)
        result = RunResult(out_dir=store.root)
        attempted = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with store.lock(lock_timeout):
            previous = store.read_manifest()
            sinks = self.sinks(store)
            linker = Linker(store, self.config.cluster, self.config.targets, _saving(sinks))
            self._index_stored(linker, result)
            for record in records:
                entry = ManifestEntry(record.id, "failed" if record.errors else "ok", record.source,
                                      "; ".join(record.errors) if record.errors else None)
                if record.errors:
                    record.cache_key = None
                if record.summaries:
                    entry = self._save(sinks, record, entry, result)
                if entry.status == "ok" and record.checks:
                    entry.flags = record.checks.get("flags")
                self._note(result, entry)
            rewritten = self._settle(linker, result)
            self._render(sinks, [record.to_json() for record in [*result.records, *rewritten]], result)
            store.write_state(previous, result.entries, attempted)
        return result

    def close(self) -> None:
        """Free the models this Digester loaded (a script that is done with it, or the end of a `with` block)."""
        self._summarizer = None
        self._processor = None
        self.pool.close()

    def __enter__(self) -> Digester:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def digest_batch(self, batch: Sequence[tuple[Article, str]], progress: Progress | None = None) -> list:
        """Summarize, translate and check articles (with their cache keys); write nothing (see BatchProcessor)."""
        return self.processor.process(batch, progress)

    def run(
        self,
        inputs: Iterable[Input],
        out: str | Path | None = None,
        *,
        force: bool = False,
        since: datetime | None = None,
        changed_only: bool = False,
        lock_timeout: float = 0.0,
        stdin: Any = None,
        retry_failed: bool = False,
    ) -> RunResult:
        """Digest `inputs` (paths, `-`, or Article objects) into `out`; holds the output folder's lock.

        `since` passes over input files last modified before it; `changed_only` does the same with the start
        of the last run on `out` in which no article failed (so a failed article is retried, never lost).
        An article that failed before with the same input and settings is not retried (it would fail the same
        way): its entry comes back `unchanged`, and does not make the exit code 1; `retry_failed` retries it.
        """
        if isinstance(inputs, str | Path | Article):  # one input, not an iterable of characters
            inputs = [inputs]
        inputs = list(inputs) + list(self.config.input.sources)
        store = Store(out or self.config.output.dir)
        for item in inputs:  # a typo in a crontab is a usage error: said before OUT is made or a model loads
            if is_url(item) and check_url(str(item)):
                raise UsageError(f"{item}: {check_url(str(item))}")
            if not isinstance(item, Article) and not is_url(item) and str(item) != "-":
                if not os.path.lexists(item):
                    raise UsageError(f"{item}: no such file or folder")
                _refuse_overlap(Path(item), store.root)
        self._retry_failed = retry_failed
        with _no_empty_out(store.root), store.lock(lock_timeout):
            started = datetime.now(timezone.utc)
            settings = run_settings(self.config)
            arrived = store.last_clean_run(settings) if changed_only else None
            result = self._run(inputs, store, force=force, since=since, arrived=arrived, stdin=stdin)
            if result.exit_code == 0:  # failures counted unchanged stay failed in the manifest, not re-read
                store.mark_clean_run(started, settings)
            return result

    # -- the run: plan → execute → write ----------------------------------------------------------------------

    def _run(self, inputs: list[Input], store: Store, *, force: bool, since: datetime | None,
             arrived: datetime | None, stdin: Any) -> RunResult:
        started = time.monotonic()
        attempted = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self._previous = store.read_manifest()
        result = RunResult(out_dir=store.root)
        sinks = self.sinks(store)  # built once: a sink may keep state from its first save to its finish
        todo = self._plan(inputs, store, result, force=force, since=since, arrived=arrived, stdin=stdin)
        if not result.entries and not todo:  # an empty folder, an --include typo, or --since left nothing
            log.info("no input to read%s", " changed since the last run" if arrived or since else "")
        self._check_routes(todo)
        keys = {article.id: key for article, key in todo}
        stories = self._stories(todo, result)  # near-duplicates: one copy per story goes to the models
        linker = Linker(store, self.config.cluster, self.config.targets, _saving(sinks))
        joined = self._join_stored(stories, linker, result)  # copies of stories OUT already has: no model call
        with Progress(len(stories.todo), len(self.config.targets), enabled=self.progress) as progress:
            for outcomes in itertools.chain([joined], self._executor()(stories.todo, progress)):
                for record, entry in expand(stories, outcomes, checks=self.config.faithfulness.checks,
                                            glossary=self.glossary, max_seconds=self.config.input.max_seconds):
                    if record is not None:
                        entry = self._save(sinks, record, entry, result)
                    if entry.status == "failed" and not entry.transient and not entry.internal:
                        entry.key = keys.get(entry.id)
                    self._note(result, entry)
                store.write_state(self._previous, result.entries, attempted, final=False)
        rewritten = self._settle(linker, result)
        self._render(sinks, [record.to_json() for record in [*result.records, *rewritten]] + self._unrendered(store),
                     result)
        store.write_state(self._previous, result.entries, attempted)
        result.seconds = time.monotonic() - started
        return result

    def _check_routes(self, todo: list[tuple[Article, str]]) -> None:
        """Load each target's translation models before any article is worked on: a target that no article of
        this run can reach (its model cannot load: a lost cache, a typo in a pattern) is a model error (exit 2),
        never per-article failures that a later run counts as "unchanged". A pair that fails while the target
        works from another language stays that article's failure. Ray actors load their own models."""
        if self.config.executor == "ray" or not todo:
            return
        sources = sorted({article.language for article, _ in todo if article.language})
        for target in self.config.targets:
            reasons: list[str] = []
            for src in sources:
                try:
                    self.translator.route(src, target)
                    break
                except NoRouteError as exc:
                    reasons.append(one_line(exc))
            else:
                if reasons:
                    raise ModelLoadError(f"{reasons[0]} (no article of this run can be translated into {target})")

    def _stories(self, todo: list[tuple[Article, str]], result: RunResult) -> StoryPlan:
        """The story plan; a bug in clustering costs the clustering of this run, never the run."""
        return _cluster_guard(result, "this run digests every article on its own",
                              lambda: plan_stories(todo, self.config.cluster), lambda: StoryPlan(list(todo)))

    def _join_stored(self, stories: StoryPlan, linker: Linker, result: RunResult) -> list[Outcome]:
        """Copies of stories already in OUT (same language, near-identical text, up to date): they join those
        stories with their summaries; a bug here costs this lookup, never the run."""
        def current(stored: ArticleRecord) -> bool:
            return stored.cache_key == self._cache_key(stored.as_article(), stored.language)

        def join() -> list[Outcome]:
            self._index_stored(linker, result)
            return join_stored(stories, lambda a: linker.stored_copy(a.id, a.text, a.language, current),
                               checks=self.config.faithfulness.checks, glossary=self.glossary)

        return _cluster_guard(result, "this run looks up no stored story", join, list)

    @staticmethod
    def _index_stored(linker: Linker, result: RunResult) -> None:
        """Index the stories of an OUT made before it had a story index (once); a bug here costs the lookup."""
        _cluster_guard(result, "stories stored before this run are not indexed", linker.ensure_index, lambda: None)

    @staticmethod
    def _settle(linker: Linker, result: RunResult) -> list[ArticleRecord]:
        """Stories across languages and runs (run/links.py); returns stored records whose story changed."""
        return _cluster_guard(result, "stories of this run are not linked across languages",
                              lambda: linker.settle(result.records), list)

    def sinks(self, store: Store) -> list[Sink]:
        """Where a run into `store` puts finished records (output/sinks.py): the JSON store, then the editions.
        Called once per run; override it to add a sink of one's own."""
        return default_sinks(store, self.config.output, self.config.targets)

    @staticmethod
    def _save(sinks: list[Sink], record: ArticleRecord, entry: ManifestEntry, result: RunResult) -> ManifestEntry:
        """Hand one record to every sink as soon as it is made; a bug writing it fails this article alone (disk
        errors stop the run: every later write would fail the same way)."""
        try:
            note_future_date(record)  # a 2062 typo: said in the record, not shown on pages
            for sink in sinks:
                sink.save(record)
        except (OSError, UnsafePathError):
            raise
        except Exception as exc:  # noqa: BLE001 - the guard of the write stage
            return ManifestEntry.crashed(record.as_article(), "write", exc)
        result.records.append(record)
        return entry

    def _plan(self, inputs: list[Input], store: Store, result: RunResult, *, force: bool, since: datetime | None,
              arrived: datetime | None, stdin: Any) -> list[tuple[Article, str]]:
        """Read the inputs and keep what needs work, with its cache key; the rest goes into the manifest now."""
        todo: list[tuple[Article, str]] = []
        seen: dict[str, Article] = {}  # by output file: ids that differ only in unsafe characters share one
        #: records found up to date: checked against their editions before rendering (a kill may have cut in)
        self._up_to_date: list[ArticleRecord] = []
        for item in reading(self._read(inputs, stdin, since, arrived, store.root, force=force),
                            enabled=self.progress):
            if isinstance(item, Problem):
                entry = ManifestEntry(item.id or item.source, item.status, item.source, item.reason,
                                      internal=item.internal, trace=item.trace)
                self._note(result, self._keyed(entry, _problem_key(item, self._run_settings)))
                continue
            stored = store.load(item.id)
            if duplicate := self._duplicate(item, seen.get(safe_id(item.id)), stored):
                self._note(result, self._keyed(ManifestEntry.of(item, "failed", duplicate),
                                               cache_key(f"{duplicate}\0{item.text}", self._run_settings)))
                continue
            seen[safe_id(item.id)] = item
            if not item.language:
                entry = ManifestEntry.of(item, "failed", "language could not be detected; give the article "
                                         "a `language` field or set input.language")
                self._note(result, self._keyed(entry, cache_key(item.text, self._run_settings)))
                continue
            key = self._cache_key(item, item.language)
            if force or self._crashed_before(item.id, item.source):
                stored = None
            if stored and stored.cache_key == key:
                self._note(result, ManifestEntry.of(item, "skipped", "up to date"))
                self._up_to_date.append(stored)
                continue
            if self._failed_before(item.id, item.source, key):
                self._note(result, self._keyed(ManifestEntry.of(item, "failed"), key))
                continue
            todo.append((item, key))
        return todo

    @staticmethod
    def _duplicate(item: Article, earlier: Article | None, stored: ArticleRecord | None) -> str | None:
        """Why `item` may not take its output file: an earlier article of this run has it, or OUT holds it for
        another source that still exists (so the other article is never overwritten, whichever files a run
        re-reads); None when it is `item`'s to write. A source whose file is gone hands its ids on (a rename)."""
        if earlier is not None:
            if earlier.id == item.id:
                return f"duplicate id {item.id!r} (already read from {earlier.source})"
            return f"duplicate id {item.id!r} (another article of this run, {earlier.source}, has the same output file)"
        if stored is None or not stored.source:
            return None
        (owner, alive), (mine, _) = _origin(stored.source), _origin(item.source)
        if owner == mine or not alive:
            return None
        return f"duplicate id {item.id!r} (already in the output folder from {stored.source})"

    def _cache_key(self, article: Article, language: str) -> str:
        """The fingerprint of this article's text and every setting of its language that shapes the output."""
        if language not in self._settings:
            self._settings[language] = article_settings(self.config, self.translator, language)
        return cache_key(article.text, self._settings[language])

    @property
    def _run_settings(self) -> str:
        return run_settings(self.config)

    def _failed_before(self, article_id: str, source: str, key: str) -> bool:
        """Whether the last attempt on this article failed with the same input and settings (`key`): retrying
        would fail the same way and mail the same line every cron run."""
        prev = getattr(self, "_previous", {}).get((article_id, source))
        return (not getattr(self, "_retry_failed", False) and prev is not None and prev.status == "failed"
                and not prev.internal and prev.key == key)

    def _crashed_before(self, article_id: str, source: str) -> bool:
        """Whether a bug in digest failed this article last time: it is redone (and reported) until fixed."""
        prev = getattr(self, "_previous", {}).get((article_id, source))
        return prev is not None and prev.internal

    def _keyed(self, entry: ManifestEntry, key: str) -> ManifestEntry:
        """A failure with its fingerprint; the previous entry, marked unchanged, when it failed the same way."""
        if entry.status != "failed" or entry.internal:  # a bug is retried (and reported) every run until fixed
            return entry
        if self._failed_before(entry.id, entry.source, key):
            return dataclasses.replace(self._previous[entry.id, entry.source], unchanged=True)
        entry.key = key
        return entry

    def _executor(self) -> Executor:
        if self.config.executor == "ray":
            return ray_executor(self.config)
        return local_executor(lambda: self.processor, wave=self.pool.runtime.batch_limit() * 4)

    def _read(
        self, inputs: list[Input], stdin: Any, since: datetime | None, arrived: datetime | None, out_dir: Path,
        force: bool = False,
    ) -> Iterable[Article | Problem]:
        cfg = self.config.input
        options = ReadOptions(
            include=tuple(cfg.include), exclude=tuple(cfg.exclude),
            drop_patterns=tuple(cfg.drop_patterns) + tuple(cfg.extra_drop_patterns),
            drop_repeated_title=cfg.drop_repeated_title, max_bytes=cfg.max_bytes, language=cfg.language,
            max_seconds=cfg.max_seconds,
            modified_since=since.timestamp() if since else None,
            arrived_since=arrived.timestamp() if arrived else None, skip_dirs=(str(out_dir.resolve()),),
            unique_ids=False,  # _plan decides, knowing which source owns each id in OUT
        )
        digested = () if force else {source for (_, source), entry in getattr(self, "_previous", {}).items()
                                     if entry.status == "ok"}  # a failed or crashed article is fetched again
        for source in sources_of(inputs, stdin=stdin, fetch=fetch_settings(self.config.fetch, cfg.max_bytes),
                                 state_dir=out_dir, digested=digested):
            yield from source.read(options)

    def _unrendered(self, store: Store) -> list[dict]:
        """Saved records this run found up to date but that their edition lacks (a run killed between saving and
        rendering): rendered now, so nothing saved is ever missing from the pages."""
        from .output.editions import unrendered

        missing = unrendered(store, [record.to_json() for record in self._up_to_date], self.config.output)
        if missing:
            log.info("%d saved article%s missing from the pages (an earlier run stopped before rendering): "
                     "rendering %s now", len(missing), "" if len(missing) == 1 else "s",
                     "it" if len(missing) == 1 else "them")
        return missing

    @staticmethod
    def _render(sinks: list[Sink], changed: list[dict], result: RunResult) -> None:
        """Re-render only the editions this run's records changed (their pages, feeds, the latest and the index);
        a page that cannot be rendered is said in one line and left for the next run, the others are written."""
        failures: list[Failure] = []
        for sink in sinks:
            sink.finish(changed, failures)
        entries = {entry.id: entry for entry in result.entries if entry.status == "ok"}
        for page, article_id, exc in failures:
            entry = entries.pop(article_id, None) if article_id else None
            if entry is not None:  # the story that broke the page: failed, the others are on it
                entry.status, entry.internal, entry.flags = "failed", True, None
                entry.reason = f"{internal_reason('render', exc)} (left off {page})"
                log.warning("%s: %s", entry.source, entry.reason, extra={"article": entry.id, "source": entry.source,
                                                                        "traceback": traceback_text(exc)})
            elif article_id is None:
                line = f"{page}: {internal_reason('render', exc)}; rendered again next run"
                log.warning("%s", line, extra={"traceback": traceback_text(exc)})
                result.incidents.append(line)

    @staticmethod
    def _note(result: RunResult, entry: ManifestEntry) -> None:
        result.entries.append(entry)
        fields = {"article": entry.id, "source": entry.source, "status": entry.status,  # JSON log lines
                  "traceback": entry.trace}
        if entry.unchanged:  # reported when it first failed; counted in the summary line since
            log.debug("%s: still failing, unchanged: %s", entry.source, entry.reason, extra=fields)
        elif entry.status == "failed":
            log.warning("%s: %s", entry.source, entry.reason, extra=fields)
        elif entry.status == "skipped" and entry.reason != "up to date":  # not an article: say why
            log.info("%s: skipped: %s", entry.source, entry.reason, extra=fields)
        else:
            log.debug("%s: %s%s", entry.source, entry.status, f" ({entry.reason})" if entry.reason else "",
                      extra=fields)


def _saving(sinks: list[Sink]) -> Callable[[ArticleRecord], None]:
    """Hand a record to every sink: how a stored record whose story changed is saved again."""
    def save(record: ArticleRecord) -> None:
        for sink in sinks:
            sink.save(record)
    return save


def _cluster_guard(result: RunResult, consequence: str, step: Callable[[], T], fallback: Callable[[], T]) -> T:
    """`step()`, under the guard of the cluster stage: a bug there is one incident line ("internal error in
    cluster: …; <consequence>", the traceback to the log) and the run goes on with `fallback()`. Disk and OUT
    errors stay the run's: every later write would fail the same way."""
    try:
        return step()
    except (OSError, UnsafePathError):
        raise
    except Exception as exc:  # noqa: BLE001 - the guard of the cluster stage
        line = f"{internal_reason('cluster', exc)}; {consequence}"
        log.warning("%s", line, extra={"traceback": traceback_text(exc)})
        result.incidents.append(line)
        return fallback()


@contextlib.contextmanager
def _no_empty_out(root: Path) -> Iterator[None]:
    """A run that stops with a setup error (exit 2) leaves no new, empty output folder behind."""
    existed = root.exists()
    try:
        yield
    except DigestError as exc:
        if not existed and exc.exit_code == EXIT_USAGE and root.is_dir():
            with contextlib.suppress(OSError):
                if {p.name for p in root.iterdir()} <= {LOCK_NAME, f"{LOCK_NAME}.pid"}:
                    shutil.rmtree(root)
        raise


def _refuse_overlap(item: Path, out: Path) -> None:
    """An input that is OUT, or lies inside it, is a usage error: digest would read its own records and pages as
    news (OUT inside an input folder is fine: that folder's walk passes over OUT)."""
    here, there = item.resolve(), out.resolve()
    if here == there:
        raise UsageError(f"{item}: the input folder is also the output folder; give the digests a folder of their "
                         f"own (-o), e.g. one beside it")
    if there in here.parents:
        raise UsageError(f"{item}: inside the output folder {out}; digest would read its own files as news")


def _origin(source: str) -> tuple[str, bool]:
    """The file an article's source names (`feed.jsonl:3`, `list.json#2` → the file) and whether it still exists;
    a source that names no file (a URL, a script's `db:42`) always does."""
    import re

    from .inputs.discover import SUPPORTED_SUFFIXES

    path = re.sub(r"[:#]\d+$", "", source)
    if is_url(source) or not (path.lower().endswith(SUPPORTED_SUFFIXES) or os.sep in path):
        return source, True
    return path, os.path.lexists(path)


def _problem_key(problem: Problem, settings: str) -> str:
    """Fingerprint of an input that could not be read: its reason, the settings, and the file's size and time
    (a JSONL item's source is `file:line`), so the same unreadable file is reported once, a fixed one is read."""
    import hashlib

    stat = ""
    for candidate in (problem.source, problem.source.rpartition(":")[0]):
        try:
            info = os.stat(candidate) if candidate else None
        except (OSError, ValueError):
            continue
        if info is not None:
            stat = f"{info.st_size}:{info.st_mtime_ns}"
            break
    return hashlib.sha256(f"{problem.source}\0{problem.reason}\0{stat}\0{settings}".encode()).hexdigest()[:32]
