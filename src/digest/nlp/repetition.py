"""Repetition loops in generated text ("I'm sorry I'm sorry I'm sorry…"), found and cut in linear time.

Real translation and summarization models loop on noisy input. A loop is a unit of one to LONGEST_PERIOD tokens
repeated at least COPIES times in a row; it only counts when the source does not repeat that unit itself (a quoted
chant, "ha ha ha ha"); a loop of another unit in the source ("0 0 0 0" in a score table) excuses nothing. Tokens
are words, and single characters in scripts written without spaces, so the same rule holds for Chinese or Thai
output.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .profile import UNSPACED_CHARS

#: the longest repeated unit looked for, in tokens (a CJK clause of a dozen characters and more)
LONGEST_PERIOD = 20
#: copies in a row that make a loop: two or three are style ("very, very"), four are a model stuck
COPIES = 4
#: loops cut from one text at most (each cut is a linear pass)
MAX_CUTS = 16
#: the retry of a looping output: no n-gram of this many tokens twice (`no_repeat_ngram_size`)
NO_REPEAT = 3
_WORD = re.compile(r"\w+")
#: letters that are tokens of their own: scripts written without spaces between words (the language profile's),
#: and Hangul syllables, which Korean glues to particles
_UNSPACED = re.compile(f"[{UNSPACED_CHARS}\uac00-\ud7af]")


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) for every word, split into characters where the script has no spaces."""
    out: list[tuple[str, int, int]] = []
    for match in _WORD.finditer(text):
        word, start = match.group().casefold(), match.start()
        if _UNSPACED.search(word):
            out.extend((c, start + i, start + i + 1) for i, c in enumerate(word))
        else:
            out.append((word, start, match.end()))
    return out


def find_loop(text: str) -> tuple[int, int] | None:
    """The character span of the first loop's repeated copies, from the end of its first copy, or None."""
    found = _first_loop(_tokens(text))
    return None if found is None else found[0]


def _first_loop(spans: list[tuple[str, int, int]]) -> tuple[tuple[int, int], tuple[str, ...]] | None:
    """The first loop of a token list: the character span of its repeated copies, and its unit's tokens.

    One pass per period, each linear: `run` counts how many tokens in a row equal the token a period earlier.
    """
    tokens = [token for token, _, _ in spans]
    best: tuple[int, int, int] | None = None
    for period in range(1, min(LONGEST_PERIOD, len(tokens) // COPIES) + 1):
        run = 0
        for i in range(period, len(tokens) + 1):
            if i < len(tokens) and tokens[i] == tokens[i - period]:
                run += 1
                continue
            if run >= (COPIES - 1) * period:
                first = i - run  # the first token of the second copy
                if best is None or first < best[0]:
                    best = (first, i - 1, period)
                break
            run = 0
    if best is None:
        return None
    first, last, period = best
    return (spans[first - 1][2], spans[last][2]), tuple(tokens[first - period:first])


def looping(output: str, source: str = "") -> bool:
    """Whether `output` has a loop that `source` does not have: its unit repeated in a row there too (a source with
    the loop in another phase, "sorry I'm sorry I'm", holds COPIES - 1 copies of every rotation of its unit)."""
    found = _first_loop(_tokens(output))
    if found is None:
        return False
    unit = "\x1f".join(found[1] * (COPIES - 1))
    return f"\x1f{unit}\x1f" not in "\x1f" + "\x1f".join(token for token, _, _ in _tokens(source)) + "\x1f"


def cut_loops(text: str) -> str:
    """`text` with every loop cut back to its first copy ("I'm sorry I'm sorry I'm sorry." → "I'm sorry.")."""
    for _ in range(MAX_CUTS):
        span = find_loop(text)
        if span is None:
            break
        start, end = span
        text = text[:start] + text[end:]
    return text


def regenerate(generate: Callable[[dict], str], source: str) -> tuple[str, bool]:
    """The retry of an output that loops (or ran away): `generate` called with repeated `NO_REPEAT`-grams blocked
    (on top of its caller's own bounds); a loop that survives is cut back to its first copy and reported (True)."""
    output = generate({"no_repeat_ngram_size": NO_REPEAT})
    return (cut_loops(output), True) if looping(output, source) else (output, False)
