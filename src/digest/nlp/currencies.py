"""A currency under its symbol, its code and its name in each language, from CLDR (through Babel).

"Rs 10,000" becomes "10 000 рупий" and "USD 5" becomes "5 dolarů": the translation names the currency in its own
words, so whether it kept a currency is asked of the currency, not of its spelling.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .language import cldr_locale, normalize
from .places import places as places_of
from .text import unaccent

#: numbers whose plural categories cover a language's forms of a currency's name ("rupie", "rupií"), Welsh and
#: Irish "few" and "many" included
_COUNTS = (0, 1, 2, 3, 5, 6, 7, 11, 21, 1.5)


@lru_cache(maxsize=1)
def _current() -> frozenset[str]:
    """The currencies some country pays in today (CLDR): not the historic ones ("BEL", "RUR") nor funds, whose
    codes are also teams' and countries' codes and whose names repeat today's adjectives."""
    from babel import Locale
    from babel.numbers import get_territory_currencies

    return frozenset(code for territory in Locale("en").territories
                     if isinstance(territory, str) and territory.isalpha()
                     for code in get_territory_currencies(territory))


@lru_cache(maxsize=16)
def _symbols(language: str) -> dict[str, frozenset[str]]:
    """Currency symbols in letters ("Rs", "Ksh", "Kč") that the language's CLDR locales write, and the ISO codes
    ("INR"), to the current currencies they stand for."""
    from babel import localedata

    found: dict[str, set[str]] = {code: {code} for code in _current()}
    for tag in localedata.locale_identifiers():
        if tag == language or tag.startswith(f"{language}_"):
            locale = cldr_locale(tag)
            for code, symbol in locale.currency_symbols.items() if locale else ():
                if symbol.isalpha() and len(symbol) > 1 and code in _current():
                    found.setdefault(symbol, set()).add(code)
    return {symbol: frozenset(codes) for symbol, codes in found.items()}


@lru_cache(maxsize=16)
def _nouns(language: str) -> dict[str, frozenset[str]]:
    """Each current currency's noun in the language, in all plural forms, as `unaccent` spells them: the words of
    four letters or more that its name shares with another current currency's ("rupie", "rupií" of "indická
    rupie"; "dolar", not "americký"), no word of a place's name ("unis" of "États-Unis"), or a name of one word
    ("euro", "eur"). A name sharing none ("arménský dram")
    has none, so that its adjective ("arménských") keeps nothing."""
    from babel.numbers import get_currency_name

    locale = cldr_locale(language)
    if locale is None:
        return {}
    words: dict[str, set[str]] = {}
    for code in _current():
        names = {get_currency_name(code, count, locale) for count in _COUNTS}
        words[code] = {unaccent(w) for name in names for w in re.findall(r"[^\W\d_]{3,}", name)}
    owners: dict[str, int] = {}
    for found in words.values():
        for word in found:
            owners[word] = owners.get(word, 0) + 1
    whole = {code for code in _current() if " " not in get_currency_name(code, locale=locale).strip()}
    places = {w for name in places_of(language) for w in re.findall(r"[^\W\d_]+", unaccent(name))}
    return {code: frozenset(w for w in found if code in whole or (
        owners[w] > 1 and len(w) >= 4 and w not in places)) for code, found in words.items()}


def currency_kept(name: str, translation: str, source_lang: str, target_lang: str) -> bool:
    """Whether `name` is a currency's symbol or code ("Rs", "USD") and the translation names that currency: by a
    symbol or code of it, or by its noun in the target language ("rupií", "рупий", "dolarů")."""
    codes = _symbols(normalize(source_lang)).get(name)
    if not codes:
        return False
    there = _symbols(normalize(target_lang))
    nouns = _nouns(normalize(target_lang))
    words = re.findall(r"[^\W\d_]+", translation)
    return any(there.get(w, frozenset()) & codes for w in words) or any(
        unaccent(w) in nouns.get(code, ()) for w in words for code in codes)
