"""Which capitalised words are common words and which are names, from a part-of-speech lexicon.

Word frequencies cannot tell a German noun from a name (German capitalises both, and web text in every language is
full of English), so where a lexicon exists the checks ask it: HanTa's German and English models, which ship in
its wheel (no download), know each word's parts of speech as learned from tagged corpora (TIGER, the BNC):
"Strom" is a noun, "Seehofer" a name, "House" a noun, "Manchester" a name. A word the lexicon does not know is
left to the caller's other evidence.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

WordClass = Literal["name", "noun", "both", "other"]
#: HanTa log-probability above which a word is in the lexicon, not guessed from its letters (known words score
#: -8 to -18, guesses -22 to -40)
KNOWN = -20.0
#: a name reading this close (in log-probability) to the best reading makes the word ambiguous ("Hof", "Bank")
CLOSE = 1.5
#: longer words are compounds without asking: names are shorter, and the split's cost grows with the length
LONGEST_NAME = 30
_MODELS = {"de": "morphmodel_ger.pgz", "en": "morphmodel_en.pgz"}
_NAME_TAGS = frozenset({"NE", "NP0"})
_NOUN_TAGS = frozenset({"NN", "NNA", "NNI", "NN0", "NN1", "NN2"})
_VERB_TAGS = frozenset({"VV(INF)", "VV(FIN)", "VV(IMP)"})
#: languages that capitalise every noun: a capitalised word there is a name only when it is not a common word
NOUN_CAPITALISING = frozenset({"de", "lb"})
LINKS = ("", "s", "es", "n", "en", "e")  # German compounds join their parts with these ("Verkehr-s-unfall")


def has_lexicon(language: str) -> bool:
    """Whether `word_class` knows the words of this language."""
    return language in _MODELS


@lru_cache(maxsize=2)
def _tagger(language: str):  # HanTa has no type hints
    from importlib.resources import files

    from HanTa import HanoverTagger

    # an absolute path: HanTa would first look for (and unpickle) a file of that name in the working directory
    return HanoverTagger.HanoverTagger(str(files("HanTa") / _MODELS[language]))


@lru_cache(maxsize=65536)
def _readings(word: str, language: str) -> tuple[tuple[str, float], ...]:
    """The lexicon's parts of speech for `word` with their log-probabilities, guesses left out."""
    if len(word) > LONGEST_NAME:  # HanTa's analysis takes seconds on a word of a hundred letters
        return ()
    found = tuple((tag, float(p)) for tag, p in _tagger(language).tag_word(word) if float(p) > KNOWN)
    if not found and language == "de" and "ss" in word:  # the German model predates the 1996 spelling reform
        return _readings(word.replace("ss", "ß"), language)
    return found


def word_class(word: str, language: str) -> WordClass | None:
    """"noun", "name", "both" (a name reading close to a noun reading), "other" (a known word of another part of
    speech), or None when the language has no lexicon or the lexicon does not know the word."""
    close = likely_tags(word, language)
    if not close:
        return None
    name, noun = bool(close & _NAME_TAGS), bool(close & _NOUN_TAGS)
    return "both" if name and noun else "name" if name else "noun" if noun else "other"


def likely_tags(word: str, language: str) -> frozenset[str]:
    """The word's parts of speech (STTS tags for German: "ART", "ADJ(A)") within CLOSE of its likeliest one; empty
    when the language has no lexicon or the lexicon does not know the word."""
    readings = _readings(word, language) if has_lexicon(language) and word else ()
    if not readings:
        return frozenset()
    best = max(p for _, p in readings)
    return frozenset(tag for tag, p in readings if p >= best - CLOSE)


def german_compound(word: str) -> bool:
    """A German compound of known words whose head is a noun ("Fußbremshebel" = Fuß|brems|Hebel), not a name.

    Place names are often built the same way ("Steinsfeld"), but only the ones the lexicon already knows as names
    are asked about here: an unknown word that splits into known words is far more often a noun."""
    lower = word.lower()
    if len(lower) > LONGEST_NAME:  # "Donaudampfschifffahrtsgesellschaft…": no name is that long, and splitting is slow
        return True
    for k in range(3, len(lower) - 2):
        head, front = lower[k:], lower[:k]
        if word_class(head.capitalize(), "de") in ("noun", "both") and (
                _modifier(front) if len(head) >= 4 else _known_front(front)):  # short heads ("Hof") only after a word
            return True
    return False


def compound_initials(acronym: str, word: str) -> bool:
    """A German name built of words with the acronym's initials: "Volkswagen" (Volk|s|wagen) for VW. Common nouns
    are no expansion of a name's acronym ("Unterstützung" is not the US)."""
    letters, lower = acronym.lower(), word.lower()
    return 2 <= len(letters) <= 3 and len(lower) <= LONGEST_NAME and word_class(word, "de") == "name" and \
        _initial_parts(letters, lower)


def _initial_parts(letters: str, rest: str) -> bool:
    """Whether `rest` splits into nouns starting with `letters` in turn, fronts maybe with a linking letter
    ("Volk|s|wagen"; not "Wolf|s|burg": a name, nor "Frei|burg": an adjective)."""
    if not rest.startswith(letters[0]):
        return False
    if len(letters) == 1:
        return word_class(rest.capitalize(), "de") == "noun"
    return any(rest[k] == letters[1] and _initial_parts(letters[1:], rest[k:]) and any(
        rest[:k].endswith(link) and word_class(rest[:k - len(link)].capitalize(), "de") == "noun"
        for link in LINKS) for k in range(3, len(rest) - 2))


@lru_cache(maxsize=16384)
def _modifier(part: str) -> bool:
    """Whether `part` is the front of a German compound: known words or verb stems, with linking letters."""
    for link in LINKS:
        stem = part[:len(part) - len(link)] if link else part
        if not part.endswith(link) or len(stem) < 3:
            continue
        if _known_front(stem):
            return True
    return any(_known_front(part[:k]) and _modifier(part[k:]) for k in range(3, len(part) - 2))


def _known_front(stem: str) -> bool:
    """A noun ("Fuß"), an adjective or preposition ("Ost", "unter"), or a verb stem ("brems" of "bremsen")."""
    if any(tag not in _NAME_TAGS for tag, _ in _readings(stem.capitalize(), "de") + _readings(stem, "de")):
        return True
    return any(tag in _VERB_TAGS for tag, _ in _readings(stem + "en", "de") + _readings(stem + "n", "de"))
