"""ArticleRecord and ManifestEntry: the JSON contract, written with the keys and order digest always wrote."""

from __future__ import annotations

import json

import pytest

from digest.errors import RecordError
from digest.records import FORMAT_VERSION, ArticleRecord, ManifestEntry


def _record(**changes) -> ArticleRecord:
    fields = dict(id="a", title="T", source="a.txt", language="en", text="Text.", summaries={"en": "S", "de": "Z"},
                  chunks=2, models={"summary": "m", "de": ["x (en→de)"]}, meta={"format": "txt"},
                  created="2026-11-25T08:00:00+00:00", cache_key="k")
    return ArticleRecord(**{**fields, **changes})


def test_a_record_writes_the_keys_of_format_1_in_their_order():
    assert list(_record().to_json()) == ["id", "title", "source", "language", "text", "summaries", "chunks", "models",
                                         "meta", "created", "cache_key", "format"]
    checked = _record(checks={"flags": 0}, flags={}, rerank=None).to_json()
    assert list(checked)[-3:] == ["format", "checks", "flags"] and checked["format"] == FORMAT_VERSION
    failed = _record(cache_key=None, errors=["translate de: no route"]).to_json()
    assert "cache_key" not in failed and list(failed)[-2:] == ["format", "errors"]
    assert list(_record(rerank={"chosen": 1}).to_json())[-2:] == ["format", "rerank"]


def test_the_next_features_fields_are_left_out_until_set():
    assert not {"titles", "site", "url", "date", "author", "cluster"} & set(_record().to_json())
    data = _record(titles={"de": "Titel"}, url="https://example.org/a", cluster="c1").to_json()
    assert data["titles"] == {"de": "Titel"} and data["url"] == "https://example.org/a" and data["cluster"] == "c1"


@pytest.mark.parametrize("record", [_record(), _record(checks={"flags": 1}, flags={"en": ["x"]}),
                                    _record(cache_key=None, errors=["e"], url="u")])
def test_json_round_trip_is_exact(record):
    text = json.dumps(record.to_json(), ensure_ascii=False)
    again = ArticleRecord.from_json(json.loads(text))
    assert again == record and json.dumps(again.to_json(), ensure_ascii=False) == text


def test_unknown_keys_survive_a_round_trip():
    data = {**_record().to_json(), "editor_note": "keep"}
    assert ArticleRecord.from_json(data).to_json() == data


@pytest.mark.parametrize(("data", "says"), [
    ([1, 2], "JSON object"), ({"title": "no id"}, '"id"'), ({"id": "a", "summaries": ["x"]}, "summaries"),
])
def test_what_is_not_a_record_is_a_record_error(data, says):
    with pytest.raises(RecordError, match=says):
        ArticleRecord.from_json(data)


def test_manifest_entries_write_reason_and_flags_only_when_set():
    assert ManifestEntry("a", "ok", "a.txt").to_json() == {"id": "a", "status": "ok", "source": "a.txt"}
    entry = ManifestEntry("a", "ok", "a.txt", flags=2)
    assert ManifestEntry.from_json(entry.to_json()) == entry and entry.to_json()["flags"] == 2
    assert list(ManifestEntry("b", "failed", "b.txt", reason="r").to_json()) == ["id", "status", "source", "reason"]
    with pytest.raises(RecordError, match="status"):
        ManifestEntry.from_json({"id": "a", "status": "done", "source": "s"})
