"""Atom feeds, one per language and edition, built with feedgen so RSS readers, a CMS or a bot can subscribe."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from urllib.parse import quote, urljoin, urlsplit

from .items import DigestItem
from .labels import label
from .render import items_for, untranslated_note

#: the scheme of ids for articles without a URL: stable across runs, unique per article id
_ID = "urn:digest:"
#: the feed's author when the config names no newsroom and no base URL
_AUTHOR = "digest"


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself: who publishes it, where it lives (`base_url` + `path`) and when it was built.

    Without `base_url` the self and alternate links are relative to the feed file (a reader that fetched the feed
    resolves them against its own address); with one they are absolute.
    """

    author: str | None = None
    base_url: str | None = None
    path: str | None = None
    updated: datetime | None = None

    def at(self, path: str, now: datetime) -> FeedInfo:
        """This newsroom's feed at `path` (relative to OUT), built at `now`."""
        return replace(self, path=path, updated=now.replace(microsecond=0))

    def href(self, name: str) -> str:
        """The address of `name`, a file next to the feed: absolute under `base_url`, else relative."""
        if not self.base_url:
            return name
        folder = self.path.rsplit("/", 1)[0] + "/" if self.path and "/" in self.path else ""
        return urljoin(self.base_url.rstrip("/") + "/", folder + name)

    def publisher(self) -> str:
        """The feed-level author Atom requires when an entry names none: the newsroom, else the site's host."""
        host = urlsplit(self.base_url).hostname if self.base_url else None
        return self.author or host or _AUTHOR


def render_atom(entries: Sequence[dict | DigestItem], lang: str, edition: str, subtitle: str | None = None,
                info: FeedInfo | None = None) -> str:
    """The edition's stories in `lang` as an Atom 1.0 document: headline, summary, link, date, author per entry.

    The feed's `updated` is its build time (`info.updated`; without one the newest story's date, so a test gets
    the same bytes twice). Entry ids are per article (`urn:digest:article:<id>`), never the URL two copies share.
    """
    from feedgen.feed import FeedGenerator

    items = items_for(entries, lang)
    info = info or FeedInfo()
    heading = info.author or label(lang, "heading")  # the newsroom's masthead, as on its pages
    feed = FeedGenerator()
    feed.id(f"{_ID}edition:{quote(edition, safe='')}:{quote(lang, safe='')}")
    feed.title(f"{heading} · {subtitle}" if subtitle else heading)
    feed.language(lang)
    feed.generator("digest")
    feed.author({"name": info.publisher()})
    name = (info.path or f"feed.{lang}.atom").rsplit("/", 1)[-1]
    feed.link(href=info.href(name), rel="self", type="application/atom+xml")
    feed.link(href=info.href(f"digest.{lang}.html"), rel="alternate", type="text/html")
    related: dict[str, set[str]] = {}
    newest = max((i.when for i in items), default=datetime(1970, 1, 1, tzinfo=timezone.utc))
    feed.updated(info.updated or newest)
    for item in items:
        lead = item.sources[0]
        entry = feed.add_entry(order="append")
        entry_id = f"{_ID}article:{quote(item.id, safe='')}"
        entry.id(entry_id)
        entry.title(item.title)
        summary = item.summary
        if not item.translated:
            summary += " — " + untranslated_note(item)
        entry.summary(summary)
        if lead.url:
            entry.link(href=lead.url, rel="alternate", title=lead.site or None)
        else:  # Atom wants a link or a content element; without a URL the summary is the content
            entry.content(summary, type="text")
        for other in item.sources[1:]:
            if other.url and other.url != lead.url:
                entry.link(href=other.url, rel="related", title=other.site or None)
                related.setdefault(entry_id, set()).add(other.url)
        entry.updated(item.when)
        if item.dated:  # an arrival time is no article's publication date
            entry.published(lead.when or item.when)
        authors = [{"name": s.author} for s in item.sources if s.author]
        if authors:
            entry.author(authors)
    return _with_link_relations(feed.atom_str(pretty=True), related).decode("utf-8")


def _with_link_relations(atom: bytes, related: dict[str, set[str]]) -> bytes:
    """feedgen 1.0 drops every link's `rel` (its writer reads the attribute from the new element), so an Atom
    reader would take a second source for the article's own link: mark the other sources rel="related"."""
    if not related:
        return atom
    from lxml import etree

    atom_ns = "{http://www.w3.org/2005/Atom}"
    root = etree.fromstring(atom)
    for entry in root.iter(f"{atom_ns}entry"):
        others = related.get(entry.findtext(f"{atom_ns}id") or "", set())
        for link in entry.iter(f"{atom_ns}link"):
            if link.get("href") in others and link.get("rel") is None:
                link.set("rel", "related")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
