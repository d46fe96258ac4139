"""Summary quality of the model-free summarizers on real references, through the whole CLI path.

    python benchmarks/quality.py                       # both reference files, ~3 min on 2 cores
    python benchmarks/quality.py --limit 50            # a quick look

For each reference file (../shared/refs: CNN/DailyMail highlights, OrangeSum abstracts) and each method
(`extractive`, the lede-aware default, and `extractive:textrank`, the old one): `digest run` on the file itself as
JSONL input with no translation targets, then `digest eval OUT refs --baseline lead-K`, which also scores Lead-K on
the same articles. Every method gets the same word budget: max_length = Lead-K's mean word count on that file
(so "at no more words than Lead-K" is a fair comparison) and min_length = two thirds of it, the ratio of the
lede method's own default (56/85); both methods add whole sentences until min_length, never beyond max_length.
Also counted: summaries whose first sentence opens with a dangling pronoun or connective (nlp/openers.py).
Writes benchmarks/results/quality.md.
Run by hand, never from the test suite; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "results" / "quality"
DATASETS = (("cnndm-dev.en.jsonl", "en", 3), ("orangesum-dev.fr.jsonl", "fr", 2))
METHODS = (("extractive:textrank", "TextRank (old default)"), ("extractive", "lede-aware (new default)"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--refs", type=Path, default=ROOT.parent / "shared" / "refs", help="reference folder")
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles of each file")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    lines = ["| file | method | R1 | R2 | RL | RLsum | words | dangling first sentence | s/article |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, language, lead in DATASETS:
        source = args.refs / name
        if not source.is_file():
            sys.exit(f"{source}: no such reference file (see --refs)")
        RESULTS.mkdir(parents=True, exist_ok=True)
        refs = RESULTS / name
        rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
        rows = rows[:args.limit] if args.limit else rows
        refs.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        budget = lead_words(rows, language, lead)
        for model, label in METHODS:
            out = RESULTS / f"{name.split('.')[0]}-{model.replace(':', '-')}"
            seconds = digest_run(refs, out, model, budget)
            result = json.loads(digest_eval(out, refs, f"lead-{lead}").read_text(encoding="utf-8"))
            if model == METHODS[0][0]:
                texts = [" ".join(s.split()) for s in stored(out, "text")]
                lines.append(row(name, f"Lead-{lead}", result["baseline"]["rouge"], dangling(texts, language), None))
            lines.append(row(name, f"`{model}` {label}", result["rouge"],
                             dangling(stored(out, "summary"), language), seconds / len(rows)))
        print("\n".join(lines[-3:]), flush=True)
    table = "\n".join(lines)
    (RESULTS.parent / "quality.md").write_text(table + "\n", encoding="utf-8")
    print(f"\n{table}\n\nwritten to {RESULTS.parent / 'quality.md'}")


def lead_words(rows: list[dict], language: str, k: int) -> int:
    """Mean words of the first k sentences: the word budget every method gets."""
    from digest.nlp.text import split_sentences

    counts = [sum(len(s.split()) for s in split_sentences(r["text"], language)[:k]) for r in rows]
    return int(sum(counts) / len(counts))


def digest_run(refs: Path, out: Path, model: str, budget: int) -> float:
    """`digest run` with a config that has no targets and the word budget; seconds taken."""
    out.mkdir(parents=True, exist_ok=True)
    config = out.parent / f"{out.name}.yaml"
    config.write_text(f"device: cpu\ntargets: []\nsummarizer:\n  model: {model}\n  generation:\n"
                      f"    min_length: {budget * 2 // 3}\n    max_length: {budget}\n", encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([*digest(), "run", str(refs), "-c", str(config), "-o", str(out), "-q", "--force"], check=True)
    return time.perf_counter() - start


def digest_eval(out: Path, refs: Path, baseline: str) -> Path:
    target = out / "eval.json"
    subprocess.run([*digest(), "eval", str(out), str(refs), "--baseline", baseline, "--json", str(target)],
                   check=True, stdout=subprocess.DEVNULL)
    return target


def digest() -> list[str]:
    """The CLI of this checkout (not whatever `digest` is first on PATH)."""
    return [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT / 'src')!r}); "
                                  "from digest.cli import cli; cli(prog_name='digest')"]


def stored(out: Path, field: str) -> list[str]:
    """Each article's text, or its summary in its own language."""
    values = []
    for file in sorted((out / "articles").glob("*.json")):
        data = json.loads(file.read_text(encoding="utf-8"))
        values.append(data["text"] if field == "text" else (data.get("summaries") or {}).get(data["language"], ""))
    return values


def dangling(texts: list[str], language: str) -> int:
    """How many texts start with a sentence that leans on one before it."""
    from digest.nlp.openers import dangling_opener

    return sum(bool(dangling_opener(text, language)) for text in texts)


def row(name: str, method: str, rouge: dict, dangling_count: int, seconds: float | None) -> str:
    cells = " | ".join(f"{100 * rouge[t]:.1f}" for t in ("rouge1", "rouge2", "rougeL", "rougeLsum"))
    timing = f"{seconds:.3f}" if seconds is not None else ""
    return f"| {name} | {method} | {cells} | {rouge['words']:.1f} | {dangling_count} | {timing} |"


if __name__ == "__main__":
    main()
