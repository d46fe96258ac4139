"""Articles per minute: the local executor vs the Ray executor with 2 actors (1 CPU, 1 thread each), same machine.

    python benchmarks/ray_executor.py                    # 32 articles, CTranslate2 int8, ~3 min on 2 cores
    python benchmarks/ray_executor.py --rounds 2         # local, ray, local, ray; each one's best round counts
    python benchmarks/ray_executor.py --engine hf --articles 8

The models, articles and decoding settings are those of throughput.py (real-size random-weight distilbart-cnn-12-6
and opus-mt-en-de from benchmarks/.models/, 700-1,000-token articles, summaries forced to 60 tokens, translations
into de/fr/es forced to 48, beams 4). Each executor runs in its own subprocess and is timed end to end, the way a
user meets it: `Digester.run(paths, out)` from the call to the return, model loading included (the local run loads
once in-process; each Ray actor starts a Python, imports digest and its engine, and loads both models). Ray's own
start-up (`ray.init`, once per cluster) is reported apart. The Ray run also records, per actor, when it came up,
when its models were loaded, each batch and its peak RSS, and when each batch reached the driver.
Outputs go to benchmarks/results/ (git-ignored). Run by hand, never from the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# constants and the environment (offline hub, DIGEST_CACHE for the ct2 conversions) of the throughput benchmark;
# set here, before Ray starts, so that its workers inherit them
from throughput import BATCH, RESULTS, SUMMARY, TARGETS, TRANSLATION, prepare, run_convert  # noqa: E402

WORK = RESULTS / "ray-executor"


def digester_config(models: dict[str, Path], engine: str, executor: str, ray_batch: int):
    """The throughput benchmark's settings; on Ray, 2 actors of 1 CPU (threads follow: 1 per actor)."""
    from digest.config import load_config

    return load_config(
        None, engine=engine, batch_size=BATCH, summary_model=str(models["summary"]),
        translation_models={lang: str(models["translation"]) for lang in TARGETS}, targets=TARGETS,
        executor=executor,
        **{"summarizer.generation": SUMMARY, "translation.generation": TRANSLATION, "faithfulness.loops": False,
           "ray": {"concurrency": 2, "num_cpus": 1, "num_gpus": 0, "batch_size": ray_batch}},
    )


def child(executor: str, work: Path, engine: str, ray_batch: int) -> dict:
    """One timed `Digester.run` on `executor`, in a fresh interpreter."""
    import digest.run.ray_executor
    from digest import Digester

    models = {k: (work / "models" / k).resolve() for k in ("summary", "translation")}
    paths = sorted((work / "articles").glob("*.txt"))
    config = digester_config(models, engine, executor, ray_batch)
    result: dict = {"executor": executor, "engine": engine, "articles": len(paths)}
    arrivals: list[tuple[float, int]] = []
    timeline = work / "actor-times.jsonl"
    timeline.unlink(missing_ok=True)
    if executor == "ray":
        import ray

        clock = time.monotonic()
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
        result["ray_init_s"] = round(time.monotonic() - clock, 2)
        run_on_ray = digest.run.ray_executor.run_on_ray

        def timed(cfg, todo):  # when each batch of outcomes reaches the driver
            for outcomes in run_on_ray(cfg, todo):
                arrivals.append((round(time.time() - started, 2), len(outcomes)))
                yield outcomes

        digest.run.ray_executor.run_on_ray = timed
        digest.run.ray_executor.DigestActor = timed_actor(timeline)
    started = time.time()
    run = Digester(config, progress=False).run(paths, work / f"out-{executor}", force=True)
    result["seconds"] = round(time.time() - started, 2)
    assert run.counts["ok"] == len(paths), run.manifest
    result["per_minute"] = round(len(paths) / result["seconds"] * 60, 2)
    if arrivals:
        result["arrivals_s"] = arrivals
        result["actors"] = actor_report(timeline, started)
    result["peak_rss_mb"] = peak_rss_mb()  # the local process, or the Ray driver (the actors report their own)
    by_id = {d["id"]: d["summaries"] for d in run.digests}
    result["records"] = [by_id[p.stem] for p in paths]
    return result


def timed_actor(timeline: Path) -> type:
    """DigestActor that notes (wall clock, shared by the processes of one machine) when it came up, when its
    models were loaded (here in __init__, as a production actor does on its first batch), and each batch."""
    from digest.run.ray_executor import DigestActor

    def note(**event) -> None:
        with open(timeline, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"pid": os.getpid(), **event}) + "\n")

    class TimedActor(DigestActor):
        def __init__(self, config) -> None:
            up = time.time()
            super().__init__(config)
            self.digester.summarizer  # noqa: B018 - loads the summary model
            for lang in TARGETS:
                self.digester.translator.route("en", lang)  # loads the translation model
            note(up=up, loaded=time.time())

        def __call__(self, batch):
            start = time.time()
            out = super().__call__(batch)
            note(start=start, end=time.time(), articles=len(batch["id"]), peak_rss_mb=peak_rss_mb())
            return out

    return TimedActor


def actor_report(timeline: Path, started: float) -> list[dict]:
    """Per actor, seconds after run() began: up (process scheduled, digest imported), models loaded, batches."""
    actors: dict[int, dict] = {}
    for event in map(json.loads, timeline.read_text(encoding="utf-8").splitlines()):
        actor = actors.setdefault(event.pop("pid"), {"batches": []})
        rel = {k: v if k in ("articles", "peak_rss_mb") else round(v - started, 2) for k, v in event.items()}
        if "up" in rel:
            actor.update(rel)
        else:
            actor["batches"].append(rel)
    return list(actors.values())


def peak_rss_mb() -> int:
    """This process's peak resident memory (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return -1


def spawn(executor: str, args: argparse.Namespace) -> dict:
    """Run one executor (or the conversion) in a fresh interpreter, so neither inherits the other's threads."""
    load = os.getloadavg()[0]
    command = [sys.executable, __file__, "--child", executor, "--work", str(args.work), "--engine", args.engine,
               "--ray-batch-size", str(args.ray_batch_size)]
    proc = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if proc.returncode:
        raise SystemExit(f"{executor} failed (exit code {proc.returncode})")
    line = next(line for line in reversed(proc.stdout.splitlines()) if line.startswith("RESULT "))
    return {**json.loads(line[7:]), "load_avg_before": round(load, 2), "load_avg_after": round(os.getloadavg()[0], 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=32)
    parser.add_argument("--engine", default="ct2", choices=["hf", "ct2"])
    parser.add_argument("--ray-batch-size", type=int, default=8, help="articles per actor call (ray.batch_size)")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds; each executor's best one counts")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, default=WORK)
    args = parser.parse_args()
    if args.child == "convert":
        models = {k: (args.work / "models" / k).resolve() for k in ("summary", "translation")}
        print("RESULT " + json.dumps(run_convert(models)), flush=True)
        return
    if args.child:
        print("RESULT " + json.dumps(child(args.child, args.work, args.engine, args.ray_batch_size)), flush=True)
        return
    prepare(args.work, args.articles)
    if args.engine == "ct2":  # convert (or find the cached conversion) before any clock starts
        print(f"CTranslate2 conversion (cached after the first time): {spawn('convert', args)['convert_s']} s")
    runs: dict[str, list[dict]] = {"local": [], "ray": []}
    for round_no in range(1, args.rounds + 1):  # interleaved: both executors meet the same background load
        for executor in runs:
            r = spawn(executor, args)
            runs[executor].append(r)
            extra = f", ray.init {r['ray_init_s']} s apart" if "ray_init_s" in r else ""
            print(f"round {round_no} {executor:5s} {r['articles']} articles in {r['seconds']:6.1f} s = "
                  f"{r['per_minute']:6.2f} articles/min{extra}, peak RSS {r['peak_rss_mb']} MB "
                  f"(load avg {r['load_avg_before']}→{r['load_avg_after']})", flush=True)
    local, ray_run = (min(runs[e], key=lambda r: r["seconds"]) for e in ("local", "ray"))  # best round of each
    for n, actor in enumerate(ray_run["actors"], start=1):
        busy = sum(b["end"] - b["start"] for b in actor["batches"])
        rss = max((b["peak_rss_mb"] for b in actor["batches"]), default=None)
        print(f"actor {n}: up at {actor['up']} s, models loaded at {actor['loaded']} s, batches (start, end, "
              f"articles) {[(b['start'], b['end'], b['articles']) for b in actor['batches']]}, busy {busy:.1f} s, "
              f"peak RSS {rss} MB")
    print(f"batches reached the driver at (s, articles): {ray_run['arrivals_s']}")
    ratio = round(ray_run["per_minute"] / local["per_minute"], 2)
    same = ray_run["records"] == local["records"]
    differ = sum(a != b for a, b in zip(ray_run["records"], local["records"], strict=True))
    # CTranslate2 int8 output depends on which articles share a batch (padding), and the executors batch
    # differently (local: length-sorted batches of `batch_size` from waves of 32; Ray: `ray.batch_size` per actor)
    print(f"ray/local: {ratio}; same summaries and translations: {same} ({differ} of {local['articles']} differ)")
    summary = {name: {**{k: v for k, v in best.items() if k != "records"},
                      "rounds_s": [r["seconds"] for r in runs[name]]}
               for name, best in (("local", local), ("ray", ray_run))}
    print(json.dumps({"runs": summary, "ratio_ray_over_local": ratio, "same_outputs": same,
                      "articles_differing": differ, "ray_batch_size": args.ray_batch_size, "cpus": os.cpu_count()}))


if __name__ == "__main__":
    main()
