"""The fixed words of pages, feeds, the e-mail edition and the review desk in the page's language.

Words come from gettext catalogues (`output/locale/<tag>.po`, read with Babel at first use), one per language
tag (`de`, `zh-Hant`); what CLDR has comes from CLDR through Babel: dates, language names, plural rules (the
catalogue's `Plural-Forms`), number symbols and list patterns. A language without a catalogue gets the English
labels, and `foreign()` tells the pages to mark them `lang="en"`; values inside a label (its date, its language
names) are written in the label's language, so an English label never carries a date in another one.

Adding a language: copy `locale/messages.pot` to `locale/<tag>.po`, set its `Language` and `Plural-Forms`
(`pybabel init -i messages.pot -l <tag>` writes both from CLDR), translate every message;
tests/test_labels.py checks that the catalogue is complete and keeps every placeholder.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..nlp.language import cldr_locale
from ..nlp.profile import profile

if TYPE_CHECKING:
    from babel import Locale

#: the folder of the catalogues (shipped in the wheel as package data)
LOCALE_DIR = Path(__file__).parent / "locale"
#: the language the messages are written in; a page in any language without a catalogue shows these
SOURCE = "en"
#: key → English text, the catalogue's msgid; a pair is the (singular, plural) of a count. {placeholders} are filled
#: in by `label`/`count`
MESSAGES: dict[str, str | tuple[str, str]] = {
    "heading": "News digest",
    "edition": "Edition of {date}",
    "week": "Week of {date}",
    "all": "All stories",
    "stories": ("{n} story", "{n} stories"),
    "by": "by {author}",
    "also": "Also reported by",
    "untranslated": "Not available in {language}; shown in the original {original}.",
    "check": "Check",
    "editions": "Editions",
    "latest": "Latest edition",
    "feed": "Atom feed",
    "read": "Read the article",
    "empty": "No stories in this edition.",
    "desk": "Review desk",
    "flagged": ("{n} flagged story", "{n} flagged stories"),
    "newest": "newest first",
    "held": "held",
    "source": "Source",
    "summary": "Summary",
    "translation": "Translation ({language})",
    "nothing": "Nothing flagged on the front page.",
}


def base(lang: str) -> str:
    """`pt-br` → `pt`: the language part of a tag."""
    return lang.replace("_", "-").split("-")[0].lower()


def _subtags(tag: str) -> tuple[str, str] | None:
    """(language, script) of a tag with the script CLDR's likely subtags give it (`zh-TW` → zh, Hant), or None
    for what is no language tag."""
    import langcodes

    try:
        full = langcodes.Language.get(tag.replace("_", "-")).maximize()
    except (ValueError, LookupError):
        return None
    return (full.language or "", full.script or "") if full.language else None


@functools.lru_cache(maxsize=1)
def _catalogues() -> dict[tuple[str, str], str]:
    """(language, script) → the tag of the catalogue written for it; English is the messages themselves."""
    out: dict[tuple[str, str], str] = {}
    for tag in [SOURCE, *sorted(p.stem for p in LOCALE_DIR.glob("*.po"))]:
        key = _subtags(tag)
        if key is not None:
            out.setdefault(key, tag)
    return out


@functools.lru_cache(maxsize=256)
def labels_language(lang: str) -> str:
    """The tag of the catalogue a page in `lang` takes its words from: `zh-TW` → `zh-Hant`, `pt-BR` → `pt`,
    `sr-Latn` (no catalogue) → `en`. Language and script must match; the region does not matter."""
    key = _subtags(lang)
    return _catalogues().get(key, SOURCE) if key is not None else SOURCE


def foreign(lang: str) -> str | None:
    """The `lang` attribute a page in `lang` must put on its labels: "en" when they fell back to English,
    None when they are in the page's language."""
    found = labels_language(lang)
    return None if base(found) == base(lang) else found


@functools.lru_cache(maxsize=64)
def _translations(tag: str) -> gettext.NullTranslations:
    """The catalogue of `tag` as Python gettext translations (its plural rule from the .po header)."""
    if tag == SOURCE:
        return gettext.NullTranslations()
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with (LOCALE_DIR / f"{tag}.po").open("rb") as handle:
        catalog = read_po(handle, locale=tag.replace("-", "_"))
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _message(key: str) -> str | tuple[str, str]:
    try:
        return MESSAGES[key]
    except KeyError:
        raise KeyError(f"no page label {key!r} (known: {', '.join(MESSAGES)})") from None


def label(lang: str, key: str, **values: object) -> str:
    """One fixed text of a page in `lang` (English when no catalogue has its language), placeholders filled in."""
    message = _message(key)
    text = message[0] if isinstance(message, tuple) else message
    return _translations(labels_language(lang)).gettext(text).format(**values)


def count(lang: str, n: int, key: str = "stories") -> str:
    """"3 stories" in `lang`: the plural form CLDR's rule picks for `n`, the number in the locale's digits."""
    from babel.numbers import format_decimal

    message = _message(key)
    if not isinstance(message, tuple):
        raise KeyError(f"page label {key!r} is no count")
    tag = labels_language(lang)
    return _translations(tag).ngettext(*message, n).format(n=format_decimal(n, locale=_locale(tag)))


def _locale(lang: str) -> Locale:
    found = cldr_locale(lang.replace("-", "_")) or cldr_locale(base(lang)) or cldr_locale("en")
    assert found is not None, "Babel always has English"
    return found


@functools.lru_cache(maxsize=256)
def direction(lang: str) -> str:
    """"rtl" for languages CLDR writes right to left (Arabic, Hebrew, Persian, Urdu…), else "ltr": the page's
    `dir`, so an Arabic digest does not read left to right."""
    return profile(lang).direction


def format_day(day: date, lang: str, form: str = "long") -> str:
    """A date as the language writes it: `27. November 2026`, `27 novembre 2026`."""
    from babel.dates import format_date

    return format_date(day, form, locale=_locale(lang))


def label_day(lang: str, key: str, day: date) -> str:
    """A label about a day (`Edition of {date}`), the date in the label's own language."""
    return label(lang, key, date=format_day(day, labels_language(lang)))


def language_name(code: str, lang: str) -> str:
    """The name of language `code` in language `lang` (`en` in German: `Englisch`; `zh-Hant` in English: `Chinese
    (Traditional)`), else the code itself."""
    where = _locale(lang)
    full = cldr_locale(code.replace("-", "_")) if "-" in code or "_" in code else None
    named = full.get_display_name(where) if full is not None else None
    return named or where.languages.get(code.replace("-", "_")) or where.languages.get(base(code)) or code


def join(items: Sequence[str], lang: str) -> str:
    """Items as one list in `lang` by CLDR's list pattern: `A, B and C`, `A、B和C`, `A وB وC`."""
    from babel.lists import format_list

    return format_list(list(items), "standard", locale=_locale(lang)) if items else ""
