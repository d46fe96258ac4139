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
