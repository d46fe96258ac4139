"""The review desk: every flagged story of the front page, with its source sentences, summary and translation."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from types import SimpleNamespace

from newsroom_records import records

from digest.output.editions import hold, publish
from digest.output.review import source_sentences
from digest.output.store import Store
from digest.records import ArticleRecord

NOW = datetime(2026, 11, 28, 6, 0, tzinfo=timezone.utc)
OUTPUT = SimpleNamespace(edition="day", timezone="UTC", formats=["html"])
TEXT = ("Heavy weather hit the north on Friday. A storm closed ports along the coast for a day. "
        "Fishermen stayed home. <script>alert(1)</script> was in the page.")


def _out(tmp_path):
    store = Store(tmp_path)
    rows = records()
    rows[1] = {**rows[1], "text": TEXT}
    rows[0] = {**rows[0], "flags": {"en": ["name not in the source: <b>Bahn</b>"]}}
    for record in rows:
        store.save(ArticleRecord.from_json(record))
    publish(store, rows, OUTPUT, languages=["de"], now=NOW)
    return store


def test_the_desk_lists_each_flag_with_its_evidence_newest_first(tmp_path):
    store = _out(tmp_path)
    items = json.loads((tmp_path / "review.json").read_text(encoding="utf-8"))["items"]
    assert [(i["id"], i["language"]) for i in items] == [("guardian.storm", "de"), ("zeit.albtraum", "en")]
    storm = items[0]
    assert storm["flags"] == ["number not in the source: 12"] and storm["summary"] == "A storm closed ports."
    assert storm["translation"] == "Ein Sturm schloss Häfen."
    assert storm["source_sentences"] == ["A storm closed ports along the coast for a day."]
    assert not storm["held"] and storm["url"] == "https://www.theguardian.com/world/storm"
    page = (tmp_path / "review.html").read_text(encoding="utf-8")
    assert "number not in the source: 12" in page and "A storm closed ports along the coast" in page
    assert "<b>Bahn</b>" not in page and "&lt;b&gt;Bahn&lt;/b&gt;" in page  # escaped
    reader = (tmp_path / "digest.de.html").read_text(encoding="utf-8")
    assert "number not in the source" not in reader  # the flags live here, not on the reader page
    hold(store, ["guardian.storm"], OUTPUT, now=NOW)
    items = json.loads((tmp_path / "review.json").read_text(encoding="utf-8"))["items"]
    assert items[0]["id"] == "guardian.storm" and items[0]["held"]  # the editor still sees what is held
    assert "held" in (tmp_path / "review.html").read_text(encoding="utf-8")


def test_source_sentences_pick_what_each_summary_sentence_rests_on():
    assert source_sentences(TEXT, "Ports closed. Fishermen stayed home.", "en") == [
        "A storm closed ports along the coast for a day.", "Fishermen stayed home."]
    assert source_sentences("", "Anything.", "en") == []
