"""The front page: the last hours' stories, topped up to min_stories, capped at max_stories, most covered first."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from digest.config import ConfigError, load_config
from digest.output.editions import Editions, publish
from digest.output.front import Front, front_items
from digest.output.items import future_date, item_from_record, record_when
from digest.output.render import render_html
from digest.output.store import Store

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def _record(n: int, hours_ago: float, cluster: str | None = None, site: str | None = None) -> dict:
    when = NOW - timedelta(hours=hours_ago)
    return {"id": f"a{n:03d}", "title": f"Story {n}", "language": "en", "summaries": {"en": f"Summary {n}."},
            "date": when.isoformat(), "created": NOW.isoformat(), "site": site or f"site{n}.example",
            **({"cluster": cluster} if cluster else {})}


def _ids(page: str) -> list[str]:
    return re.findall(r'<article id="item-([^"]+)"', page)


def test_the_last_hours_are_shown_and_older_stories_fill_up_to_the_minimum():
    records = [_record(n, hours_ago=n * 5) for n in range(10)]  # a000 now … a009 45 hours ago
    items = front_items(records, "en", NOW, Front(hours=24, min_stories=3, max_stories=100))
    assert [i.id for i in items] == ["a000", "a001", "a002", "a003", "a004"]  # the last 24 hours: 0..20 h
    items = front_items(records, "en", NOW, Front(hours=24, min_stories=7, max_stories=100))
    assert [i.id for i in items] == [f"a{n:03d}" for n in range(7)]  # the newest fill it
    items = front_items(records, "en", NOW, Front(hours=100, min_stories=0, max_stories=4))
    assert len(items) == 4


def test_a_story_more_outlets_carry_ranks_first_and_the_cap_keeps_it():
    records = [_record(n, hours_ago=n) for n in range(5)]
    records += [_record(10, 6, cluster="wire", site="AP"), _record(11, 7, cluster="wire", site="Reuters"),
                _record(12, 8, cluster="wire", site="AFP")]
    items = front_items(records, "en", NOW, Front(hours=24, min_stories=0, max_stories=3))
    assert items[0].cluster == "wire" and len(items[0].sources) == 3
    assert [i.id for i in items[1:]] == ["a000", "a001"]  # then by recency; the cap drops the rest
    page = render_html(items, "en")
    assert _ids(page)[0] == "a000"  # an edition page stays newest first …
    from digest.output.render import Page

    assert _ids(render_html(items, "en", Page(top=True)))[0] == items[0].id  # … the front page is ranked


def test_a_date_far_in_the_future_is_unknown_and_never_shown():
    typo = {"id": "t", "title": "Typo", "language": "en", "summaries": {"en": "S."}, "date": "2062-11-27",
            "created": "2026-11-27T08:00:00+00:00"}
    when, dated, _ = record_when(typo)
    assert not dated and when.year == 2026 and future_date(typo)
    item = item_from_record(typo, "en")
    assert item is not None and item.sources[0].when is None
    page = render_html([typo], "en")
    assert "2062" not in page and "27 November 2026" not in page  # no false date, and no arrival time as one
    tomorrow = {**typo, "date": "2026-11-28T06:00:00+00:00"}  # within the tolerance (time zones, embargoes)
    assert record_when(tomorrow)[1] and not future_date(tomorrow)


def test_the_front_page_is_not_pinned_by_a_typo_and_reads_only_the_newest_editions(tmp_path, monkeypatch):
    store = Store(tmp_path)
    old = [_record(n, hours_ago=24 * (n + 2)) for n in range(30)]  # one a day, two days ago and older
    typo = {**_record(99, 0), "date": "2062-01-01", "title": "From the future"}
    output = SimpleNamespace(edition="day", timezone="UTC", formats=["html"], front={"min_stories": 5})
    publish(store, [*old, typo], output, now=NOW)
    page = (tmp_path / "digest.en.html").read_text(encoding="utf-8")
    assert _ids(page)[0] == "a099" and len(_ids(page)) == 5 and "2062" not in page
    read: list[str] = []
    original = Editions._items

    def spy(self, key):
        read.append(key)
        return original(self, key)

    monkeypatch.setattr(Editions, "_items", spy)
    publish(store, [_record(50, 1)], output, now=NOW)
    assert len(read) <= 6, read  # the new story's edition and the newest few, not all 31
    # a timed story before an arrival-dated one of the same day (see items.newest_first)
    assert _ids((tmp_path / "digest.en.html").read_text(encoding="utf-8"))[:2] == ["a050", "a099"]


def test_a_bad_front_config_is_one_line():
    with pytest.raises(ConfigError, match="output.front.hours"):
        load_config(None, **{"output.front": {"hours": 0}})
    assert load_config(None).output.front.min_stories == 20


def test_the_record_says_why_its_date_was_set_aside():
    from digest.output.items import note_future_date
    from digest.records import ArticleRecord

    record = ArticleRecord(id="t", date="2062-11-27", created="2026-11-27T08:00:00+00:00")
    note_future_date(record)
    assert record.to_json()["meta"]["date_set_aside"].startswith("2062-11-27: more than 1 day after")
    fine = ArticleRecord(id="f", date="2026-11-27", created="2026-11-27T08:00:00+00:00")
    note_future_date(fine)
    assert "date_set_aside" not in fine.meta
