"""Editions: the digest cut into pages per day (or week, run, or one for everything), updated incrementally.

OUT/editions/<key>/items.jsonl keeps each story's page fields (`items.slim`), so a run that adds one article
reads and rewrites only the editions it touches, never all of OUT/articles. A small sharded map
(OUT/editions/.ids/) remembers each article's edition, so an article whose date changed leaves its old one.
Whatever is missing or was made with another edition mode or time zone is rebuilt once from OUT/articles.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timezone, tzinfo
from pathlib import Path
from typing import Any

from ..errors import UnsafePathError
from .feeds import FeedInfo, render_atom
from .front import Front, front_items
from .holds import read_holds, write_holds
from .items import DigestItem, day_of, record_when, slim
from .labels import direction, format_day, label, label_day, labels_language
from .render import RENDERERS, SUFFIX, Page, items_for
from .review import HTML_NAME as REVIEW_HTML
from .review import JSON_NAME as REVIEW_JSON
from .review import render_review_html, render_review_json, review_entries
from .store import Store

log = logging.getLogger("digest")

MODES = ("day", "week", "run", "all")
DIR = "editions"
INDEX = "index.json"
ITEMS = "items.jsonl"
IDS = ".ids"
#: the pending mark of the front pages (OUT/digest.<lang>.*), beside edition keys
LATEST = "latest"
#: shards of the id → edition map: one small file per 4096th of the ids
_SHARD_HEX = 3


def zone(name: str) -> tzinfo:
    """The configured time zone (`UTC`, `Europe/Berlin`); ValueError with the name when unknown."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name.upper() == "UTC":
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r} (e.g. UTC, Europe/Berlin)") from exc


def edition_key(record: dict, mode: str, tz: tzinfo, now: datetime) -> str:
    """The edition a record belongs to: its date's day or ISO week in `tz`, this run, or `all`."""
    if mode == "all":
        return "all"
    if mode == "run":
        return now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H%M%SZ")
    when, _, with_time = record_when(record)
    day = day_of(when, with_time, tz)
    if mode == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()


def subtitle(key: str, lang: str) -> str:
    """The edition's line under the page heading, in `lang`: `Ausgabe vom 27. November 2026`."""
    if key == "all":
        return label(lang, "all")
    if "-W" in key:
        return label_day(lang, "week", date.fromisocalendar(int(key[:4]), int(key.split("-W")[1]), 1))
    if "T" in key:
        when = datetime.strptime(key, "%Y-%m-%dT%H%M%SZ")
        return label(lang, "edition", date=f"{format_day(when.date(), labels_language(lang))}, {when:%H:%M} UTC")
    return label_day(lang, "edition", date.fromisoformat(key))


class Editions:
    """OUT/editions: per-edition indexes, pages and feeds, and the map of which article is in which edition."""

    def __init__(self, store: Store, mode: str = "day", tz: str = "UTC", formats: Sequence[str] = ("md", "html"),
                 show_flags: bool = False, feed: FeedInfo | None = None, front: Front | None = None,
                 brand: dict[str, Any] | None = None, review_language: str = "en"):
        if mode not in MODES:
            raise ValueError(f"unknown edition mode {mode!r} (expected {', '.join(MODES)})")
        self.store, self.mode, self.tz_name, self.tz = store, mode, tz, zone(tz)
        self.formats = list(formats)
        self.show_flags = show_flags
        self.feed = feed or FeedInfo()
        self.front = front or Front()
        #: the newsroom's title, intro and footer on every page (`Page` fields)
        self.brand = brand or {}
        #: the language of the review desk's own words
        self.review_language = review_language
        #: ids an editor holds back (OUT/holds.json): kept in items.jsonl, left off every page and feed
        self.held = read_holds(store.root)
        self.root = store.root / DIR
        #: (page, article id or None, exception) of every story or page that could not be rendered; its edition is
        #: rendered again next run
        self.failures: list[tuple[str, str | None, BaseException]] = []
        self._pending: set[str] = set()
        #: False while rebuilding: thousands of files are written unsynced, then made durable by one os.sync()
        self._sync = True

    def _write(self, path: Path, data: str) -> None:
        self.store.fs.write(path, data, sync=self._sync)

    # -- the small indexes ----------------------------------------------------------------------------------

    def _index(self) -> dict[str, Any] | None:
        """OUT/editions/index.json: {mode, timezone, editions: {key: {lang: count}}}; None when absent or stale."""
        try:
            data = json.loads(self.store.fs.read_text(self.root / INDEX))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or (data.get("mode"), data.get("timezone")) != (self.mode, self.tz_name):
            return None
        return data if isinstance(data.get("editions"), dict) else None

    def _items(self, key: str) -> dict[str, dict]:
        """An edition's stories by id (a damaged line is passed over: the record is redone on its next change)."""
        out: dict[str, dict] = {}
        try:
            lines = self.store.fs.read_text(self.root / key / ITEMS).splitlines()
        except OSError:
            return out
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict) and "id" in entry:
                out[str(entry["id"])] = entry
        return out

    def _shard(self, article_id: str) -> Path:
        return self.root / IDS / f"{hashlib.sha1(article_id.encode()).hexdigest()[:_SHARD_HEX]}.json"

    def _read_shard(self, path: Path) -> dict[str, str]:
        try:
            data = json.loads(self.store.fs.read_text(path))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    # -- publishing -----------------------------------------------------------------------------------------

    def publish(self, changed: Iterable[dict], languages: Sequence[str] = (),
                now: datetime | None = None) -> list[Path]:
        """Put changed records into their editions and re-render only those; returns the files written."""
        now = now or datetime.now(timezone.utc)
        index = self._index()
        if index is None:  # first run with editions, or another mode/time zone: rebuild once from OUT/articles
            self.store.fs.remove_tree(self.root)
            index = {"mode": self.mode, "timezone": self.tz_name, "editions": {}}
            given = {str(r["id"]): r for r in changed}
            changed = [given.pop(r.id, r.to_json()) for r in self.store.records()] + list(given.values())
            log.info("building editions from %d article record%s", len(changed), "" if len(changed) == 1 else "s")
            self._sync = False
        adds: dict[str, dict[str, dict]] = {}
        moves: dict[str, str] = {}
        for record in changed:
            try:  # a story whose edition or page fields cannot be worked out is left off, the others go on
                key, item = edition_key(record, self.mode, self.tz, now), slim(record)
            except Exception as exc:  # noqa: BLE001 - the render stage's guard, per story
                self.failures.append((DIR, str(record.get("id")), exc))
                continue
            adds.setdefault(key, {})[str(record["id"])] = item
            moves[str(record["id"])] = key
        pending = {key for key in index.pop("pending", []) if isinstance(key, str)}  # pages a bug left unrendered
        if not moves and not pending:
            return []
        if self._sync:  # (not a rebuild) a kill before the pages below are written leaves them pending, not stale
            marked = {**index, "pending": sorted(set(adds) | pending | {LATEST})}
            self._write(self.root / INDEX, json.dumps(marked, ensure_ascii=False, sort_keys=True) + "\n")
        removes = self._update_map(moves)
        written: list[Path] = []
        for key in sorted(set(adds) | set(removes) | (pending - {LATEST})):
            entries = self._items(key)
            for article_id in removes.get(key, ()):
                entries.pop(article_id, None)
            entries.update(adds.get(key, {}))
            written += self._write_edition(key, entries, languages, index, now)
        written += self._guarded("front page", [], lambda _: self._write_latest(index, languages, now))
        if self._pending:
            index["pending"] = sorted(self._pending)
        self._write(self.root / INDEX, json.dumps(index, ensure_ascii=False, sort_keys=True) + "\n")
        written += self._guarded("index.html", [], lambda _: self._index_page(index))
        if not self._sync:
            os.sync()
            self._sync = True
        return written

    def unrendered(self, records: Iterable[dict]) -> list[dict]:
        """The records their edition does not hold as they are now: saved, then the run was killed (or ran out of
        disk) before rendering, or the edition's item was lost. Pages are derived state: `publish` puts these in.
        Reads only the shards and editions these records name."""
        if self._index() is None:  # no editions yet (or another mode): publish rebuilds from every record
            return []
        shards: dict[Path, dict[str, str]] = {}
        editions: dict[str, dict[str, dict]] = {}
        missing = []
        for record in records:
            article_id = str(record.get("id"))
            shard = self._shard(article_id)
            key = (shards[shard] if shard in shards else shards.setdefault(shard, self._read_shard(shard))).get(
                article_id)
            if key is not None and key not in editions:
                editions[key] = self._items(key)
            try:
                item = json.loads(json.dumps(slim(record), ensure_ascii=False))
            except Exception:  # noqa: BLE001 - publish's guard reports what cannot be rendered
                item = None
            if key is None or item is None or editions[key].get(article_id) != item:
                missing.append(record)
        return missing

    def hold(self, ids: Iterable[str], held: bool = True, now: datetime | None = None) -> list[Path]:
        """Keep stories off every reader page and feed (`held=False`: put them back); re-renders only the
        editions that hold them and the front page. ValueError naming the ids that OUT does not have."""
        ids = set(ids)
        index = self._index()
        keys = {i: self._read_shard(self._shard(i)).get(i) for i in ids}
        unknown = sorted(i for i, key in keys.items() if key is None)
        if index is None or unknown:
            raise ValueError(f"{self.store.root}: no published story with id {', '.join(unknown or sorted(ids))}")
        self.held = self.held | ids if held else self.held - ids
        write_holds(self.store.root, self.held)
        now = now or datetime.now(timezone.utc)
        written: list[Path] = [self.store.root / "holds.json"]
        for key in sorted({k for k in keys.values() if k}):
            written += self._write_edition(key, self._items(key), list(index["editions"].get(key, {})), index, now)
        written += self._write_latest(index, [], now)
        self._write(self.root / INDEX, json.dumps(index, ensure_ascii=False, sort_keys=True) + "\n")
        self._write(self.store.root / "index.html", render_index(index["editions"], self.formats))
        return [*written, self.store.root / "index.html"]

    def _update_map(self, moves: dict[str, str]) -> dict[str, set[str]]:
        """Record each article's new edition; returns {old edition: ids that left it}."""
        by_shard: dict[Path, dict[str, str]] = {}
        for article_id, key in moves.items():
            by_shard.setdefault(self._shard(article_id), {})[article_id] = key
        removes: dict[str, set[str]] = {}
        for path, updates in by_shard.items():
            current = self._read_shard(path)
            for article_id, key in updates.items():
                old = current.get(article_id)
                if old is not None and old != key:
                    removes.setdefault(old, set()).add(article_id)
            current.update(updates)
            self._write(path, json.dumps(current, ensure_ascii=False, sort_keys=True) + "\n")
        return removes

    def _write_edition(self, key: str, entries: dict[str, dict], languages: Sequence[str],
                       index: dict[str, Any], now: datetime) -> list[Path]:
        folder = self.root / key
        if not entries:
            self.store.fs.remove_tree(folder)
            index["editions"].pop(key, None)
            return []
        self.store.fs.remove_matching(folder, ".*.tmp")  # what a killed run left half-written here
        records = sorted(entries.values(), key=lambda r: str(r["id"]))
        self._write(folder / ITEMS, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
        langs = _languages(records, languages)
        records = [r for r in records if str(r["id"]) not in self.held]
        written = [folder / ITEMS]
        counts = {}
        for lang in langs:
            page = Page(subtitle(key, lang), feed_href=f"feed.{lang}.atom", index_href="../../index.html",
                        show_flags=self.show_flags)
            pages = self._guarded(f"{DIR}/{key}/digest.{lang}", records, lambda recs, lang=lang, page=page: [
                *self._pages(folder, recs, lang, page), self._feed(folder, recs, lang, key, now)], key)
            written += pages
            if pages:
                counts[lang] = len(items_for(records, lang))
        index["editions"][key] = counts
        return written

    def _feed(self, folder: Path, records: list[dict], lang: str, key: str, now: datetime) -> Path:
        feed = folder / f"feed.{lang}.atom"
        self._write(feed, render_atom(records, lang, key, subtitle(key, lang),
                                      info=self.feed.at(f"editions/{key}/feed.{lang}.atom", now)))
        return feed

    def _index_page(self, index: dict[str, Any]) -> list[Path]:
        self._write(self.store.root / "index.html", render_index(index["editions"], self.formats))
        return [self.store.root / "index.html"]

    def _guarded(self, page: str, records: Sequence[dict | DigestItem], render: Any, key: str = "") -> list[Path]:
        """Render one edition × language (or the index) from `records`. When a bug stops it, each story is tried
        alone (in memory) and the page is written without the ones that fail, which are named in `failures`; a
        page that fails without any of them is skipped. Either way the edition is rendered again next run."""
        try:
            return list(render(records))
        except (OSError, UnsafePathError):  # the disk or OUT itself: every later write would fail the same way
            raise
        except Exception as exc:  # noqa: BLE001 - the guard of the render stage
            error: BaseException = exc
            self._pending.add(key or LATEST)
            bad = {_item_id(r): found for r in records if (found := self._fails(r, page)) is not None}
            if bad and len(bad) < len(records):  # some stories break it: the page is written without them
                self.failures += [(page, article_id, found) for article_id, found in bad.items()]
                try:
                    return list(render([r for r in records if _item_id(r) not in bad]))
                except Exception as again:  # noqa: BLE001 - not one story's fault after all
                    error = again
            self.failures.append((page, None, error))
            return []

    def _fails(self, record: dict | DigestItem, page: str) -> BaseException | None:
        """The error rendering `record` alone raises in every format and the feed (nothing written), or None."""
        lang = page.rsplit(".", 1)[-1]
        try:
            for fmt in self.formats:
                RENDERERS[fmt]([record], lang, Page("", feed_href="", index_href=""))
            render_atom([record], lang, "all", "")
        except Exception as exc:  # noqa: BLE001 - a probe
            return exc
        return None

    def _pages(self, folder: Path, records: Sequence[dict | DigestItem], lang: str, page: Page) -> list[Path]:
        written = []
        page = replace(page, **self.brand)
        for fmt in self.formats + (["eml"] if "email" in self.formats else []):  # email: the page and a message
            path = folder / f"digest.{lang}.{SUFFIX[fmt]}"
            self._write(path, RENDERERS[fmt](records, lang, page))
            written.append(path)
        return written

    def _write_latest(self, index: dict[str, Any], languages: Sequence[str], now: datetime) -> list[Path]:
        """OUT/digest.<lang>.* and OUT/feed.<lang>.atom: the front page (`front.py`), from the newest editions."""
        records: list[dict] = []
        every: list[dict] = []  # held ones too: the review desk shows what waits
        for key in sorted(index["editions"], reverse=True):
            every += self._items(key).values()
            records = [r for r in every if str(r["id"]) not in self.held]
            if self.front.enough(records, now):
                break
        index["latest"] = max(index["editions"], default=None)
        written = self._guarded("review.html", [], lambda _: self._write_review(every))
        for lang in _languages(records, languages):
            items = front_items(records, lang, now, self.front)
            page = Page(label(lang, "latest"), feed_href=f"feed.{lang}.atom", index_href="index.html",
                        show_flags=self.show_flags, top=True)
            written += self._guarded(f"digest.{lang}", items, lambda recs, lang=lang, page=page: [
                *self._pages(self.store.root, recs, lang, page), self._front_feed(recs, lang, now)])
        return written

    def _front_feed(self, items: Sequence[dict | DigestItem], lang: str, now: datetime) -> Path:
        feed = self.store.root / f"feed.{lang}.atom"
        self._write(feed, render_atom(items, lang, "front", label(lang, "latest"),
                                      info=self.feed.at(f"feed.{lang}.atom", now)))
        return feed

    def _write_review(self, records: list[dict]) -> list[Path]:
        """OUT/review.json and OUT/review.html: the flagged stories of the front page's editions."""
        entries = review_entries(self.store, records, self.held)
        paths = [self.store.root / REVIEW_JSON, self.store.root / REVIEW_HTML]
        self._write(paths[0], render_review_json(entries))
        self._write(paths[1], render_review_html(entries, self.review_language))
        return paths


def _languages(records: Sequence[dict], languages: Sequence[str]) -> list[str]:
    """The edition's page languages: every summary language of its stories plus the run's targets."""
    found = {lang for r in records for lang in (r.get("summaries") or {})}
    return sorted(found | set(languages)) if found else []


def render_index(editions: dict[str, dict[str, int]], formats: Sequence[str] = ("html",)) -> str:
    """OUT/index.html: every edition per language, newest first, with links to its page and feed."""
    import html

    from .labels import count
    from .render import _attr_ui, page_css

    langs = sorted({lang for counts in editions.values() for lang in counts})
    fmt = "html" if "html" in formats else formats[0]
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{html.escape(label('en', 'editions'))}</title><style>{page_css('en')}</style></head>",
             '<body><div class="wrap"><header>', f"<h1>{html.escape(label('en', 'editions'))}</h1>", "</header><main>"]
    for lang in langs:
        ui = _attr_ui(lang)  # the section is in its language; its labels may have fallen back to English
        parts.append(f'<section lang="{html.escape(lang)}" dir="{direction(lang)}"><h2><span{ui}>'
                     f'{html.escape(label(lang, "heading"))}</span> <span class="ui">({html.escape(lang)})</span></h2>'
                     '<ul class="ui">')
        for key in sorted((k for k, c in editions.items() if lang in c), reverse=True):
            esc_key, esc_lang = html.escape(key), html.escape(lang)
            page = f"digest.{esc_lang}.{SUFFIX[fmt]}"  # the page a reader can open: html when rendered
            parts.append(f'<li{ui}><a href="editions/{esc_key}/{page}">{html.escape(subtitle(key, lang))}'
                         f'</a> · {html.escape(count(lang, editions[key][lang]))} · '
                         f'<a href="editions/{esc_key}/feed.{esc_lang}.atom">Atom</a></li>')
        parts.append("</ul></section>")
    parts.append("</main></div></body></html>")
    return "\n".join(parts) + "\n"


def publish(store: Store, changed: Sequence[dict], output: Any, languages: Sequence[str] = (),
            now: datetime | None = None,
            failures: list[tuple[str, str | None, BaseException]] | None = None) -> list[Path]:
    """The pipeline's entry point: `output` is the config's OutputConfig (edition, timezone, formats); pages that
    could not be rendered go into `failures` as (page, article id or None, exception), rendered again next run."""
    editions = _editions(store, output)
    written = editions.publish(changed, languages, now)
    if failures is not None:
        failures.extend(editions.failures)
    return written


def unrendered(store: Store, records: Iterable[dict], output: Any) -> list[dict]:
    """The records (of articles a run found up to date) that are missing from their edition, or stale there."""
    return _editions(store, output).unrendered(records)


def _item_id(record: dict | DigestItem) -> str:
    """A story's article id, whether it is a record's page fields or a front-page item."""
    return str(record.get("id") if isinstance(record, dict) else getattr(record, "id", ""))


def _editions(store: Store, output: Any) -> Editions:
    feed = FeedInfo(author=getattr(output, "title", None), base_url=getattr(output, "base_url", None))
    return Editions(store, getattr(output, "edition", "day"), getattr(output, "timezone", "UTC"),
                    getattr(output, "formats", ("md", "html")), getattr(output, "show_flags", False), feed,
                    _front(getattr(output, "front", None)),
                    {**{k: getattr(output, k, None) for k in ("title", "intro", "footer", "templates")},
                     "sections": bool(getattr(output, "sections", False))},
                    getattr(output, "review_language", "en"))


def _front(config: Any) -> Front:
    """The config's `output.front` (a FrontConfig or a {hours, min_stories, max_stories} dict) as a Front."""
    if config is None:
        return Front()
    get = config.get if isinstance(config, dict) else lambda k, d: getattr(config, k, d)
    return Front(get("hours", 24), get("min_stories", 20), get("max_stories", 100))


def hold(store: Store, ids: Sequence[str], output: Any, held: bool = True, now: datetime | None = None) -> list[Path]:
    """`digest hold` / `digest release`: hold (or release) stories in OUT under OUT's lock."""
    with store.lock():
        return _editions(store, output).hold(ids, held, now)
