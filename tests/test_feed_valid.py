"""Feeds that validate: the Atom 1.0 rules of RFC 4287 (section 4), checked element by element, and feedparser."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from types import SimpleNamespace

import feedparser
import pytest
from lxml import etree
from newsroom_records import records

from digest.output.editions import publish
from digest.output.feeds import FeedInfo, render_atom
from digest.output.store import Store
from digest.records import ArticleRecord

A = "{http://www.w3.org/2005/Atom}"
#: RFC 3339 date-time (RFC 4287 3.3): a time and a zone are required
DATE = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
NOW = datetime(2026, 11, 28, 6, 0, tzinfo=timezone.utc)


def atom_errors(xml: str | bytes) -> list[str]:
    """Every breach of RFC 4287's must-rules for atom:feed and atom:entry in `xml`; [] when valid."""
    root = etree.fromstring(xml.encode() if isinstance(xml, str) else xml)
    errors = []
    if root.tag != f"{A}feed":
        return [f"root is {root.tag}, not atom:feed"]

    def one(parent: etree._Element, name: str, where: str) -> None:
        found = parent.findall(f"{A}{name}")
        if len(found) != 1:
            errors.append(f"{where} has {len(found)} atom:{name}, must have exactly one")
        for el in found:
            if name == "updated" and not DATE.match((el.text or "").strip()):
                errors.append(f"{where} atom:updated {el.text!r} is not an RFC 3339 date-time")
            if name == "id" and not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", (el.text or "").strip()):
                errors.append(f"{where} atom:id {el.text!r} is not an absolute IRI")

    def links(parent: etree._Element, where: str) -> list[etree._Element]:
        found = parent.findall(f"{A}link")
        seen = set()
        for link in found:
            if not link.get("href"):
                errors.append(f"{where} has an atom:link without href")
            if (link.get("rel") or "alternate") == "alternate":
                key = (link.get("type"), link.get("hreflang"))
                if key in seen:
                    errors.append(f"{where} has two alternate links of type/hreflang {key}")
                seen.add(key)
        return found

    for name in ("id", "title", "updated"):
        one(root, name, "feed")
    feed_links = links(root, "feed")
    if not any(link.get("rel") == "self" for link in feed_links):
        errors.append("feed has no rel=self link (RFC 4287 4.1.1 SHOULD)")
    feed_author = root.find(f"{A}author") is not None
    ids = []
    for n, entry in enumerate(root.findall(f"{A}entry")):
        where = f"entry {n}"
        for name in ("id", "title", "updated"):
            one(entry, name, where)
        ids.append(entry.findtext(f"{A}id"))
        entry_links = links(entry, where)
        if entry.find(f"{A}content") is None and not any(
                (link.get("rel") or "alternate") == "alternate" for link in entry_links):
            errors.append(f"{where} has neither atom:content nor an alternate link")
        if not feed_author and entry.find(f"{A}author") is None and entry.find(f"{A}source/{A}author") is None:
            errors.append(f"{where} has no atom:author and neither has the feed")
        for author in entry.findall(f"{A}author") + root.findall(f"{A}author"):
            if not (author.findtext(f"{A}name") or "").strip():
                errors.append(f"{where}: an atom:author without a name")
        published = entry.findtext(f"{A}published")
        if published is not None and not DATE.match(published.strip()):
            errors.append(f"{where} atom:published {published!r} is not an RFC 3339 date-time")
    if len(set(ids)) != len(ids):
        errors.append(f"entry ids repeat: {ids}")
    return errors


def test_the_checker_catches_what_breaks_atom():
    """Control: a feed without author, self link or dates fails, so a pass below means something."""
    bad = ('<feed xmlns="http://www.w3.org/2005/Atom"><id>x:1</id><title>T</title><updated>2026-11-27</updated>'
           '<entry><id>x:2</id><title>a</title><updated>2026-11-27T10:00:00Z</updated></entry>'
           '<entry><id>x:2</id><title>b</title><updated>2026-11-27T10:00:00Z</updated><content>c</content></entry>'
           "</feed>")
    errors = " | ".join(atom_errors(bad))
    for problem in ("not an RFC 3339", "rel=self", "neither atom:content", "no atom:author", "ids repeat"):
        assert problem in errors


@pytest.mark.parametrize("lang", ["de", "fr", "es"])
def test_a_feed_is_valid_atom_with_its_author_links_and_build_time(lang):
    title = "Küstenbote"
    info = FeedInfo(title, "https://news.example.org/digest/").at(f"feed.{lang}.atom", NOW)
    xml = render_atom(records(), lang, "2026-11-27", "x", info)
    assert atom_errors(xml) == []
    feed = feedparser.parse(xml)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.author == title and feed.feed.updated.startswith("2026-11-28T06:00:00")
    assert feed.feed.title == f"{title} · x"
    rels = {link.rel: link.href for link in feed.feed.links}
    assert rels == {"self": f"https://news.example.org/digest/feed.{lang}.atom",
                    "alternate": f"https://news.example.org/digest/digest.{lang}.html"}
    undated = next(e for e in feed.entries if e.id.endswith("franceculture.climat"))
    assert "published" not in undated  # it has no date of its own: its arrival time is not its publication


def test_without_a_base_url_links_are_relative_and_the_author_is_named():
    xml = render_atom(records(), "de", "2026-11-27")
    assert atom_errors(xml) == []
    feed = feedparser.parse(xml)
    assert feed.feed.author == "digest"
    assert {link.rel: link.href for link in feed.feed.links} == {"self": "feed.de.atom", "alternate": "digest.de.html"}
    assert FeedInfo(base_url="https://n.example/").publisher() == "n.example"


def test_two_articles_with_one_url_get_two_ids():
    twins = [{"id": i, "title": f"T{i}", "language": "en", "summaries": {"en": "S."}, "url": "https://ex.org/a",
              "date": "2026-11-27"} for i in ("a", "b")]
    feed = feedparser.parse(render_atom(twins, "en", "2026-11-27"))
    assert sorted(e.id for e in feed.entries) == ["urn:digest:article:a", "urn:digest:article:b"]
    assert atom_errors(render_atom(twins, "en", "2026-11-27")) == []


def test_published_feeds_validate_and_carry_the_build_time(tmp_path):
    store = Store(tmp_path)
    for record in records():
        store.save(ArticleRecord.from_json(record))
    output = SimpleNamespace(edition="day", timezone="UTC", formats=["md", "html"], title="Küstenbote",
                             base_url="https://news.example.org/digest")
    publish(store, records(), output, languages=["de"], now=NOW)
    for path in [tmp_path / "feed.de.atom", *sorted((tmp_path / "editions").glob("*/feed.de.atom"))]:
        xml = path.read_bytes()
        assert atom_errors(xml) == [], path
        feed = feedparser.parse(xml)
        assert feed.feed.updated.startswith("2026-11-28T06:00:00") and feed.feed.author == "Küstenbote"
        self_href = next(link.href for link in feed.feed.links if link.rel == "self")
        assert self_href == "https://news.example.org/digest/" + str(path.relative_to(tmp_path))
