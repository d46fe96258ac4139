"""The one border: every article value is valid Unicode that XML, HTML and strict JSON accept."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from digest.inputs.article import Article
from digest.inputs.sanitize import MAX_DEPTH, clean_text, clean_value


def _strict(value: object) -> object:
    def refuse(name: str) -> None:
        raise ValueError(name)

    return json.loads(json.dumps(value, ensure_ascii=False), parse_constant=refuse)


def test_refused_characters_leave_every_field():
    article = Article(id="a\udfff\x00", title="T\x01itle\ufffe", text="x\x0by\tz\n", source="f\x1b.txt",
                      meta={"k\x02": ["v\ud800", {"n": float("nan")}]})
    assert (article.id, article.title, article.text, article.source) == ("a", "Title", "xy\tz\n", "f.txt")
    assert article.meta == {"k": ["v", {"n": None}]}


def test_python_values_in_meta_become_json():
    meta = {"when": dt.datetime(2026, 12, 1, 8, 30), "day": dt.date(2026, 1, 2), "n": Decimal("1.5"),
            "inf": float("inf"), "tags": {"a"}, "obj": object}
    cleaned = Article(id=1, title="t", text="x", source="s", meta=meta).meta
    assert cleaned["when"] == "2026-12-01T08:30:00" and cleaned["day"] == "2026-01-02"
    assert cleaned["n"] == 1.5 and cleaned["inf"] is None and cleaned["tags"] == ["a"]
    _strict(cleaned)


def test_nesting_is_bounded():
    deep: object = "leaf"
    for _ in range(10_000):
        deep = [deep]
    cleaned = clean_value(deep)
    depth = 0
    while isinstance(cleaned, list):
        cleaned, depth = cleaned[0], depth + 1
    assert cleaned is None and depth == MAX_DEPTH + 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)


@settings(max_examples=60, deadline=None)
@given(text=st.text(), meta=st.dictionaries(st.text(max_size=8), json_values, max_size=4))
def test_any_value_becomes_xml_and_strict_json_safe(text, meta):
    article = Article(id=text, title=text, text=text, source=text, meta=meta)
    for value in (article.id, article.title, article.text):
        element = etree.Element("v")
        element.text = value  # lxml raises on any character XML 1.0 refuses
        value.encode("utf-8")  # lone surrogates would raise here
    _strict(article.meta)
    assert not any(isinstance(v, float) and not math.isfinite(v) for v in article.meta.values())
    assert clean_text(article.title) == article.title


STORY = ("The town council met on Monday and approved a plan for new roads. "
         "The mayor said the work would start in the spring. Residents asked for a bigger school as well.")


def test_hostile_characters_in_a_json_file_reach_valid_pages_and_feed(tmp_path):
    from click.testing import CliRunner

    from digest.cli import cli

    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    hostile = {"id": "h\\udfff1", "title": "Roads \\u0001 and \\ufffe schools", "text": STORY + " \\u0000\\u001b",
               "url": "https://example.org/a\\u0001", "meta": {"n": "\\udfff"}}
    raw = "{" + ", ".join(f'"{k}": ' + (json.dumps(v) if isinstance(v, dict) else f'"{v}"')
                          for k, v in hostile.items()) + "}"
    (inp / "hostile.json").write_text(raw.replace("\\\\u", "\\u"), encoding="utf-8")
    (inp / "good.txt").write_text("Council approves new roads\n\n" + STORY + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["run", str(inp), "-o", str(out), "--summary-model", "extractive", "--to", "en"])
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exit_code == 0, result.stderr
    records = [_strict(json.loads(p.read_text(encoding="utf-8"))) for p in (out / "articles").glob("*.json")]
    assert len(records) == 2
    for path in out.rglob("*"):
        if path.suffix in (".xml", ".atom"):
            etree.parse(str(path))
        elif path.suffix == ".html":
            etree.parse(str(path), etree.HTMLParser(recover=False))
        elif path.suffix == ".json":
            _strict(json.loads(path.read_text(encoding="utf-8")))
