"""What two reports of one event share across languages: the words of their summaries and headlines in one shared
language (the pipeline's own translations), weighted by how rare each word is, plus numbers and Latin-script
names taken from the original text, which no translation changes.

A word's weight is its information in the shared language, 9 minus its Zipf frequency from `wordfreq` (a word
seen once per billion weighs 9, "the" about 1.3); words more frequent than `COMMON_ZIPF` carry nothing and are
left out, so two short English summaries do not meet on "said" and "year". A word wordfreq does not know (a name,
a rare place) weighs the most.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .names import zipf
from .text import terms

#: words at least this frequent (Zipf) are function words or everyday vocabulary: no evidence of one event
COMMON_ZIPF = 5.5
#: the weight of a number of three digits or more ("2,300", "2019"); one or two digits are too common to count
NUMBER_WEIGHT = 4.0
#: a text of at least MIN_WORDS words whose commonest word is over TOP_SHARE of them is degenerate (`degenerate`)
MIN_WORDS = 8
TOP_SHARE = 0.3
_WORD = re.compile(r"\w+", re.UNICODE)
_LATIN_NAME = re.compile(r"\b[A-Z][a-zA-Z\u00c0-\u024f'’-]+")


@lru_cache(maxsize=65536)
def word_weight(word: str, language: str) -> float:
    """How much sharing `word` (lower-cased) says about two texts in `language`: 0 for common words."""
    frequency = zipf(word, language)
    return 0.0 if frequency >= COMMON_ZIPF else 9.0 - frequency


def story_terms(shared_text: str, shared_lang: str, original_text: str = "",
                original_lang: str = "") -> dict[str, float]:
    """{term: weight} of one report: rare words of its shared-language text (character bigrams in scripts without
    spaces), numbers of three digits or more from either text, Latin-script names of the original."""
    from .checks import numbers_in

    out: dict[str, float] = {}
    if degenerate(shared_text):
        return out
    for run in _WORD.findall(shared_text.lower()):
        for term in terms(run):
            if term.isdigit() or len(term) < 2:
                continue
            weight = word_weight(term, shared_lang)
            if weight > 0:
                out[term] = weight
    for text, lang in ((shared_text, shared_lang), (original_text, original_lang)):
        if not text:
            continue
        try:
            numbers = numbers_in(text, lang or shared_lang)
        except Exception:  # noqa: BLE001 - a number parser's slip costs this evidence, never the story
            numbers = []
        for number in numbers:
            if sum(ch.isdigit() for ch in number) >= 3:
                out[f"#{number}"] = NUMBER_WEIGHT
    if original_text and original_lang != shared_lang:
        for name in _LATIN_NAME.findall(original_text):
            weight = word_weight(name.lower(), shared_lang)
            if weight > 0:
                out[name.lower()] = weight
    return out


def degenerate(text: str) -> bool:
    """Whether `text` repeats one word over and over (a looping or untrained model): no evidence of a story. In
    real headlines and summaries even "the" is under a tenth of the words; in "en en enos en en se en" "en" is half."""
    from collections import Counter

    words = _WORD.findall(text.lower())
    return len(words) >= MIN_WORDS and Counter(words).most_common(1)[0][1] > TOP_SHARE * len(words)


def overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """The weighted share of evidence two reports have in common: 1 for the same terms, 0 for none (Ochiai)."""
    if not a or not b:
        return 0.0
    shared = sum(weight for term, weight in a.items() if term in b)
    return shared / (sum(a.values()) * sum(b.values())) ** 0.5
