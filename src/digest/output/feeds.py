"""Atom feeds, one per language and edition, built with feedgen so RSS readers, a CMS or a bot can subscribe."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from urllib.parse import quote

from .items import DigestItem
from .labels import label, language_name
from .render import items_for

#: the scheme of ids for articles without a URL: stable across runs, unique per article id
_ID = "urn:digest:"


def render_atom(entries: Sequence[dict | DigestItem], lang: str, edition: str, subtitle: str | None = None) -> str:
    """The edition's stories in `lang` as an Atom 1.0 document: headline, summary, link, date, author per entry.

    `updated` is the newest story's date, not the clock, so an unchanged edition gives the same bytes.
    """
    from feedgen.feed import FeedGenerator

    items = items_for(entries, lang)
    heading = label(lang, "heading")
    feed = FeedGenerator()
    feed.id(f"{_ID}edition:{quote(edition, safe='')}:{quote(lang, safe='')}")
    feed.title(f"{heading} · {subtitle}" if subtitle else heading)
    feed.language(lang)
    feed.generator("digest")
    related: dict[str, set[str]] = {}
    feed.updated(max((i.when for i in items), default=datetime(1970, 1, 1, tzinfo=timezone.utc)))
    for item in items:
        lead = item.sources[0]
        entry = feed.add_entry(order="append")
        entry_id = lead.url or f"{_ID}article:{quote(item.id, safe='')}"
        entry.id(entry_id)
        entry.title(item.title)
        summary = item.summary
        if not item.translated:
            summary += " — " + label(lang, "untranslated", language=language_name(lang, lang),
                                     original=language_name(item.summary_lang, lang))
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
