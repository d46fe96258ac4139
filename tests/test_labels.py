"""Page labels in the page's language: complete gettext catalogues, CLDR plural rules, and the English fallback
marked `lang="en"` for every other language."""

from __future__ import annotations

import string
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from digest.output import labels
from digest.output.editions import publish, render_index, subtitle
from digest.output.feeds import render_atom
from digest.output.labels import LOCALE_DIR, MESSAGES, count, foreign, label, labels_language
from digest.output.render import Page, render_email, render_html, render_markdown, render_text
from digest.output.review import render_review_html
from digest.output.store import Store

#: the 24 official EU languages and the others a newsroom needs most (English is the messages themselves)
REQUIRED = ["bg", "hr", "cs", "da", "nl", "et", "fi", "fr", "de", "el", "hu", "ga", "it", "lv", "lt", "mt", "pl",
            "pt", "ro", "sk", "sl", "es", "sv",
            "ar", "zh-Hans", "zh-Hant", "ja", "ko", "ru", "uk", "tr", "hi", "fa", "he", "id", "vi", "th", "sw"]


def _catalog(tag: str):
    with (LOCALE_DIR / f"{tag}.po").open("rb") as handle:
        return read_po(handle, locale=tag.replace("-", "_"))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _msgids() -> set[str]:
    return {m if isinstance(m, str) else m[0] for m in MESSAGES.values()}


def test_the_template_holds_exactly_the_messages_of_the_code():
    with (LOCALE_DIR / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id} == _msgids()


def test_every_required_language_has_a_catalogue_and_nothing_else_lies_there():
    assert sorted(p.stem for p in LOCALE_DIR.glob("*.po")) == sorted(REQUIRED)


@pytest.mark.parametrize("tag", REQUIRED)
def test_each_catalogue_is_complete_and_keeps_every_placeholder(tag):
    catalog = _catalog(tag)
    plural = get_plural(tag.replace("-", "_"))
    assert catalog.num_plurals == plural.num_plurals and catalog.plural_expr == plural.plural_expr  # CLDR's rule
    messages = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog if m.id}
    assert set(messages) == _msgids(), f"{tag}: missing {_msgids() - set(messages)}, stale {set(messages) - _msgids()}"
    same = 0
    for key, source in MESSAGES.items():
        message = messages[source if isinstance(source, str) else source[0]]
        assert not message.fuzzy, f"{tag}: {key} is fuzzy"
        forms = message.string if isinstance(source, tuple) else (message.string,)
        assert isinstance(forms, tuple) and len(forms) == (plural.num_plurals if isinstance(source, tuple) else 1)
        wanted = _fields(source if isinstance(source, str) else source[1])
        for form in forms:
            assert form.strip(), f"{tag}: {key} is not translated"
            assert _fields(form) == wanted, f"{tag}: {key} {form!r} must keep {sorted(wanted)}"
        same += forms[0] == (source if isinstance(source, str) else source[0])
    assert same <= 2, f"{tag}: {same} messages are the English text"  # "Source", a loan word, at most


@pytest.mark.parametrize("tag", [*REQUIRED, "en", "sr-Latn", "xx"])
def test_every_label_renders_in_every_language(tag):
    for key, message in MESSAGES.items():
        text = count(tag, 3, key) if isinstance(message, tuple) else label(
            tag, key, date="1 May", author="A. Writer", language="L1", original="L2")
        assert text.strip() and "{" not in text


@pytest.mark.parametrize(("tag", "found", "mark"), [
    ("de", "de", None), ("de-AT", "de", None), ("pt-BR", "pt", None), ("zh-TW", "zh-Hant", None),
    ("zh-hant", "zh-Hant", None), ("zh-CN", "zh-Hans", None), ("zh", "zh-Hans", None), ("ZH-HK", "zh-Hant", None),
    ("en-GB", "en", None), ("sr-Latn", "en", "en"), ("sr", "en", "en"), ("is", "en", "en"), ("xx", "en", "en"),
    ("not a tag!", "en", "en"),
])
def test_a_tag_finds_the_catalogue_of_its_language_and_script(tag, found, mark):
    assert labels_language(tag) == found and foreign(tag) == mark


@pytest.mark.parametrize(("tag", "counts"), [
    ("en", {1: "1 story", 2: "2 stories"}),
    ("ru", {1: "1 новость", 3: "3 новости", 5: "5 новостей", 21: "21 новость", 1234: "1\xa0234 новости"}),
    ("pl", {1: "1 wiadomość", 22: "22 wiadomości", 25: "25 wiadomości"}),
    ("cs", {1: "1 zpráva", 4: "4 zprávy", 5: "5 zpráv"}),
    ("ar", {2: "2 خبران", 3: "3 أخبار", 11: "11 خبرًا", 100: "100 خبر"}),
    ("ja", {1: "1件の記事", 7: "7件の記事"}), ("de", {1234: "1.234 Meldungen"}),
])
def test_counts_take_the_plural_form_and_digit_grouping_of_the_language(tag, counts):
    assert {n: count(tag, n) for n in counts} == counts


RECORDS = [
    {"id": "one", "title": "Original headline", "language": "en", "date": "2026-11-27T08:00:00+00:00",
     "site": "Daily", "url": "https://daily.example/one", "author": "Ann Writer",
     "summaries": {"en": "The council approved the budget."},
     "titles": {}, "flags": {}},
    {"id": "two", "title": "Second", "language": "en", "date": "2026-11-26", "site": "Other",
     "url": "https://other.example/two", "summaries": {"en": "A second story."}},
]


def _localised(tag: str) -> list[dict]:
    out = []
    for record in RECORDS:
        copy = dict(record, summaries={**record["summaries"]}, titles={})
        if record["id"] == "one":  # translated into the page's language; "two" stays English
            copy["summaries"][tag] = f"summary in {tag}"
            copy["titles"] = {tag: f"headline in {tag}"}
        out.append(copy)
    return out


@pytest.mark.parametrize("tag", ["ar", "he", "ja", "zh-Hans", "zh-Hant", "ru", "hi", "th", "de", "fa"])
def test_pages_in_several_languages_carry_their_own_words(tag):
    records = _localised(tag)
    page = render_html(records, tag)
    assert f'<html lang="{tag}" dir="{labels.direction(tag)}">' in page
    assert f"<h1>{label(tag, 'heading')}</h1>" in page and count(tag, 2) in page
    assert 'lang="en"' in page  # the untranslated story says what it is, in its language
    story = page.split('id="item-two"')[1].split("</article>")[0]
    assert '<h2 lang="en"' in story and '<p class="sum" lang="en"' in story
    assert label(tag, "untranslated", language=labels.language_name(tag, tag),
                 original=labels.language_name("en", tag)) in story
    for english in ("News digest", "stories", "Not available in", "Edition of"):
        assert english not in page
    mine = page.split('id="item-one"')[1].split("</article>")[0]
    assert "<h2><a" in mine and 'class="sum">summary in' in mine  # in the page's language: no lang attribute
    for text in (render_markdown(records, tag), render_text(records, tag), render_email(records, tag)):
        assert label(tag, "heading") in text and count(tag, 2) in text and "News digest" not in text
    assert f'<html lang="{tag}" dir="{labels.direction(tag)}">' in render_email(records, tag)
    assert label(tag, "untranslated", language=labels.language_name(tag, tag),
                 original=labels.language_name("en", tag)) in render_atom(records, tag, "all")


def test_a_language_without_a_catalogue_gets_english_labels_marked_as_english():
    records = _localised("sr-Latn")
    page = render_html(records, "sr-Latn")
    assert '<html lang="sr-Latn" dir="ltr">' in page
    assert '<h1 lang="en">News digest</h1>' in page and '<p class="ui" lang="en">2 stories</p>' in page
    assert '<p class="note" lang="en">Not available in Serbian (Latin); shown in the original English.</p>' in page
    assert ">by " not in page and "Ann Writer" in page  # no English word inside the byline
    arabic_script = render_html(_localised("ur"), "ur")  # no catalogue, right to left: the English reads ltr
    assert '<html lang="ur" dir="rtl">' in arabic_script and '<h1 lang="en" dir="ltr">News digest</h1>' in arabic_script
    mail = render_email(records, "sr-Latn")
    assert 'lang="en">News digest</h1>' in mail and 'lang="en">2 stories</p>' in mail
    # a newsroom's masthead is its own words, never marked
    assert "<h1>Vesti</h1>" in render_html(records, "sr-Latn", Page(title="Vesti"))


def test_edition_lines_write_the_date_in_the_labels_language():
    assert subtitle("2026-11-27", "ja") == "2026年11月27日号"
    assert subtitle("2026-11-27", "ru") == "Выпуск от 27 ноября 2026\u202fг."
    assert subtitle("2026-W48", "de") == "Woche vom 23. November 2026"
    assert subtitle("2026-11-27", "sr-Latn") == "Edition of November 27, 2026"  # an English label, an English date
    assert subtitle("all", "ar") == "كل الأخبار"


def test_the_review_desk_speaks_the_configured_language():
    entries = [{"id": "x", "title": "Заголовок", "url": None, "date": "2026-11-27T08:00:00+00:00", "language": "de",
                "source_language": "ru", "flags": ["number not in the source: 12"], "source_sentences": ["Текст."],
                "summary": "Текст.", "translation": "Text.", "held": True}]
    page = render_review_html(entries, "ru")
    assert '<html lang="ru" dir="ltr">' in page and "<h1>Редакционная проверка</h1>" in page
    assert "1 отмеченная новость · сначала новые" in page and "Перевод (немецкий)" in page
    assert '<span lang="en">number not in the source: 12</span>' in page and "придержано" in page
    assert "Review desk" in render_review_html(entries) and "Review desk" not in page
    assert "Ничего" not in page and "На главной странице ничего не отмечено." in render_review_html([], "ru")


def test_published_editions_and_the_index_use_the_catalogues(tmp_path):
    store = Store(tmp_path)
    records = [dict(r, summaries={"ar": "ملخص.", "en": r["summaries"]["en"]}) for r in RECORDS]
    output = SimpleNamespace(edition="day", timezone="UTC", formats=["html"], review_language="ar")
    publish(store, records, output, languages=["ar", "en"], now=datetime(2026, 11, 28, tzinfo=timezone.utc))
    front = (tmp_path / "digest.ar.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in front and label("ar", "latest") in front
    index = render_index({"2026-11-27": {"ar": 2, "sr-Latn": 1}})
    assert '<section lang="ar" dir="rtl"><h2><span>موجز الأخبار</span>' in index
    assert '<section lang="sr-Latn" dir="ltr"><h2><span lang="en">News digest</span>' in index
    assert subtitle("2026-11-27", "ar") in index and count("ar", 2) in index
    assert "مكتب المراجعة" in (tmp_path / "review.html").read_text(encoding="utf-8")
    assert (tmp_path / "editions" / "2026-11-27" / "digest.ar.html").exists()
