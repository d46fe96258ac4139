"""Markdown pages read by a real Markdown parser (markdown-it-py, CommonMark plus tables and strikethrough): no
title or summary opens a code block, an HTML block, a rule or a list that would swallow or break later stories."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from digest.output.render import render_markdown

HOSTILE = ["```", "~~~", "~~~python", "``` js", "    indented code", "<div>", "<!-- x", "---", "===", "***", "___",
           "- - -", "> quoted", "1. listed", "+ plus", "# hash", "~~struck~~", "| a | b |", "[x]: https://e.org",
           "\t\ttabbed", "<pre>", "<script>"]


def _tokens(md: str):
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).parse(md)


@pytest.mark.parametrize("where", ["summary", "title"])
def test_every_story_stays_a_heading_whatever_its_text_starts_with(where: str):
    records = []
    for n, text in enumerate(HOSTILE):
        title, summary = (f"Story {n}", f"{text} and the rest {n}.") if where == "summary" else (
            f"{text} story {n}", f"Summary {n}.")
        records.append({"id": f"s{n:02d}", "title": title, "summaries": {"en": summary},
                        "url": f"https://example.org/{n}"})
    tokens = _tokens(render_markdown(records, "en"))
    kinds = {t.type for t in tokens}
    assert not kinds & {"fence", "code_block", "html_block", "hr", "bullet_list_open", "ordered_list_open",
                        "blockquote_open", "table_open"}
    headings = [tokens[i + 1] for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h2"]
    assert len(headings) == len(HOSTILE)
    for n, inline in enumerate(headings):  # each headline a link to its own story, its text intact
        assert any(c.type == "link_open" and c.attrGet("href") == f"https://example.org/{n}" for c in inline.children)
        text = "".join(c.content for c in inline.children if c.type == "text")
        assert (f"Story {n}" if where == "summary" else f"story {n}") in text
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(render_markdown(records, "en"))
    assert "<s>" not in html and "<pre" not in html and "<script" not in html


def test_the_summary_text_survives_as_written():
    md = render_markdown([{"id": "a", "title": "T", "summaries": {"en": "~~~ fenced ~~not struck~~ `code`"}}], "en")
    html = MarkdownIt("commonmark").enable(["strikethrough"]).render(md)
    assert "<p>~~~ fenced ~~not struck~~ `code`</p>" in html
