"""Digest pages: every article in every language's page, article text escaped."""

from __future__ import annotations

from digest.output.render import Page, render_email, render_html, render_markdown

RECORDS = [
    {"id": "a", "title": "Budget <b>passed</b>", "source": "a.txt", "language": "en",
     "summaries": {"en": "It passed.", "de": "Es ging durch."}},
    {"id": "b", "title": "<script>alert(1)</script>", "source": "b.txt", "language": "en",
     "summaries": {"en": '<img src=x onerror="alert(2)"> & more'}, "flags": {"en": ["number 12 not in source"]}},
]


def test_markdown_lists_articles_of_the_language():
    md = render_markdown(RECORDS, "de")
    assert "Budget" in md and "Es ging durch." in md
    # no German summary: shown in English with a note, its markup escaped, never dropped
    assert "<script>" not in md and "&lt;script&gt;" in md and "Nicht auf Deutsch verfügbar" in md
    en = render_markdown(RECORDS, "en")
    assert en.count("\n## ") == 2
    assert "<script>" not in en and "&lt;script&gt;" in en
    assert "number 12 not in source" not in en  # review flags are for the review desk
    assert "number 12 not in source" in render_markdown(RECORDS, "en", Page(show_flags=True))


def test_html_escapes_everything_from_articles():
    page = render_html(RECORDS, "en")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=" in page
    assert "<b>passed</b>" not in page
    assert page.count("<article") == 2
    assert "<style>" in page and "http" not in page  # self-contained: no external resources
    assert "a.txt" not in page and "b.txt" not in page  # a local file name is no source for a reader


def test_email_variant_has_inline_styles_only():
    page = render_email(RECORDS, "en")
    assert "<style>" not in page and "<link" not in page and 'class="' not in page
    assert page.count("<article") == 2 and 'style="' in page and "overflow-wrap:anywhere" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<img" not in page


def test_a_link_is_made_only_to_a_web_address():
    records = [{"id": "x", "title": "Evil", "summaries": {"en": "Text."}, "url": "javascript:alert(1)"},
               {"id": "y", "title": "Good", "summaries": {"en": "Text."}, "meta": {"url": "https://ex.org/a?b=(1)"}}]
    page, md = render_html(records, "en"), render_markdown(records, "en")
    assert "javascript:" not in page and "javascript:" not in md
    assert '<a href="https://ex.org/a?b=(1)"' in page and "(https://ex.org/a?b=%281%29)" in md


def test_markdown_summaries_never_start_a_list():
    records = [{"id": str(n), "title": f"T{n}", "summaries": {"en": text}}
               for n, text in enumerate(["- a dash", "1. first", "12) twelve", "2024 was a year", "-5 degrees"])]
    paragraphs = [line for line in render_markdown(records, "en").splitlines()
                  if line and not line.startswith(("#", "_"))]
    assert paragraphs == ["\\- a dash", "1\\. first", "12\\) twelve", "2024 was a year", "-5 degrees"]


def test_right_to_left_languages_get_dir_rtl_from_cldr() -> None:
    from digest.output.labels import direction

    assert [direction(lang) for lang in ("ar", "he", "fa", "ur", "en", "ru", "zh-Hant", "xx")] == [
        "rtl", "rtl", "rtl", "rtl", "ltr", "ltr", "ltr", "ltr"]


def test_an_arabic_digest_page_reads_right_to_left(tmp_path) -> None:
    import json

    from click.testing import CliRunner

    from digest.cli import cli

    text = ("افتتح المجلس البلدي يوم الاثنين جسرا جديدا يربط شمال المدينة بجنوبها. وقال رئيس البلدية إن الجسر سيخفف "
            "الازدحام المروري. وبلغت تكلفة المشروع نحو 40 مليون دولار. وأعرب السكان عن ارتياحهم.")
    (tmp_path / "ar.json").write_text(json.dumps({"id": "ar-1", "title": "جسر جديد", "text": text, "language": "ar"}))
    config = tmp_path / "c.yaml"
    config.write_text("targets: []\nsummarizer: {model: extractive}\n")
    result = CliRunner().invoke(cli, ["run", str(tmp_path / "ar.json"), "-c", str(config), "-o", str(tmp_path / "o"),
                                      "-q"])
    assert result.exit_code == 0, result.output
    assert '<html lang="ar" dir="rtl">' in (tmp_path / "o" / "digest.ar.html").read_text(encoding="utf-8")
