"""JSON-LD article data fills what the markup hides: the body behind a caption, published date, author persons."""

from __future__ import annotations

import json

from digest.inputs.article import Article
from digest.inputs.formats import parse_text

BODY = " ".join(f"Paragraph {n}: the harbour council approved the sea wall repairs after a long debate about the "
                f"cost, and residents welcomed the decision on Tuesday evening." for n in range(12))


def _page(ld: dict, visible: str) -> str:
    return (f'<!doctype html><html lang="en"><head><title>Sea wall repairs approved</title>'
            f'<meta property="article:modified_time" content="2026-12-01T10:00:00Z">'
            f'<script type="application/ld+json">{json.dumps(ld)}</script></head>'
            f"<body><article><h1>Sea wall repairs approved</h1><figure><figcaption>{visible}</figcaption></figure>"
            f"<p>{visible}</p></article></body></html>")


LD = {"@context": "https://schema.org", "@graph": [
    {"@type": "WebSite", "name": "Harbour News"},
    {"@type": "NewsArticle", "headline": "Sea wall repairs approved", "articleBody": BODY,
     "datePublished": "2026-11-30T08:00:00Z", "dateModified": "2026-12-01T10:00:00Z",
     "author": [{"@type": "Person", "name": "Jane  Roe"}, {"@type": "Organization", "name": "Harbour News GmbH"}],
     "publisher": {"@type": "Organization", "name": "Harbour News"}}]}


def test_a_caption_only_page_takes_the_json_ld_article_body():
    caption = "The old sea wall at low tide, photographed on Monday morning by one of the residents who asked the " \
              "council to act."
    (art,) = parse_text(_page(LD, caption), source="p.html", fallback_id="p", fmt="html")
    assert isinstance(art, Article)
    assert "Paragraph 11" in art.text
    assert art.meta["date"].startswith("2026-11-30")  # published, not modified
    assert art.meta["author"] == "Jane Roe"  # the person, not the publisher
    assert art.meta["sitename"] == "Harbour News"


def test_a_full_page_keeps_its_own_text():
    visible = BODY
    ld = {"@type": "NewsArticle", "articleBody": "A short teaser of the story.", "headline": "X"}
    (art,) = parse_text(_page(ld, visible), source="p.html", fallback_id="p", fmt="html")
    assert "Paragraph 11" in art.text and "teaser" not in art.text


def test_headings_paragraphs_and_list_items_stay_separate_sentences():
    from digest.nlp.text import split_sentences

    para = "Microsoft Corp said on Thursday it would buy carbon removal credits from the new plant in Iceland."
    page = ("<!doctype html><html><body><article><h1>Climate deal</h1>"
            f"<p>{para} The deal runs for ten years and covers several million tonnes of carbon dioxide, said the "
            "firm</p>"
            "<h2>Carbon removal technology</h2>"
            f"<p>{para} Critics said the technology was still too expensive to matter at scale for now.</p>"
            "<ul><li>First plant opens in spring</li><li>Second plant planned for the year after</li></ul>"
            f"<p>{para}</p></article></body></html>")
    (art,) = parse_text(page, source="p.html", fallback_id="p", fmt="html")
    sentences = split_sentences(art.text)
    assert "Carbon removal technology" in [s.strip() for s in sentences], sentences
    assert not any("technology Microsoft" in s or "firm Carbon" in s for s in sentences)


def _site_page(head: str, url: str = "https://www.example-news.com/2026/story") -> str:
    return (f'<!doctype html><html lang="en"><head><title>Sea wall repairs approved</title>'
            f'<link rel="canonical" href="{url}">{head}</head><body><article><h1>Sea wall repairs approved</h1>'
            f"<p>{BODY}</p></article></body></html>")


def _ld_publisher(name: str) -> str:
    return ('<script type="application/ld+json">' + json.dumps(
        {"@type": "NewsArticle", "headline": "Sea wall repairs approved",
         "publisher": {"@type": "Organization", "name": name}}) + "</script>")


def _site(head: str, url: str = "https://www.example-news.com/2026/story") -> str:
    (art,) = parse_text(_site_page(head, url), source="p.html", fallback_id="p", fmt="html")
    assert isinstance(art, Article)
    return art.meta["sitename"]


def test_the_site_name_is_the_one_the_page_declares_over_a_syndicating_publisher():
    head = '<meta property="og:site_name" content="SFGate">' + _ld_publisher("Associated Press")
    assert _site(head, "https://www.sfgate.com/news/article/x.php") == "SFGate"


def test_a_declared_name_the_host_spells_beats_a_section_name_in_og_site_name():
    head = '<meta property="og:site_name" content="U.S.">' + _ld_publisher("Reuters")
    assert _site(head, "https://www.reuters.com/article/us-awards") == "Reuters"


def test_a_slug_or_a_handle_gives_way_to_a_written_name():
    assert _site('<meta property="og:site_name" content="floridatoday">' + _ld_publisher("Florida Today")) == (
        "Florida Today")
    assert _site('<meta property="og:site_name" content="TheHill">' + _ld_publisher("The Hill")) == "The Hill"
    assert _site('<meta name="twitter:site" content="@FUTUREZONEAT">' + _ld_publisher("futurezone")) == "futurezone"
    assert _site('<meta property="og:site_name" content=" The Jerusalem Post | JPost.com ">') == "The Jerusalem Post"


def test_a_placeholder_or_free_text_json_ld_date_gives_way_to_the_markup():
    from digest.inputs.structured import json_ld_article

    for placeholder in ("0001-01-01T00:00:00Z", "November 19, 2019"):
        ld = {"@type": "NewsArticle", "headline": "Sea wall repairs approved", "datePublished": placeholder}
        head = ('<meta property="article:published_time" content="2026-11-30T08:00:00Z">'
                f'<script type="application/ld+json">{json.dumps(ld)}</script>')
        assert "date" not in json_ld_article(_site_page(head))
        (art,) = parse_text(_site_page(head), source="p.html", fallback_id="p", fmt="html")
        assert art.meta["date"].startswith("2026-11-30")


def test_the_publisher_is_no_author():
    from digest.inputs.structured import people_only

    assert people_only("SPIEGEL ONLINE; Hamburg; Germany", "SPIEGEL ONLINE") is None  # the publisher and its address
    assert people_only("Süddeutsche de GmbH; Munich; Germany", "Süddeutsche Zeitung") is None
    assert people_only("Jane Roe; Heise Online", "heise online") == "Jane Roe"
    assert people_only("Jill Serjeant", "Reuters") == "Jill Serjeant"
    assert people_only("Dan Welch", "DW.COM") == "Dan Welch"  # initials are no outlet's name
    head = '<meta name="author" content="Harbour News"><meta property="og:site_name" content="Harbour News">'
    (art,) = parse_text(_site_page(head), source="p.html", fallback_id="p", fmt="html")
    assert "author" not in art.meta
