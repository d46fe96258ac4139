"""Sections from the sources' own metadata (a JSON `section`/`category`, JSON-LD `articleSection`, a feed's
category), never guessed: with output.sections, pages group their stories by section when any story has one."""

from __future__ import annotations

import json

from digest.inputs.article import Article
from digest.inputs.discover import read_articles
from digest.inputs.formats import parse_text, section_name
from digest.inputs.structured import json_ld_article
from digest.output.render import _MAIL, Page, render_html, render_markdown, render_text
from digest.sources.feeds import parse_listing

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>
<item><title>Cup final</title><link>https://gazette.example/sport/1</link><category>Sport</category></item>
<item><title>Budget</title><link>https://gazette.example/p/2</link></item>
</channel></rss>"""


def _record(id_: str, title: str, section: str | None = None, day: str = "2026-11-29") -> dict:
    meta = {"section": section} if section else {}
    return {"id": id_, "title": title, "language": "en", "summaries": {"en": f"{title}: what happened."},
            "date": day, "site": "Gazette", "meta": meta}


def test_the_sources_own_section_is_read():
    listing = parse_listing(RSS, "https://gazette.example/feed", "application/rss+xml")
    assert [item.meta.get("section") for item in listing.items] == ["Sport", None]
    page = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "H", '
            '"articleSection": ["Politik", "Inland"]}</script></head><body></body></html>')
    assert json_ld_article(page)["section"] == "Politik"
    assert section_name({"term": " Local  news "}) == "Local news" and section_name(3) is None
    assert section_name([]) is None


def test_an_html_pages_articlesection_becomes_the_articles_section():
    body = " ".join(["The minister presented the new budget to parliament on Tuesday afternoon."] * 6)
    page = ('<html lang="de"><head><title>Haushalt</title><script type="application/ld+json">{"@type": '
            '"NewsArticle", "headline": "Haushalt", "articleSection": "Politik"}</script></head><body><article>'
            f'<h1>Haushalt</h1><p>{body}</p><p>{body}</p></article></body></html>')
    [article] = parse_text(page, source="page.html", fallback_id="page", fmt="html")
    assert isinstance(article, Article) and article.meta.get("section") == "Politik"


def test_json_section_or_category_becomes_the_records_section(tmp_path):
    rows = [{"id": "a", "text": "The club won the cup final on Sunday in front of a full stadium.", "section": "Sport"},
            {"id": "b", "text": "The council passed its budget on Monday after a long debate.",
             "category": ["Politics"]},
            {"id": "c", "text": "A new bakery opened on the high street this week, the owners said."}]
    (tmp_path / "feed.json").write_text(json.dumps(rows), encoding="utf-8")
    sections = {a.id: a.meta.get("section") for a in read_articles([tmp_path]) if isinstance(a, Article)}
    assert sections == {"a": "Sport", "b": "Politics", "c": None}


def test_pages_group_stories_by_section_and_leave_unsectioned_ones_last():
    records = [_record("a", "Cup final", "Sport"), _record("b", "Bakery opens"),
               _record("c", "Budget passed", "Politics", "2026-11-28"), _record("d", "Derby", "Sport", "2026-11-27")]
    html = render_html(records, "en", Page(sections=True))
    order = [html.index(x) for x in ('class="section">Sport', "Cup final", "Derby", 'class="section">Politics',
                                     "Budget passed", '<hr class="section">', "Bakery opens")]
    assert order == sorted(order)
    md = render_markdown(records, "en", Page(sections=True))
    assert "## Sport" in md and "### Cup final" in md and "\n---\n\n### Bakery opens" in md
    assert "[ SPORT ]" in render_text(records, "en", Page(sections=True))
    mail = render_html(records, "en", Page(sections=True), mail=True)
    heading = f'<h2 style="{_MAIL["section"]}">'
    order = [mail.index(x) for x in (heading + "Sport</h2>", "Cup final", "Derby", heading + "Politics</h2>",
                                     "Budget passed", "Bakery opens")]
    assert order == sorted(order)


def test_without_sections_a_page_has_no_section_headings():
    records = [_record("a", "Cup final"), _record("b", "Bakery opens")]
    assert 'class="section"' not in render_html(records, "en", Page(sections=True))
    assert "## Cup final" in render_markdown(records, "en", Page(sections=True))
    sectioned = [_record("a", "Cup final", "Sport"), _record("b", "Bakery opens")]
    assert 'class="section"' not in render_html(sectioned, "en", Page())  # output.sections is off by default


def test_section_text_is_escaped():
    html = render_html([_record("a", "Cup final", "<script>x</script>")], "en", Page(sections=True))
    assert "<script>x" not in html and "&lt;script&gt;x&lt;/script&gt;" in html


def test_a_run_groups_its_pages_by_section(tmp_path):
    from digest import Digester
    from digest.config import load_config

    rows = [{"id": "a", "language": "en", "section": "Sport", "date": "2026-11-29",
             "text": "The club won the cup final on Sunday in front of a full stadium of forty thousand fans."},
            {"id": "b", "language": "en", "date": "2026-11-29",
             "text": "A new bakery opened on the high street this week, the owners said on Friday morning."}]
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "feed.json").write_text(json.dumps(rows), encoding="utf-8")
    config = load_config(None, **{"summarizer.model": "extractive", "targets": [], "output.sections": True})
    result = Digester(config, progress=False).run([tmp_path / "in"], tmp_path / "out")
    assert result.exit_code == 0
    for page in (tmp_path / "out" / "digest.en.html", tmp_path / "out" / "editions" / "2026-11-29" / "digest.en.html"):
        html = page.read_text(encoding="utf-8")
        assert html.index('class="section">Sport') < html.index('<hr class="section">')
