"""Articles per minute: a naive transformers loop vs `digest` (HF engine) vs `digest` (CTranslate2 int8) vs raw
CTranslate2 on exactly the same token work; and `--mode memory`, RSS over 2,000 articles.

    python benchmarks/throughput.py                  # the four modes, 3 interleaved rounds (~15 min on 2 cores)
    python benchmarks/throughput.py --mode memory    # 2,000 short articles on the tiny test models

Every mode runs in its own subprocess (peak RSS is that child's ru_maxrss, from wait4); models are loaded
before the clock starts (load time is reported apart) and CTranslate2 conversion is a separate step before the
modes.  Other jobs share the machine, so the modes run in `--rounds` interleaved rounds (naive, hf, ct2, raw,
naive, ...) and each mode's best round counts.
Outputs go to benchmarks/results/ (git-ignored).  Run by hand, never from the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("DIGEST_CACHE", str(HERE / ".models" / "cache"))  # CTranslate2 conversions

from models import ensure_models, ensure_tiny_models, make_articles, news_sentences, read_body, title_of  # noqa: E402

RESULTS = HERE / "results"
TARGETS = ["de", "fr", "es"]
SUMMARY_TOKENS, TRANSLATION_TOKENS, BATCH = 60, 48, 8
SUMMARY = {"num_beams": 4, "min_new_tokens": SUMMARY_TOKENS, "max_new_tokens": SUMMARY_TOKENS,
           "no_repeat_ngram_size": 3, "length_penalty": 2.0}
TRANSLATION = {"num_beams": 4, "min_new_tokens": TRANSLATION_TOKENS, "max_new_tokens": TRANSLATION_TOKENS}
MODES = {"naive": "(1) naive HF loop", "hf": "(2) digest, HF engine", "ct2": "(3) digest, CT2 int8",
         "raw": "(4) raw CTranslate2, same work"}
Work = Callable[[], list[dict]]


# -- the modes: each loads its models and returns the work, which is then timed ---------------------------------


def setup_naive(models: dict, paths: list[Path], out: Path) -> Work:
    """What a user would write: load both models, then per article generate, split, translate sentence by sentence.
    The article is truncated to the model's window (1,024 tokens) as a naive user would; these all fit."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    from digest.nlp.text import split_sentences  # the same sentences as digest, so the same work

    tok, mt_tok = (AutoTokenizer.from_pretrained(models[k]) for k in ("summary", "translation"))
    model, mt = (AutoModelForSeq2SeqLM.from_pretrained(models[k]).eval() for k in ("summary", "translation"))

    def work() -> list[dict]:
        records = []
        with torch.inference_mode():
            for path in paths:
                inputs = tok(read_body(path), truncation=True, max_length=1024, return_tensors="pt")
                summary = tok.decode(model.generate(**inputs, **SUMMARY)[0], skip_special_tokens=True).strip()
                record = {"summary": summary}
                for lang in TARGETS:
                    parts = []
                    for sentence in [title_of(path), *split_sentences(summary, "en")]:  # digest translates headlines
                        ids = mt.generate(**mt_tok(sentence, truncation=True, return_tensors="pt"), **TRANSLATION)
                        parts.append(mt_tok.decode(ids[0], skip_special_tokens=True).strip())
                    record[lang] = " ".join(parts[1:])
                records.append(record)
        return records

    return work


def setup_digest(models: dict, paths: list[Path], out: Path, engine: str) -> Work:
    """The library as documented: one Digester, models loaded once, `run(paths, out)`."""
    from digest import Digester

    digester = Digester.from_config(
        None, progress=False, engine=engine, batch_size=BATCH, summary_model=str(models["summary"]),
        translation_models={lang: str(models["translation"]) for lang in TARGETS}, targets=TARGETS,
        **{"faithfulness.loops": False,  # random weights loop on every input: time the bare models
           "summarizer.generation": SUMMARY, "translation.generation": TRANSLATION},
    )
    digester.summarizer  # noqa: B018 - loads the summary model
    for lang in TARGETS:
        digester.translator.route("en", lang)  # loads the translation model

    def work() -> list[dict]:
        result = digester.run(paths, out, force=True)
        assert result.counts["ok"] == len(paths), result.manifest
        by_id = {d["id"]: d["summaries"] for d in result.digests}
        return [{"summary": by_id[p.stem]["en"], **{t: by_id[p.stem][t] for t in TARGETS}} for p in paths]

    return work


def setup_raw(models: dict, paths: list[Path], out: Path) -> Work:
    """CTranslate2 + the HF tokenizers alone, on the inputs, settings, batch size and threads of mode (3): the floor
    `digest` on CT2 is measured against.  Digest code used: where the converted models are, the thread count,
    and the sentence splitter (so that the sentences, hence the work, are the same)."""
    import ctranslate2
    from transformers import AutoTokenizer

    from digest.engines.ct2 import cache_dir, default_threads
    from digest.nlp.text import split_sentences

    tok, mt_tok = AutoTokenizer.from_pretrained(models["summary"]), AutoTokenizer.from_pretrained(models["translation"])
    summarizer, translator = (
        ctranslate2.Translator(str(cache_dir(str(models[k]), None, "int8")), compute_type="int8",
                               intra_threads=default_threads())
        for k in ("summary", "translation")
    )
    # HF lengths → CT2: new tokens minus the step HF spends on the forced EOS; BART's forced <s> is a prefix
    summary_args = {"beam_size": 4, "length_penalty": 2.0, "no_repeat_ngram_size": 3, "max_input_length": 0,
                    "min_decoding_length": SUMMARY_TOKENS - 1, "max_decoding_length": SUMMARY_TOKENS - 1}
    translation_args = {"beam_size": 4, "max_input_length": 0, "min_decoding_length": TRANSLATION_TOKENS - 1,
                        "max_decoding_length": TRANSLATION_TOKENS - 1}

    def work() -> list[dict]:
        ids = tok([read_body(p) for p in paths], truncation=True, max_length=1024).input_ids
        hyps = summarizer.translate_batch([tok.convert_ids_to_tokens(x) for x in ids], [["<s>"]] * len(ids),
                                          max_batch_size=BATCH, **summary_args)
        summaries = [s.strip() for s in tok.batch_decode(
            [tok.convert_tokens_to_ids(h.hypotheses[0][1:]) for h in hyps], skip_special_tokens=True)]
        sentences = [split_sentences(s, "en") for s in summaries]
        flat = [s for group in sentences for s in group] + [title_of(p) for p in paths]  # + headlines, as digest
        source = [mt_tok.convert_ids_to_tokens(x) for x in mt_tok(flat, truncation=True).input_ids]
        records = [{"summary": s} for s in summaries]
        for lang in TARGETS:
            out_tokens = translator.translate_batch(source, max_batch_size=BATCH, **translation_args)
            texts = iter(mt_tok.batch_decode([mt_tok.convert_tokens_to_ids(r.hypotheses[0]) for r in out_tokens],
                                             skip_special_tokens=True))
            for record, group in zip(records, sentences, strict=True):
                record[lang] = " ".join(next(texts).strip() for _ in group)  # the headlines' come last, unused
        return records

    return work


def measure(setup: Callable[[], Work]) -> dict:
    clock = time.monotonic()
    work = setup()
    loaded = time.monotonic()
    records = work()
    return {"load_s": round(loaded - clock, 2), "work_s": round(time.monotonic() - loaded, 2),
            "articles": len(records), "records": records}


def run_convert(models: dict) -> dict:
    """Convert both models for CTranslate2 int8 (timed, outside the throughput modes)."""
    from digest.engines.ct2 import CT2Engine

    clock = time.monotonic()
    converted = {name: CT2Engine(str(path)).converted for name, path in models.items()}
    return {"convert_s": round(time.monotonic() - clock, 1), "converted": converted}


def run_memory(engine: str, n: int = 2000, every: int = 100) -> dict:
    """`n` short articles through one Digester on the tiny test models; RSS after every `every` articles."""
    from digest import Digester
    from digest.output.store import Store

    tiny = ensure_tiny_models()
    sentences = news_sentences()
    folder = RESULTS / "memory-articles"
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"short-{i:04d}.txt" for i in range(n)]
    for i, path in enumerate(paths):
        path.write_text(f"Short article {i}\n\n" + " ".join(random.Random(i).sample(sentences, 3)) + "\n")
    digester = Digester.from_config(
        None, progress=False, engine=engine, compute_type="float32", summary_model=str(tiny["bart"]),
        translation_models={lang: str(tiny[f"opus-mt-en-{lang}"]) for lang in TARGETS}, targets=TARGETS,
        # lengths within the tiny models' 128 positions (the real defaults ask for up to 142 tokens)
        **{"faithfulness.loops": False,  # random weights loop on every input: time the bare models
           "summarizer.generation": {"num_beams": 2, "min_length": 8, "max_length": 24},
           "translation.generation": {"num_beams": 2, "max_length": 32}},
    )
    rss: dict[int, float] = {}
    save, written = Store.save, 0

    def sampling_save(self, record) -> None:  # RSS as the pipeline writes each article
        nonlocal written
        save(self, record)
        written += 1
        if written % every == 0:
            rss[written] = round(_rss_mb(), 1)

    Store.save = sampling_save
    clock = time.monotonic()
    result = digester.run(paths, RESULTS / f"memory-out-{engine}", force=True)
    growth = round(rss[n] - rss[200], 1) if {200, n} <= set(rss) else None
    return {"engine": engine, "articles": n, "ok": result.counts["ok"], "seconds": round(time.monotonic() - clock, 1),
            "rss_mb": rss, "growth_200_to_end_mb": growth,
            "models": "tiny random-weight models of digest.testing.tiny_models (bart, opus-mt-en-de/fr/es)"}


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# -- the parent: one child process per mode ---------------------------------------------------------------------


def child(mode: str, work: Path, engine: str) -> None:
    models = {k: (work / "models" / k).resolve() for k in ("summary", "translation")}
    paths = sorted((work / "articles").glob("*.txt"))
    out = work / f"out-{mode}"
    setups = {"naive": lambda: setup_naive(models, paths, out), "raw": lambda: setup_raw(models, paths, out),
              "hf": lambda: setup_digest(models, paths, out, "hf"),
              "ct2": lambda: setup_digest(models, paths, out, "ct2")}
    if mode in setups:
        result = measure(setups[mode])
    else:
        result = run_convert(models) if mode == "convert" else run_memory(engine)
    print("RESULT " + json.dumps(result, ensure_ascii=False), flush=True)


def spawn(mode: str, args: argparse.Namespace) -> dict:
    """Run one mode in a fresh interpreter; its peak RSS comes from wait4."""
    load = os.getloadavg()[0]
    command = [sys.executable, __file__, "--child", mode, "--work", str(args.work), "--engine", args.engine]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    stdout = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"mode {mode} failed (exit code {os.waitstatus_to_exitcode(status)})")
    result = json.loads(next(line for line in reversed(stdout.splitlines()) if line.startswith("RESULT "))[7:])
    return {**result, "peak_rss_mb": round(usage.ru_maxrss / 1024), "load_avg_before": round(load, 2),
            "load_avg_after": round(os.getloadavg()[0], 2)}


def prepare(work: Path, n: int) -> None:
    """Models (built once, then reused) linked into the work folder, and the articles."""
    from transformers import AutoTokenizer

    from digest.inputs.article import ReadOptions
    from digest.inputs.discover import read_articles

    models = ensure_models()
    (work / "models").mkdir(parents=True, exist_ok=True)
    for name, key in (("summary", "distilbart-cnn-12-6"), ("translation", "opus-mt-en-de")):
        link = work / "models" / name
        if link.is_symlink() or link.exists():
            link.unlink()
        link.symlink_to(models[key])
    paths = make_articles(work / "articles", n, AutoTokenizer.from_pretrained(models["distilbart-cnn-12-6"]))
    read = read_articles(paths, ReadOptions())
    assert [a.text for a in read] == [read_body(p) for p in paths], "digest must see the text the other modes see"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", default="all", choices=["all", "memory", *MODES])
    parser.add_argument("--articles", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; each mode's best one counts")
    parser.add_argument("--engine", default="hf", choices=["hf", "ct2"], help="engine of the memory run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, default=RESULTS / "throughput")
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.work, args.engine)
    if args.mode == "memory":
        r = spawn("memory", args)
        for count, rss in r["rss_mb"].items():
            print(f"  after {int(count):5d} articles: RSS {rss:7.1f} MB")
        print(f"growth from article 200 to {r['articles']}: {r['growth_200_to_end_mb']} MB (target < 50); "
              f"{r['ok']} ok in {r['seconds']} s, peak RSS {r['peak_rss_mb']} MB")
        print(json.dumps({k: v for k, v in r.items() if k != "rss_mb"}))
        return None
    prepare(args.work, args.articles)
    conversion = spawn("convert", args)
    print(f"CTranslate2 conversion, int8, both models: {conversion['convert_s']} s {conversion['converted']}")
    runs: dict[str, list[dict]] = {}
    for round_no in range(1, args.rounds + 1):
        for mode in MODES if args.mode == "all" else [args.mode]:
            r = spawn(mode, args)
            runs.setdefault(mode, []).append(r)
            print(f"round {round_no} {MODES[mode]:32s} work {r['work_s']:6.1f} s  load {r['load_s']:4.1f} s  "
                  f"peak RSS {r['peak_rss_mb']:5d} MB  load avg {r['load_avg_before']}→{r['load_avg_after']}",
                  flush=True)
    results = {}
    for mode, rs in runs.items():
        best = min(rs, key=lambda r: r["work_s"])
        results[mode] = {**best, "runs_s": [r["work_s"] for r in rs], "peak_rss_mb": max(r["peak_rss_mb"] for r in rs),
                         "per_minute": round(best["articles"] / best["work_s"] * 60, 2),
                         "same_records_every_round": all(r["records"] == rs[0]["records"] for r in rs)}
        print(f"{MODES[mode]:32s} {results[mode]['per_minute']:6.2f} articles/min, best of {best['articles']} "
              f"articles in {results[mode]['runs_s']} s")
    report(results, conversion)
    return None


def report(results: dict, conversion: dict) -> None:
    def ratio(a: str, b: str) -> float | None:
        return round(results[a]["per_minute"] / results[b]["per_minute"], 2) if {a, b} <= set(results) else None

    ratios = {"ct2/naive": ratio("ct2", "naive"), "ct2/raw": ratio("ct2", "raw"), "hf/naive": ratio("hf", "naive")}
    same = {f"{a}=={b}": results[a]["records"] == results[b]["records"]
            for a, b in (("ct2", "raw"), ("hf", "naive")) if {a, b} <= set(results)}
    print(f"ratios: (3)/(1) {ratios['ct2/naive']} (target >= 5), (3)/(4) {ratios['ct2/raw']} (target >= 0.9), "
          f"(2)/(1) {ratios['hf/naive']} (target >= 1.3); same outputs: {same}")
    modes = {mode: {k: v for k, v in r.items() if k != "records"} for mode, r in results.items()}
    print(json.dumps({"modes": modes, "ratios": ratios, "same_outputs": same, "conversion": conversion,
                      "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
