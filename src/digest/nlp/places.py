"""One place under its names in each language: countries, regions, continents and cities from CLDR (through
Babel), states and provinces from ISO 3166-2 with the iso-codes translations (through pycountry).

A translation may name a place differently ("Schweden" -> "Suède", also "suédois"), so whether it kept the place
is asked of the place, not of its spelling.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .language import cldr_locale, normalize
from .lexicon import LONGEST_NAME, NOUN_CAPITALISING, has_lexicon, word_class
from .text import unaccent

if TYPE_CHECKING:
    import gettext

    from babel import Locale

#: a word this long of a place's name of several words, made of another place's name, stands for the place
#: ("européenne" of "Union européenne"; not "vereinigten" of "Vereinigte Staaten")
LONG_WORD = 8
#: a language's name is its main country's adjective only when it starts like the country's name, this many
#: letters ("allemand"/"Allemagne", "deutsch"/"Deutschland"; not "arabisch" for Egypt, "rundi" for Burundi)
SHARED_START = 4
# German region names built on another name: "Niederösterreich", "Südostasien", "Oberbayern"
_POSITIONAL = ("nord", "süd", "ost", "west", "ober", "unter", "nieder", "mittel", "zentral")


@lru_cache(maxsize=32)
def territories(language: str) -> dict[str, str]:
    """Country, region and continent names of a locale (CLDR), lower-cased, to their code: "deutschland" -> "DE"."""
    locale = cldr_locale(language)
    if locale is None:
        return {}
    return {name.lower(): code for code, name in locale.territories.items() if "-" not in code}  # "150" is Europe


@lru_cache(maxsize=32)
def places(language: str) -> dict[str, frozenset[str]]:
    """Every name a place has in this locale, lower-cased, to the place's codes: countries, regions and
    continents ("Schweden" -> SE), states and provinces ("Bavière" -> DE-BY), the cities that name time zones
    ("Wien" -> Europe/Vienna), and a country's adjective where CLDR names a language after it ("américain" of
    "anglais américain" -> US, "allemand" -> DE)."""
    locale = cldr_locale(language)
    if locale is None:
        return {}
    found: dict[str, set[str]] = {}
    for name, code in territories(language).items():
        found.setdefault(name, set()).add(code)
    for zone in _zones():
        city = locale.time_zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace("_", " ")
        found.setdefault(city.lower(), set()).add(zone)
    for name, code in _subdivisions(language):
        found.setdefault(name.lower(), set()).add(code)
    for name, code in _official_words(language, found):
        found.setdefault(name.lower(), set()).add(code)
    for adjective, code in _adjectives(locale).items():
        found.setdefault(adjective, set()).add(code)
    for short, code in _variant_names(locale).items():
        found.setdefault(short, set()).add(code)
    return {name: frozenset(codes) for name, codes in found.items()}


def _variant_names(locale: Locale) -> dict[str, str]:
    """The short names a locale gives countries inside the names of language variants: "angličtina (Velká
    Británie)" names GB "Velká Británie", "angličtina (USA)" names US "USA", where its territory name is "Spojené
    království" and "Spojené státy"."""
    found: dict[str, str] = {}
    for key, variant in locale.languages.items():
        territory = key.partition("_")[2]
        inner = re.fullmatch(r"[^()]+\(([^()]+)\)", variant)
        if inner and territory.isalpha() and len(territory) == 2:
            found.setdefault(inner.group(1).strip().lower(), territory)
    return found


def _subdivisions(language: str) -> list[tuple[str, str]]:
    """ISO 3166-2 subdivisions under their names in `language` (the ISO name where iso-codes has no translation)."""
    import pycountry

    translation = _iso_names("iso3166-2", language)
    return [(translation.gettext(s.name), s.code) for s in pycountry.subdivisions]


def _iso_names(standard: str, language: str) -> gettext.NullTranslations:
    """The iso-codes translations of an ISO standard's names into `language` (shipped in pycountry)."""
    import gettext

    import pycountry

    return gettext.translation(standard, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _official_words(language: str, known: dict[str, set[str]]) -> list[tuple[str, str]]:
    """The name a country's official name adds to its short one: "Britain" of "United Kingdom of Great Britain
    and Northern Ireland", "Großbritannien", "Grande-Bretagne". Only names (as the lexicon knows them, or
    capitalised hyphenated words), of one country, that are no other place's name nor part of another country's or
    region's ("America" is also in "Latin America")."""
    import pycountry

    translation = _iso_names("iso3166-1", language)
    other_words = {w for name in territories(language) for w in name.split() if " " in name}
    found: dict[str, set[str]] = {}
    for country in pycountry.countries:
        official = getattr(country, "official_name", None)
        if not official:
            continue
        short = translation.gettext(country.name).lower()
        for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", translation.gettext(official)):
            lower = word.lower()
            if len(word) < 6 or lower in short or lower in known or lower in other_words:
                continue
            if word_class(word, language) in ("name", None) if has_lexicon(language) else \
                    all(part[0].isupper() for part in word.split("-")) and "-" in word:
                found.setdefault(word, set()).add(country.alpha_2)
    return [(word, codes.pop()) for word, codes in found.items() if len(codes) == 1]


def _adjectives(locale: Locale) -> dict[str, str]:
    """A country's adjective from the names of languages: "anglais américain" (en_US) gives "américain" for US,
    "allemand" (de, the first official language of DE) gives "allemand" for DE. An adjective that is also another
    place's name ("European Spanish") is left out."""
    from babel.core import get_global
    from babel.languages import get_territory_language_info

    likely = get_global("likely_subtags")
    stems = {_stem(name): code for name, code in territories(str(locale)).items() if " " not in name}
    found: dict[str, str] = {}
    for key, variant in locale.languages.items():
        language, _, territory = key.partition("_")
        base = locale.languages.get(language)
        if not base:
            continue
        if not territory:  # the language itself, for its main country when CLDR has no variant named after it
            territory = likely.get(language, "").rpartition("_")[2]
            if not territory.isalpha() or f"{language}_{territory}" in _named_variants() or " " in base:
                continue
            spoken = get_territory_language_info(territory)
            official = [lang for lang, info in spoken.items() if info.get("official_status")]
            share = {lang: float(spoken[lang]["population_percent"] or 0) for lang in official}
            if not official or max(official, key=share.__getitem__) != language:
                continue
            country = unaccent(locale.territories.get(territory, ""))
            rest = [unaccent(base)] if unaccent(base)[:SHARED_START] == country[:SHARED_START] else []
        elif territory.isalpha() and len(territory) == 2 and unaccent(base) in unaccent(variant):
            rest = [w for w in re.split(r"[^\w]+", unaccent(variant).replace(unaccent(base), " "))
                    if len(w) > 2 and w not in ("des", "del")]
        else:
            continue
        if len(rest) == 1 and len(rest[0]) >= 4 and not any(
                code != territory and (stem.startswith(_stem(rest[0])) or _stem(rest[0]).startswith(stem))
                for stem, code in stems.items() if len(stem) >= 4):
            found[rest[0]] = territory
    return found


@lru_cache(maxsize=1)
def _named_variants() -> frozenset[str]:
    """Languages CLDR names after a country in some locale ("en_US"): their plain name is no adjective of it."""
    locale = cldr_locale("en")
    return frozenset(str(key) for key in locale.languages if "_" in str(key)) if locale else frozenset()


def _stem(word: str) -> str:
    """A place word without its ending, so that inflected and derived forms start with it ("österreichisch")."""
    return re.sub(r"(?:e[mnrs]?|[aeiouy]+)$", "", word)


@lru_cache(maxsize=1)
def _zones() -> tuple[str, ...]:
    """CLDR's time zones named by a city ("Europe/Vienna")."""
    from babel.core import get_global

    return tuple(zone for zone in get_global("zone_territories") if "/" in zone and not zone.startswith("Etc/"))


def same_place(name: str, candidates: list[str], source_lang: str, target_lang: str) -> bool:
    """Whether the translation (its words: `candidates`) names the same place, also as an adjective or people
    ("Schweden" -> "suédois", "Deutschland" -> "German", "Wien" -> "Vienna"), or the land a German region name is
    part of ("Niederösterreich" -> "Austria")."""
    src, tgt = normalize(source_lang), normalize(target_lang)
    home = _spaced_places(src)
    forms = [name, *positional_rest(name, src)]
    forms += [f[:-k] for f in forms for k in (1, 2) if src in NOUN_CAPITALISING and f[-k:] in ("s", "n", "en", "es")
              or f[-k:] in ("s", "ns")]  # "Tunisians" -> "Tunisia"
    codes = set().union(*(home.get(_spaced(f), ()) for f in forms)) | set(_aliases().get(name, []))
    if name.replace(".", "").isalpha() and name.isupper():
        codes.add(name.replace(".", ""))  # "U.S."
    if not codes:
        return False
    folded = [_plain(c) for c in candidates]
    names = _names_by_code(tgt)
    if tgt in DECLINING:  # a language that declines names writes a place's name from abroad with its own endings
        source_names = _names_by_code(src)
        if any(_cognate(_plain(name), f) and codes >= declined_place(f, tgt) for code in codes
               for name in (*names.get(code, ()), *source_names.get(code, ())) if " " not in name for f in folded):
            return True  # "Británie" of "Britain", "americkou" of "American"
    for local in {name for code in codes for name in names.get(code, ())}:
        words = _plain(local).split()
        stems = [_stem(words[0])] if len(words) == 1 else [  # "Union européenne"
            _stem(w) for w in words if len(w) >= LONG_WORD and local in territories(tgt) and _derived(w, tgt)]
        if any(" ".join(folded[i:i + len(words)]) == " ".join(words) for i in range(len(folded))) or any(
                len(stem) >= 4 and f.startswith(stem) for stem in stems for f in folded):
            return True
        if tgt in DECLINING and len(words) > 1 and any(all(
                _declined(w, f) for w, f in zip(words, folded[i:i + len(words)], strict=True))
                for i in range(len(folded) - len(words) + 1)):
            return True  # "ve Spojeném království", "Spojených států"
    return any(_by_its_language(name, code, folded, src, tgt) for code in codes)


def _by_its_language(name: str, code: str, folded: list[str], source_lang: str, target_lang: str) -> bool:
    """Whether the translation names a region by the language named after it: "England" is kept by "Anglie",
    since English is "angličtina" in Czech, and "Scotland" by "skotský" (Scots, "skotština"). Asked of ISO 3166-2
    regions, which CLDR does not translate, and of the languages their country speaks (CLDR) whose one-word name
    starts like the region's, SHARED_START letters, in the source language, and like a word of the translation,
    one letter more, in the target ("portál" is no Portsmouth, "schon" no Scotland)."""
    from babel.languages import get_territory_language_info

    country = re.fullmatch(r"([A-Z]{2})-\w+", code)
    word = _plain(name)
    if country is None or " " in word:
        return False
    own, there = _regional_languages(source_lang), _language_names(target_lang)
    return any(shared_start(own.get(spoken, ""), word) >= SHARED_START
               and any(shared_start(there.get(spoken, ""), f) > SHARED_START for f in folded)
               for spoken in get_territory_language_info(country.group(1)))


@lru_cache(maxsize=32)
def _language_names(language: str) -> dict[str, str]:
    """A locale's one-word names of languages, as `_plain` spells them: "en" -> "anglictina" in Czech."""
    locale = cldr_locale(language)
    if locale is None:
        return {}
    return {code: _plain(name) for code, name in locale.languages.items() if " " not in name and "-" not in name}


@lru_cache(maxsize=32)
def _regional_languages(language: str) -> dict[str, str]:
    """`_language_names` less those that start like a country's one-word name (Portuguese, Somali): such a
    language is its country's, and names no region."""
    countries = [_plain(c) for c in territories(language) if " " not in c]
    return {code: name for code, name in _language_names(language).items()
            if not any(shared_start(name, c) >= SHARED_START for c in countries)}


def shared_start(a: str, b: str) -> int:
    """How many first letters two words share."""
    return len(os.path.commonprefix((a, b)))


#: languages that decline names and make adjectives of them, places in every word of them: a name's spelling
#: changes at its end ("Xerxes" -> "Xerxova", "Zemanovi" -> "Zeman"): Slavic, Baltic, Finnic, Hungarian, Icelandic
DECLINING = frozenset({"cs", "sk", "pl", "hr", "sr", "bs", "sh", "sl", "ru", "uk", "be", "bg", "lt", "lv", "is", "fi",
                       "et", "hu"})


def _cognate(name: str, form: str) -> bool:
    """A place's name (or adjective) and a word that share their first letters, five or more (four of a long name),
    and go on for three more at most: the name declined or made an adjective in a language that declines names
    ("britain"/"britanii", "american"/"americkou", "british"/"britske"; not "austria"/"australie")."""
    stem = shared_start(name, form)
    rests = (len(name) - stem, len(form) - stem)
    return len(name) >= 5 and max(rests) <= 3 and (stem >= 5 or stem >= 4 and len(name) >= 7)


def _declined(word: str, form: str) -> bool:
    """A word of a place's name in another case: the same stem of four letters or more, or the word itself."""
    stem = _stem(word)
    return form == word or (len(stem) >= 4 and form.startswith(stem) and len(form) - len(stem) <= 4)


@lru_cache(maxsize=32)
def _names_by_code(language: str) -> dict[str, tuple[str, ...]]:
    """`places` the other way round: each place's names in the language ("DE-BY" -> "bayern")."""
    found: dict[str, list[str]] = {}
    for name, codes in places(language).items():
        for code in codes:
            found.setdefault(code, []).append(name)
    return {code: tuple(names) for code, names in found.items()}


@lru_cache(maxsize=32)
def _spaced_places(language: str) -> dict[str, frozenset[str]]:
    """`places` with hyphens as spaces: a name found as "Royaume Uni" is still "Royaume-Uni". Accents stay:
    "Neuenbürg" is no "Neuenburg" (Neuchâtel)."""
    found: dict[str, frozenset[str]] = {}
    for name, codes in places(language).items():
        found[_spaced(name)] = found.get(_spaced(name), frozenset()) | codes
    return found


def _spaced(name: str) -> str:
    return name.lower().replace("-", " ")


def _derived(word: str, language: str) -> bool:
    """A word that starts with the stem of a one-word country or continent name ("européenne" of "Europe")."""
    return any(word.startswith(stem) for stem in _place_stems(language))


@lru_cache(maxsize=32)
def _place_stems(language: str) -> frozenset[str]:
    """Stems of the one-word country and continent names of a language, 5 letters or more ("europ")."""
    return frozenset(stem for name in territories(language) if " " not in name
                     and len(stem := _stem(_plain(name))) >= 5)


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


def declined_place(form: str, language: str) -> frozenset[str]:
    """The places a word of a text names in some case of their one-word name in that language ("Austrálii" ->
    AU): a name from abroad that shares its first letters with it is not kept by it ("Austria")."""
    word = unaccent(form)
    return frozenset().union(*(codes for name, codes in _by_start(language).get(word[:4], ())
                               if _declined(name, word)))


@lru_cache(maxsize=32)
def _by_start(language: str) -> dict[str, tuple[tuple[str, frozenset[str]], ...]]:
    """The one-word place names of a locale, without accents, by their first four letters."""
    found: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for name, codes in places(language).items():
        if " " not in name and len(name) >= 4:
            found.setdefault(unaccent(name)[:4], []).append((unaccent(name), codes))
    return {start: tuple(names) for start, names in found.items()}
