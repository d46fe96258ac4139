"""Font stacks for every script: system fonts only, the Han variant of the language first, no styles that tear
a script apart."""

from __future__ import annotations

import re

import pytest

from digest.output import fonts
from digest.output.render import render_email, render_html


@pytest.mark.parametrize(("script", "faces"), [
    ("Arabic", ["'Noto Naskh Arabic'", "'Geeza Pro'"]), ("Hebrew", ["'Noto Serif Hebrew'"]),
    ("Devanagari", ["'Noto Serif Devanagari'", "'Nirmala UI'"]), ("Thai", ["'Noto Serif Thai'", "Tahoma"]),
    ("Cyrillic and Greek", ["Georgia", "'Noto Serif'"]),
])
def test_every_page_names_fonts_for_every_script(script, faces):
    for lang in ("en", "ar", "ja"):
        assert all(face in fonts.css(lang) for face in faces), (script, lang)


def test_each_han_variant_is_picked_by_the_language_of_its_element():
    css = fonts.css("en")
    for tag, face in (("ja", "'Noto Serif CJK JP'"), ("ko", "'Noto Serif CJK KR'"), ("zh-Hant", "'Noto Serif CJK TC'"),
                      ("zh-TW", "'Noto Serif CJK TC'"), ("zh", "'Noto Serif CJK SC'")):
        assert re.search(rf":lang\({tag}\)\{{--han-serif:{re.escape(face)}", css), tag
    assert css.index(":lang(zh){") < css.index(":lang(zh-TW){")  # the narrower range wins
    assert "url(" not in css and "@font-face" not in css  # no web fonts: the page stays self-contained
    assert fonts.stack("serif", "zh-TW").index("CJK TC") < fonts.stack("serif", "zh-TW").index("CJK SC")
    assert fonts.stack("sans", "ja").index("CJK JP") < fonts.stack("sans", "ja").index("CJK SC")


@pytest.mark.parametrize(("lang", "cased"), [("en", True), ("ru", True), ("el", True), ("ar", False), ("hi", False),
                                             ("th", False), ("zh-Hant", False), ("ja", False)])
def test_spacing_capitals_and_italics_are_dropped_where_the_script_has_none(lang, cased):
    assert fonts.cased(lang) == cased
    assert ("letter-spacing:normal" in fonts.css(lang)) != cased
    assert ("font-style:italic" in render_email([_record(lang)], lang)) == cased


def _record(lang: str) -> dict:
    """A story not translated into `lang`: its page shows the note (in italics where the script has them)."""
    other = "de" if lang == "en" else "en"
    return {"id": "x", "language": other, "title": "Title", "summaries": {other: "Text."}, "url": "https://x.example/a"}


def test_pages_and_e_mails_carry_the_stacks_of_their_language():
    page = render_html([_record("ja")], "ja")
    assert fonts.css("ja") in page
    mail = render_email([_record("zh-TW")], "zh-TW")
    assert "<style" not in mail and fonts.mail("serif", "zh-TW") in mail and "'Noto Sans CJK TC'" in mail
