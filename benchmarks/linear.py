"""Is every pass an article goes through linear in its text? Time each pass at N and 2N characters and print the ratio.

A linear pass takes about twice as long on twice the text (goal: 2x, within 30 %); a quadratic one takes four
times as long. Inputs are built from the project's own fixtures (tests/data), so nothing here reads ../shared:

- `numbers`: "The index rose 5 percent to 120 dollars." again and again, the sentence that once took 43 s at 0.86 MB;
- `numbered`: numbered paragraphs full of figures, dates, times and money ("17. On 3 May at 21:30, 2,400 ...");
- `prose`: the Milley briefing's real sentences, names and quotes, repeated;
- `unspaced`: Chinese sentences (full stops "。", no spaces), which no "." splitter cut.

Passes are the library's own functions, called as the pipeline calls them: cleaning, sentence splitting, the
extractive summarizer (chunk, map, reduce), and the checks one by one: numbers, names and quotes of a fixed summary
against the growing source (what `check_summary` does per article), and numbers, names and places, sentence
alignment and the glossary of a growing translation against a growing summary (what `check_translation` does).

    python benchmarks/linear.py [--sizes 100000 200000 400000] [--inputs numbers prose] [--passes clean split]
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from digest.engines.extractive import ExtractiveEngine
from digest.inputs.clean import DEFAULT_DROP_PATTERNS, clean_text
from digest.nlp.align import lost_sentences
from digest.nlp.checks import check_summary, check_translation, names_in, quotes_in
from digest.nlp.glossary import Glossary
from digest.nlp.numbers import mentions
from digest.nlp.text import split_sentences
from digest.run.summarizer import Summarizer

ROOT = Path(__file__).resolve().parent.parent
MILLEY = ROOT / "tests" / "data" / "corpus" / "milley-briefing.txt"
SUMMARY = ("Gen. Mark Milley said on Tuesday that 40 percent of the $3 million fund went to Ukraine, and "
           "\"we will keep going\" until 2024.")
GLOSSARY = Glossary(keep=("Milley", "Pentagon"), translate={"Joint Chiefs of Staff": {"de": "Vereinigte Stabschefs"}})
#: the goal: doubling the input at most this many times the time (2x plus 30 %)
GOAL = 2.6


def _repeat(unit: Callable[[int], str], size: int) -> str:
    parts, total, i = [], 0, 0
    while total < size:
        piece = unit(i)
        parts.append(piece)
        total += len(piece)
        i += 1
    return "".join(parts)


def _numbers(i: int) -> str:
    return "The index rose 5 percent to 120 dollars. "


def _numbered(i: int) -> str:
    return (f"{i + 1}. On {i % 28 + 1} May at {i % 24}:{i % 60:02d}, {2000 + i % 900:,} people paid "
            f"${(i % 97) / 10:.1f} million, {i % 100} percent more than the {i % 13 + 2} lakh of {1990 + i % 30}.\n\n")


def _prose_unit() -> str:
    text = MILLEY.read_text(encoding="utf-8")
    return "\n\n".join(p.strip() for p in text.split("\n\n") if len(p.split()) > 8) + "\n\n"


_PROSE = ""


def _prose(i: int) -> str:
    global _PROSE
    _PROSE = _PROSE or _prose_unit()
    return _PROSE


def _unspaced(i: int) -> str:
    return f"北京市政府{i % 10}日宣布，今年已有{i % 90 + 10}万人参加了活动。"


INPUTS: dict[str, Callable[[int], str]] = {"numbers": _numbers, "numbered": _numbered, "prose": _prose,
                                           "unspaced": _unspaced}


def _translation(text: str) -> str:
    """A stand-in German translation of the same length and shape: names, numbers and sentences kept."""
    return re.sub(r"\bthe\b", "die", re.sub(r"\band\b", "und", text))


def _language(name: str) -> str:
    return "zh" if name == "unspaced" else "en"


def _summarize(text: str, lang: str) -> object:
    return Summarizer(ExtractiveEngine(language_hint=lang)).summarize([text], [lang])


PASSES: dict[str, Callable[[str, str, str], object]] = {
    "clean": lambda text, tr, lang: clean_text(text, "A title", DEFAULT_DROP_PATTERNS),
    "split": lambda text, tr, lang: split_sentences(text, lang),
    "extractive": lambda text, tr, lang: _summarize(text, lang),
    "numbers": lambda text, tr, lang: mentions(text, lang),
    "names": lambda text, tr, lang: names_in(text, lang),
    "quotes": lambda text, tr, lang: quotes_in(text),
    "summary check": lambda text, tr, lang: check_summary(SUMMARY, text, lang),
    "translation check": lambda text, tr, lang: check_translation(tr, text, "de", lang, GLOSSARY),
    "align": lambda text, tr, lang: lost_sentences(text, tr, lang, "de"),
    "glossary": lambda text, tr, lang: GLOSSARY.verify(text, tr, "de"),
}


def timed(fn: Callable[[], object], repeat: int) -> float:
    """Best of `repeat` runs, in CPU seconds of this process (the machine is shared: other processes' load would
    otherwise make the ratios); a pass faster than 0.1 s is run again until it has taken that long, so the timer's
    resolution does not make the ratio."""
    best = float("inf")
    for _ in range(repeat):
        runs, start = 0, time.process_time()
        while not runs or time.process_time() - start < 0.1:
            fn()
            runs += 1
        best = min(best, (time.process_time() - start) / runs)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 200_000, 400_000])
    parser.add_argument("--inputs", nargs="+", choices=sorted(INPUTS), default=list(INPUTS))
    parser.add_argument("--passes", nargs="+", choices=list(PASSES), default=list(PASSES))
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)
    heads = " | ".join(f"{n // 1000} kB" for n in sizes)
    ratios = " | ".join(f"×{b // a}" for a, b in zip(sizes, sizes[1:], strict=False))
    print(f"| input | pass | {heads} | {ratios} |")
    print("|---|---|" + "---:|" * (2 * len(sizes) - 1))
    worst: list[float] = []
    for name in args.inputs:
        lang = _language(name)
        texts = [_repeat(INPUTS[name], n) for n in sizes]
        translations = [_translation(t) for t in texts]
        for pass_name in args.passes:
            fn = PASSES[pass_name]
            fn(texts[0][:2000], translations[0][:2000], lang)  # warm caches (models, CLDR tables) outside the clock
            seconds = [timed(lambda t=t, tr=tr, fn=fn, lang=lang: fn(t, tr, lang), args.repeat)
                       for t, tr in zip(texts, translations, strict=True)]
            steps = [b / a if a > 0 else float("nan") for a, b in zip(seconds, seconds[1:], strict=False)]
            worst += steps
            cells = " | ".join(f"{s:.3f} s" for s in seconds)
            marks = " | ".join(f"{r:.2f}" + (" ⚠" if r > GOAL else "") for r in steps)
            print(f"| {name} | {pass_name} | {cells} | {marks} |", flush=True)
    print(f"\nratios: median {statistics.median(worst):.2f}, max {max(worst):.2f} (goal ≤ {GOAL})")
    return 0 if max(worst) <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
