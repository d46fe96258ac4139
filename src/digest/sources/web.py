"""URL inputs -> Articles: feeds, sitemaps (and their indexes), home pages (their advertised feeds) and article
pages, fetched politely (fetch.py), read by the same HTML reader as files, listing metadata filling the gaps."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

from ..inputs.article import Article, Problem, ReadOptions
from ..inputs.formats import parse_text
from ..inputs.ids import safe_id
from ..nlp.encoding import decode_bytes
from .feeds import Item, is_home, parse_listing
from .fetch import Fetcher, FetchError, FetchSettings

STATE_FILE = ".digest-web.json"
_MAX_DEPTH = 3  # home page -> feed, sitemap index -> sitemap -> article
_PARALLEL_HOSTS = 8


def is_url(value: object) -> bool:
    """An http(s) URL input (as opposed to a path or `-`)."""
    return isinstance(value, str) and re.match(r"https?://", value, re.I) is not None


def check_url(value: str) -> str | None:
    """Why `value` is not a usable URL (for a one-line usage error), or None."""
    parts = urlsplit(value)
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "malformed URL (bad port)"
    if not parts.hostname:
        return "malformed URL (no host)"
    if any(ch.isspace() for ch in value):
        return "malformed URL (contains spaces)"
    return None


def read_web(urls: Sequence[str], options: ReadOptions, settings: FetchSettings,
             state_dir: Path | None = None, digested: Collection[str] = ()) -> Iterator[Article | Problem]:
    """Articles of every URL: listings expanded, items fetched with hosts in parallel; each failure a Problem.

    `digested` are the article URLs an earlier run on this OUT digested (its manifest's ok entries): a listing's
    items among them are not fetched again. An item that failed or crashed is not among them, so it is fetched
    again next run, also when its listing answers 304 (its items of the last full read are kept in the state)."""
    fetcher = Fetcher(settings, state_dir / STATE_FILE if state_dir is not None else None)
    done = frozenset(digested)
    try:
        items: list[Item] = []
        for url in dict.fromkeys(urls):
            found = _expand(fetcher, Item(url), options, 0, done)
            for thing in found:
                if isinstance(thing, (Article, Problem)):
                    yield thing
                else:
                    items.append(thing)
        todo = [item for item in dict((i.url, i) for i in items).values()]
        with ThreadPoolExecutor(_PARALLEL_HOSTS) as pool:
            yield from pool.map(lambda item: _article(fetcher, item, options), todo)
    finally:
        fetcher.save()


def _expand(fetcher: Fetcher, item: Item, options: ReadOptions, depth: int,
            done: frozenset[str]) -> list[Item | Article | Problem]:
    """A URL given by the user or listed by a listing: the items it lists, or the article it is."""
    try:
        resp = fetcher.get(item.url, conditional=True)
        if resp.status == 304 and fetcher.listed(item.url) is None and item.url not in done:
            resp = fetcher.get(item.url)  # an unchanged page that was never digested (it failed): read it again
    except FetchError as exc:
        return [Problem(item.url, str(exc), id=_id(item.url))]
    if resp.status == 304:  # unchanged since the last run: what it listed then, less what was digested since
        known = fetcher.listed(item.url)
        if known is None:
            return []
        kind, listed = known
        children = [Item(str(i["url"]), i["meta"] if isinstance(i.get("meta"), dict) else {}) for i in listed]
        return _listed(fetcher, kind, children, options, depth, done)
    listing = parse_listing(resp.body, resp.url, resp.content_type)
    if listing.kind == "page" and (not listing.items or not is_home(resp.url) or depth >= _MAX_DEPTH):
        return [_build(item, resp.body, resp.url, options)]
    if listing.kind == "unknown":
        return [Problem(item.url, f"not a feed, sitemap or HTML page ({resp.content_type or 'no content type'})",
                        id=_id(item.url))]
    if depth >= _MAX_DEPTH:
        return [Problem(item.url, "listings nested too deep", id=_id(item.url))]
    fetcher.remember(item.url, listing.kind, [{"url": it.url, "meta": it.meta} for it in listing.items])
    return _listed(fetcher, listing.kind, listing.items, options, depth, done)


def _listed(fetcher: Fetcher, kind: str, items: list[Item], options: ReadOptions, depth: int,
            done: frozenset[str]) -> list[Item | Article | Problem]:
    """A feed's or sitemap's articles not yet digested; a sitemap index's sitemaps, a home page's feeds, expanded."""
    if kind in ("feed", "sitemap"):
        return [it for it in items if it.url not in done]
    out: list[Item | Article | Problem] = []
    for child in items:
        out.extend(_expand(fetcher, child, options, depth + 1, done))
    return out


def _article(fetcher: Fetcher, item: Item, options: ReadOptions) -> Article | Problem:
    try:
        resp = fetcher.get(item.url)
    except FetchError as exc:
        return Problem(item.url, str(exc), id=_id(item.url))
    return _build(item, resp.body, resp.url, options)


def _build(item: Item, body: bytes, final_url: str, options: ReadOptions) -> Article | Problem:
    """The page read as an HTML file is, then the listing's title, date, author, language and site fill gaps."""
    decoded = decode_bytes(body)
    if decoded is None or not decoded[0].strip():
        return Problem(item.url, "empty or binary response, not an HTML page", id=_id(item.url))
    result = parse_text(decoded[0], source=item.url, fallback_id=_id(item.url), fmt="html", options=options)[0]
    if isinstance(result, Problem):
        return result
    meta = result.meta
    if not is_url(meta.get("url")):  # the page's canonical URL when it names one, else where it was fetched
        meta["url"] = final_url
    if item.meta.get("date") and meta.get("date_source") == "text":  # the listing's date over one read off text
        meta.pop("date")
        meta.pop("date_source")
    for key in ("date", "author", "sitename", "section"):
        if item.meta.get(key) and not meta.get(key):
            meta[key] = item.meta[key]
    if not result.title and item.meta.get("title"):
        result.title = item.meta["title"]
    if item.meta.get("language") and meta.get("language_source") in ("detected", "fallback", None):
        from ..nlp.language import decide_language  # the page declares no language: the listing's, if the text agrees

        decision = decide_language(result.text, str(item.meta["language"]))
        if decision.how == "field" and decision.language:
            result.language = decision.language
            meta["language_source"] = "listing"
            meta.pop("language_alternatives", None)
    return dataclasses.replace(result, url=None, site=None, date=None, author=None)  # the fields, from meta anew


def _id(url: str) -> str:
    """host + path without the extension: http://example.org/2024/05/story.html -> example.org-2024-05-story."""
    parts = urlsplit(url)
    path = re.sub(r"\.[A-Za-z0-9]{1,5}$", "", parts.path)
    return safe_id(f"{parts.hostname or ''}-{path}{('-' + parts.query) if parts.query else ''}")
