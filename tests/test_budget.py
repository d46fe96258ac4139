"""`input.max_seconds`: an article that spends too long in reading or in the checks fails alone, with one line.

A fake clock makes it exact: every look at the clock is one second later, so the number of times a pass looks
(per line, paragraph, token, alignment row) is its time. A small article looks a few dozen times, a long one
thousands: with a budget of 300 "seconds" only the long one runs out.
"""

from __future__ import annotations

import json
import types
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import tiny_settings

from digest import budget as budget_module
from digest.budget import TimeBudgetExceeded, budget, check
from digest.cli import cli
from digest.config import ConfigError, InputConfig
from digest.inputs.article import Article, ReadOptions
from digest.inputs.formats import parse_text
from digest.records import ArticleRecord
from digest.run.batch import finish

SMALL = "Port strike ends\n\nThe port strike ended on Monday after 12 days. The union said 300 workers returned.\n"
LONG = "Flood report\n\n" + "".join(f"The river rose {i} cm at gauge {i}, 5 percent more.\n\n" for i in range(3000))


@pytest.fixture
def fake_clock(monkeypatch):
    now = [0.0]

    def monotonic() -> float:
        now[0] += 1.0
        return now[0]

    monkeypatch.setattr(budget_module, "time", types.SimpleNamespace(monotonic=monotonic))
    return now


def test_check_raises_only_inside_a_budget_past_its_deadline(fake_clock):
    check()  # no budget: never stops
    with budget(3, "read"):
        check()
        with pytest.raises(TimeBudgetExceeded, match=r"^took longer than 3 s in read$"):
            for _ in range(5):
                check()
    check()
    with budget(0, "checks"):  # 0 = off
        for _ in range(50):
            check()


def test_reading_a_long_article_fails_alone(fake_clock):
    options = ReadOptions(max_seconds=300)
    small = parse_text(SMALL, source="small.txt", fallback_id="small", fmt="txt", options=options)
    long = parse_text(LONG, source="long.txt", fallback_id="long", fmt="txt", options=options)
    assert isinstance(small[0], Article)
    assert long[0].reason == "took longer than 300 s in read"  # type: ignore[union-attr]
    unlimited = parse_text(LONG, source="long.txt", fallback_id="long", fmt="txt", options=ReadOptions(max_seconds=0))
    assert isinstance(unlimited[0], Article)


def test_each_json_line_has_its_own_budget(fake_clock):
    lines = [json.dumps({"id": "a", "text": SMALL}), json.dumps({"id": "b", "text": LONG}),
             json.dumps({"id": "c", "text": SMALL})]
    out = parse_text("\n".join(lines), source="feed.jsonl", fallback_id="feed", fmt="jsonl",
                     options=ReadOptions(max_seconds=300))
    assert [type(o).__name__ for o in out] == ["Article", "Problem", "Article"]
    assert out[1].reason == "took longer than 300 s in read"  # type: ignore[union-attr]


def _record(text: str) -> ArticleRecord:
    return ArticleRecord(id="x", language="en", text=text, summaries={"en": "The river rose 40 cm.", "de": "Der "
                         "Fluss stieg um 40 cm."}, cache_key="key")


def test_checks_past_the_budget_fail_the_article_with_one_line(fake_clock):
    article = Article(id="x", title="", text=LONG, source="long.txt")
    outcome = finish(article, _record(LONG), None, None, None, True, max_seconds=300)
    assert outcome.entry.status == "failed" and not outcome.entry.internal
    assert outcome.entry.reason == "took longer than 300 s in checks"
    assert outcome.record is not None and outcome.record.cache_key is None  # retried next run
    fine = finish(Article(id="y", title="", text=SMALL, source="s.txt"), _record(SMALL), None, None, None, True,
                  max_seconds=300)
    assert fine.entry.status == "ok"


@pytest.mark.parametrize("value", [-1, "soon", True, float("inf")])
def test_max_seconds_is_validated(value):
    with pytest.raises(ConfigError, match=r"input\.max_seconds"):
        InputConfig(max_seconds=value)


def test_a_run_writes_the_others_and_names_the_slow_one(fake_clock, models_root: Path, tmp_path: Path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    (inp / "small.txt").write_text(SMALL, encoding="utf-8")
    (inp / "long.txt").write_text(LONG, encoding="utf-8")
    settings = tiny_settings(models_root)
    settings["input"] = {"max_seconds": 300}
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(inp), "-o", str(out), "-c", str(tmp_path / "c.yaml")])
    assert result.exit_code == 1, result.output
    assert "long.txt: took longer than 300 s in read" in result.output
    assert "Traceback" not in result.output
    assert (out / "articles" / "small.json").exists()
