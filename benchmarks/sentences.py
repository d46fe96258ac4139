"""Sentence splitting where pysbd has no rules of its own: pysbd's English rules against sentencex, on real news.

WMT21 source files and world-dev documents hold one sentence (segment) per line or paragraph. Five consecutive
segments are joined with one space and split again; a splitter is right on a group when it gives back exactly the
five segments. Reported per language and for the even and the odd groups of each file (by position).

    python benchmarks/sentences.py [--refs ../shared/refs]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

GROUP = 5
#: (file, language, column) of WMT21 sources in languages pysbd has no rules for, plus two it has
WMT = (("cs-en", "cs", 0), ("is-en", "is", 0), ("ha-en", "ha", 0), ("en-cs", "cs", 1), ("de-en", "de", 0),
       ("ru-en", "ru", 0))


def groups(refs: Path) -> list[tuple[str, list[str]]]:
    """(language, five consecutive segments) from the WMT files and the world-dev documents."""
    out = []
    for pair, lang, column in WMT:
        lines = [line.split("\t")[column].strip() for line in
                 (refs / f"wmt21-dev.{pair}.tsv").read_text(encoding="utf-8").splitlines()]
        out += [(lang, lines[i:i + GROUP]) for i in range(0, len(lines) - GROUP + 1, GROUP)]
    for line in (refs / "world-dev.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        segments = [p.strip() for p in doc["text"].split("\n\n") if p.strip()]
        out += [(doc["language"], segments[i:i + GROUP]) for i in range(0, len(segments) - GROUP + 1, GROUP)]
    return out


def main(argv: list[str] | None = None) -> int:
    import pysbd
    import sentencex

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refs", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "refs")
    args = parser.parse_args(argv)
    splitters = {
        "pysbd (en rules where it has none)": lambda lang, text: pysbd.Segmenter(
            language=lang if lang in pysbd.languages.LANGUAGE_CODES else "en", clean=False).segment(text),
        "sentencex": lambda lang, text: list(sentencex.segment(lang, text)),
    }
    right: dict[tuple[str, str, int], list[bool]] = defaultdict(list)
    counts: dict[str, int] = defaultdict(int)
    for n, (lang, segments) in enumerate(groups(args.refs)):
        counts[lang] += 1
        text = " ".join(segments)
        for name, split in splitters.items():
            got = [s.strip() for s in split(lang, text) if s.strip()]
            right[(name, lang, n % 2)].append(got == segments)
    for name in splitters:
        cells = []
        for lang in sorted(counts):
            halves = [right[(name, lang, h)] for h in (0, 1)]
            cells.append(f"{lang} " + " / ".join(f"{100 * sum(h) / max(1, len(h)):.0f}" for h in halves))
        print(f"{name:36} " + " | ".join(cells))
    print("groups per language:", dict(counts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
