"""One place under its names in each language: countries, regions and continents from CLDR (through Babel).

A translation may name a place differently ("Schweden" -> "Suède", also "suédois"), so whether it kept the place
is asked of the place, not of its spelling.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .language import normalize
from .lexicon import LONGEST_NAME, NOUN_CAPITALISING

# German region names built on another name: "Niederösterreich", "Südostasien", "Oberbayern"
_POSITIONAL = ("nord", "süd", "ost", "west", "ober", "unter", "nieder", "mittel", "zentral")


def unaccent(word: str) -> str:
    """Lower case without accents: "Suède" -> "suede", "Straße" -> "strasse"."""
    text = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))
    return text.replace("ß", "ss")


@lru_cache(maxsize=32)
def territories(language: str) -> dict[str, str]:
    """Country, region and continent names of a locale (CLDR), lower-cased, to their code: "deutschland" -> "DE"."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(language).territories
    except (UnknownLocaleError, ValueError):
        return {}
    return {name.lower(): code for code, name in names.items() if "-" not in code}  # "150" is Europe


def same_place(name: str, candidates: list[str], source_lang: str, target_lang: str) -> bool:
    """Whether the translation (its words: `candidates`) names the same country, region or continent, also as an
    adjective or people ("Schweden" -> "suédois", "Deutschland" -> "German"), or the land a German region name is
    part of ("Niederösterreich" -> "Austria")."""
    src, tgt = normalize(source_lang), normalize(target_lang)
    home = territories(src)
    forms = [name, *positional_rest(name, src)]
    forms += [f[:-k] for f in forms for k in (1, 2) if src in NOUN_CAPITALISING and f[-k:] in ("s", "n", "en", "es")]
    codes = {home.get(f.lower()) for f in forms} | set(_aliases().get(name, []))
    if name.isalpha() and name.isupper():
        codes.add(name)
    codes.discard(None)
    if not codes:
        return False
    folded = [_plain(c) for c in candidates]
    for local, code in territories(tgt).items():
        if code in codes:
            words = _plain(local).split()
            stem = re.sub(r"[aeiouy]+$", "", words[0]) if len(words) == 1 else ""
            if any(" ".join(folded[i:i + len(words)]) == " ".join(words) for i in range(len(folded))) or (
                    len(stem) >= 4 and any(f.startswith(stem) for f in folded)):
                return True
    return False


def positional_rest(name: str, lang: str) -> list[str]:
    """The name under a German positional prefix ("Südostasien" -> "Ostasien", "Asien")."""
    rests: list[str] = []
    while lang in NOUN_CAPITALISING and len(rests) < 3 and len(name) <= LONGEST_NAME:
        prefix = next((p for p in _POSITIONAL if name.lower().startswith(p) and len(name) - len(p) >= 3
                       and name[len(p)].isalpha()), None)
        if prefix is None:
            break
        name = name[len(prefix)].upper() + name[len(prefix) + 1:]
        rests.append(name)
    return rests


def _plain(word: str) -> str:
    """Lower case without accents and hyphens: "États-Unis" -> "etats unis"."""
    return unaccent(word).replace("-", " ")


@lru_cache(maxsize=1)
def _aliases() -> dict[str, list[str]]:
    """CLDR's aliases of territory codes ("UK" -> ["GB"])."""
    from babel.core import get_global

    return dict(get_global("territory_aliases"))
