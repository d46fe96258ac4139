"""Digester: read → summarize → translate → write, in waves, with per-article errors and progress bars."""

from __future__ import annotations

import dataclasses
import logging
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .config import Config, load_config
from .engines.base import ModelLoadError
from .engines.params import GenerationParams
from .engines.pool import EnginePool, Runtime
from .inputs.article import Article, Problem, ReadOptions
from .inputs.discover import read_articles
from .inputs.ids import safe_id
from .nlp.checks import check_article, rerank, review_flags
from .nlp.glossary import Glossary
from .nlp.language import detect
from .output.store import FORMAT_VERSION, Store
from .run.cachekeys import cache_key, model_fingerprint
from .run.summarizer import Summarizer
from .run.translator import NoRouteError, Translator

log = logging.getLogger("digest")

Input = str | Path | Article
#: one article's result: its record (None when nothing could be made) and its manifest entry
Outcome = tuple[dict | None, dict]


@dataclass
class RunResult:
    """What a run did: the records it wrote and one manifest entry per article."""

    out_dir: Path
    digests: list[dict] = field(default_factory=list)
    manifest: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def counts(self) -> dict[str, int]:
        counts = {"ok": 0, "failed": 0, "skipped": 0}
        for entry in self.manifest:
            counts[entry["status"]] = counts.get(entry["status"], 0) + 1
        return counts

    @property
    def exit_code(self) -> int:
        """0 when every article is ok or up to date, 1 when some failed."""
        return 1 if self.counts["failed"] else 0

    @property
    def flags(self) -> int:
        """Faithfulness flags raised on this run's articles (hints for an editor, not failures)."""
        return sum(entry.get("flags", 0) for entry in self.manifest)

    def summary_line(self) -> str:
        c = self.counts
        flagged = sum(1 for entry in self.manifest if entry.get("flags"))
        return (f"{c['ok']} ok, {c['failed']} failed, {c['skipped']} skipped, {self.flags} flags on {flagged} "
                f"article{'' if flagged == 1 else 's'} in {self.seconds:.1f} s → {self.out_dir}")


class Digester:
    """The library behind every CLI verb: one config, models loaded once, reused for every article."""

    def __init__(self, config: Config | None = None, *, progress: bool | None = None) -> None:
        self.config = config or load_config()
        self.progress = sys.stderr.isatty() if progress is None else progress
        cfg = self.config
        self.pool = EnginePool(Runtime(
            engine=cfg.engine, device=cfg.device, dtype=cfg.dtype, compute_type=cfg.compute_type,
            threads=cfg.threads, batch_size=cfg.batch_size, trust_remote_code=cfg.trust_remote_code,
        ))
        self._summarizer: Summarizer | None = None
        self.glossary = Glossary.from_dict(cfg.glossary)
        self.translator = Translator(cfg.translation, self.pool, GenerationParams().merged(cfg.translation.generation),
                                     glossary=self.glossary)
        self._settings: dict[str, dict] = {}

    @classmethod
    def from_config(cls, path: str | Path | None = None, *, progress: bool | None = None, **overrides: Any) -> Digester:
        """Load a YAML config (or the defaults) with keyword overrides, e.g. `targets=["de"]`."""
        return cls(load_config(path, **overrides), progress=progress)

    @property
    def summarizer(self) -> Summarizer:
        """Built on first use so that a run with nothing to do loads no model."""
        if self._summarizer is None:
            cfg = self.config.summarizer
            engine = self.pool.get(cfg.model, cfg.revision)
            params = GenerationParams().merged(cfg.generation)
            k = self.config.faithfulness.rerank
            if k > 1:  # K beam hypotheses to choose from
                params = params.merged({"num_return_sequences": k, "num_beams": max(k, params.num_beams or 1)})
            self._summarizer = Summarizer(
                engine, params, prefix=cfg.prefix, max_input_tokens=cfg.max_input_tokens,
                chooser=rerank if k > 1 else None,
            )
        return self._summarizer

    # -- the verbs ------------------------------------------------------------------------------------------

    def summarize(self, text: str, language: str | None = None) -> str:
        """Summarize one text in its own language (chunked when longer than the model's window)."""
        return self.summarizer.summarize([text], [language])[0].text

    def summarize_many(self, texts: Sequence[str], languages: Sequence[str | None]) -> list[str | Exception]:
        """Summaries of many texts in one batch; a text that fails gets its exception and the others still come
        back, as articles do in a run. A model that cannot load raises ModelLoadError."""
        summaries = _isolated(
            lambda sub: self.summarizer.summarize([texts[j] for j in sub], [languages[j] for j in sub]), len(texts))
        return [s if isinstance(s, Exception) else s.text for s in summaries]

    def translate(self, text: str, to: str, source: str | None = None) -> str:
        """Translate one text into `to`; the source language is detected when not given."""
        src = source or detect(text) or self.config.input.language
        if not src:
            raise ValueError("cannot detect the language of the text; pass source=")
        return self.translator.translate([text], src, to)[0][0]

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
    ) -> RunResult:
        """Digest `inputs` (paths, `-`, or Article objects) into `out`; holds the output folder's lock.

        `since` passes over input files last modified before it; `changed_only` does the same with the start
        of the last run on `out` in which no article failed (so a failed article is retried, never lost).
        """
        if isinstance(inputs, str | Path | Article):  # one input, not an iterable of characters
            inputs = [inputs]
        store = Store(out or self.config.output.dir)
        with store.lock(lock_timeout):
            started = datetime.now(timezone.utc)
            settings = self._run_settings()
            arrived = store.last_clean_run(settings) if changed_only else None
            result = self._run(list(inputs), store, force=force, since=since, arrived=arrived, stdin=stdin)
            if result.exit_code == 0:
                store.mark_clean_run(started, settings)
            return result

    def _run_settings(self) -> str:
        """Fingerprint of everything in the config that can change an output (not where or how fast it runs)."""
        data = self.config.to_dict()
        for key in ("output", "batch_size", "threads", "executor", "ray"):
            data.pop(key, None)
        return cache_key("", data)

    # -- the run --------------------------------------------------------------------------------------------

    def _run(self, inputs: list[Input], store: Store, *, force: bool, since: datetime | None,
             arrived: datetime | None, stdin: Any) -> RunResult:
        started = time.monotonic()
        result = RunResult(out_dir=store.root)
        todo: list[tuple[Article, str]] = []
        seen: set[str] = set()
        for item in self._read(inputs, stdin, since, arrived, store.root):
            if isinstance(item, Problem):
                self._note(result, item.id or item.source, item.status, item.reason, source=item.source)
                continue
            if safe_id(item.id) in seen:  # ids that only differ in unsafe characters share one output file
                self._note(result, item.id, "failed", f"duplicate id {item.id!r} (another article of this run "
                           "has the same output file)", source=item.source)
                continue
            seen.add(safe_id(item.id))
            if not item.language:
                self._note(result, item.id, "failed", "language could not be detected; give the article a "
                           "`language` field or set input.language", source=item.source)
                continue
            key = cache_key(item.text, self._settings_for(item.language))
            stored = None if force else store.load(item.id)
            if stored and stored.get("cache_key") == key:
                self._note(result, item.id, "skipped", "up to date", source=item.source)
                continue
            todo.append((item, key))
        if not result.manifest and not todo:  # an empty folder, an --include typo, or --since left nothing
            log.info("no input to read%s", " changed since the last run" if arrived or since else "")
        with self._bars(len(todo)) as bars:
            for outcomes in self._execute(todo, bars):
                for record, entry in outcomes:
                    if record is not None:
                        store.save(record)
                        result.digests.append(record)
                    self._log(entry)
                    result.manifest.append(entry)
                store.write_manifest(result.manifest)
        self._render(store, result.digests)
        store.write_manifest(result.manifest)
        result.seconds = time.monotonic() - started
        return result

    def _execute(self, todo: list[tuple[Article, str]], bars: _Bars) -> Iterator[list[Outcome]]:
        """Where the work runs: here in waves, or on Ray actors; either way outcomes come back to be written."""
        if self.config.executor == "ray":
            from .run.ray_executor import WorkersLost, run_on_ray

            done = 0
            try:
                for outcomes in run_on_ray(self.config, todo):
                    done += len(outcomes)
                    bars.summarize.update(len(outcomes))
                    bars.translate.update(len(outcomes) * len(self.config.targets))
                    yield outcomes
            except WorkersLost as exc:  # what finished is written; the rest fails now and is retried next run
                yield [(None, _entry(article, "failed", f"not digested: {exc}")) for article, _ in todo[done:]]
            return
        wave = self.config.batch_size * 4  # written after each wave: a killed run loses at most one wave
        for start in range(0, len(todo), wave):
            yield self.digest_batch(todo[start : start + wave], bars)

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
        paths = [i for i in inputs if not isinstance(i, Article)]
        for article in articles:  # API articles get what file articles get from the reader
            if not article.language:
                article = dataclasses.replace(article, language=detect(article.text) or cfg.language)
            yield article
        if paths:
            yield from read_articles(paths, options, stdin=stdin)

    def digest_batch(self, batch: Sequence[tuple[Article, str]], bars: _Bars | None = None) -> list[Outcome]:
        """Summarize, translate and check articles (with their cache keys); write nothing.

        Returns (record or None, manifest entry) per article, in order. Executors call this and hand the
        outcomes back to `run`, which alone writes to the store.
        """
        articles = [a for a, _ in batch]
        summaries = _isolated(
            lambda idx: self.summarizer.summarize([articles[i].text for i in idx], [articles[i].language for i in idx]),
            len(articles),
        )
        if bars is not None:
            bars.summarize.update(len(articles))
        records: dict[int, dict] = {}
        errors: dict[int, list[str]] = {}
        failed: dict[int, str] = {}
        for i, (article, key) in enumerate(batch):
            outcome = summaries[i]
            if isinstance(outcome, Exception):
                failed[i] = f"summarize: {_one_line(outcome)}"
            else:
                records[i] = self._record(article, key, outcome)
        for target in self.config.targets:
            by_lang: dict[str, list[int]] = {}
            for i in records:
                by_lang.setdefault(articles[i].language, []).append(i)
            for src, idx in by_lang.items():
                self._translate(idx, src, target, records, errors)
            if bars is not None:
                bars.translate.update(len(records))
        outcomes: list[Outcome] = []
        for i, article in enumerate(articles):
            record = records.get(i)
            if record is None:
                outcomes.append((None, _entry(article, "failed", failed[i])))
                continue
            if self.config.faithfulness.checks:
                self._check(record)
            if errors.get(i):
                record.pop("cache_key")
                record["errors"] = errors[i]
                outcomes.append((record, _entry(article, "failed", "; ".join(errors[i]))))
            else:
                entry = _entry(article, "ok", None)
                if record.get("checks"):
                    entry["flags"] = record["checks"]["flags"]
                outcomes.append((record, entry))
        return outcomes

    def _check(self, record: dict) -> None:
        """Faithfulness checks into the record, and the per-language review flags the digests show."""
        src = record["language"]
        summary = record["summaries"][src]
        translations = {lang: text for lang, text in record["summaries"].items() if lang != src}
        checks = check_article(record["text"], summary, src, translations, self.glossary)
        if record.get("rerank"):
            checks["rerank"] = record.pop("rerank")
        record["checks"] = checks
        record["flags"] = review_flags(checks, src)

    def _translate(self, idx: list[int], src: str, target: str, records: dict[int, dict],
                   errors: dict[int, list[str]]) -> None:
        summaries = [records[i]["summaries"][src] for i in idx]
        try:
            self.translator.route(src, target)
        except NoRouteError as exc:
            for i in idx:
                errors.setdefault(i, []).append(f"translate {target}: {_one_line(exc)}")
            return
        outcomes = _isolated(lambda sub: self.translator.translate([summaries[j] for j in sub], src, target)[0],
                             len(idx))
        models = [hop.describe() for hop in self.translator.route(src, target)] or ["copy"]
        for i, outcome in zip(idx, outcomes, strict=True):
            if isinstance(outcome, Exception):
                errors.setdefault(i, []).append(f"translate {target}: {_one_line(outcome)}")
            else:
                records[i]["summaries"][target] = outcome
                records[i]["models"][target] = models

    def _record(self, article: Article, key: str, summary: Any) -> dict:
        """The article JSON: the contract other tools and later runs rely on."""
        return {
            "id": article.id,
            "title": article.title,
            "source": article.source,
            "language": article.language,
            "text": article.text,
            "summaries": {article.language: summary.text},
            "chunks": summary.chunks,
            "models": {"summary": self.config.summarizer.model},
            "meta": article.meta,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "cache_key": key,
            "format": FORMAT_VERSION,
            **({"rerank": summary.choice} if summary.choice else {}),
        }

    def _settings_for(self, language: str) -> dict:
        """Everything besides the text that an article's output depends on (for the cache key)."""
        if language not in self._settings:
            cfg = self.config
            routes = {
                tgt: [[(h.model, model_fingerprint(h.model, h.revision)) for h in hops]
                      for hops in self.translator.candidates(language, tgt)]
                for tgt in cfg.targets
            }
            self._settings[language] = {
                "format": FORMAT_VERSION,
                "engine": [cfg.engine, cfg.dtype, cfg.compute_type],
                "summarizer": {**cfg.summarizer.__dict__,
                               "fingerprint": model_fingerprint(cfg.summarizer.model, cfg.summarizer.revision)},
                "translation": {"generation": cfg.translation.generation, "routes": routes},
                "faithfulness": cfg.faithfulness.__dict__,
                "glossary": cfg.glossary,
                "targets": sorted(cfg.targets),
            }
        return self._settings[language]

    def _render(self, store: Store, changed: list[dict]) -> None:
        """Re-render only the editions this run's records changed (their pages, feeds, the latest and the index)."""
        from .output.editions import publish

        publish(store, changed, self.config.output, languages=self.config.targets)

    def _note(self, result: RunResult, article_id: str, status: str, reason: str | None, *, source: str) -> None:
        entry = {"id": article_id, "status": status, "source": source}
        if reason:
            entry["reason"] = reason
        result.manifest.append(entry)
        self._log(entry)

    @staticmethod
    def _log(entry: dict) -> None:
        if entry["status"] == "failed":
            log.warning("%s: %s", entry["source"], entry.get("reason"))
        elif entry["status"] == "skipped" and entry.get("reason") != "up to date":  # not an article: say why
            log.info("%s: skipped: %s", entry["source"], entry.get("reason"))
        else:
            log.debug("%s: %s%s", entry["source"], entry["status"],
                      f" ({entry['reason']})" if entry.get("reason") else "")

    def _bars(self, total: int) -> _Bars:
        return _Bars(total, len(self.config.targets), enabled=self.progress)


class _Bars:
    """One tqdm bar per stage, shown only on a terminal and never under --quiet."""

    def __init__(self, total: int, targets: int, *, enabled: bool) -> None:
        from tqdm import tqdm

        disable = not enabled or total == 0
        self.summarize = tqdm(total=total, desc="summarize", unit="art", disable=disable, leave=False)
        self.translate = tqdm(total=total * targets, desc="translate", unit="art", disable=disable, leave=False)

    def __enter__(self) -> _Bars:
        return self

    def __exit__(self, *exc: object) -> None:
        self.summarize.close()
        self.translate.close()


def _isolated(fn: Callable[[list[int]], Sequence[Any]], n: int) -> list[Any]:
    """Run `fn` on all items at once; if that fails, item by item, so one bad article fails alone.

    A model that cannot load is not an article's fault: it stops the run.
    """
    if n == 0:
        return []
    try:
        return list(fn(list(range(n))))
    except ModelLoadError:
        raise
    except Exception as exc:
        if n == 1:
            log.debug("article failed", exc_info=True)
            return [exc]
    out: list[Any] = []
    for i in range(n):
        try:
            out.append(fn([i])[0])
        except ModelLoadError:
            raise
        except Exception as exc:
            log.debug("article %d failed", i, exc_info=True)
            out.append(exc)
    return out


def _entry(article: Article, status: str, reason: str | None) -> dict:
    entry = {"id": article.id, "status": status, "source": article.source}
    if reason:
        entry["reason"] = reason
    return entry


def _one_line(exc: BaseException, limit: int = 300) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"
