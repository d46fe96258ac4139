"""Headlines translated with the summaries, source fields in every record, and one summarizer call per story."""

from __future__ import annotations

import json

import pytest

from digest import Digester
from digest.config import ClusterConfig, load_config
from digest.inputs.article import Article
from digest.inputs.discover import read_articles
from digest.run import cachekeys
from digest.run.sources import iso_date, source_fields
from digest.run.stories import plan_stories

STORM = ("A powerful storm swept across the northern coast on Monday night, cutting power to forty thousand homes "
         "and forcing the closure of three ports. Emergency crews worked through the night to clear fallen trees "
         "from the main roads, and the regional government said schools would stay closed on Tuesday. Forecasters "
         "expect the wind to ease by Wednesday, but warned of flooding along the rivers in the south.")
# the wire copy: one word changed, one sentence added
WIRE = STORM.replace("forty thousand", "40,000") + " The storm was the strongest of the season."
OTHER = ("The city council approved a new budget for public libraries on Thursday, adding two branches and longer "
         "opening hours. The mayor said the plan would be paid for by savings elsewhere.")


def _records() -> list[dict]:
    return [
        {"id": "guardian-storm", "title": "Storm cuts power to thousands", "language": "en", "text": STORM,
         "url": "https://www.theguardian.com/world/storm", "date": "Tue, 24 Nov 2026 08:00:00 GMT",
         "author": ["Ann Smith", "Bo Lee"], "sitename": "The Guardian"},
        {"id": "wire-storm", "title": "Storm hits northern coast", "language": "en", "text": WIRE,
         "url": "https://apnews.com/article/storm", "date": "2026-11-24T09:30:00+00:00", "source": "AP"},
        {"id": "library", "language": "en", "text": OTHER, "url": "https://www.example.org/libraries",
         "date": "2026-11-24"},
    ]


def _article(id_: str, text: str, title: str = "", **meta) -> Article:
    return Article(id=id_, title=title, text=text, source=f"/tmp/in/{id_}.json", language="en", meta=meta)


def test_plan_sends_one_copy_per_story_to_the_models():
    todo = [(_article("b-wire", WIRE, "Storm"), "k1"), (_article("a-other", OTHER), "k2"),
            (_article("c-storm", STORM, "Storm"), "k3")]
    plan = plan_stories(todo, ClusterConfig())
    assert [a.id for a, _ in plan.todo] == ["b-wire", "a-other"]  # the longer copy leads, input order kept
    cid, copies = plan.copies["b-wire"]
    assert [a.id for a, _ in copies] == ["c-storm"] and [s["id"] for s in plan.sources[cid]] == ["b-wire", "c-storm"]
    assert len(plan_stories(todo, ClusterConfig(enabled=False)).todo) == 3
    assert len(plan_stories(todo, ClusterConfig(threshold=1.0)).todo) == 3  # not identical: not one story at 1.0


def test_source_fields_are_normalized_and_never_a_path():
    article = _article("x", OTHER, url="https://www.zeit.de/politik/x", date="Tue, 24 Nov 2026 08:00:00 GMT",
                       author=["A", "B"])
    assert source_fields(article) == {"site": "zeit.de", "url": "https://www.zeit.de/politik/x",
                                      "date": "2026-11-24T08:00:00+00:00", "author": "A, B"}
    assert source_fields(_article("y", OTHER, url="file:///tmp/in/y.html")) == \
        {"site": None, "url": None, "date": None, "author": None}
    assert iso_date("2026-11-24") == "2026-11-24" and iso_date("last Tuesday") == "last Tuesday"


def test_json_site_or_source_names_the_outlet(tmp_path):
    rows = [{"id": "a", "text": OTHER, "site": "Le Monde"}, {"id": "b", "text": OTHER, "source": "AP"},
            {"id": "c", "text": OTHER, "source": {"id": "bbc-news", "name": "BBC News"}},
            {"id": "d", "text": OTHER, "url": "https://www.zeit.de/x"}]
    (tmp_path / "feed.json").write_text(json.dumps(rows), encoding="utf-8")
    articles = {a.id: a for a in read_articles([tmp_path])}
    assert {i: source_fields(a)["site"] for i, a in articles.items()} == {
        "a": "Le Monde", "b": "AP", "c": "BBC News", "d": "zeit.de"}
    assert all(not a.source.startswith("AP") for a in articles.values())  # the file stays the record's `source`


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("stories")
    (root / "feed.json").write_text(json.dumps(_records()), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def counted(tiny_config_file):
    """A Digester whose summarizer counts the texts it is given."""
    digester = Digester(load_config(tiny_config_file), progress=False)
    summarizer = digester.summarizer
    original = summarizer.summarize
    seen: list[str] = []

    def spy(texts, languages=None):
        seen.extend(texts)
        return original(texts, languages)

    summarizer.summarize = spy
    return digester, seen


@pytest.fixture(scope="module")
def run(counted, inputs, tmp_path_factory):
    digester, seen = counted
    out = tmp_path_factory.mktemp("out")
    result = digester.run([inputs], out)
    return result, list(seen)


def _record(result, article_id: str) -> dict:
    return json.loads((result.out_dir / "articles" / f"{article_id}.json").read_text(encoding="utf-8"))


def test_two_copies_of_one_story_are_summarized_once(run):
    result, seen = run
    assert result.exit_code == 0 and len(seen) == 2  # the storm (once, its longer copy) and the libraries
    assert WIRE in seen and STORM not in seen
    lead, copy = _record(result, "wire-storm"), _record(result, "guardian-storm")
    assert copy["summaries"] == lead["summaries"] and copy["titles"] == lead["titles"]
    assert copy["cluster"] == lead["cluster"] and lead["cluster"]["id"] == "guardian-storm"
    assert [s["site"] for s in lead["cluster"]["sources"]] == ["AP", "The Guardian"]
    assert copy["text"] == STORM and copy["title"] == "Storm cuts power to thousands"  # its own text and title
    assert "checks" in copy  # checked against its own text
    assert "cluster" not in _record(result, "library")


def test_headlines_are_translated_in_the_same_route(run):
    result, _ = run
    lead = _record(result, "wire-storm")
    assert set(lead["titles"]) == {"en", "de", "fr"} and lead["titles"]["en"] == "Storm hits northern coast"
    assert all(lead["titles"][lang].strip() for lang in ("de", "fr"))
    assert "titles" not in _record(result, "library")  # no headline to translate: none made up


def test_records_carry_their_source(run):
    result, _ = run
    guardian, library = _record(result, "guardian-storm"), _record(result, "library")
    assert (guardian["site"], guardian["url"], guardian["date"], guardian["author"]) == (
        "The Guardian", "https://www.theguardian.com/world/storm", "2026-11-24T08:00:00+00:00", "Ann Smith, Bo Lee")
    assert (library["site"], library["date"]) == ("example.org", "2026-11-24") and "author" not in library
    assert _record(result, "wire-storm")["site"] == "AP"


def test_the_page_shows_one_item_with_both_sources_and_the_translated_headline(run):
    result, _ = run
    lead = _record(result, "wire-storm")
    page = (result.out_dir / "digest.de.html").read_text(encoding="utf-8")
    assert page.count("<article ") == 2  # the storm once, the libraries
    assert "The Guardian" in page and "AP" in page and "https://apnews.com/article/storm" in page
    assert "/tmp/" not in page and "Storm hits northern coast" not in page
    md = (result.out_dir / "digest.de.md").read_text(encoding="utf-8")
    assert " ".join(lead["titles"]["de"].split()[:2]) in md


def test_a_rerun_skips_every_copy_and_calls_no_model(counted, run, inputs):
    digester, seen = counted
    result, _ = run
    before = len(seen)
    again = digester.run([inputs], result.out_dir)
    assert {e["status"] for e in again.manifest} == {"skipped"} and len(seen) == before


@pytest.mark.slow
def test_a_record_of_the_previous_format_is_redone(tiny_config_file, inputs, tmp_path, monkeypatch):
    monkeypatch.setattr(cachekeys, "FORMAT_VERSION", 1)
    old = Digester(load_config(tiny_config_file, **{"cluster.enabled": False}), progress=False).run([inputs], tmp_path)
    assert old.exit_code == 0
    monkeypatch.undo()
    new = Digester(load_config(tiny_config_file, **{"cluster.enabled": False}), progress=False).run([inputs], tmp_path)
    assert {e["status"] for e in new.manifest} == {"ok"}
