"""The whole run on tiny models: inputs in, article JSON, digests and manifest out."""

from __future__ import annotations

import json
import os

import pytest

from digest import Digester
from digest.config import load_config
from digest.inputs.article import Article


@pytest.fixture(scope="module")
def digester(tiny_config_file):
    return Digester(load_config(tiny_config_file), progress=False)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory, milley_raw):
    root = tmp_path_factory.mktemp("inputs")
    (root / "milley-briefing.txt").write_text(milley_raw, encoding="utf-8")
    (root / "notes.md").write_text("# Council vote\n\nThe council approved the budget on Tuesday. "
                                   "The mayor said the vote was historic.\n", encoding="utf-8")
    (root / "feed.jsonl").write_text(
        json.dumps({"id": "fr-1", "title": "Le budget", "language": "fr",
                    "text": "Le conseil municipal a voté le budget mardi. Le maire a salué un vote historique."})
        + "\n" + json.dumps({"id": "en-2", "title": "Rain", "url": "https://example.org/rain",
                             "text": "Heavy rain flooded several streets in the old town on Sunday night."}) + "\n",
        encoding="utf-8")
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return root


@pytest.fixture(scope="module")
def run(digester, inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    return digester.run([inputs], out)


def test_every_article_gets_a_record_with_the_contract_fields(run):
    ids = {d["id"] for d in run.digests}
    assert ids == {"milley-briefing", "notes", "fr-1", "en-2"}
    for path in (run.out_dir / "articles").glob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        for key in ("id", "title", "source", "language", "text", "summaries", "chunks", "models", "created"):
            assert key in record, key
        assert set(record["summaries"]) == {record["language"], "de", "fr"}
        assert all(isinstance(s, str) for s in record["summaries"].values())
        assert record["models"]["summary"].endswith("bart")


def test_long_article_is_chunked_and_cleaned(run):
    record = json.loads((run.out_dir / "articles" / "milley-briefing.json").read_text(encoding="utf-8"))
    assert record["chunks"] > 1
    assert record["title"] == "Russia Reportedly Unreachable Following Poland Missile Strike"
    assert "Support our non-profit journalism" not in record["text"]
    assert record["language"] == "en"


def test_routing_is_recorded_per_language(run, models_root):
    fr = json.loads((run.out_dir / "articles" / "fr-1.json").read_text(encoding="utf-8"))
    assert fr["language"] == "fr"
    assert fr["models"]["fr"] == ["copy"]  # same language: no model call
    assert len(fr["models"]["de"]) == 2  # fr → en → de pivot
    en = json.loads((run.out_dir / "articles" / "en-2.json").read_text(encoding="utf-8"))
    assert en["models"]["de"] == [f"{models_root / 'opus-mt-en-de'} (en→de)"]
    assert en["meta"]["url"] == "https://example.org/rain"


def test_manifest_has_one_line_per_input(run):
    lines = [json.loads(line) for line in (run.out_dir / "manifest.jsonl").read_text().splitlines()]
    by_status = {}
    for entry in lines:
        by_status.setdefault(entry["status"], []).append(entry)
    assert len(by_status["ok"]) == 4
    assert [e["reason"] for e in by_status["skipped"]] == ["unsupported file type .png"]
    assert run.exit_code == 0


def test_digest_pages_per_language(run):
    notes = json.loads((run.out_dir / "articles" / "notes.json").read_text(encoding="utf-8"))
    assert notes["titles"]["en"] == "Council vote" and set(notes["titles"]) == {"en", "de", "fr"}
    for lang in ("en", "fr", "de"):
        md = (run.out_dir / f"digest.{lang}.md").read_text(encoding="utf-8")
        page = (run.out_dir / f"digest.{lang}.html").read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and f'lang="{lang}"' in page
        assert " ".join(notes["titles"][lang].split()[:2]) in md  # the headline in the page's language
    assert "Council vote" in (run.out_dir / "digest.en.html").read_text(encoding="utf-8")
    assert "Le budget" in (run.out_dir / "digest.fr.md").read_text(encoding="utf-8")


def test_no_temporary_files_left(run):
    leftovers = [p for p in run.out_dir.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


@pytest.mark.slow
def test_articles_can_be_passed_directly(digester, tmp_path):
    article = Article(id="api-1", title="API", text="The port reopened after the strike ended on Friday.",
                      source="script", language="en")
    result = digester.run([article], tmp_path)
    assert [d["id"] for d in result.digests] == ["api-1"]
    assert set(result.digests[0]["summaries"]) == {"en", "de", "fr"}


@pytest.mark.slow
def test_a_failing_article_fails_alone(digester, tmp_path, monkeypatch):
    good = Article(id="good", title="G", text="The bridge opened on Monday morning.", source="s", language="en")
    bad = Article(id="bad", title="B", text="BOOM this article breaks the model.", source="s", language="en")
    engine = digester.summarizer.engine
    original = engine.generate_candidates

    def flaky(inputs, params, **kw):
        if any("BOOM" in text for text in inputs):
            raise RuntimeError("generate exploded")
        return original(inputs, params, **kw)

    monkeypatch.setattr(engine, "generate_candidates", flaky)
    result = digester.run([good, bad], tmp_path)
    statuses = {e["id"]: (e["status"], e.get("reason")) for e in result.manifest}
    assert statuses["good"] == ("ok", None)
    assert statuses["bad"] == ("failed", "summarize: generate exploded")
    assert (tmp_path / "articles" / "good.json").exists()
    assert not (tmp_path / "articles" / "bad.json").exists()
    assert result.exit_code == 1


def test_undetectable_language_fails_with_a_reason(digester, tmp_path):
    article = Article(id="x", title="X", text="zzz", source="s", language=None)
    result = digester.run([article], tmp_path)
    assert result.manifest[0]["status"] == "failed"
    assert "language" in result.manifest[0]["reason"]


@pytest.mark.slow
def test_api_verbs(digester, milley_text):
    summary = digester.summarize(milley_text)
    assert summary.strip() and len(summary) < len(milley_text)  # a summary, not the text back
    assert digester.translate("The vote passed on Tuesday.", to="de", source="en") != "The vote passed on Tuesday."
    assert digester.translate("Guten Morgen.", to="de", source="de") == "Guten Morgen."
    assert digester.translate("Guten Morgen.", to="DE", source="Deutsch") == "Guten Morgen."  # codes as the CLI takes


def test_readme_python_example_names_are_the_helpers(milley_text):
    """`from digest import summarize, translate` must give the functions, even after the pipeline is imported."""
    from digest import Digester, summarize, translate  # noqa: F401 - Digester imports every submodule

    assert callable(summarize) and callable(translate)
    summary = summarize(milley_text, summary_model="extractive", targets=[])
    assert summary and summary.split()[0] in milley_text


def test_api_inputs_get_detection_duplicate_checks_and_a_single_path(tiny_config, inputs, tmp_path):
    from dataclasses import replace

    digester = Digester(replace(tiny_config, targets=[]), progress=False)
    text = "The council approved the budget on Tuesday. The mayor said the vote was historic for the town."
    result = digester.run([Article(id="a/b", title="t", text=text, source="api"),
                           Article(id="a-b", title="t", text=text, source="api")], tmp_path / "api")
    statuses = [(e["id"], e["status"]) for e in result.manifest]
    assert sorted(statuses) == [("a-b", "failed"), ("a/b", "ok")]  # both would be articles/a-b.json
    assert result.digests[0]["language"] == "en"  # detected, as for a file
    single = digester.run(str(inputs / "notes.md"), tmp_path / "single")  # a path, not a list of characters
    assert [e["id"] for e in single.manifest] == ["notes"]


def test_an_output_folder_inside_the_input_folder_is_not_read_back(tiny_config, tmp_path):
    from dataclasses import replace

    digester = Digester(replace(tiny_config, targets=[]), progress=False)
    (tmp_path / "story.txt").write_text("Rain\n\nHeavy rain flooded several streets in the old town on Sunday night.\n",
                                        encoding="utf-8")
    first = digester.run([tmp_path], tmp_path / "out")
    second = digester.run([tmp_path], tmp_path / "out")
    assert first.exit_code == second.exit_code == 0
    assert [(e["id"], e["status"]) for e in second.manifest] == [("story", "skipped")]


def test_output_files_get_the_usual_permissions(run):
    umask = os.umask(0o022)
    os.umask(umask)
    for path in (run.out_dir / "digest.en.html", run.out_dir / "manifest.jsonl", *run.out_dir.glob("articles/*.json")):
        assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path  # not mkstemp's 0600
