"""How many model calls story clusters save: a real run over news articles with wire copies mixed in.

Articles are CNN/DM (en) and OrangeSum (fr) texts from `../shared/refs`. A third of them also arrive as a
"wire copy", lightly edited the way outlets edit agency copy: about one word in forty replaced, the last
sentence dropped, a sentence of the outlet's own added. The mix runs through `Digester.run` twice (clustering
on and off) with the model-free extractive summarizer and no translation targets, and a spy on the summarizer
counts the texts it is given: the model calls a real model would make. It also reports copies left unmerged
(missed) and distinct articles merged (false merges), from the known origin of each input.

    python benchmarks/stories.py [--refs ../shared/refs] [--per-set 150] [--threshold 0.5] [--json out.json]

Across languages (`--cross-language FILE.jsonl`, e.g. ../shared/refs/world-dev.jsonl): every document of the file
(ja, ru, hr, is, zh) goes in with its human English reference as a second, English article of another outlet. The
run translates into English with a scripted engine that returns the reference of each source segment (the file's
paragraphs are aligned segment by segment, so a summary sentence maps to its segment's reference: the reference
is the translation, since no real model can run here), summarizes with the model-free extractive summarizer, and
prints `pairs grouped X/Y, wrong merges Z/Y`: Y document/reference pairs, X of them in one story, Z of them
in a story with an article of another origin. `--lines even|odd` keeps the file's even- or odd-numbered lines
(1-based): tune on even, report odd.

    python benchmarks/stories.py --cross-language ../shared/refs/world-dev.jsonl --lines even [--cross-threshold T]
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
from digest.engines.base import Engine, Hypothesis
from digest.engines.params import GenerationParams
from digest.nlp.text import split_sentences
from digest.run.result import RunResult

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
    result, seconds, clusters = run_mix(digester, records)
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


class ReferenceEngine(Engine):
    """A scripted translator: each sentence of a source document comes out as its human reference."""

    model_type = "reference"
    task_prefixes: dict[str, str] = {}
    default_params = GenerationParams()
    max_input_tokens = 100_000

    def __init__(self, table: dict[str, str], segments: list[tuple[str, str]], drop: float = 0.0) -> None:
        self.model_id = "reference"
        self.table = table
        self.segments = segments
        self.missed = 0
        #: share of the words of each translation left out (a looser translation than the human one)
        self.drop = drop
        self.rng = random.Random(7)

    def count_tokens(self, texts):
        return [len(t.split()) + 1 for t in texts]

    def generate_candidates(self, texts, params, *, src_lang=None, tgt_token=None):
        return [[Hypothesis(self.loosen(self.reference(text)))] for text in texts]

    def loosen(self, text: str) -> str:
        words = text.split()
        kept = [w for w in words if self.rng.random() >= self.drop] if self.drop else words
        return " ".join(kept or words[:1])

    def reference(self, text: str) -> str:
        """The sentence's reference; else that of the segment holding it, or of the segments it spans (the
        cleaner and the sentence splitter may cut a summary differently from the file's segments)."""
        key = _key(text)
        if key in self.table:
            return self.table[key]
        holding = next((ref for segment, ref in self.segments if key in segment), None)
        if holding is not None:
            return holding
        spanned = [ref for segment, ref in self.segments if segment and segment in key]
        self.missed += not spanned
        return " ".join(spanned) or text


def _key(text: str) -> str:
    """Text compared without its whitespace (the cleaner respaces CJK punctuation)."""
    return "".join(text.split())


def reference_table(rows: list[dict]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """{source sentence: its English reference} and (source segment, reference) pairs: sentence by sentence where
    a segment and its reference split into as many sentences, else each sentence gets the segment's reference."""
    table: dict[str, str] = {}
    segments: list[tuple[str, str]] = []
    for row in rows:
        ref = row["reference"]
        pairs = [(row["title"], ref["title"]), *zip(row["text"].split("\n"), ref["text"].split("\n"), strict=True)]
        for segment, target in pairs:
            if not segment.strip():
                continue
            sources, targets = split_sentences(segment, row["language"]), split_sentences(target, "en")
            table[_key(segment)] = target
            segments.append((_key(segment), target))
            for n, sentence in enumerate(sources):
                table[_key(sentence)] = targets[n] if len(sources) == len(targets) else target
    return table, segments


def cross_language(path: Path, lines: str, cross_threshold: float | None, drop: float = 0.0) -> dict:
    """One run over documents and their references; pairs grouped and wrong merges."""
    rows = [json.loads(line) for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if line.strip() and (lines == "all" or (n % 2 == 0) == (lines == "even"))]
    records, origin = [], {}
    for row in rows:
        doc, ref = str(row["id"]), f"{row['id']}-en"
        records.append({"id": doc, "language": row["language"], "title": row["title"], "text": row["text"],
                        "site": f"Outlet ({row['language']})"})
        records.append({"id": ref, "language": "en", "title": row["reference"]["title"],
                        "text": row["reference"]["text"], "site": "Outlet (en)"})
        origin[doc] = origin[ref] = doc
    engine = ReferenceEngine(*reference_table(rows), drop=drop)
    pairs = {f"{lang}-en": "reference" for lang in {row["language"] for row in rows}}
    settings = {"summarizer.model": "extractive", "targets": ["en"], "faithfulness.checks": False,
                "translation.models": pairs}
    if cross_threshold is not None:
        settings["cluster.cross_threshold"] = cross_threshold
    digester = Digester(load_config(None, **settings), progress=False, engines={"reference": engine})
    result, seconds, story = run_mix(digester, records)
    grouped = sum(1 for row in rows if story.get(str(row["id"])) == story.get(f"{row['id']}-en") is not None)
    origins: dict[str, set[str]] = {}
    for article_id, sid in story.items():
        origins.setdefault(sid, set()).add(origin[article_id])
    merged = sum(1 for row in rows if any(len(origins[story[i]]) > 1 for i in (str(row["id"]), f"{row['id']}-en")
                                          if i in story))
    return {"lines": lines, "drop": drop, "pairs": len(rows), "grouped": grouped,
            "wrong_merges": merged, "untranslated_sentences": engine.missed, "failed": result.counts["failed"],
            "seconds": round(seconds, 2)}



def run_mix(digester: Digester, records: list[dict]) -> tuple[RunResult, float, dict[str, str]]:
    """One run over `records` as a JSONL file in a fresh OUT: its result, its seconds, and each article's story id
    (its own id when it is in no story)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "mix.jsonl"
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
        started = time.perf_counter()
        result = digester.run([source], Path(tmp) / "out")
        seconds = time.perf_counter() - started
    stories = {}
    for record in result.records:
        cluster = record.cluster if isinstance(record.cluster, dict) else None
        stories[record.id] = cluster["id"] if cluster else record.id
    return result, seconds, stories


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--refs", type=Path, default=Path("../shared/refs"))
    parser.add_argument("--per-set", type=int, default=150)
    parser.add_argument("--threshold", type=float, help="cluster.threshold (default: the config's)")
    parser.add_argument("--cross-language", type=Path, metavar="FILE.jsonl",
                        help="documents with an English `reference` each: are they one story across languages?")
    parser.add_argument("--lines", choices=("all", "even", "odd"), default="all")
    parser.add_argument("--cross-threshold", type=float, help="cluster.cross_threshold (default: the config's)")
    parser.add_argument("--drop", type=float, default=0.0,
                        help="share of each translation's words left out, for a looser translation (default 0)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if args.cross_language:
        report = cross_language(args.cross_language, args.lines, args.cross_threshold, args.drop)
        print(f"pairs grouped {report['grouped']}/{report['pairs']}, "
              f"wrong merges {report['wrong_merges']}/{report['pairs']}")
        print(json.dumps(report, indent=2))
        if args.json:
            args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        return 0
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
