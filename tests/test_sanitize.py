"""The one border: every field of an Article is made safe for every output when the Article is built."""

from __future__ import annotations

import json
import math
from datetime import date, datetime

from digest.inputs.article import Article


def test_characters_outputs_refuse_are_dropped_from_every_field() -> None:
    bad = "a\u0001b\udfff\ufffe\x00c"
    article = Article(id=f"id{bad}", title=f"T{bad}", text=f"Body {bad} text.", source=f"s{bad}",
                      url=f"https://x.example/{bad}", author=[f"A{bad}", ""], meta={f"k{bad}": [bad, {"n": bad}]})
    assert (article.id, article.title, article.text, article.source) == ("idabc", "Tabc", "Body abc text.", "sabc")
    assert article.url == "https://x.example/abc" and article.author == ["Aabc"]
    assert article.meta == {"kabc": ["abc", {"n": "abc"}]}
    json.dumps(article.meta, allow_nan=False).encode("utf-8")  # strict JSON, valid UTF-8


def test_python_values_are_converted_and_non_finite_numbers_dropped() -> None:
    when = datetime(2026, 11, 30, 8, 0)
    article = Article(id=7, title="T", text="x", date=when, meta={"n": math.nan, "i": math.inf, "big": 10**400,
                                                                   "d": date(2026, 1, 2), "ok": 1.5})
    assert article.date == "2026-11-30T08:00:00"
    assert article.meta == {"n": None, "i": None, "big": None, "d": "2026-01-02", "ok": 1.5}


def test_nesting_is_bounded() -> None:
    deep: list = []
    for _ in range(1000):
        deep = [deep]
    article = Article(id="d", title="T", text="x", meta={"deep": deep})
    depth, node = 0, article.meta["deep"]
    while isinstance(node, list) and node:
        depth, node = depth + 1, node[0]
    assert depth < 40


def test_a_file_symlink_out_of_the_input_folder_is_not_read(tmp_path) -> None:
    from digest.inputs.discover import read_articles

    secret = tmp_path / "secret.txt"
    secret.write_text("Secret notes\n\nThe password is swordfish and nobody must read it.\n")
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "story.txt").write_text("Story\n\nThe council met on Monday and approved the budget.\n")
    (inp / "inside.txt").symlink_to(inp / "story.txt")
    (inp / "notes.txt").symlink_to(secret)
    items = list(read_articles([inp]))
    skipped = [i for i in items if not isinstance(i, Article)]
    assert [(p.source, p.status) for p in skipped] == [(str(inp / "notes.txt"), "skipped")]
    assert "swordfish" not in " ".join(a.text for a in items if isinstance(a, Article))


def test_dates_no_time_zone_can_hold_are_no_dates() -> None:
    from datetime import timedelta, timezone
    from zoneinfo import ZoneInfo

    from digest.output.items import day_of, parse_when

    for text in ("0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00", "9999-12-31",
                 "Tue, 01 Dec 99999999999999999999 08:00:00 GMT", "0001-01-01"):
        assert parse_when(text) == (None, False), text
    assert parse_when(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))) == (None, False)
    when, timed = parse_when("2026-12-01T08:00:00+05:00")
    assert when is not None and day_of(when, timed, ZoneInfo("Pacific/Kiritimati")).isoformat() == "2026-12-01"


def test_odd_dates_and_other_scripts_in_one_batch_fail_alone_or_pass(tmp_path) -> None:
    """Five articles (zh, ar, ru, an overflowing date with a control character, a year-9999 date): no traceback."""
    import json

    from click.testing import CliRunner

    from digest.cli import cli

    articles = [
        {"id": "zh", "language": "zh", "title": "新桥",
         "text": "市政府周一宣布新桥正式通车。该桥连接城市南北两岸。官员表示通勤时间将缩短一半。"},
        {"id": "ar", "language": "ar", "title": "جسر",
         "text": "افتتح المجلس البلدي يوم الاثنين جسرا جديدا. وقال رئيس البلدية إن الجسر سيخفف الازدحام."},
        {"id": "ru", "language": "ru", "title": "Мост",
         "text": "В понедельник открыли новый мост. Мэр сказал, что пробки уменьшатся."},
        {"id": "odd", "language": "en", "title": "Odd\u0001", "date": "0001-01-01T00:00:00+05:00",
         "text": "The council met on Monday.\u0001 It approved the budget. The mayor said work starts in spring."},
        {"id": "late", "language": "en", "title": "Roads", "date": "9999-12-31T23:59:59-05:00",
         "text": "The town repaired five roads this week. Officials said the work cost 2 million dollars."},
    ]
    src = tmp_path / "in"
    src.mkdir()
    for article in articles:
        (src / f"{article['id']}.json").write_text(json.dumps(article, ensure_ascii=False), encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text("targets: []\nsummarizer: {model: extractive}\n")
    result = CliRunner().invoke(cli, ["run", str(src), "-c", str(config), "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    for lang in ("zh", "ar", "ru", "en"):
        assert (tmp_path / "out" / f"feed.{lang}.atom").is_file()
    page = (tmp_path / "out" / "digest.en.html").read_text(encoding="utf-8")
    assert "Roads" in page and "9999" not in page and "0001" not in page
