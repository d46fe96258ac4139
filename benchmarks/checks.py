"""How far an editor can trust the review flags: false alarms on faithful text, caught errors on injected ones.

Faithful text is human work from `../shared/refs`: WMT21 reference translations, verbatim extractive summaries
(an article's first three sentences) of CNN/DM and OrangeSum articles, and FRANK's BART summaries with human
factuality labels. Every flag on faithful text is a false alarm. Then each pair gets one injected error and we
count how often a flag of the right kind appears:

- number: one number of the output gets another value (its leading digit changes; the format stays); digits
  glued to a word are part of a name ("G20", "COVID-19") and left alone;
- name dropped / name replaced: a name that source and output share (the same capitalised word in both
  languages, never sentence-initial) is deleted, or swapped for such a name of another pair of the same file;
- name dropped across scripts: where source and output are in Cyrillic and Latin letters, a capitalised word of
  the output (never sentence-initial) whose first four letters, in Latin letters by a plain Russian table, start a
  capitalised word of the source ("Путина" and "Putin") is deleted;
- sentence dropped: one of three consecutive translated lines is left out;
- untranslated: the "translation" is the source text itself.

Injections are seeded by the text they change, so every run (and every version of the checks) sees the same
errors. Nothing here reads the checks' own notion of a name or number, so the benchmark cannot flatter them.

    python benchmarks/checks.py [--refs ../shared/refs] [--json out.json] [--half even|odd] [--direction zh-en]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from digest.nlp.checks import FLAG_BOOLS, FLAG_LISTS, check_summary, check_translation
from digest.nlp.text import split_sentences

DIRECTIONS = ("en-de", "de-en", "de-fr", "fr-de", "zh-en", "ja-en", "ru-en", "cs-en", "is-en", "ha-en", "en-zh",
              "en-ja", "en-ru", "en-cs")
SUMMARY_SETS = (("cnndm-dev.en.jsonl", "en", 100), ("orangesum-dev.fr.jsonl", "fr", 300))
#: the flag kind that must catch each injected error
RIGHT_KIND = {
    "number": ("number_mismatch", "unsupported_numbers"),
    "name dropped": ("missing_names",),
    "name replaced": ("missing_names", "unsupported_names"),
    "name dropped across scripts": ("missing_names",),
    "sentence dropped": ("missing_sentences",),
    "untranslated": ("wrong_language",),
}
_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
#: digits glued to a word, with or without a hyphen, are part of a name ("G20", "COVID-19", "F-16"), not a number
_NUMBER = re.compile(r"(?<![\w.,])(?<![^\W\d_]-)\d+(?:[.,]\d+)*")


def _rng(*parts: str) -> random.Random:
    """A generator seeded by the text it will change: the same injection on every run."""
    return random.Random(hashlib.sha256("\x1f".join(parts).encode()).digest())


def kinds(record: dict) -> set[str]:
    """Flag kinds raised in one checks record."""
    return {k for k in FLAG_LISTS if record.get(k)} | {k for k in FLAG_BOOLS if record.get(k) is True}


# --- injections ------------------------------------------------------------------------------------------------


def change_number(text: str, rng: random.Random) -> str | None:
    """`text` with one number's leading digit changed ("2,000" -> "5,000"), or None when it has no number."""
    found = list(_NUMBER.finditer(text))
    if not found:
        return None
    m = rng.choice(found)
    first = m.group(0)[0]
    digit = rng.choice([d for d in "123456789" if d != first])
    return text[:m.start()] + digit + text[m.start() + 1:]


def _initial(text: str, start: int) -> bool:
    before = text[:start].rstrip().rstrip("\"'“‘«„‚»([-–—").rstrip()
    return not before or before[-1] in ".!?:…"


def shared_names(source: str, output: str) -> list[str]:
    """Runs of capitalised words that appear identically in source and output, not sentence-initial in either."""
    def capitalised(text: str) -> list[tuple[str, int, int]]:
        return [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(text)
                if m.group(0)[0].isupper() and len(m.group(0)) > 1 and not _initial(text, m.start())]

    in_source = {w for w, _, _ in capitalised(source)}
    runs: list[list[tuple[str, int, int]]] = []
    for word, start, end in capitalised(output):
        if word not in in_source or word.isupper() and len(word) > 5:
            continue
        if runs and not output[runs[-1][-1][2]:start].strip():
            runs[-1].append((word, start, end))
        else:
            runs.append([(word, start, end)])
    return list(dict.fromkeys(output[r[0][1]:r[-1][2]] for r in runs))


#: Russian (and Ukrainian) letters in Latin ones, the plain way a reader would spell them: the benchmark's own
#: rule, so that it cannot flatter the checks' transliteration
_CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ", [
    "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
    "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi", "ye", "g"], strict=True))


def _romanised(word: str) -> str:
    return "".join(_CYRILLIC.get(c, c) for c in word.lower())


def transliterated_names(source: str, output: str) -> list[str]:
    """Capitalised words of the output, not sentence-initial, whose first four letters in Latin letters start a
    capitalised word of the source in the other script ("Putin" for "Путина", "Путину" for "Putin")."""
    def capitalised(text: str) -> list[tuple[str, int]]:
        return [(m.group(0), m.start()) for m in _WORD.finditer(text)
                if m.group(0)[0].isupper() and len(m.group(0)) >= 4 and not m.group(0).isupper()
                and not _initial(text, m.start())]

    def cyrillic(word: str) -> bool:
        return any(c in _CYRILLIC for c in word.lower())

    starts = {(_romanised(w)[:4], cyrillic(w)) for w, _ in capitalised(source)}
    return list(dict.fromkeys(w for w, _ in capitalised(output) if (_romanised(w)[:4], not cyrillic(w)) in starts))


def drop_name(output: str, name: str) -> str:
    return " ".join(re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "", output).split())


def replace_name(output: str, name: str, other: str) -> str:
    return re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", other, output)


# --- measurements ----------------------------------------------------------------------------------------------


class Tally:
    """Items seen, items flagged at all, and items flagged per kind."""

    def __init__(self) -> None:
        self.n, self.flagged, self.by_kind, self.examples = 0, 0, {}, []

    def add(self, raised: set[str], example: str = "") -> None:
        self.n += 1
        self.flagged += bool(raised)
        for kind in raised:
            self.by_kind[kind] = self.by_kind.get(kind, 0) + 1
        if raised and example and len(self.examples) < 5:
            self.examples.append(example)

    def share(self, count: int | None = None) -> float:
        return round(100 * (self.flagged if count is None else count) / self.n, 1) if self.n else float("nan")

    def as_dict(self) -> dict:
        return {"n": self.n, "flagged_pct": self.share(),
                "by_kind_pct": {k: self.share(v) for k, v in sorted(self.by_kind.items())},
                "examples": self.examples}


def _caught(results: dict[str, list[bool]]) -> dict:
    return {k: {"n": len(v), "caught_pct": round(100 * sum(v) / len(v), 1) if v else None} for k, v in results.items()}


#: lines per block when a file is halved: blocks alternate between the halves, so three-line windows stay whole
BLOCK = 12


def halve(rows: list, half: str) -> list:
    """All rows, or the even or odd blocks of `BLOCK` consecutive rows: tune on one half, report the other."""
    if half == "all":
        return rows
    parity = 0 if half == "even" else 1
    return [row for i, row in enumerate(rows) if (i // BLOCK) % 2 == parity]


def bench_direction(path: Path, direction: str, half: str = "all") -> dict:
    """False alarms on reference translations, then each injection and whether its right kind caught it."""
    src_lang, tgt_lang = direction.split("-")
    pairs = halve([tuple(line.rstrip("\n").split("\t", 1)) for line in path.read_text(encoding="utf-8").splitlines()
                   if "\t" in line], half)

    def check(output: str, source: str) -> set[str]:
        return kinds(check_translation(output, source, tgt_lang, src_lang))

    faithful, caught = Tally(), {k: [] for k in RIGHT_KIND}
    names = [shared_names(s, t) for s, t in pairs]
    pool = sorted({n for ns in names for n in ns})
    for (source, output), shared in zip(pairs, names, strict=True):
        raised = check(output, source)
        faithful.add(raised, f"{sorted(raised)}: {output[:160]}")
        rng = _rng(direction, source, output)
        changed = change_number(output, rng)
        if changed is not None and changed != output:
            caught["number"].append("number_mismatch" in check(changed, source))
        if shared:
            name = rng.choice(shared)
            caught["name dropped"].append("missing_names" in check(drop_name(output, name), source))
            others = [o for o in pool if o not in source and o not in output and len(o.split()) == len(name.split())]
            if others:
                swapped = replace_name(output, name, rng.choice(others))
                caught["name replaced"].append("missing_names" in check(swapped, source))
        across = transliterated_names(source, output)
        if across:
            dropped = drop_name(output, rng.choice(across))
            caught["name dropped across scripts"].append("missing_names" in check(dropped, source))
        caught["untranslated"].append("wrong_language" in check(source, source))
    windows = Tally()
    for i in range(0, len(pairs) - 2, 3):
        source = " ".join(s for s, _ in pairs[i:i + 3])
        lines = [t for _, t in pairs[i:i + 3]]
        raised = check(" ".join(lines), source)
        windows.add(raised, f"{sorted(raised)}: {' '.join(lines)[:160]}")
        drop = _rng(direction, source).randrange(3)
        shorter = " ".join(t for k, t in enumerate(lines) if k != drop)
        caught["sentence dropped"].append("missing_sentences" in check(shorter, source))
    return {"faithful": faithful.as_dict(), "faithful_3_lines": windows.as_dict(), "caught": _caught(caught)}


def lead(text: str, language: str, k: int = 3) -> str:
    return " ".join(split_sentences(text, language)[:k])


def bench_summaries(path: Path, language: str, limit: int, half: str = "all") -> dict:
    """Verbatim extractive summaries (the first three sentences) flagged, then the same with one error each."""
    rows = halve([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()[:limit]], half)
    faithful, caught = Tally(), {"number": [], "name replaced": []}
    leads = [lead(r["text"], language) for r in rows]
    pool = sorted({n for r, s in zip(rows, leads, strict=True) for n in shared_names(r["text"], s)})
    for row, summary in zip(rows, leads, strict=True):
        raised = kinds(check_summary(summary, row["text"], language))
        faithful.add(raised, f"{sorted(raised)}: {summary[:160]}")
        rng = _rng(path.name, summary)
        changed = change_number(summary, rng)
        if changed is not None and changed != summary:
            bad = check_summary(changed, row["text"], language)
            caught["number"].append(bool(bad["unsupported_numbers"]))
        shared = shared_names(row["text"], summary)
        if shared:
            name = rng.choice(shared)
            others = [o for o in pool if o not in row["text"] and len(o.split()) == len(name.split())]
            if others:
                bad = check_summary(replace_name(summary, name, rng.choice(others)), row["text"], language)
                caught["name replaced"].append(bool(bad["unsupported_names"]))
    return {"faithful": faithful.as_dict(), "caught": _caught(caught)}


def bench_frank(path: Path, half: str = "all") -> dict:
    """FRANK: factual summaries flagged (false alarms) vs summaries with an entity or out-of-article error."""
    factual, entity = Tally(), Tally()
    for row in halve([json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()], half):
        raised = kinds(check_summary(row["summary"], row["text"], "en"))
        example = f"{sorted(raised)}: {row['summary'][:160]}"
        if row["factuality"] == 1.0:
            factual.add(raised, example)
        if row["EntE"] < 1.0 or row["OutE"] < 1.0:
            entity.add(raised, example)
    return {"factual": factual.as_dict(), "entity_or_out_error": entity.as_dict()}


def run(refs: Path, log: Callable[[str], None], half: str = "all",
        directions: Iterable[str] = DIRECTIONS) -> dict:
    out: dict = {"half": half, "translation": {}, "summaries": {}}
    for direction in directions:
        t0 = time.perf_counter()
        out["translation"][direction] = bench_direction(refs / f"wmt21-dev.{direction}.tsv", direction, half)
        log(f"{direction}: {time.perf_counter() - t0:.1f}s")
    for name, language, limit in SUMMARY_SETS:
        out["summaries"][name] = bench_summaries(refs / name, language, limit, half)
        log(f"{name} done")
    out["frank"] = bench_frank(refs / "frank-bart-dev.en.jsonl", half)
    return out


def table(result: dict) -> Iterable[str]:
    """Markdown rows: one per direction / set, false alarms per kind and caught errors per injection."""
    yield "| set | faithful flagged | by kind | caught: " + " | ".join(RIGHT_KIND) + " |"
    yield "|---|---:|---|" + "---:|" * len(RIGHT_KIND)
    for name, r in list(result["translation"].items()) + list(result["summaries"].items()):
        f = r["faithful"]
        by_kind = ", ".join(f"{k} {v}" for k, v in f["by_kind_pct"].items()) or "–"
        cells = [f"{r['caught'][k]['caught_pct']} (n={r['caught'][k]['n']})" if r["caught"].get(k, {}).get("n")
                 else "–" for k in RIGHT_KIND]
        yield f"| {name} | {f['flagged_pct']} % (n={f['n']}) | {by_kind} | " + " | ".join(cells) + " |"
    fr = result["frank"]
    yield ""
    yield (f"frank-bart-dev: factual summaries flagged {fr['factual']['flagged_pct']} % (n={fr['factual']['n']}), "
           f"with an entity/out-of-article error flagged {fr['entity_or_out_error']['flagged_pct']} % "
           f"(n={fr['entity_or_out_error']['n']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--refs", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "refs")
    parser.add_argument("--json", type=Path, help="write the full result (with examples) here")
    parser.add_argument("--half", choices=("all", "even", "odd"), default="all",
                        help=f"only the even or odd blocks of {BLOCK} lines: tune on one half, report the other")
    parser.add_argument("--direction", action="append", choices=DIRECTIONS,
                        help="only this translation direction (repeatable); default all 14")
    args = parser.parse_args(argv)
    if not (args.refs / "wmt21-dev.en-de.tsv").is_file():
        print(f"checks benchmark: no WMT21 files in {args.refs} (pass --refs)", file=sys.stderr)
        return 2
    result = run(args.refs, lambda s: print(s, file=sys.stderr), args.half, args.direction or DIRECTIONS)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False), encoding="utf-8")
    print("\n".join(table(result)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
