"""Cron edges (issue 11 §5): usage errors before OUT exists, a failure reported once, the manifest as the state of
every article, last-run.jsonl, JSON log fields, and the one-line messages a cron mail carries.

Fast on purpose: the extractive summarizer and `--to en` (a copy) load no model.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from digest.cli import cli
from digest.output.store import Store

STORY = ("Council approves new roads\n\nThe town council met on Monday and approved a plan for new roads. "
         "The mayor said the work would start in the spring. Residents asked for a bigger school as well.\n")
ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)$")


def _run(*args: object, env: dict | None = None):
    result = CliRunner().invoke(cli, ["run", *map(str, args), "--summary-model", "extractive", "--to", "en"],
                                env=env)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def _lines(path: Path) -> dict[str, dict]:
    return {e["id"]: e for e in map(json.loads, path.read_text(encoding="utf-8").splitlines())}


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    """One good article and one that fails the same way every time (a headline with no text)."""
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "good.txt").write_text(STORY, encoding="utf-8")
    (inp / "bad.txt").write_text("Only a headline here\n", encoding="utf-8")
    return inp


def test_a_failure_is_reported_once_then_counted(feed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _run(feed, "-o", out)
    assert first.exit_code == 1
    assert "bad.txt: only a title, no article text" in first.stderr
    first_state = _lines(out / "manifest.jsonl")
    assert first_state["bad"]["status"] == "failed" and ISO_UTC.match(first_state["bad"]["attempted"])

    again = _run(feed, "-o", out)  # the cron run ten minutes later: nothing new
    assert again.exit_code == 0, again.stderr
    assert "bad.txt: only a title" not in again.stderr
    assert "0 ok, 0 failed, 1 skipped, 1 still failing, unchanged" in again.stderr
    state = _lines(out / "manifest.jsonl")  # the state of every article, not truncated by a no-op run
    assert {i: e["status"] for i, e in state.items()} == {"good": "ok", "bad": "failed"}
    assert state["bad"]["reason"] == "only a title, no article text"
    assert state["bad"]["attempted"] == first_state["bad"]["attempted"]  # not attempted again
    last = _lines(out / "last-run.jsonl")  # what this run did
    assert (last["good"]["status"], last["good"]["reason"]) == ("skipped", "up to date")
    assert last["bad"]["unchanged"] is True

    forced = _run(feed, "-o", out, "--retry-failed")
    assert forced.exit_code == 1 and "bad.txt: only a title, no article text" in forced.stderr

    (feed / "bad.txt").write_text(STORY.replace("roads", "bridges"), encoding="utf-8")  # fixed: read again
    fixed = _run(feed, "-o", out)
    assert fixed.exit_code == 0, fixed.stderr
    assert _lines(out / "manifest.jsonl")["bad"]["status"] == "ok"


def test_a_translation_model_that_cannot_load_stops_every_run_before_any_article(tmp_path: Path) -> None:
    """A lost model cache never goes quiet under cron: exit 2 each run, and no empty OUT is left behind."""
    from digest import Article, Digester
    from digest.config import load_config
    from digest.errors import ModelLoadError

    config = load_config(None, summary_model="extractive", targets=["de"], device="cpu",
                         **{"translation.pattern": str(tmp_path / "nowhere-{src}-{tgt}")})
    article = Article(id="a1", title="Roads", text=STORY.split("\n\n")[1], source="db:1", language="en")
    for _ in range(2):
        with pytest.raises(ModelLoadError, match="no translation route en→de.*no such folder") as caught:
            Digester(config, progress=False).run([article], tmp_path / "out")
        assert caught.value.exit_code == 2 and not (tmp_path / "out").exists()


def test_missing_input_is_a_usage_error_before_out_exists(feed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _run(feed, tmp_path / "typo", "-o", out)
    assert result.exit_code == 2
    assert result.stderr == f"digest: error: {tmp_path / 'typo'}: no such file or folder\n"
    assert not out.exists()


def test_a_target_no_model_can_serve_is_a_usage_error_before_any_model_loads(feed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["run", str(feed), "-o", str(out), "--to", "de,xx",
                                      "--summary-model", str(tmp_path / "no-such-model")])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "'xx' is not a language" in result.stderr
    assert not out.exists()


def test_the_lock_message_names_lock_timeout(feed: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Store(out).lock():
        result = _run(feed, "-o", out)
    assert result.exit_code == 3 and "--lock-timeout" in result.stderr


def test_json_log_lines_carry_time_level_and_the_article(feed: Path, tmp_path: Path) -> None:
    result = _run(feed, "-o", tmp_path / "out", "--log-format", "json")
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    (failed,) = [line for line in lines if line.get("article") == "bad"]
    assert failed["level"] == "warning" and failed["source"] == str(feed / "bad.txt")
    assert all(ISO_UTC.match(line["time"]) for line in lines)


def test_models_list_exits_1_when_a_model_is_missing(tmp_path: Path) -> None:
    local = tmp_path / "bart"
    local.mkdir()
    (local / "config.json").write_text("{}")
    runner = CliRunner()
    here = runner.invoke(cli, ["models", "list", "--to", "en", "-c", _config(tmp_path, str(local))])
    assert here.exit_code == 0, here.output
    missing = runner.invoke(cli, ["models", "list", "--to", "en", "-c", _config(tmp_path, "org/not-downloaded")])
    assert missing.exit_code == 1 and "missing" in missing.output


def _config(tmp_path: Path, model: str) -> str:
    path = tmp_path / "digest.yaml"
    path.write_text(f"summarizer:\n  model: {model}\n", encoding="utf-8")
    return str(path)


def test_offline_hub_error_does_not_ask_to_set_what_is_set(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY, encoding="utf-8")
    result = CliRunner().invoke(cli, ["summarize", "--summary-model", "org/not-downloaded", str(tmp_path / "a.txt")],
                                env={"HF_HUB_OFFLINE": "1"})
    assert result.exit_code == 2
    assert "HF_HUB_OFFLINE is set" in result.stderr and "run with HF_HUB_OFFLINE=1" not in result.stderr


def test_translate_help_lists_only_what_translate_uses() -> None:
    text = CliRunner().invoke(cli, ["translate", "--help"]).output
    assert "--summary-model" not in text and "--multilingual-model" in text
    assert "--multilingual-model" in CliRunner().invoke(cli, ["run", "--help"]).output


def test_translate_reads_an_html_page_as_its_article_text() -> None:
    page = Path(__file__).parent / "data" / "corpus" / "html" / "reuters.com.parasite.html"
    result = CliRunner().invoke(cli, ["translate", "--to", "en", "--from", "en", str(page)])
    assert result.exit_code == 0, result.stderr
    assert "<" not in result.output and "Parasite" in result.output
