"""A broken install (a reader's library cannot be imported) fails those inputs with one line; the batch goes on."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import cli
from digest.inputs.article import Article, Problem, ReadOptions
from digest.inputs.discover import read_articles
from digest.nlp import language

HTML = Path(__file__).parent / "data" / "corpus" / "html"
ENCODINGS = Path(__file__).parent / "data" / "encodings"
EN = ("Port strike ends\n\nDock workers returned to work on Friday after a week-long strike over pay, the union "
      "said in a statement on Thursday evening.\n")


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    shutil.copy(HTML / "dw.com.colonial.html", tmp_path / "dw.html")
    (tmp_path / "port.txt").write_text(EN, encoding="utf-8")
    (tmp_path / "notes.md").write_text("# Storm closes port\n\n" + EN.split("\n\n")[1], encoding="utf-8")
    shutil.copy(ENCODINGS / "en-cafe.cp1252.txt", tmp_path / "cafe.txt")
    (tmp_path / "tagged.json").write_text(json.dumps({"text": EN, "language": "en"}), encoding="utf-8")
    return tmp_path


def by_name(folder: Path) -> dict[str, Article | Problem]:
    return {Path(r.source).name: r for r in read_articles([folder], ReadOptions())}


@pytest.mark.parametrize(
    ("module", "package", "failing"),
    [
        ("trafilatura", "trafilatura", {"dw.html"}),
        ("markdown_it", "markdown-it-py", {"notes.md"}),
        ("charset_normalizer", "charset-normalizer", {"cafe.txt"}),
        # tagged.json and dw.html (<html lang="en">) declare their language: they need no detector
        ("py3langid", "py3langid", {"port.txt", "notes.md", "cafe.txt"}),
        ("fasttext", "fasttext-predict", {"port.txt", "notes.md", "cafe.txt"}),
    ],
)
def test_a_missing_library_fails_only_the_inputs_that_need_it(
    folder: Path, monkeypatch: pytest.MonkeyPatch, module: str, package: str, failing: set[str]
) -> None:
    for name in [m for m in sys.modules if m == module or m.startswith(module + ".")] or [module]:
        monkeypatch.setitem(sys.modules, name, None)  # `import module` (and its submodules) now raises ImportError
    monkeypatch.setattr(language, "_identifier", None)
    monkeypatch.setattr(language, "_fasttext", None)
    results = by_name(folder)
    assert {name for name, r in results.items() if isinstance(r, Problem)} == failing
    for name in failing:
        reason = results[name].reason
        assert "\n" not in reason and len(reason) <= 300
        assert f"Python package {package}" in reason and f"pip install {package}" in reason


def test_lxml_html_clean_missing_names_the_package_to_install(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # what a fresh venv with pip 23 got: lxml without its html_clean part, so `import trafilatura` failed
    for name in [m for m in sys.modules if m == "trafilatura" or m.startswith(("trafilatura.", "justext"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "lxml_html_clean", None)
    monkeypatch.setitem(sys.modules, "lxml.html.clean", None)
    reason = by_name(folder)["dw.html"].reason
    assert "pip install lxml_html_clean" in reason


def test_the_cli_reports_one_line_and_writes_the_rest(folder: Path, tmp_path_factory, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    out = tmp_path_factory.mktemp("out")
    result = CliRunner().invoke(cli, ["run", str(folder), "-o", str(out), "--summary-model", "extractive",
                                      "--to", "en", "-q"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    status = {Path(e["source"]).name: e["status"] for e in lines}
    assert status["dw.html"] == "failed" and status["port.txt"] == "ok" and status["cafe.txt"] == "ok"
    (failed,) = [e for e in lines if e["status"] == "failed"]
    assert "pip install trafilatura" in failed["reason"]
    assert sum("pip install trafilatura" in line for line in result.output.splitlines()) == 1
