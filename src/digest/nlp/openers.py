"""Sentences that cannot open a summary on their own: unresolved pronouns, connectives, unattributed quotes.

An extractive summary is read without the article around it, so "He said the plan failed" or "However, ..." only
make sense after the sentence they point back to. The lists are small and per language (en, de, fr, es, it); other
languages get no opener check, only the quote rule, which is punctuation and works everywhere.
"""

from __future__ import annotations

import re

#: sentence-initial words or phrases that point back to an earlier sentence; matched case-insensitively on the
#: first words, and longer phrases before shorter ones ("for this reason" before "for")
OPENERS: dict[str, tuple[str, ...]] = {
    "en": (
        "he", "she", "they", "it", "this", "that", "these", "those", "his", "her", "their", "its", "him", "them",
        "we", "i", "such", "however", "but", "and", "or", "so", "yet", "also", "still", "instead", "meanwhile",
        "moreover", "furthermore", "therefore", "thus", "then", "nevertheless", "nonetheless", "besides",
        "otherwise", "for this reason", "as a result", "despite this", "even so", "in this", "in that",
        "in addition", "the latter", "the former", "both", "another", "others", "indeed", "in fact", "he's",
        "she's", "it's", "they're", "that's", "there's",
    ),
    "de": (
        "er", "sie", "es", "dies", "diese", "dieser", "dieses", "diesem", "diesen", "ihr", "ihre", "ihren", "sein",
        "seine", "seinen", "deren", "dessen", "deshalb", "daher", "darum", "deswegen", "aber", "doch", "jedoch",
        "allerdings", "trotzdem", "dennoch", "außerdem", "zudem", "dabei", "damit", "dann", "auch", "und",
        "oder", "denn", "somit", "also", "dazu", "darüber hinaus",
    ),
    "fr": (
        "il", "elle", "ils", "elles", "cela", "ceci", "ça", "celui-ci", "celle-ci", "ceux-ci", "c'est", "c'était",
        "ce qui", "ce que", "lui", "leur", "leurs", "son", "sa", "ses", "mais", "cependant", "pourtant",
        "toutefois", "néanmoins", "donc", "ainsi", "alors", "en effet", "par ailleurs", "de plus", "en outre",
        "pour cette raison", "dans ce", "dans cette", "et", "or", "aussi", "puis", "d'ailleurs", "en revanche",
    ),
    "es": (
        "él", "ella", "ellos", "ellas", "esto", "eso", "este", "esta", "estos", "estas", "pero", "sin embargo",
        "no obstante", "además", "por eso", "por ello", "por lo tanto", "así", "entonces", "también", "su", "sus",
        "aun así", "y", "o", "en cambio", "por esta razón",
    ),
    "it": (
        "lui", "lei", "loro", "esso", "essa", "essi", "questo", "questa", "questi", "queste", "ciò", "però", "ma",
        "tuttavia", "comunque", "inoltre", "quindi", "dunque", "perciò", "anche", "suo", "sua", "suoi", "sue",
        "invece", "anzi", "e", "per questo",
    ),
}

#: phrases that start like an opener but stand on their own ("Alors que ..." is "While ...")
STANDALONE: dict[str, tuple[str, ...]] = {
    "en": ("so far", "then president", "it is unclear"),
    "de": ("es gibt", "sie sind", "auch wenn"),
    "fr": ("alors que", "ainsi que", "et si"),
    "es": ("así como", "aun cuando"),
    "it": ("anche se", "e se"),
}

#: "This week ..." or "Diese Woche ..." name their time and are not anaphora
_TIME_WORDS = frozenset((
    "week", "year", "month", "morning", "afternoon", "evening", "weekend", "season", "summer", "winter", "spring",
    "autumn", "woche", "jahr", "monat", "morgen", "semaine", "année", "mois", "matin", "soir", "semana", "año",
    "mes", "mañana", "settimana", "anno", "mese", "mattina",
))
_QUOTES = "\"'“”„«»‘’‚‹›"
_LEAD = re.compile(rf"^[\s{re.escape(_QUOTES)}(\[—–-]+")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)?")
_QUOTED = re.compile(r"[\"“”„«»]([^\"“”„«»]*)[\"“”„«»]?")
_NAME = re.compile(r"\b[^\W\d_a-z]*[A-ZÀ-ÖØ-Þ][^\W\d_]+")


def _phrases(language: str) -> dict[str, list[tuple[tuple[str, ...], bool]]]:
    """First word -> (phrase, is_opener), longest first, so that "alors que" (standalone) wins over "alors"."""
    phrases = [(tuple(p.split()), True) for p in OPENERS.get(language, ())]
    phrases += [(tuple(p.split()), False) for p in STANDALONE.get(language, ())]
    index: dict[str, list[tuple[tuple[str, ...], bool]]] = {}
    for phrase in sorted(phrases, key=lambda p: len(p[0]), reverse=True):
        index.setdefault(phrase[0][0], []).append(phrase)
    return index


_CACHE: dict[str, dict[str, list[tuple[tuple[str, ...], bool]]]] = {}


def dangling_opener(sentence: str, language: str | None) -> str | None:
    """The opener ("However", "Il", "Pero") that makes `sentence` lean on the one before it, or None."""
    key = (language or "").split("-")[0].lower()
    if key not in _CACHE:
        _CACHE[key] = _phrases(key)
    if not _CACHE[key]:
        return None
    words = [m.group(0).replace("’", "'").lower() for m, _ in zip(_WORD.finditer(_LEAD.sub("", sentence[:80])),
                                                                    range(4), strict=False)]
    for phrase, opener in _CACHE[key].get(words[0] if words else "", ()):
        if tuple(words[:len(phrase)]) == phrase:
            if not opener or (len(phrase) == 1 and len(words) > 1 and words[1] in _TIME_WORDS):
                return None
            return " ".join(phrase)
    return None


def is_quote(sentence: str) -> bool:
    """Whether the sentence opens with a quotation: someone's words, which need their speaker named."""
    stripped = sentence.lstrip(" (—–-")
    return bool(stripped) and stripped[0] in _QUOTES


def speaker_names(sentence: str) -> set[str]:
    """Capitalised words outside quotation marks, first word excepted: who a quote's attribution names."""
    outside = _QUOTED.sub(" ", sentence)
    return {m.group(0) for m in _NAME.finditer(outside)} - set(_WORD.findall(sentence)[:1])


def names(sentence: str) -> set[str]:
    """Every capitalised word of the sentence, to check that a quote's speaker is named somewhere else."""
    return {m.group(0) for m in _NAME.finditer(sentence)}
