"""The batch processor: articles (with their cache keys) in, outcomes out; it writes nothing.

Why a class of its own: every executor (local waves, Ray actors) runs exactly this, and needs nothing else, so an
actor builds one from the config (see factory.py) instead of a whole Digester, and nothing imports back upward.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, cast

from ..budget import TimeBudgetExceeded, budget
from ..errors import ModelLoadError, NoRouteError, expected_failure, one_line
from ..inputs.article import Article
from ..nlp.checks import check_article, review_flags
from ..nlp.glossary import Glossary
from ..records import ArticleRecord, Checks, ManifestEntry, Outcome
from .sources import source_fields
from .summarizer import Summarizer
from .translator import Translator

if TYPE_CHECKING:
    from .progress import Progress

log = logging.getLogger("digest")


class BatchProcessor:
    """Summarize, translate and check a batch of articles with models loaded once and reused for every batch."""

    def __init__(self, summarizer: Summarizer, translator: Translator, *, targets: Sequence[str],
                 summary_model: str, checks: bool = True, glossary: Glossary | None = None,
                 max_seconds: float | None = None) -> None:
        self.summarizer = summarizer
        self.translator = translator
        self.targets = list(targets)
        self.summary_model = summary_model
        self.checks = checks
        self.glossary = glossary
        self.max_seconds = max_seconds  # the checks' time budget per article (input.max_seconds)

    def process(self, batch: Sequence[tuple[Article, str]], progress: Progress | None = None) -> list[Outcome]:
        """One outcome per (article, cache key), in order; a failing article fails alone.

        A model that cannot load is not an article's fault: ModelLoadError stops the run.
        """
        articles = [a for a, _ in batch]
        summaries = isolated(
            lambda idx: self.summarizer.summarize([articles[i].text for i in idx], [articles[i].language for i in idx]),
            len(articles),
        )
        if progress is not None:
            progress.summarize.update(len(articles))
        records: dict[int, ArticleRecord] = {}
        errors: dict[int, list[str]] = {}
        failed: dict[int, ManifestEntry] = {}
        for i, (article, key) in enumerate(batch):
            outcome = summaries[i]
            if isinstance(outcome, Exception):
                failed[i] = (ManifestEntry.of(article, "failed", f"summarize: {one_line(outcome)}")
                             if expected_failure(outcome) else ManifestEntry.crashed(article, "summarize", outcome))
            else:
                records[i] = self._record(article, key, outcome)
        self._internal: dict[int, ManifestEntry] = {}
        for target in self.targets:
            by_lang: dict[str, list[int]] = {}
            for i in records:
                by_lang.setdefault(records[i].language, []).append(i)
            for src, idx in by_lang.items():
                self._translate(idx, src, target, records, errors)
            if progress is not None:
                progress.translate.update(len(records))
        return [self._outcome(article, records.get(i), errors.get(i), failed.get(i), self._internal.get(i))
                for i, article in enumerate(articles)]

    def _outcome(self, article: Article, record: ArticleRecord | None, errors: list[str] | None,
                 failed: ManifestEntry | None, crashed: ManifestEntry | None = None) -> Outcome:
        if record is None:
            return Outcome(None, failed or ManifestEntry.of(article, "failed", "no summary"))
        return finish(article, record, errors, crashed, self.glossary if self.checks else None, self.checks,
                      max_seconds=self.max_seconds)

    def _translate(self, idx: list[int], src: str, target: str, records: dict[int, ArticleRecord],
                   errors: dict[int, list[str]]) -> None:
        try:
            hops = self.translator.route(src, target)  # once per pair; the translator keeps it
        except NoRouteError as exc:
            for i in idx:
                errors.setdefault(i, []).append(f"translate {target}: {one_line(exc)}")
            return
        models = [hop.describe() for hop in hops] or ["copy"]
        summaries = [records[i].summaries[src] for i in idx]
        titles = [records[i].titles.get(src, "") for i in idx]

        def translate(sub: list[int]) -> list[tuple[str, str | None, bool]]:
            """Summaries and headlines of `sub` in one call, so both take the same route in the same batches."""
            titled = [j for j in sub if titles[j]]
            done = self.translator.translation([summaries[j] for j in sub] + [titles[j] for j in titled], src, target)
            out = done.texts
            heads = dict(zip(titled, out[len(sub):], strict=True))
            looped = dict(zip(sub, done.looped, strict=False))
            return [(text, heads.get(j), looped[j]) for j, text in zip(sub, out[: len(sub)], strict=True)]

        outcomes = isolated(translate, len(idx))
        for i, outcome in zip(idx, outcomes, strict=True):
            if isinstance(outcome, Exception):
                if expected_failure(outcome):
                    errors.setdefault(i, []).append(f"translate {target}: {one_line(outcome)}")
                elif i not in self._internal:
                    self._internal[i] = ManifestEntry.crashed(records[i].as_article(), "translate", outcome)
                continue
            records[i].summaries[target], title, looped = outcome
            if looped:
                records[i].loops.append(target)
            if title:
                records[i].titles[target] = title
            records[i].models[target] = models

    def _record(self, article: Article, key: str, summary: Any) -> ArticleRecord:
        language = article.language or ""  # the plan gives every article it digests a language
        return ArticleRecord(
            id=article.id, title=article.title, source=article.source, language=language, text=article.text,
            summaries={language: summary.text}, chunks=summary.chunks, models={"summary": self.summary_model},
            meta=article.meta, created=datetime.now(timezone.utc).isoformat(timespec="seconds"), cache_key=key,
            rerank=summary.choice, titles={language: article.title} if article.title else {},
            loops=[language] if getattr(summary, "looped", False) else [], **source_fields(article),
        )


def finish(article: Article, record: ArticleRecord, errors: list[str] | None, crashed: ManifestEntry | None,
           glossary: Glossary | None, checks: bool = True, *, max_seconds: float | None = None) -> Outcome:
    """The checks (under their own guard and time budget), then the outcome: ok, or failed with the record kept
    for the next run.

    A bug in the checks fails this article alone, and its summaries and translations are still saved (retried
    next run, since `cache_key` is cleared), never the wave's; so does running past `max_seconds` (one line,
    "took longer than 120 s in checks", the article's own failure).
    """
    if checks:
        try:
            with budget(max_seconds, "checks"):
                check_record(record, glossary)
        except TimeBudgetExceeded as exc:
            errors = [*(errors or []), str(exc)]
            record.checks = record.flags = None
        except Exception as exc:  # noqa: BLE001 - the one call site of the checks: a bug costs this article
            crashed = crashed or ManifestEntry.crashed(article, "checks", exc)
            record.checks = record.flags = None
    if crashed is not None:
        record.cache_key = None
        record.errors = [*(errors or []), crashed.reason or "internal error"]
        crashed.reason = "; ".join(record.errors)
        return Outcome(record, crashed)
    if errors:
        record.cache_key = None  # retried next run
        record.errors = errors
        return Outcome(record, ManifestEntry.of(article, "failed", "; ".join(errors)))
    entry = ManifestEntry.of(article, "ok")
    if record.checks:
        entry.flags = record.checks["flags"]
    return Outcome(record, entry)


def check_record(record: ArticleRecord, glossary: Glossary | None) -> None:
    """Faithfulness checks into the record, and the per-language review flags the digests show."""
    src = record.language
    summary = record.summaries[src]
    translations = {lang: text for lang, text in record.summaries.items() if lang != src}
    checks = check_article(record.text, summary, src, translations, glossary, record.loops)
    if record.rerank:
        checks["rerank"] = record.rerank
        record.rerank = None
    record.checks = cast(Checks, checks)
    record.flags = review_flags(checks, src)


def isolated(fn: Callable[[list[int]], Sequence[Any]], n: int) -> list[Any]:
    """Run `fn` on all items at once; if that fails, item by item, so one bad article fails alone.

    A model that cannot load is not an article's fault: it stops the run.
    """
    if n == 0:
        return []
    try:
        return list(fn(list(range(n))))
    except ModelLoadError:
        raise
    except Exception as exc:  # noqa: BLE001 - retried one by one below, so one bad article fails alone
        if n == 1:
            return [exc]
    out: list[Any] = []
    for i in range(n):
        try:
            out.append(fn([i])[0])
        except ModelLoadError:
            raise
        except Exception as exc:  # noqa: BLE001 - this article's own failure, reported in its entry
            out.append(exc)
    return out
