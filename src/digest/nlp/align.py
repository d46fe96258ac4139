"""Which summary sentences a translation lost: sentence alignment by length (Gale and Church, 1993).

The length-based alignment says which summary sentence has no counterpart in the translation, so the flag can quote
it. A translator may split a sentence in two, so a translation with as many sentences as its summary can still
have lost one (the alignment then pairs the split halves with one sentence and the lost one with none). When the
translation has fewer sentences and no sentence stands alone, the lost one hides in a merge: the one of the merged
sentences whose names and numbers the translation lacks (or the shorter) is reported. Otherwise a part of the
translation far shorter than the length model expects reports its summary sentence. Lengths compare only between
alphabetic scripts (a Chinese translation is far shorter in characters): elsewhere only a lower count is a loss.
"""

from __future__ import annotations

import math
import re
import unicodedata

from ..budget import check
from .text import split_sentences

# Gale & Church's priors for alignment beads and the variance of target length per source character
_PRIORS = {(1, 1): 0.89, (1, 0): 0.0099, (0, 1): 0.0099, (2, 1): 0.089, (1, 2): 0.089, (2, 2): 0.011}
_VARIANCE = 6.8


def _cost(source_len: int, target_len: int, bead: tuple[int, int]) -> float:
    """-log P(bead) - log P(length difference | bead), the length difference normalised as in the paper."""
    if source_len == 0 or target_len == 0:
        return -math.log(_PRIORS[bead])
    mean = (source_len + target_len) / 2
    delta = abs(target_len - source_len) / math.sqrt(mean * _VARIANCE)
    tail = max(1e-12, math.erfc(delta / math.sqrt(2)))  # two-sided tail of the normal distribution
    return -math.log(_PRIORS[bead]) - math.log(tail)


def _anchors(sentence: str) -> set[str]:
    """Words that survive translation unchanged: numbers and capitalised words after the first."""
    return {w.lower() for w in re.findall(r"\w+", sentence)[1:] if w[0].isupper() or w[0].isdigit()}


def _anchor_cost(source: list[set[str]], target: list[set[str]]) -> float:
    """Length alone cannot tell two similar sentences apart: shared names and numbers can (Melamed's anchors)."""
    a, b = set().union(*source), set().union(*target)
    if not a or not b:
        return 0.0
    return -min(len(a & b), 3) if a & b else 2.0


#: up to this many cells (sentence pairs) the alignment searches them all; beyond, a band of BAND sentences on
#: either side of the diagonal, so that the cost stays linear in the text (a summary of 200 sentences is rare)
FULL_SEARCH = 200 * 200
BAND = 20


def align(source: list[str], target: list[str]) -> list[tuple[list[int], list[int]]]:
    """Minimum-cost alignment of two sentence lists as beads of (source indices, target indices)."""
    ls = [len("".join(s.split())) for s in source]
    lt = [len("".join(t.split())) for t in target]
    n, m = len(ls), len(lt)
    # per end index and bead width (0, 1, 2 sentences): the span's length and its anchors, worked out once
    span_s = _spans(ls, [_anchors(s) for s in source])
    span_t = _spans(lt, [_anchors(t) for t in target])
    best: dict[tuple[int, int], float] = {(0, 0): 0.0}
    back: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(n + 1):
        check()
        for j in _band(i, n, m):
            here = best.get((i, j), math.inf)
            for di, dj in _PRIORS:
                if i < di or j < dj:
                    continue
                prev = best.get((i - di, j - dj), math.inf)
                if prev < math.inf:
                    (len_s, anchors_s), (len_t, anchors_t) = span_s[di][i], span_t[dj][j]
                    cost = prev + _cost(len_s, len_t, (di, dj)) + _anchor_cost([anchors_s], [anchors_t])
                    if cost < here:
                        here, back[i, j] = cost, (di, dj)
            if here < math.inf:
                best[i, j] = here
    beads: list[tuple[list[int], list[int]]] = []
    i, j = n, m
    while i or j:
        di, dj = back[i, j]
        beads.append((list(range(i - di, i)), list(range(j - dj, j))))
        i, j = i - di, j - dj
    return beads[::-1]


def _spans(lengths: list[int], anchors: list[set[str]]) -> list[list[tuple[int, set[str]]]]:
    """[width][end] -> (characters, anchors) of the `width` sentences before `end` (widths 0, 1, 2)."""
    out: list[list[tuple[int, set[str]]]] = [[(0, set())] * (len(lengths) + 1)]
    for width in (1, 2):
        out.append([(sum(lengths[end - width:end]), set().union(*anchors[end - width:end])) if end >= width
                    else (0, set()) for end in range(len(lengths) + 1)])
    return out


def _band(i: int, n: int, m: int) -> range:
    """The target sentences row `i` may pair with: all of them for small inputs, else those near the diagonal
    (wide enough for the steepest diagonal, so every row reaches the next one)."""
    if (n + 1) * (m + 1) <= FULL_SEARCH or n == 0:
        return range(m + 1)
    centre, slope = i * m / n, math.ceil(m / n)
    return range(max(0, math.floor(centre) - BAND - slope), min(m, math.ceil(centre) + BAND + slope) + 1)


def lost_sentences(summary: str, translation: str, source_lang: str, target_lang: str) -> list[str]:
    """Summary sentences (their first words) the translation seems to have lost; empty when none was lost."""
    source = _whole(split_sentences(summary, source_lang))
    target = _whole(split_sentences(translation, target_lang))
    alphabetic = _alphabetic(summary) and _alphabetic(translation)  # lengths compare; else only counts do
    if not target or (len(target) >= len(source) and not alphabetic):
        return []
    beads = align(source, target)
    lost = [b[0][0] for b in beads if b[0] and not b[1]]
    if not lost and len(target) < len(source):
        for merged, into in ((b[0], b[1]) for b in beads if len(b[0]) > len(b[1])):
            kept = set().union(*(_anchors(target[t]) for t in into))  # the one whose names and numbers are gone
            lost.append(min(merged, key=lambda k: (len(_anchors(source[k]) & kept), len(source[k]))))
    if not lost and alphabetic:
        lost = [b[0][0] for b in beads if b[1] and _shortfall(source, target, b) < SHORTFALL]
    return [_opening(source[k]) for k in lost]


def _whole(sentences: list[str]) -> list[str]:
    """One-word pieces (in scripts that space their words) joined to the sentence after them: an exclamation or
    a brand's "!" ("oOh! Media raised…") is no sentence a translation could lose; it may sit inside the next one."""
    out: list[str] = []
    carry = ""
    for sentence in sentences:
        if len(sentence.split()) == 1 and _alphabetic(sentence) and not carry:
            carry = sentence
            continue
        out.append(f"{carry} {sentence}" if carry else sentence)
        carry = ""
    return out + ([carry] if carry else [])


#: a translated part this many standard deviations shorter than the length model expects lost something: the model
#: gives a faithful part less than a 2.5 % chance of it (a sentence merged into another, half a sentence left out)
SHORTFALL = -2.0


def _shortfall(source: list[str], target: list[str], bead: tuple[list[int], list[int]]) -> float:
    """How much longer or shorter (in Gale and Church's standard deviations) a bead's translation is than expected."""
    ls = sum(len("".join(source[i].split())) for i in bead[0])
    lt = sum(len("".join(target[j].split())) for j in bead[1])
    return (lt - ls) / math.sqrt(ls * _VARIANCE) if ls else 0.0


def _alphabetic(text: str) -> bool:
    """Latin, Cyrillic or Greek letters, where a translation is about as long as its source in characters (Gale and
    Church's assumption; Chinese or Japanese text is far shorter)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(unicodedata.name(c, "").startswith(("LATIN", "CYRILLIC", "GREEK"))
                                 for c in letters) >= 0.9 * len(letters)


def _opening(sentence: str, words: int = 8) -> str:
    parts = sentence.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")
