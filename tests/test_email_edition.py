"""The e-mail edition: newsroom masthead, intro and footer, linked headlines, read-more links, a plain-text part."""

from __future__ import annotations

import email
from datetime import datetime, timezone
from email import policy
from types import SimpleNamespace

from newsroom_records import records

from digest.output.editions import publish
from digest.output.render import Page, render_email, render_eml, render_html, render_markdown, render_text
from digest.output.store import Store

BRAND = Page(subtitle="Ausgabe", title="Küstenbote <Abend>", intro="Das Wichtigste des Tages.",
             footer="Abbestellen: antworten Sie mit STOP.")


def test_every_format_carries_the_newsrooms_title_intro_and_footer():
    page = render_email(records(), "de", BRAND)
    md = render_markdown(records(), "de", BRAND)
    text = render_text(records(), "de", BRAND)
    for body in (page, md, text):
        assert "Das Wichtigste des Tages." in body and "antworten Sie mit STOP." in body
    assert "Küstenbote &lt;Abend&gt;</h1>" in page and "<Abend>" not in page  # escaped
    assert md.startswith("# Küstenbote &lt;Abend&gt;\n") and text.startswith("Küstenbote <Abend>\n")


def test_headlines_are_links_and_each_story_has_a_read_more_link():
    page = render_email(records(), "de", BRAND)
    storm = page.split('id="item-guardian.storm"')[1].split("</article>")[0]
    headline = storm.split("<h2")[1].split("</h2>")[0]
    assert '<a href="https://www.theguardian.com/world/storm"' in headline and "text-decoration:underline" in headline
    assert ">Zum Artikel →</a>" in storm
    text = render_text(records(), "de", BRAND)
    assert "Zum Artikel: https://www.theguardian.com/world/storm" in text and "<" not in text.replace("<Abend>", "")


def test_the_eml_is_multipart_alternative_plain_text_first(tmp_path):
    message = email.message_from_string(render_eml(records(), "de", BRAND), policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert message["Subject"] == "Küstenbote <Abend> · Ausgabe"
    parts = [p.get_content_type() for p in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    plain, rich = (p.get_content() for p in message.iter_parts())
    assert "Sturm schließt Häfen an der Küste" in plain and "Sturm schließt Häfen an der Küste" in rich
    assert "<style>" not in rich


def test_publish_writes_the_eml_when_formats_include_email(tmp_path):
    store = Store(tmp_path)
    output = SimpleNamespace(edition="day", timezone="UTC", formats=["html", "email"], title="Küstenbote",
                             intro=None, footer="Abbestellen: STOP")
    publish(store, records(), output, languages=["de"], now=datetime(2026, 11, 28, 6, tzinfo=timezone.utc))
    message = email.message_from_bytes((tmp_path / "digest.de.eml").read_bytes(), policy=policy.default)
    assert message.get_content_type() == "multipart/alternative" and message["Subject"].startswith("Küstenbote")
    assert "Abbestellen: STOP" in (tmp_path / "digest.de.html").read_text(encoding="utf-8")
    assert (tmp_path / "editions" / "2026-11-27" / "digest.de.eml").is_file()
    publish(Store(tmp_path / "plain"), records(), SimpleNamespace(edition="day", timezone="UTC", formats=["html"]),
            languages=["de"])
    assert not (tmp_path / "plain" / "digest.de.eml").exists()


def test_a_newsroom_template_replaces_the_page_and_stays_escaped(tmp_path):
    folder = tmp_path / "brand"
    folder.mkdir()
    (folder / "page.html").write_text(
        '<html lang="{{ lang }}" dir="{{ direction }}"><body><h1 class="brand">{{ heading }}</h1>'
        "{% for item in items %}<h2>{{ item.title }}</h2>{% endfor %}<footer>{{ footer }}</footer></body></html>",
        encoding="utf-8")
    rows = [{"id": "x", "title": "<script>alert(1)</script>", "summaries": {"en": "S."}, "language": "en"}]
    page = render_html(rows, "en", Page(title="Küstenbote", footer="Impressum", templates=str(folder)))
    assert page.startswith('<html lang="en" dir="ltr"><body><h1 class="brand">Küstenbote</h1>')
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "<footer>Impressum</footer>" in page
    from digest.config import ConfigError, load_config

    assert load_config(None, **{"output.templates": str(folder)}).output.templates == str(folder)
    try:
        load_config(None, **{"output.templates": str(tmp_path / "nope")})
    except ConfigError as exc:
        assert "'output.templates'" in str(exc) and "is not a folder" in str(exc)
    else:
        raise AssertionError("a missing template folder must be a config error")
