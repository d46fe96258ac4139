"""Digester: the library behind every CLI verb, a thin facade: plan (read, cache keys, skip) → execute → write.

The work itself is elsewhere: run/batch.py turns articles into records, run/executors.py decides where that runs,
output/store.py writes; this module only wires them for one config and holds the output folder's lock.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .config import Config, load_config
from .engines.base import Engine
from .errors import ConfigError, UsageError
from .inputs.article import Article, Problem, ReadOptions
from .inputs.discover import read_articles
from .inputs.ids import safe_id
from .nlp.glossary import Glossary
from .nlp.language import detect, normalize
from .output.store import Store
from .run.batch import BatchProcessor, isolated
from .run.cachekeys import article_settings, cache_key, run_settings
from .run.executors import Executor, local_executor, ray_executor
from .run.factory import build_processor, build_summarizer, build_translator, engine_pool
from .run.progress import Progress
from .run.records import ManifestEntry
from .run.result import RunResult
from .run.stories import expand, plan_stories
from .run.summarizer import Summarizer
from .sources import check_url, fetch_settings, is_url, read_web

log = logging.getLogger("digest")

Input = str | Path | Article

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
                                               language=cfg.language))
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
        return normalize(src) if src else None

    def translate(self, text: str, to: str, source: str | None = None) -> str:
        """Translate one text into `to`; the source language is detected when not given."""
        src = self.source_language(text, source)
        if not src:
            raise ValueError("cannot detect the language of the text; pass source=")
        return self.translator.translate([text], src, normalize(to))[0][0]

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
        for item in inputs:  # a typo in a crontab is a usage error: said before OUT is made or a model loads
            if is_url(item) and check_url(str(item)):
                raise UsageError(f"{item}: {check_url(str(item))}")
            if not isinstance(item, Article) and not is_url(item) and str(item) != "-" and not os.path.lexists(item):
                raise UsageError(f"{item}: no such file or folder")
        store = Store(out or self.config.output.dir)
        self._retry_failed = retry_failed
        with store.lock(lock_timeout):
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
        todo = self._plan(inputs, store, result, force=force, since=since, arrived=arrived, stdin=stdin)
        if not result.entries and not todo:  # an empty folder, an --include typo, or --since left nothing
            log.info("no input to read%s", " changed since the last run" if arrived or since else "")
        keys = {article.id: key for article, key in todo}
        stories = plan_stories(todo, self.config.cluster)  # near-duplicates: one copy per story goes to the models
        with Progress(len(stories.todo), len(self.config.targets), enabled=self.progress) as progress:
            for outcomes in self._executor()(stories.todo, progress):
                for record, entry in expand(stories, outcomes, checks=self.config.faithfulness.checks,
                                            glossary=self.glossary):
                    if record is not None:
                        store.save(record)
                        result.records.append(record)
                    if entry.status == "failed" and not entry.transient:
                        entry.key = keys.get(entry.id)
                    self._note(result, entry)
                store.write_state(self._previous, result.entries, attempted)
        self._render(store, [record.to_json() for record in result.records])
        store.write_state(self._previous, result.entries, attempted)
        result.seconds = time.monotonic() - started
        return result

    def _plan(self, inputs: list[Input], store: Store, result: RunResult, *, force: bool, since: datetime | None,
              arrived: datetime | None, stdin: Any) -> list[tuple[Article, str]]:
        """Read the inputs and keep what needs work, with its cache key; the rest goes into the manifest now."""
        todo: list[tuple[Article, str]] = []
        seen: set[str] = set()
        for item in self._read(inputs, stdin, since, arrived, store.root):
            if isinstance(item, Problem):
                entry = ManifestEntry(item.id or item.source, item.status, item.source, item.reason)
                self._note(result, self._keyed(entry, _problem_key(item, self._run_settings)))
                continue
            if safe_id(item.id) in seen:  # ids that only differ in unsafe characters share one output file
                self._note(result, ManifestEntry.of(item, "failed", f"duplicate id {item.id!r} (another article of "
                                                    "this run has the same output file)"))
                continue
            seen.add(safe_id(item.id))
            if not item.language:
                entry = ManifestEntry.of(item, "failed", "language could not be detected; give the article "
                                         "a `language` field or set input.language")
                self._note(result, self._keyed(entry, cache_key(item.text, self._run_settings)))
                continue
            if item.language not in self._settings:
                self._settings[item.language] = article_settings(self.config, self.translator, item.language)
            key = cache_key(item.text, self._settings[item.language])
            stored = None if force else store.load(item.id)
            if stored and stored.cache_key == key:
                self._note(result, ManifestEntry.of(item, "skipped", "up to date"))
                continue
            if self._failed_before(item.id, item.source, key):
                self._note(result, self._keyed(ManifestEntry.of(item, "failed"), key))
                continue
            todo.append((item, key))
        return todo

    @property
    def _run_settings(self) -> str:
        return run_settings(self.config)

    def _failed_before(self, article_id: str, source: str, key: str) -> bool:
        """Whether the last attempt on this article failed with the same input and settings (`key`): retrying
        would fail the same way and mail the same line every cron run."""
        prev = getattr(self, "_previous", {}).get((article_id, source))
        return (not getattr(self, "_retry_failed", False) and prev is not None and prev.status == "failed"
                and prev.key == key)

    def _keyed(self, entry: ManifestEntry, key: str) -> ManifestEntry:
        """A failure with its fingerprint; the previous entry, marked unchanged, when it failed the same way."""
        if entry.status != "failed":
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
        self, inputs: list[Input], stdin: Any, since: datetime | None, arrived: datetime | None, out_dir: Path
    ) -> Iterable[Article | Problem]:
        cfg = self.config.input
        options = ReadOptions(
            include=tuple(cfg.include), exclude=tuple(cfg.exclude),
            drop_patterns=tuple(cfg.drop_patterns) + tuple(cfg.extra_drop_patterns),
            drop_repeated_title=cfg.drop_repeated_title, max_bytes=cfg.max_bytes, language=cfg.language,
            modified_since=since.timestamp() if since else None,
            arrived_since=arrived.timestamp() if arrived else None, skip_dirs=(str(out_dir.resolve()),),
        )
        articles = [i for i in inputs if isinstance(i, Article)]
        paths = [i for i in inputs if not isinstance(i, Article) and not is_url(i)]
        for article in articles:  # API articles get what file articles get from the reader
            if not article.text or not article.text.strip():
                yield Problem(article.source, "no text", id=article.id)
                continue
            if not article.language:
                article = dataclasses.replace(article, language=detect(article.text) or cfg.language)
            yield article
        if paths:
            yield from read_articles(paths, options, stdin=stdin)
        if urls := [str(i) for i in inputs if is_url(i)]:
            yield from read_web(urls, options, fetch_settings(self.config.fetch, cfg.max_bytes), out_dir)

    def _render(self, store: Store, changed: list[dict]) -> None:
        """Re-render only the editions this run's records changed (their pages, feeds, the latest and the index)."""
        from .output.editions import publish

        publish(store, changed, self.config.output, languages=self.config.targets)

    @staticmethod
    def _note(result: RunResult, entry: ManifestEntry) -> None:
        result.entries.append(entry)
        fields = {"article": entry.id, "source": entry.source, "status": entry.status}  # JSON log lines
        if entry.unchanged:  # reported when it first failed; counted in the summary line since
            log.debug("%s: still failing, unchanged: %s", entry.source, entry.reason, extra=fields)
        elif entry.status == "failed":
            log.warning("%s: %s", entry.source, entry.reason, extra=fields)
        elif entry.status == "skipped" and entry.reason != "up to date":  # not an article: say why
            log.info("%s: skipped: %s", entry.source, entry.reason, extra=fields)
        else:
            log.debug("%s: %s%s", entry.source, entry.status, f" ({entry.reason})" if entry.reason else "",
                      extra=fields)


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
