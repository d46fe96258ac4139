"""German and French pages and feeds from records with the newsroom fields, as a reader would check them."""

from __future__ import annotations

import re

import feedparser
import pytest
from newsroom_records import records

from digest.output.feeds import render_atom
from digest.output.items import item_from_record
from digest.output.render import Page, render_html, render_markdown

#: newest first: on the 27th the storm (two sources, 09:30), then France Culture (no date of its own: it arrived
#: on the 27th, which orders it by day only), phys.org dated the 26th, Zeit the 25th
ORDER = ["guardian.storm", "franceculture.climat", "phys.org.tool", "zeit.albtraum"]


def _ids(page: str) -> list[str]:
    return re.findall(r'<article id="item-([^"]+)"', page)


@pytest.mark.parametrize(("lang", "heading", "day", "note", "headlines"), [
    ("de", "Nachrichtenüberblick", "27. November 2026", "Nicht auf Deutsch verfügbar; hier auf Englisch.",
     ["Sturm schließt Häfen an der Küste", "Le climat en question", "Crows make tools", "Der Albtraum der Bahn"]),
    ("fr", "Revue de presse", "27 novembre 2026", "Non disponible en français ; affiché en allemand.",
     ["Une tempête ferme les ports de la côte", "Le climat en question", "Les corbeaux fabriquent des outils",
      "Le cauchemar du rail"]),
])
def test_a_page_in_the_readers_language(lang, heading, day, note, headlines):
    page = render_html(records(), lang)
    assert f'<html lang="{lang}" dir="ltr">' in page and f"<h1>{heading}</h1>" in page
    assert _ids(page) == ORDER  # newest first; the wire copy is folded into the storm item
    shown = re.findall(r"<h2[^>]*>(?:<a [^>]*>)?([^<]*)", page)
    assert [h[: len(want)] for h, want in zip(shown, headlines, strict=True)] == headlines
    assert "/tmp/" not in page and ".html ·" not in page and ".txt" not in page  # never a local path
    for outlet in ("ZEIT ONLINE", "The Guardian", "phys.org", "apnews.com"):
        assert outlet in page
    assert '<a href="https://www.theguardian.com/world/storm"' in page
    assert '<a href="https://apnews.com/article/storm"' in page  # the second source of the story, linked
    assert day in page and "Anna Weber" in page
    assert note in page
    md = render_markdown(records(), lang)
    assert md.startswith(f"# {heading}\n") and "/tmp/" not in md and day in md
    assert [m for m in re.findall(r"^## \[?([^\]\n]*)", md, re.M)][0].startswith(headlines[0])


def test_the_german_page_keeps_the_untranslated_story_and_flags_only_when_asked():
    page = render_html(records(), "de")
    crows = page.split('id="item-phys.org.tool"')[1].split("</article>")[0]
    assert '<p class="sum" lang="en">Crows were seen' in crows and "Nicht auf Deutsch verfügbar" in crows
    storm = page.split('id="item-guardian.storm"')[1].split("</article>")[0]
    assert "Prüfen" not in page and "number not in the source" not in page  # a reader page: no review flags
    flagged = render_html(records(), "de", Page(show_flags=True))
    storm = flagged.split('id="item-guardian.storm"')[1].split("</article>")[0]
    assert '<p class="flags">⚑ Prüfen: <span lang="en">number not in the source: 12</span></p>' in storm
    assert "Auch berichtet von" in storm and "von Sam Jones" in storm
    assert "4 Meldungen" in page


def test_the_adapter_falls_back_sensibly():
    item = item_from_record({"id": "x", "summaries": {"en": "One two three."}, "language": "en",
                             "meta": {"url": "https://www.example.com/a", "date": "Tue, 24 Nov 2026 10:00:00 GMT"},
                             "created": "2026-11-27T10:00:00+00:00"}, "it")
    assert item.sources[0].site == "example.com" and item.dated and item.when.day == 24
    assert item.title == "One two three." and not item.translated and item.summary_lang == "en"
    arrival = item_from_record({"id": "y", "title": "T", "summaries": {"de": "S"}, "language": "de",
                                "created": "2026-11-27T10:00:00+00:00"}, "de")
    assert not arrival.dated and arrival.when.isoformat().startswith("2026-11-27")
    assert arrival.sources[0].when is None  # the arrival orders the story but is never shown as its date
    assert arrival.sources[0].site is None and arrival.sources[0].url is None
    assert item_from_record({"id": "z", "summaries": {}}, "de") is None  # nothing to show at all


@pytest.mark.parametrize("lang", ["de", "fr", "es"])
def test_the_atom_feed_parses_with_one_entry_per_item(lang):
    feed = feedparser.parse(render_atom(records(), lang, "2026-11-27", "x"))
    assert not feed.bozo, feed.get("bozo_exception")
    assert [e.id for e in feed.entries][0] == "urn:digest:article:guardian.storm"
    assert len(feed.entries) == len(ORDER)
    storm = feed.entries[0]
    assert storm.link == "https://www.theguardian.com/world/storm"
    assert storm.author == "Sam Jones" and storm.published.startswith("2026-11-27")
    assert "https://apnews.com/article/storm" in [link.href for link in storm.links]
    assert feed.feed.language == lang
    if lang == "de":
        assert storm.title == "Sturm schließt Häfen an der Küste" and storm.summary == "Ein Sturm schloss Häfen."
        assert "Nicht auf Deutsch verfügbar" in feed.entries[2].summary
