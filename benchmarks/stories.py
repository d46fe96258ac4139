"""How many model calls story clusters save: a real run over news articles with wire copies mixed in.

Articles are CNN/DM (en) and OrangeSum (fr) texts from `../shared/refs`. A third of them also arrive as a
"wire copy", lightly edited the way outlets edit agency copy: about one word in forty replaced, the last
sentence dropped, a sentence of the outlet's own added. The mix runs through `Digester.run` twice (clustering
on and off) with the model-free extractive summarizer and no translation targets, and a spy on the summarizer
counts the texts it is given: the model calls a real model would make. It also reports copies left unmerged
(missed) and distinct articles merged (false merges), from the known origin of each input.

    python benchmarks/stories.py [--refs ../shared/refs] [--per-set 150] [--threshold 0.5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

from digest import Digester
from digest.config import load_config
from digest.nlp.text import split_sentences

SETS = (("cnndm-dev.en.jsonl", "en"), ("orangesum-dev.fr.jsonl", "fr"))
OWN_LINE = {"en": "Our reporter contributed to this story.", "fr": "Notre correspondant a contribué à cet article."}


def wire_copy(text: str, language: str, rng: random.Random) -> str:
    """A lightly edited copy: a word in forty replaced, the last sentence dropped, an outlet's own line added."""
    sentences = split_sentences(text, language)
    body = " ".join(sentences[:-1] if len(sentences) > 3 else sentences)
    words = body.split()
    for i in rng.sample(range(len(words)), max(1, len(words) // 40)):
        words[i] = rng.choice(["also", "then", "now", "aussi", "alors"])
    return " ".join(words) + " " + OWN_LINE[language]


def mix(refs: Path, per_set: int, seed: int = 13) -> tuple[list[dict], dict[str, str]]:
    """The input records and, for each, the id of the article it came from."""
    rng = random.Random(seed)
    records, origin = [], {}
    for name, language in SETS:
        with (refs / name).open(encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh][:per_set]
        for n, row in enumerate(rows):
            first = str(row["id"])
            records.append({"id": first, "language": language, "text": row["text"], "site": "Original"})
            origin[first] = first
            if n % 3 == 0:
                copy = f"{first}-wire"
                records.append({"id": copy, "language": language, "text": wire_copy(row["text"], language, rng),
                                "site": "Wire"})
                origin[copy] = first
    return records, origin


def run(records: list[dict], enabled: bool, threshold: float | None) -> dict:
    """One run over the mix; the texts the summarizer was given, and how the records were grouped."""
    settings = {"summarizer.model": "extractive", "targets": [], "cluster.enabled": enabled,
                "faithfulness.checks": False}
    if threshold is not None:
        settings["cluster.threshold"] = threshold
    config = load_config(None, **settings)
    digester = Digester(config, progress=False)
    summarizer = digester.summarizer
    original, calls = summarizer.summarize, []

    def spy(texts, languages=None):
        calls.extend(texts)
        return original(texts, languages)

    summarizer.summarize = spy
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "mix.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        started = time.perf_counter()
        result = digester.run([source], Path(tmp) / "out")
        seconds = time.perf_counter() - started
    clusters = {}
    for record in result.records:
        cluster = record.cluster if isinstance(record.cluster, dict) else None
        clusters[record.id] = cluster["id"] if cluster else record.id
    return {"articles": len(result.records), "summarizer_texts": len(calls), "seconds": round(seconds, 2),
            "clusters": clusters}


def score(clusters: dict[str, str], origin: dict[str, str]) -> dict:
    """Copies not merged with their original, and distinct originals merged into one story."""
    by_cluster: dict[str, set[str]] = {}
    for article_id, cluster in clusters.items():
        by_cluster.setdefault(cluster, set()).add(origin[article_id])
    copies = [a for a in origin if a != origin[a]]
    missed = sum(1 for a in copies if clusters[a] != clusters[origin[a]])
    false = sum(len(origins) - 1 for origins in by_cluster.values())
    return {"copies": len(copies), "missed": missed, "false_merges": false}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--refs", type=Path, default=Path("../shared/refs"))
    parser.add_argument("--per-set", type=int, default=150)
    parser.add_argument("--threshold", type=float, help="cluster.threshold (default: the config's)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    records, origin = mix(args.refs, args.per_set)
    report = {"inputs": len(records), "originals": len(set(origin.values()))}
    for enabled in (False, True):
        result = run(records, enabled, args.threshold)
        clusters = result.pop("clusters")
        report["clusters on" if enabled else "clusters off"] = {**result, **score(clusters, origin)}
    print(json.dumps(report, indent=2))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
