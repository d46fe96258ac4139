"""A currency under its symbol, its code and its name in each language, from CLDR (through Babel).

"Rs 10,000" becomes "10 000 рупий" and "USD 5" becomes "5 dolarů": the translation names the currency in its own
words, so whether it kept a currency is asked of the currency, not of its spelling.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .language import cldr_locale, normalize
from .text import unaccent

#: numbers whose plural categories cover a language's forms of a currency's name ("rupie", "rupií")
_COUNTS = (1, 2, 5, 1.5, 0, 21)


@lru_cache(maxsize=16)
def _symbols(language: str) -> dict[str, frozenset[str]]:
    """Currency symbols in letters ("Rs", "Ksh", "Kč") that the language's CLDR locales write, and the ISO codes
    ("INR"), to the currencies they stand for."""
    from babel import localedata
    from babel.numbers import list_currencies

    found: dict[str, set[str]] = {code: {code} for code in list_currencies()}
    for tag in localedata.locale_identifiers():
        if tag == language or tag.startswith(f"{language}_"):
            locale = cldr_locale(tag)
            for code, symbol in locale.currency_symbols.items() if locale else ():
                if symbol.isalpha() and len(symbol) > 1:
                    found.setdefault(symbol, set()).add(code)
    return {symbol: frozenset(codes) for symbol, codes in found.items()}


@lru_cache(maxsize=16)
def _nouns(language: str) -> dict[str, frozenset[str]]:
    """Each currency's nouns in the language, in all plural forms, as `unaccent` spells them: the words of its name
    that another currency's name shares ("rupie", "rupií" of "indická rupie"), or every word of a name that shares
    none ("euro")."""
    from babel.numbers import get_currency_name, list_currencies

    locale = cldr_locale(language)
    if locale is None:
        return {}
    words: dict[str, set[str]] = {}
    for code in list_currencies():
        names = {get_currency_name(code, count, locale) for count in _COUNTS}
        words[code] = {unaccent(w) for name in names for w in re.findall(r"[^\W\d_]{3,}", name)}
    owners: dict[str, int] = {}
    for found in words.values():
        for word in found:
            owners[word] = owners.get(word, 0) + 1
    return {code: frozenset({w for w in found if owners[w] > 1} or found) for code, found in words.items()}


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
