"""What a fetched document lists: the items of an RSS/Atom/JSON feed (feedparser), the URLs of a sitemap or
sitemap index (news sitemaps with their dates), or the feeds a home page advertises."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/json")


@dataclass(frozen=True)
class Item:
    """A link to an article with what the listing said about it (fills what the page lacks)."""

    url: str
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Listing:
    kind: str  # feed, sitemap, sitemapindex, page
    items: list[Item]


def parse_listing(body: bytes, url: str, content_type: str) -> Listing:
    """What kind of document this is, and what it links to."""
    head = body[:2048].lstrip().lower()
    if b"<urlset" in body[:4096].lower() or b"<sitemapindex" in body[:4096].lower():
        return _sitemap(body, url)
    if b"<html" in head or b"<!doctype html" in head or "html" in content_type:
        return Listing("page", _advertised(body, url))
    if head.startswith(b"{"):
        return _json_feed(body, url)
    import feedparser

    parsed = feedparser.parse(body, response_headers={"content-location": url, "content-type": content_type})
    if parsed.get("version") or parsed.entries:
        return Listing("feed", [_entry(e, parsed.feed, url) for e in parsed.entries if e.get("link")])
    return Listing("unknown", [])


def _entry(entry: dict, feed: dict, base: str) -> Item:
    meta: dict = {}
    if entry.get("title"):
        meta["title"] = " ".join(str(entry["title"]).split())
    for key in ("published", "updated", "created"):  # published over modified
        if entry.get(key):
            meta["date"] = entry[key]
            break
    if entry.get("author"):
        meta["author"] = entry["author"]
    language = entry.get("language") or feed.get("language")
    if language:
        meta["language"] = language
    if feed.get("title"):
        meta["sitename"] = " ".join(str(feed["title"]).split())
    tags = entry.get("tags") or []
    category = next((t.get("term") for t in tags if isinstance(t, dict) and isinstance(t.get("term"), str)
                     and t["term"].strip()), None)
    if category:  # the feed's own <category> (RSS) or <category term> (Atom): the story's section
        meta["section"] = " ".join(category.split())[:80]
    return Item(urljoin(base, entry["link"]), meta)


def _json_feed(body: bytes, url: str) -> Listing:
    """JSON Feed 1.0/1.1 (jsonfeed.org), which feedparser does not read: plain JSON with documented keys."""
    try:
        data = json.loads(body)
    except ValueError:
        return Listing("unknown", [])
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith("https://jsonfeed.org/version/"):
        return Listing("unknown", [])
    items = []
    for entry in data.get("items") or []:
        link = isinstance(entry, dict) and (entry.get("url") or entry.get("external_url"))
        if not isinstance(link, str):
            continue
        authors = entry.get("authors") or ([entry["author"]] if isinstance(entry.get("author"), dict) else [])
        names = [a["name"] for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)]
        meta = {"title": entry.get("title"), "date": entry.get("date_published") or entry.get("date_modified"),
                "author": ", ".join(names) or None, "language": entry.get("language") or data.get("language"),
                "sitename": data.get("title")}
        items.append(Item(urljoin(url, link), {k: v for k, v in meta.items() if isinstance(v, str) and v.strip()}))
    return Listing("feed", items)


def _sitemap(body: bytes, url: str) -> Listing:
    from lxml import etree

    try:
        root = etree.fromstring(body, parser=etree.XMLParser(resolve_entities=False, no_network=True, recover=True))
    except etree.XMLSyntaxError:
        return Listing("unknown", [])
    if root is None:
        return Listing("unknown", [])
    kind = "sitemapindex" if etree.QName(root).localname == "sitemapindex" else "sitemap"
    items = []
    for node in root:
        if not isinstance(node.tag, str):
            continue
        values: dict[str, str] = {}
        for child in node.iter():
            if isinstance(child.tag, str) and child.text and child.text.strip():
                values.setdefault(etree.QName(child).localname, child.text.strip())
        if not values.get("loc"):
            continue
        meta = {}
        if values.get("publication_date"):
            meta["date"] = values["publication_date"]
        elif values.get("lastmod") and kind == "sitemap":
            meta["date"] = values["lastmod"]
        if values.get("title"):
            meta["title"] = values["title"]
        if values.get("language"):
            meta["language"] = values["language"]
        if values.get("name"):
            meta["sitename"] = values["name"]
        items.append(Item(urljoin(url, values["loc"]), meta))
    return Listing(kind, items)


def _advertised(body: bytes, url: str) -> list[Item]:
    """The feeds a page advertises with <link rel="alternate" type="application/rss+xml" href=...>."""
    from lxml import html

    try:
        doc = html.fromstring(body)
    except (ValueError, TypeError):
        return []
    feeds = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().strip()
        if "alternate" in rel and kind in _FEED_TYPES and link.get("href"):
            feeds.append(Item(urljoin(url, link.get("href").strip())))
    return list({item.url: item for item in feeds}.values())


def is_home(url: str) -> bool:
    """A site's front page (no path), where advertised feeds are what a reader wants."""
    from urllib.parse import urlsplit

    return re.fullmatch(r"/?(index\.\w+)?", urlsplit(url).path or "/") is not None
