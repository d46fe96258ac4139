"""One profile per language tag: everything digest needs to know about a language, from CLDR and Unicode data.

Script and region (langcodes' likely subtags), text direction, decimal and grouping symbols and the native digits
(Babel's CLDR locale and its numbering systems, the digits themselves from Unicode), whether words are separated by
spaces (by script) and which sentence splitter knows the language. Callers read the profile instead of keeping
tables of their own, so a language is added here, or by CLDR, and nowhere else.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .language import canonical_tag, cldr_locale, tag_identity

#: scripts written without spaces between words (ICU breaks them with dictionaries): Han, kana, Thai, Lao, Khmer,
#: Burmese. Korean (Hang/Kore) spaces its words.
UNSPACED_SCRIPTS = frozenset(("Hani", "Hans", "Hant", "Jpan", "Hira", "Kana", "Thai", "Laoo", "Khmr", "Mymr"))
#: their letters, for text whose language is not known (a Japanese quote in an English article)
UNSPACED_CHARS = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u2fdf\u3005\u3040-\u30ff\u3400-\u4dbf"
                  "\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f")
#: languages with their own pysbd rules; the others go to sentencex (about 300 languages, with fallbacks)
PYSBD_LANGUAGES = frozenset(
    (
        "am", "ar", "bg", "da", "de", "el", "en", "es", "fa", "fr", "hi", "hy", "it", "ja",
        "kk", "mr", "my", "nl", "pl", "ru", "sk", "ur", "zh",
    )
)
#: CLDR numbering systems whose Unicode digit names are not the script's English name
_DIGIT_NAMES = {"arab": "ARABIC-INDIC", "arabext": "EXTENDED ARABIC-INDIC", "beng": "BENGALI", "orya": "ORIYA",
                "fullwide": "FULLWIDTH", "tamldec": "TAMIL", "latn": "DIGIT"}


@dataclass(frozen=True)
class LanguageProfile:
    """What digest knows of one language tag (see the module docstring for where each field comes from)."""

    tag: str
    language: str
    script: str | None
    region: str | None
    #: "rtl" where CLDR writes the language right to left, else "ltr"
    direction: str
    #: the decimal mark and group separator with Latin digits ("1,5" / "1 000" in Russian)
    decimal: str
    group: str
    #: CLDR's native numbering system ("arab", "deva", "latn") and its ten digits, 0 to 9
    numbering: str
    digits: str
    #: whether words are separated by spaces (lengths are counted in words there, in characters elsewhere)
    spaced: bool
    #: the sentence splitter for this language: "pysbd" or "sentencex"
    sentences: str


@lru_cache(maxsize=256)
def profile(tag: str | None) -> LanguageProfile:
    """The profile of `tag` (any spelling `canonical_tag` reads); an empty or unknown tag gets the neutral values
    (left to right, "." and ",", Latin digits, spaced, sentencex)."""
    canonical = canonical_tag(tag or "")
    language, likely, region_given = tag_identity(canonical)
    script, region = (likely if language else None), region_given or None
    locale = (cldr_locale(canonical.replace("-", "_")) or cldr_locale(language)) if language else None
    decimal, group, numbering = ".", ",", "latn"
    direction = "ltr"
    if locale is not None:
        from babel.numbers import get_decimal_symbol, get_group_symbol

        direction = "rtl" if locale.character_order == "right-to-left" else "ltr"
        decimal = get_decimal_symbol(locale, numbering_system="latn")
        group = get_group_symbol(locale, numbering_system="latn")
        numbering = locale.other_numbering_systems.get("native", locale.default_numbering_system)
    return LanguageProfile(
        tag=canonical, language=language, script=script, region=region, direction=direction, decimal=decimal,
        group=group, numbering=numbering, digits=_digits(numbering), spaced=script not in UNSPACED_SCRIPTS,
        sentences="pysbd" if language in PYSBD_LANGUAGES else "sentencex",
    )


@lru_cache(maxsize=64)
def _digits(numbering: str) -> str:
    """The ten digits of a CLDR numbering system, from Unicode's digit names ("deva" → "०१२…"); Latin digits where
    Unicode has no decimal digits of that name (and Han numerals for "hanidec")."""
    if numbering == "hanidec":
        return "〇一二三四五六七八九"
    name = _DIGIT_NAMES.get(numbering)
    if name is None:
        locale = cldr_locale("en")
        name = (locale.scripts.get(numbering.title(), "") if locale else "").upper()
    try:
        zero = unicodedata.lookup(f"{name} DIGIT ZERO" if name != "DIGIT" else "DIGIT ZERO")
    except KeyError:
        return "0123456789"
    return "".join(chr(ord(zero) + i) for i in range(10))
