"""What a reader sees of an article record: the one adapter from the article JSON to a digest item.

Every page, feed and edition index reads records through `item_from_record`, so the record can grow (typed
records, translated headlines, clusters) while the pages keep one place that knows its fields and fallbacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

#: the record fields a page needs; an edition index keeps only these (see `slim`)
_SLIM_KEYS = ("id", "title", "titles", "site", "url", "date", "author", "cluster", "sources", "language",
              "summaries", "flags", "created")
_SLIM_META = ("sitename", "site", "source", "url", "date", "author", "section")
_TITLE_WORDS = 12
#: how far after its arrival an article's own date may lie (time zones, embargoes) before it is taken for a typo
FUTURE = timedelta(days=1)


@dataclass(frozen=True)
class Source:
    """One outlet's copy of a story: where it ran, by whom and when (None: no date of its own). Never a local path."""

    site: str | None
    url: str | None
    author: str | None
    when: datetime | None
    #: the language it ran in, when the story was linked across languages (a page names it beside the outlet)
    language: str | None = None


@dataclass
class DigestItem:
    """One story as a page in `lang` shows it."""

    id: str
    lang: str
    title: str
    title_lang: str
    summary: str
    summary_lang: str
    when: datetime
    #: True when `when` is the article's own date, False when it is only the time the article arrived
    dated: bool
    #: True when the article's own date has a time of day (a bare date or an arrival time orders by day only)
    timed: bool = False
    sources: list[Source] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    cluster: str | None = None
    #: the source's own section (feed category, JSON-LD `articleSection`, a JSON `section`), never guessed
    section: str | None = None

    @property
    def translated(self) -> bool:
        """False when the page shows the original-language summary because there is none in `lang`."""
        return self.summary_lang == self.lang


def parse_when(value: object) -> tuple[datetime | None, bool]:
    """(aware datetime, has a time of day) from an ISO date or datetime or an RFC 2822 date; (None, False) else.

    A date without a time stays on its calendar day in every time zone (see `day_of`). A date that some time zone
    could not represent (year 1 or 9999 with an offset, an RFC 2822 year of 20 digits) is no date: (None, False),
    so no page, feed or edition key ever meets it.
    """
    if isinstance(value, datetime):
        return _representable(value if value.tzinfo else value.replace(tzinfo=timezone.utc), True)
    if not isinstance(value, str) or not value.strip():
        return None, False
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return _representable(datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc), False)
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None, False
    return _representable(when if when.tzinfo else when.replace(tzinfo=timezone.utc), True)


def _representable(when: datetime, with_time: bool) -> tuple[datetime | None, bool]:
    """`when` if it stays inside datetime's range in every time zone (years 2 to 9998 in UTC), else no date."""
    try:
        year = when.astimezone(timezone.utc).year
    except (OverflowError, ValueError):
        return None, False
    return (when, with_time) if 1 < year < 9999 else (None, False)


def day_of(when: datetime, dated_time: bool, tz: tzinfo) -> date:
    """The calendar day of `when` in `tz`; a bare date is its own day wherever the reader is."""
    return when.astimezone(tz).date() if dated_time else when.date()


def web_url(value: object) -> str | None:
    """An http(s) URL, or None: a javascript: or file: link from an article must never become a link."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    parts = urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def domain(url: str | None) -> str | None:
    """The outlet a URL names when nothing better is known: `https://www.zeit.de/x` → zeit.de."""
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


def own_date(record: dict) -> tuple[datetime | None, bool]:
    """(the article's own date, has a time of day), or (None, False) when it has none or one that cannot be true:
    later than `FUTURE` after it arrived (`created`, else now) — a typo such as 2062 must not pin the front page."""
    meta = record.get("meta") or {}
    when, with_time = parse_when(record.get("date") or meta.get("date"))
    if when is None:
        return None, False
    arrived, _ = parse_when(record.get("created"))
    if when > (arrived or datetime.now(timezone.utc)) + FUTURE:
        return None, False
    return when, with_time


def future_date(record: dict) -> bool:
    """Whether the record's own date was set aside as in the future (see `own_date`)."""
    meta = record.get("meta") or {}
    return parse_when(record.get("date") or meta.get("date"))[0] is not None and own_date(record)[0] is None


def note_future_date(record: Any) -> None:
    """Say in an ArticleRecord's own JSON (`meta.date_set_aside`) that its date was set aside as in the future, so
    a reader of OUT/articles/<id>.json knows why no page shows it."""
    data = {"date": record.date, "meta": record.meta, "created": record.created}
    if future_date(data):
        record.meta["date_set_aside"] = (f"{record.date or record.meta.get('date')}: more than {FUTURE.days} day "
                                         "after the article arrived; its arrival orders it and no date is shown")


def record_when(record: dict) -> tuple[datetime, bool, bool]:
    """(when, dated, has a time of day): the article's date, else when it arrived (`created`), else the epoch."""
    when, with_time = own_date(record)
    if when is not None:
        return when, True, with_time
    arrived, _ = parse_when(record.get("created"))
    return arrived or datetime(1970, 1, 1, tzinfo=timezone.utc), False, True


def _text(value: object) -> str | None:
    """One line of text; a list of names (several authors) is joined with commas."""
    if isinstance(value, list | tuple):
        value = ", ".join(v for v in value if isinstance(v, str) and v.strip())
    return " ".join(value.split()) or None if isinstance(value, str) else None


def source_of(record: dict) -> Source:
    """Outlet, link, author and date of one record; the outlet falls back to the URL's domain."""
    meta = record.get("meta") or {}
    url = web_url(record.get("url")) or web_url(meta.get("url"))
    site = (_text(record.get("site")) or _text(meta.get("sitename")) or _text(meta.get("site"))
            or _text(meta.get("source")) or domain(url))
    when, _ = own_date(record)  # never the arrival time: that is not when the story ran
    return Source(site=site, url=url, author=_text(record.get("author")) or _text(meta.get("author")), when=when,
                  language=_text(record.get("language")))


def _cluster(record: dict) -> tuple[str | None, list]:
    """(story id, its sources) of a record: `cluster` is the story's id, or {"id", "sources"} as a run writes it."""
    cluster = record.get("cluster")
    if isinstance(cluster, dict):
        return (str(cluster["id"]) if cluster.get("id") else None), list(cluster.get("sources") or [])
    return (str(cluster) if cluster not in (None, "") else None), []


def _extra_sources(record: dict) -> list[Source]:
    """Other outlets of the same story that the record lists itself (`sources` or `cluster.sources`: site/url/
    date/author dicts), each once, the record's own source excluded."""
    out: list[Source] = []
    own = source_of(record)
    seen = {(own.site, own.url)}
    for entry in [*(record.get("sources") or []), *_cluster(record)[1]]:
        if isinstance(entry, dict):
            src = source_of({"site": entry.get("site"), "url": entry.get("url"), "author": entry.get("author"),
                             "date": entry.get("date"), "meta": {"sitename": entry.get("sitename")},
                             "language": entry.get("language")})
            if (src.site or src.url) and (src.site, src.url) not in seen:
                seen.add((src.site, src.url))
                out.append(src)
    return out


def item_from_record(record: dict, lang: str) -> DigestItem | None:
    """The record as the `lang` page shows it; None when it has no summary at all.

    Headline: `titles[lang]`, else the original `title`, else the summary's first words. Summary: the one in
    `lang`, else the original-language one (the page notes that it is untranslated), never dropped.
    """
    summaries = {k: v for k, v in (record.get("summaries") or {}).items() if isinstance(v, str) and v.strip()}
    original = record.get("language") or next(iter(summaries), lang)
    summary_lang = lang if lang in summaries else original if original in summaries else next(iter(summaries), None)
    if summary_lang is None:
        return None
    summary = summaries[summary_lang]
    titles = record.get("titles") or {}
    title, title_lang = _text(titles.get(lang)), lang
    if not title:
        title, title_lang = _text(record.get("title")), original
    if not title:
        words = summary.split()
        title = " ".join(words[:_TITLE_WORDS]) + (" …" if len(words) > _TITLE_WORDS else "")
        title_lang = summary_lang
    when, dated, with_time = record_when(record)
    flags = [str(f) for f in (record.get("flags") or {}).get(lang, [])]
    cluster, _ = _cluster(record)
    return DigestItem(
        id=str(record["id"]), lang=lang, title=title, title_lang=title_lang, summary=" ".join(summary.split()),
        summary_lang=summary_lang, when=when, dated=dated, timed=dated and with_time,
        sources=[source_of(record), *_extra_sources(record)],
        flags=flags, cluster=cluster, section=_text((record.get("meta") or {}).get("section")),
    )


def slim(record: dict) -> dict:
    """The part of a record that pages are made from (no article text or checks), for an edition's index."""
    out = {k: record[k] for k in _SLIM_KEYS if record.get(k) not in (None, "", {}, [])}
    meta = {k: v for k, v in (record.get("meta") or {}).items() if k in _SLIM_META and v not in (None, "")}
    if meta:
        out["meta"] = meta
    return out


def group_clusters(items: list[DigestItem]) -> list[DigestItem]:
    """One item per story: items that share a cluster id become one, led by the copy best shown in the page's
    language (translated summary, then translated headline, then newest), listing every source.

    Review flags stay the lead's: they are about the summary that is shown."""
    groups: dict[str, list[DigestItem]] = {}
    order: list[DigestItem | str] = []
    for item in items:
        if item.cluster is None:
            order.append(item)
            continue
        if item.cluster not in groups:
            groups[item.cluster] = []
            order.append(item.cluster)
        groups[item.cluster].append(item)
    out = []
    for entry in order:
        if isinstance(entry, DigestItem):
            out.append(entry)
            continue
        members = sorted(groups[entry], key=lambda i: (not i.translated, i.title_lang != i.lang, -i.when.timestamp(),
                                                        i.id))
        lead = members[0]
        seen = {(s.site, s.url) for s in lead.sources}
        for other in members[1:]:
            for src in other.sources:
                if (src.site, src.url) not in seen:
                    seen.add((src.site, src.url))
                    lead.sources.append(src)
        out.append(lead)
    return out


def by_section(items: list[DigestItem]) -> list[tuple[str | None, list[DigestItem]]]:
    """The page's stories grouped by their section, each section where its first story stands (so the section of
    the top story leads), the stories without one last; one group of all (None) when no story has a section."""
    if not any(item.section for item in items):
        return [(None, list(items))] if items else []
    groups: dict[str | None, list[DigestItem]] = {}
    for item in items:
        groups.setdefault(item.section or None, []).append(item)
    return sorted(groups.items(), key=lambda group: group[0] is None)


def newest_first(items: list[DigestItem]) -> list[DigestItem]:
    """Newest day first; within a day, stories with their own time of day newest first, then the others by id.

    An arrival time orders by its day only: it says when a file came in, not when the story ran, and two runs
    (or executors) that read the same files at different moments must make the same page.
    """
    return sorted(items, key=lambda i: (-i.when.date().toordinal(), not i.timed,
                                        -i.when.timestamp() if i.timed else 0, i.id))


def ranked(items: list[DigestItem]) -> list[DigestItem]:
    """Top stories first: the story more outlets carry (its cluster's sources), then the newest (`newest_first`)."""
    order = {id(item): n for n, item in enumerate(newest_first(items))}
    return sorted(items, key=lambda i: (-len({s.site or s.url for s in i.sources}), order[id(i)]))
