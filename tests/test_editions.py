"""Editions: pages per day (week, run, all) that a run updates incrementally, never by re-reading OUT."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from types import SimpleNamespace

import feedparser
import pytest
from newsroom_records import records

from digest.config import ConfigError, load_config
from digest.output.editions import Editions, edition_key, publish, zone
from digest.output.store import Store
from digest.records import ArticleRecord

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=timezone.utc)
OUTPUT = SimpleNamespace(edition="day", timezone="UTC", formats=["md", "html", "email"])


def _state(out):
    """Every file under OUT/editions and OUT/*.html|md|atom with its bytes."""
    files = [p for p in out.rglob("*") if p.is_file() and "articles" not in p.parts]
    return {str(p.relative_to(out)): p.read_bytes() for p in files}


@pytest.fixture
def out(tmp_path):
    store = Store(tmp_path)
    for record in records():
        store.save(ArticleRecord.from_json(record))
    publish(store, records(), OUTPUT, languages=["de", "fr"], now=NOW)
    return tmp_path


def test_one_edition_per_day_and_the_front_page_on_top(out):
    assert sorted(p.name for p in (out / "editions").iterdir() if not p.name.startswith(".")) == [
        "2026-11-25", "2026-11-26", "2026-11-27", "index.json"]
    day = out / "editions" / "2026-11-27"
    assert {p.name for p in day.iterdir()} >= {"items.jsonl", "digest.de.html", "digest.de.md",
                                                "digest.de.email.html", "feed.de.atom", "feed.fr.atom"}
    latest = (out / "digest.de.html").read_text(encoding="utf-8")
    # the front page: fewer than min_stories (20) in the last 24 hours, so every story, the storm (2 outlets) first
    assert "Neueste Ausgabe" in latest and "4 Meldungen" in latest
    assert latest.index('id="item-guardian.storm"') < latest.index('id="item-franceculture.climat"')
    assert 'href="editions/' not in latest and 'href="index.html"' in latest  # links work from OUT/
    assert "2 Meldungen" in (day / "digest.de.html").read_text(encoding="utf-8")
    feed = feedparser.parse((day / "feed.de.atom").read_bytes())
    assert not feed.bozo and len(feed.entries) == 2  # the storm (two sources) and France Culture
    entries = feedparser.parse((out / "feed.fr.atom").read_bytes()).entries
    assert [e.title for e in entries][:2] == ["Une tempête ferme les ports de la côte", "Le climat en question"]
    assert len(entries) == 4
    index = (out / "index.html").read_text(encoding="utf-8")
    for key in ("2026-11-25", "2026-11-26", "2026-11-27"):
        assert f'href="editions/{key}/digest.de.html"' in index and f'href="editions/{key}/feed.fr.atom"' in index
    assert "Ausgabe vom 25. November 2026" in index and "Édition du 26 novembre 2026" in index


def test_a_new_article_rewrites_only_its_edition_without_reading_out(out, monkeypatch):
    before = _state(out)
    monkeypatch.setattr(Store, "records", lambda self: pytest.fail("a run must not read every record"))
    new = {"id": "late", "title": "Late news", "language": "en", "summaries": {"en": "Late.", "de": "Spät."},
           "meta": {"date": "2026-11-26"}, "created": "2026-11-28T05:00:00+00:00"}
    written = publish(Store(out), [new], OUTPUT, languages=["de", "fr"], now=NOW)
    after = _state(out)
    changed = {name for name in after if before.get(name) != after[name]}
    names = {str(p.relative_to(out)) for p in written}
    assert {n for n in changed if not n.startswith("editions/.ids/") and n != "editions/index.json"} <= names
    front = ("digest.", "feed.", "review.")  # the front page and review desk: from the newest editions, not OUT
    assert all(n.startswith(("editions/2026-11-26/", *front)) or n == "index.html" for n in names), names
    assert all(n.startswith(("editions/2026-11-26/", "editions/.ids/", "editions/index.json", "index.html", *front))
               for n in changed), changed
    assert "Spät." in after["editions/2026-11-26/digest.de.html"].decode()
    assert "editions/2026-11-27/digest.de.html" not in changed and "editions/2026-11-25/digest.de.html" not in changed


def test_an_article_whose_date_changed_leaves_its_old_edition(out):
    moved = {**records()[0], "meta": {**records()[0]["meta"], "date": "2026-11-27"}}  # Zeit: 25th → 27th
    publish(Store(out), [moved], OUTPUT, languages=["de"], now=NOW)
    assert not (out / "editions" / "2026-11-25").exists()  # its only story left, so the edition is gone
    assert "Der Albtraum der Bahn" in (out / "digest.de.html").read_text(encoding="utf-8")
    assert "2026-11-25" not in json.loads((out / "editions" / "index.json").read_text())["editions"]


def test_editions_are_built_once_from_out_when_missing(tmp_path):
    store = Store(tmp_path)
    for record in records():
        store.save(ArticleRecord.from_json(record))
    publish(store, [], SimpleNamespace(edition="all", timezone="UTC", formats=["html"]), now=NOW)
    page = (tmp_path / "editions" / "all" / "digest.en.html").read_text(encoding="utf-8")
    assert page.count("<article") == 4 and "All stories" in page
    assert (tmp_path / "digest.en.html").read_bytes() != b""


def test_keys_follow_the_time_zone_and_mode():
    late = {"id": "x", "meta": {"date": "2026-11-27T23:30:00+00:00"}}
    assert edition_key(late, "day", zone("UTC"), NOW) == "2026-11-27"
    assert edition_key(late, "day", zone("Europe/Berlin"), NOW) == "2026-11-28"
    bare_date = {"id": "y", "meta": {"date": "2026-11-27"}}
    assert edition_key(bare_date, "day", zone("Pacific/Auckland"), NOW) == "2026-11-27"
    assert edition_key({"id": "z", "created": "2026-11-26T10:00:00+00:00"}, "day", zone("UTC"), NOW) == "2026-11-26"
    assert edition_key(late, "week", zone("UTC"), NOW) == "2026-W48"
    assert edition_key(late, "run", zone("UTC"), NOW) == "2026-11-28T060000Z"
    assert edition_key(late, "all", zone("UTC"), NOW) == "all"


def test_a_new_mode_rebuilds_and_a_bad_config_is_one_line(out):
    publish(Store(out), [], SimpleNamespace(edition="week", timezone="UTC", formats=["md"]), now=NOW)
    assert sorted(p.name for p in (out / "editions").iterdir() if not p.name.startswith(".")) == [
        "2026-W48", "index.json"]
    with pytest.raises(ConfigError, match="'output.edition' must be one of day, week, run, all"):
        load_config(None, **{"output.edition": "month"})
    with pytest.raises(ConfigError, match="'output.timezone': unknown time zone 'Mars/Base'"):
        load_config(None, **{"output.timezone": "Mars/Base"})
    with pytest.raises(ConfigError, match="cluster.threshold"):
        load_config(None, **{"cluster.threshold": 1.5})
    with pytest.raises(ValueError, match="unknown edition mode"):
        Editions(Store(out), "month")


def test_the_index_links_to_the_pages_that_were_rendered(tmp_path):
    """With Markdown only, the index must not point at HTML pages that were never written."""
    store = Store(tmp_path)
    publish(store, records(), SimpleNamespace(edition="day", timezone="UTC", formats=["md"]), languages=["de"],
            now=NOW)
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="editions/2026-11-27/digest.de.md"' in index and "digest.de.html" not in index
    assert (tmp_path / "editions" / "2026-11-27" / "digest.de.md").is_file()
