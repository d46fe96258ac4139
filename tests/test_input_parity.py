"""Articles from a script are read like articles from files: ids, language codes, empty text, config paths."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
import yaml

from digest.api import Digester
from digest.config import load_config
from digest.inputs.article import Article
from digest.inputs.formats import parse_text

TEXT = ("Dock workers at the port of Rotterdam returned to work on Friday after a week-long strike over pay. "
        "The union said members had accepted a 6 percent rise over two years. Shipping lines expect the backlog "
        "of containers to clear by the end of next week.")


@pytest.mark.parametrize(("raw", "expected"), [(101, "101"), (1.5, "1.5"), (True, "true"), ("a-1", "a-1")])
def test_article_ids_of_any_json_scalar_become_strings(raw: object, expected: str) -> None:
    assert Article(id=raw, title="", text=TEXT, source="db").id == expected
    (article,) = parse_text(json.dumps({"id": raw, "text": TEXT}), source="x.json", fallback_id="x", fmt="json")
    assert article.id == expected and isinstance(article.id, str)


@pytest.mark.parametrize("code", ["EN", "en-US", "en_GB", "english", "English"])
def test_article_language_codes_are_normalized(code: str) -> None:
    assert Article(id="a", title="", text=TEXT, source="db", language=code).language == "en"
    assert Article(id="a", title="", text=TEXT, source="db", language="Deutsch").language == "de"


def test_config_targets_are_normalized() -> None:
    assert load_config(None, targets=["EN", "Deutsch", "fr-FR", "de"]).targets == ["en", "de", "fr-FR"]  # BCP-47
    assert load_config(None, to="english,DE").targets == ["en", "de"]


@pytest.mark.parametrize("text", ["", "   \n\t  "])
def test_an_api_article_without_text_fails_whatever_its_language(text: str, tmp_path: Path) -> None:
    digester = Digester(load_config(None, summary_model="extractive", targets=[]), progress=False)
    good = Article(id=101, title="Strike ends", text=TEXT, source="db", language="EN")
    empty = Article(id=102, title="Empty", text=text, source="db", language="en")
    result = digester.run([good, empty], out=tmp_path / "out")
    status = {e["id"]: (e["status"], e.get("reason")) for e in result.manifest}
    assert status["101"] == ("ok", None) and status["102"] == ("failed", "no text")
    assert (tmp_path / "out" / "articles" / "101.json").exists() and result.exit_code == 1
    assert json.loads((tmp_path / "out" / "articles" / "101.json").read_text())["language"] == "en"


def test_relative_model_paths_resolve_against_the_config_folder(tmp_path: Path, monkeypatch) -> None:
    project = tmp_path / "project"
    (project / "models" / "bart").mkdir(parents=True)
    (project / "models" / "opus-de").mkdir()
    config_file = project / "digest.yaml"
    config_file.write_text(yaml.safe_dump({
        "summarizer": {"model": "./models/bart"},
        "translation": {"pattern": "../shared/opus-mt-{src}-{tgt}", "models": {"de": "models/opus-de",
                                                                             "fr": "Helsinki-NLP/opus-mt-en-fr"},
                        "multilingual": {"model": "facebook/m2m100_418M"}},
    }), encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # a script run from another folder
    config = load_config(os.path.relpath(config_file))
    assert config.summarizer.model == str(project / "models" / "bart")
    assert config.translation.models == {"de": str(project / "models" / "opus-de"), "fr": "Helsinki-NLP/opus-mt-en-fr"}
    assert config.translation.pattern == str(tmp_path / "shared" / "opus-mt-{src}-{tgt}")
    assert config.translation.multilingual.model == "facebook/m2m100_418M"
    assert load_config(None, summary_model="./models/bart").summarizer.model == "./models/bart"  # flags: cwd


def test_api_article_metadata_is_fields_and_reaches_the_record(tmp_path) -> None:
    """A script gives url/site/date/author as fields; a file reader's meta keys land in the same fields."""
    from digest.run.sources import source_fields

    given = Article(id="f1", title="Port", text=TEXT, language="en", url="https://news.example/port",
                    date="2026-11-30T08:00:00+00:00", author=["A. Writer", "B. Writer"])
    assert given.source == "api"
    assert source_fields(given) == {"site": "news.example", "url": "https://news.example/port",
                                    "date": "2026-11-30T08:00:00+00:00", "author": "A. Writer, B. Writer"}
    read = Article(id="f2", title="Port", text=TEXT, source="a.html",
                   meta={"url": "https://x.example/a", "sitename": "X News", "date": "2026-11-30", "author": "C"})
    assert (read.url, read.site, read.date, read.author) == ("https://x.example/a", "X News", "2026-11-30", "C")
