"""An editor holds a story off every reader page and feed, then releases it; only the pages concerned change."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from types import SimpleNamespace

import feedparser
from click.testing import CliRunner
from newsroom_records import records

from digest.cli import cli
from digest.output.editions import hold, publish
from digest.output.store import Store
from digest.records import ArticleRecord

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=timezone.utc)
OUTPUT = SimpleNamespace(edition="day", timezone="UTC", formats=["md", "html"])


def _published(tmp_path):
    store = Store(tmp_path)
    for record in records():
        store.save(ArticleRecord.from_json(record))
    publish(store, records(), OUTPUT, languages=["de"], now=NOW)
    return store


def test_a_held_story_leaves_every_reader_page_and_feed_until_released(tmp_path):
    store = _published(tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    written = {str(p.relative_to(tmp_path)) for p in hold(store, ["zeit.albtraum"], OUTPUT, now=NOW)}
    assert json.loads((tmp_path / "holds.json").read_text())["held"] == ["zeit.albtraum"]
    for name in ("digest.de.html", "digest.de.md", "feed.de.atom", "editions/2026-11-25/digest.de.html",
                 "editions/2026-11-25/feed.de.atom"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "Albtraum" not in text and "zeit.albtraum" not in text, name
        assert name in written
    assert not any(n.startswith(("editions/2026-11-26/", "editions/2026-11-27/")) for n in written), written
    assert (tmp_path / "editions/2026-11-27/digest.de.html").read_bytes() == before[
        tmp_path / "editions/2026-11-27/digest.de.html"]
    # a later run keeps it held
    publish(store, [records()[1]], OUTPUT, languages=["de"], now=NOW)
    assert "Albtraum" not in (tmp_path / "digest.de.html").read_text(encoding="utf-8")
    hold(store, ["zeit.albtraum"], OUTPUT, held=False, now=NOW)
    assert "Albtraum" in (tmp_path / "digest.de.html").read_text(encoding="utf-8")
    feed = feedparser.parse((tmp_path / "editions/2026-11-25/feed.de.atom").read_bytes())
    assert [e.id for e in feed.entries] == ["urn:digest:article:zeit.albtraum"]


def test_the_cli_holds_and_releases_and_names_what_it_does_not_know(tmp_path):
    _published(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["hold", "guardian.storm", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Sturm schließt" not in (tmp_path / "digest.de.html").read_text(encoding="utf-8")
    result = runner.invoke(cli, ["release", "guardian.storm", "-o", str(tmp_path)])
    assert result.exit_code == 0 and "Sturm schließt" in (tmp_path / "digest.de.html").read_text(encoding="utf-8")
    result = runner.invoke(cli, ["hold", "no.such", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "no published story with id no.such" in result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1
    result = runner.invoke(cli, ["hold", "x", "-o", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "no published digest here" in result.output
