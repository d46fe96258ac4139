"""The GPU counterpart of throughput.py: a naive loop (float32, bfloat16), raw batched transformers (the floor),
digest's HF engine (batch 32 with and without prefetch, 64) and digest's CT2 engine, on one device.

    python benchmarks/gpu.py prepare DIR [--wheels 3.12]     # here: tokenizers, configs, articles (no weights)
    python benchmarks/gpu.py run DIR --work WORK --out t.md  # there, one command: weights, modes, table
    python benchmarks/gpu.py prepare DIR --tiny && python benchmarks/gpu.py run DIR --device cpu --out t.md

DIR carries no weights: `run` draws them from the configs (seeded) into WORK/weights first.  Every mode runs
in its own process, loads and warms its models before the clock, and works on the same articles (the naive modes
on the first `--naive-articles`).  The table is rewritten after every mode, so a run cut short keeps what it did.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from gpu_modes import SUMMARY, TRANSLATION  # noqa: E402

SEEDS = {"summary": 2001, "translation": 2002}  # those of models.py
#: mode: (label, dtype, batch size); run in this order (most needed first), each in its own process
MODES = {
    "raw": ("(3) raw batched transformers, length-sorted (the floor)", "bfloat16", 32),
    "hf32": ("(4) digest, HF engine, prefetch on", "bfloat16", 32),
    "naive32": ("(1) naive loop, one text at a time", "float32", 1),
    "hf64": ("(4) digest, HF engine, prefetch on", "bfloat16", 64),
    "naive16": ("(2) naive loop, one text at a time", "bfloat16", 1),
    "hf32-noprefetch": ("(4) digest, HF engine, prefetch off", "bfloat16", 32),
    "ct2": ("(5) digest, CT2 engine", "float16 (CPU: int8)", 32),
}
#: what the modes import beyond torch and transformers (module: wheel to bring along)
EXTRA = {"sentencepiece": "sentencepiece", "google.protobuf": "protobuf", "yaml": "PyYAML", "py3langid": "py3langid",
         "pysbd": "pysbd", "charset_normalizer": "charset-normalizer", "ctranslate2": "ctranslate2",
         "sacremoses": "sacremoses", "joblib": "joblib"}  # transformers uses sacremoses (which needs joblib) if found
#: the tiny models' settings: the same code, a few seconds of work on a CPU
SMOKE = {"summary": {**SUMMARY, "num_beams": 2, "min_new_tokens": 8, "max_new_tokens": 8},
         "translation": {**TRANSLATION, "num_beams": 2, "min_new_tokens": 6, "max_new_tokens": 6}}
WEIGHT_FILES = ("*.safetensors", "*.bin", "BUILD.json")


# -- prepare (here) -------------------------------------------------------------------------------------------


def prepare(folder: Path, tiny: bool, articles: int, wheels: str | None, tiny_models: Path | None = None) -> None:
    """Tokenizer files and configs of both models (not their weights), the articles, and optionally wheels."""
    from models import ensure_models, ensure_tiny_models, make_articles
    from transformers import AutoTokenizer

    from digest.engines.hf import quiet_transformers

    quiet_transformers()  # articles are counted in tokens beyond the window on purpose
    if tiny:
        built = ensure_tiny_models(tiny_models) if tiny_models else ensure_tiny_models()
        sources = {"summary": built["bart"], "translation": built["opus-mt-en-de"]}
    else:
        built = ensure_models()
        sources = {"summary": built["distilbart-cnn-12-6"], "translation": built["opus-mt-en-de"]}
    for name, source in sources.items():
        target = folder / "models" / name
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(*WEIGHT_FILES))
    tokenizer = AutoTokenizer.from_pretrained(folder / "models" / "summary")
    if tiny:
        paths = short_articles(folder / "articles", articles, tokenizer)
    else:
        paths = make_articles(folder / "articles", articles, tokenizer)
    if wheels:
        fetch_wheels(folder / "wheels", wheels)
    info = {"tiny": tiny, "articles": len(paths), "seeds": SEEDS, "prepared": time.strftime("%Y-%m-%d %H:%M UTC",
            time.gmtime()), **(SMOKE if tiny else {"summary": SUMMARY, "translation": TRANSLATION})}
    (folder / "prep.json").write_text(json.dumps(info, indent=1) + "\n")
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    print(f"prepared {folder}: {len(paths)} articles, {size / 1e6:.1f} MB (weights are made on the device)")


def short_articles(folder: Path, n: int, tokenizer, limit: int = 120) -> list[Path]:
    """Articles within the tiny models' 128 positions, so that no mode chunks or truncates."""
    import random

    from models import news_sentences

    sentences = news_sentences()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        pool, picked = sentences[:], []
        random.Random(3000 + i).shuffle(pool)
        for sentence in pool:
            if len(tokenizer(" ".join([*picked, sentence])).input_ids) <= limit:
                picked.append(sentence)
            if len(picked) == 3:
                break
        paths.append(folder / f"article-{i:03d}.txt")
        paths[-1].write_text(f"Short article {i}\n\n{' '.join(picked)}\n", encoding="utf-8")
    return paths


def fetch_wheels(folder: Path, pythons: str) -> None:
    """Wheels of what the modes import beyond torch/transformers, for a device without network (x86-64 Linux;
    `pythons`: e.g. "3.12" or "3.11,3.12", ~50 MB each, mostly ctranslate2)."""
    folder.mkdir(parents=True, exist_ok=True)
    for python in pythons.split(","):
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--python-version", python.strip(), "--platform", "manylinux2014_x86_64", "--platform",
                        "manylinux_2_28_x86_64", "--dest", str(folder), *EXTRA.values()], check=True)


# -- run (on the device) --------------------------------------------------------------------------------------


def materialize(args: argparse.Namespace) -> dict:
    """Full models in WORK/weights: configs + tokenizers from DIR/models, weights drawn from their seeds."""
    import torch
    from transformers import AutoConfig, AutoModelForSeq2SeqLM, GenerationConfig

    from digest.engines.hf import quiet_transformers

    quiet_transformers()
    clock, made = time.monotonic(), []
    for name, seed in SEEDS.items():
        source, target = args.folder / "models" / name, args.work / "weights" / name
        if (target / "model.safetensors").is_file():
            continue
        torch.manual_seed(seed)
        model = AutoModelForSeq2SeqLM.from_config(AutoConfig.from_pretrained(source))
        model.generation_config = GenerationConfig.from_pretrained(source)
        shutil.copytree(source, target, dirs_exist_ok=True)
        model.save_pretrained(target)
        made.append(f"{name}: {sum(p.numel() for p in model.parameters()) / 1e6:.0f}M parameters")
    from gpu_modes import environment

    return {"seconds": round(time.monotonic() - clock, 1), "made": made, "env": environment(args.device)}


def child(mode: str, args: argparse.Namespace) -> dict:
    """One mode: load, warm up, then the timed work; what it did, how fast, and the device's peak memory."""
    from gpu_modes import environment, peak_memory, read_records, setup_for

    from digest.engines.hf import quiet_transformers

    quiet_transformers()
    paths = sorted((args.folder / "articles").glob("*.txt"))
    paths = paths[: args.naive_articles if mode.startswith("naive") else args.articles]
    label, dtype, batch = MODES[mode]
    clock = time.monotonic()
    prep = json.loads((args.folder / "prep.json").read_text())
    gen = {"summary": prep["summary"], "translation": prep["translation"]}
    work = setup_for(mode)(args.work, paths, args.device, dtype, batch, mode, gen)
    if isinstance(work, str):  # the mode cannot run here; the reason is the result
        return {"mode": mode, "skipped": work, "env": environment(args.device)}
    loaded = time.monotonic()
    records = work()
    if args.device.startswith("cuda"):
        import torch

        torch.cuda.synchronize()
    seconds = time.monotonic() - loaded
    return {"mode": mode, "articles": len(paths), "work_s": round(seconds, 2), "load_s": round(loaded - clock, 1),
            "per_minute": round(len(paths) / seconds * 60, 2), "records": read_records(records, paths),
            "peak": peak_memory(args.device), "env": environment(args.device)}


def run(args: argparse.Namespace, modes: list[str]) -> dict:
    """Weights, then every mode in turn (each in its own process unless --in-process), the table after each."""
    started = time.monotonic()
    prep = json.loads((args.folder / "prep.json").read_text())
    args.articles = min(args.articles, prep["articles"])
    args.naive_articles = min(args.naive_articles, prep["articles"])
    args.work.mkdir(parents=True, exist_ok=True)
    site = install_extras(args.folder / "wheels", args.work / "site")
    if args.in_process:  # torch's and CTranslate2's OpenMP pools in one process slow each other down unless pinned
        import torch

        torch.set_num_threads(1)
        os.environ["DIGEST_GPU_BENCH_ONE_THREAD"] = "1"
    report = {"prep": prep, "device": args.device, "budget_s": args.budget_s, "modes": {}}
    if all((args.work / "weights" / name / "model.safetensors").is_file() for name in SEEDS):
        report["weights"] = {"seconds": 0, "made": [], "reused": str(args.work / "weights")}
    else:
        report["weights"] = call("materialize", args, args.budget_s, site)
    for mode in modes:
        left = args.budget_s - (time.monotonic() - started)
        if left < 15:
            report["modes"][mode] = {"mode": mode, "skipped": f"not run: the {args.budget_s:.0f} s budget was spent"}
        else:
            report["modes"][mode] = call(mode, args, left, site)
        r = report["modes"][mode]
        print(f"{mode:16s} " + (r["skipped"] if "skipped" in r else f"{r['articles']} articles in {r['work_s']} s, "
              f"{r['per_minute']}/min, load {r['load_s']} s, {r['peak']}"), flush=True)
        report["seconds"] = round(time.monotonic() - started, 1)
        args.out.write_text(table(report), encoding="utf-8")
        args.out.with_suffix(".json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    return report


def install_extras(wheels: Path, site: Path) -> Path | None:
    """Install the wheels that this Python lacks into `site` (no network, nothing system-wide)."""
    from importlib.util import find_spec

    from packaging.tags import sys_tags
    from packaging.utils import canonicalize_name, parse_wheel_filename

    supported = set(sys_tags())
    missing = {canonicalize_name(wheel) for module, wheel in EXTRA.items() if _missing(module, find_spec)}
    picked = []
    for wheel in sorted(wheels.glob("*.whl")):
        name, _, _, tags = parse_wheel_filename(wheel.name)
        if name in missing and tags & supported:
            picked.append(wheel)
    unmatched = missing - {parse_wheel_filename(w.name)[0] for w in picked}
    if unmatched:
        print(f"not installed here and no wheel for this Python in {wheels}: {', '.join(sorted(unmatched))}",
              flush=True)
    if not picked:
        return site if site.is_dir() else None
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--target",
                           str(site), *map(str, picked)], capture_output=True, text=True)
    print(f"installed into {site}: {', '.join(w.name for w in picked)}"
          + ("" if done.returncode == 0 else f" (pip failed: {done.stderr.strip()[-300:]})"), flush=True)
    sys.path.insert(0, str(site))
    return site


def _missing(module: str, find_spec) -> bool:
    try:
        return find_spec(module) is None
    except ModuleNotFoundError:
        return True


def call(mode: str, args: argparse.Namespace, timeout: float, site: Path | None) -> dict:
    """One mode (or `materialize`) in a fresh interpreter, or here; failures and timeouts become its result."""
    if args.in_process:
        return materialize(args) if mode == "materialize" else child(mode, args)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(HERE.parent / "src"), *([str(site)] if site else []), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    command = [sys.executable, __file__, "child", mode, str(args.folder), "--work", str(args.work), "--device",
               args.device, "--articles", str(args.articles), "--naive-articles", str(args.naive_articles)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"mode": mode, "skipped": f"timed out after {timeout:.0f} s (the run's budget)"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        sys.stderr.write(done.stderr[-3000:])
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1][:200]
        return {"mode": mode, "skipped": f"failed (exit code {done.returncode}): {tail}"}
    return json.loads(lines[-1][7:])


# -- the table ------------------------------------------------------------------------------------------------


def table(report: dict) -> str:
    """Markdown: the card and versions, one row per mode, the ratios the issue asks about."""
    modes = report["modes"]
    done = {m: r for m, r in modes.items() if "skipped" not in r}
    env = next((r["env"] for r in [*modes.values(), report["weights"]] if "env" in r), {})
    prep = report["prep"]
    lines = [
        f"Device: **{env.get('card', '?')}** ({report['device']}"
        + (f", CUDA {env.get('cuda')}, {env.get('gpu_memory_gb')} GiB" if "cuda" in env else "") + f"), "
        f"{env.get('cpus', '?')} CPUs. Python {env.get('python', '?')}, torch {env.get('torch', '?')}, transformers "
        f"{env.get('transformers', '?')}, tokenizers {env.get('tokenizers', '?')}, ctranslate2 "
        f"{env.get('ctranslate2', '?')}. {time.strftime('%Y-%m-%d', time.gmtime())}; the whole run took "
        f"{report.get('seconds', '?')} s (budget {report['budget_s']:.0f} s).",
        "",
        f"Models: {'the tiny test models' if prep['tiny'] else 'distilbart-cnn-12-6 + opus-mt-en-de shapes'}, random "
        f"weights (seeded, made on the device in {report['weights'].get('seconds', '?')} s). Work per article: a "
        f"summary of {prep['summary']['max_new_tokens']} new tokens, its sentences translated into de, fr and es "
        f"({prep['translation']['max_new_tokens']} new tokens each), beams {prep['summary']['num_beams']}.",
        "",
        "| mode | dtype | batch | articles | work s | articles/min | load s | GPU peak (torch) | peak RSS "
        "| records equal to (3)'s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    floor = done.get("raw", {}).get("records", {})
    for mode, r in sorted(modes.items(), key=lambda item: MODES[item[0]][::2]):
        label, dtype, batch = MODES[mode]
        if "skipped" in r:
            lines.append(f"| {label} | {dtype} | {batch} | | | | | | | {r['skipped']} |")
            continue
        same = [k for k, v in r["records"].items() if k in floor]
        equal = sum(r["records"][k] == floor[k] for k in same)
        gpu = f"{r['peak']['gpu_peak_mb']} MB" if "gpu_peak_mb" in r["peak"] else "n/a"
        if mode == "ct2" and "gpu_in_use_mb" in r["peak"]:
            gpu = f"n/a (device in use at end: {r['peak']['gpu_in_use_mb']} MB)"
        lines.append(f"| {label} | {dtype} | {batch} | {r['articles']} | {r['work_s']} | **{r['per_minute']}** | "
                     f"{r['load_s']} | {gpu} | {r['peak']['rss_peak_mb']} MB | "
                     f"{f'{equal}/{len(same)}' if floor else 'n/a'} |")
    lines += ["", "| ratio (articles/min) | measured | target |", "|---|---:|---|"]
    for name, a, b, target in RATIOS:
        if {a, b} <= set(done):
            value = done[a]["per_minute"] / done[b]["per_minute"]
            lines.append(f"| {name} | **{value:.2f}** | {target} |")
        else:
            lines.append(f"| {name} | not measured | {target} |")
    return "\n".join(lines) + "\n"


RATIOS = [
    ("(4) digest HF bf16, batch 32 / (3) raw floor", "hf32", "raw", "≥ 0.90"),
    ("(4) digest HF bf16, batch 64 / (3) raw floor", "hf64", "raw", "≥ 0.90"),
    ("(4) digest HF bf16, batch 32 / (1) naive float32", "hf32", "naive32", "≥ 10"),
    ("(4) digest HF bf16, batch 64 / (1) naive float32", "hf64", "naive32", "≥ 10"),
    ("(4) prefetch on / off, batch 32", "hf32", "hf32-noprefetch", ""),
    ("(2) naive bfloat16 / (1) naive float32", "naive16", "naive32", ""),
    ("(3) raw floor / (1) naive float32", "raw", "naive32", ""),
    ("(5) digest CT2 / (3) raw floor", "ct2", "raw", ""),
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare", help="tokenizers, configs and articles into DIR (run where the models are built)")
    p.add_argument("folder", type=Path)
    p.add_argument("--tiny", action="store_true", help="the tiny test models (for a CPU smoke run)")
    p.add_argument("--tiny-models", type=Path, help="an existing folder of digest.testing.tiny_models models")
    p.add_argument("--articles", type=int, default=128)
    p.add_argument("--wheels", metavar="PYTHON", help="also download wheels for this Python version, e.g. 3.12")
    r = sub.add_parser("run", help="make the weights, run every mode, write the table (on the device)")
    c = sub.add_parser("child")
    c.add_argument("mode")
    for q in (r, c):
        q.add_argument("folder", type=Path)
        q.add_argument("--work", type=Path, help="weights, CTranslate2 conversions, outputs (default: DIR)")
        q.add_argument("--device", default="cuda")
        q.add_argument("--articles", type=int, default=128, help="articles of the batched modes")
        q.add_argument("--naive-articles", type=int, default=8, help="articles of the naive modes")
    r.add_argument("--out", type=Path, required=True, help="markdown table (a .json with every record beside it)")
    r.add_argument("--modes", default=",".join(MODES), help=f"comma-separated, of {', '.join(MODES)}")
    r.add_argument("--budget-s", type=float, default=330, help="modes that would start after this are skipped")
    r.add_argument("--in-process", action="store_true", help="no process per mode (the CPU smoke test)")
    args = parser.parse_args(argv)
    if args.command == "prepare":
        return prepare(args.folder, args.tiny, args.articles, args.wheels, args.tiny_models)
    args.work = args.work or args.folder
    if args.command == "child":
        args.in_process = True
        result = materialize(args) if args.mode == "materialize" else child(args.mode, args)
        print("RESULT " + json.dumps(result, ensure_ascii=False), flush=True)
        return None
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown or not (args.folder / "prep.json").is_file():
        parser.error(f"unknown mode(s) {unknown}" if unknown else f"{args.folder}: not prepared (no prep.json)")
    run(args, modes)
    return None


if __name__ == "__main__":
    main()
