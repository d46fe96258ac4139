"""The modes of gpu.py: each loads its models and warms them up, then returns the work that gpu.py times.

A setup returns a string instead of work when the mode cannot run on this machine (the string says why).
"""

from __future__ import annotations

import os
import platform
import resource
from collections.abc import Callable
from pathlib import Path

from models import read_body

TARGETS = ["de", "fr", "es"]
#: the issue's fixed output lengths; prepare --tiny writes shorter ones into prep.json (the CPU smoke run)
SUMMARY = {"num_beams": 4, "min_new_tokens": 60, "max_new_tokens": 60, "no_repeat_ngram_size": 3,
           "length_penalty": 2.0}
TRANSLATION = {"num_beams": 4, "min_new_tokens": 48, "max_new_tokens": 48}
WARM_UP = {"num_beams": 4, "max_new_tokens": 4}
Work = Callable[[], list[dict]]


def weights(folder: Path) -> dict[str, Path]:
    return {name: (folder / "weights" / name).resolve() for name in ("summary", "translation")}


def _load(folder: Path, device: str, dtype: str) -> tuple:
    """Both tokenizers and both models, on `device` in `dtype`, warmed up (first CUDA calls pick kernels)."""
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    paths = weights(folder)
    tok, mt_tok = (AutoTokenizer.from_pretrained(paths[k]) for k in ("summary", "translation"))
    model, mt = (AutoModelForSeq2SeqLM.from_pretrained(paths[k], dtype=getattr(torch, dtype)).to(device).eval()
                 for k in ("summary", "translation"))
    with torch.inference_mode():
        for t, m in ((tok, model), (mt_tok, mt)):
            m.generate(**t(["A short sentence to warm up the model."], return_tensors="pt").to(device), **WARM_UP)
    return tok, mt_tok, model, mt


def setup_naive(folder: Path, paths: list[Path], device: str, dtype: str, batch: int, mode: str, gen: dict) -> Work:
    """What most users write: `.to(device)`, then per article generate, split, translate sentence by sentence."""
    import torch

    from digest.nlp.text import split_sentences  # the same sentences as digest, so the same work

    tok, mt_tok, model, mt = _load(folder, device, dtype)

    def work() -> list[dict]:
        records = []
        with torch.inference_mode():
            for path in paths:
                inputs = tok(read_body(path), truncation=True, return_tensors="pt").to(device)
                summary = tok.decode(model.generate(**inputs, **gen["summary"])[0], skip_special_tokens=True).strip()
                record = {"summary": summary}
                for lang in TARGETS:
                    parts = []
                    for sentence in split_sentences(summary, "en"):
                        ids = mt.generate(**mt_tok(sentence, truncation=True, return_tensors="pt").to(device),
                                          **gen["translation"])
                        parts.append(mt_tok.decode(ids[0], skip_special_tokens=True).strip())
                    record[lang] = " ".join(parts)
                records.append(record)
        return records

    return work


def setup_raw(folder: Path, paths: list[Path], device: str, dtype: str, batch: int, mode: str, gen: dict) -> Work:
    """transformers alone, batched: texts sorted by length (as digest's engine sorts them), `batch` per call,
    every sentence of every summary translated together per language.  No digest code but the splitter."""
    import torch

    from digest.nlp.text import split_sentences

    tok, mt_tok, model, mt = _load(folder, device, dtype)

    def batched(tokenizer, m, texts: list[str], settings: dict) -> list[str]:
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
        out = [""] * len(texts)
        for start in range(0, len(order), batch):
            chunk = order[start : start + batch]
            inputs = tokenizer([texts[i] for i in chunk], padding=True, truncation=True, return_tensors="pt")
            decoded = tokenizer.batch_decode(m.generate(**inputs.to(device), **settings), skip_special_tokens=True)
            for i, text in zip(chunk, decoded, strict=True):
                out[i] = text.strip()
        return out

    def work() -> list[dict]:
        with torch.inference_mode():
            summaries = batched(tok, model, [read_body(p) for p in paths], gen["summary"])
            sentences = [split_sentences(s, "en") for s in summaries]
            flat = [s for group in sentences for s in group]
            records = [{"summary": s} for s in summaries]
            for lang in TARGETS:
                texts = iter(batched(mt_tok, mt, flat, gen["translation"]))
                for record, group in zip(records, sentences, strict=True):
                    record[lang] = " ".join(next(texts) for _ in group)
        return records

    return work


def preload_cuda12_libraries() -> list[str]:
    """CTranslate2's wheels dlopen CUDA 12's cuBLAS (and cuDNN 9); where they came as pip packages (nvidia-*-cu12,
    e.g. with a CUDA 12 torch) they are not on the library path, so load them by full path first."""
    import ctypes
    import sys

    loaded = []
    for folder in map(Path, sys.path):
        for pattern in ("nvidia/cublas/lib/libcublasLt.so.12", "nvidia/cublas/lib/libcublas.so.12",
                        "nvidia/cudnn/lib/libcudnn.so.9"):
            for lib in folder.glob(pattern):
                try:
                    ctypes.CDLL(str(lib), mode=ctypes.RTLD_GLOBAL)
                    loaded.append(lib.name)
                except OSError:
                    continue
    return loaded


def ct2_unavailable(device: str) -> str | None:
    """Why CTranslate2 cannot run on `device` here, or None."""
    if device.startswith("cuda"):
        preload_cuda12_libraries()
    try:
        import ctranslate2
    except ImportError as exc:
        return f"ctranslate2 is not installed ({exc})"
    if device.startswith("cuda"):
        try:
            count = ctranslate2.get_cuda_device_count()
        except Exception as exc:  # a wheel built for another CUDA says so here
            return f"ctranslate2 {ctranslate2.__version__}: CUDA did not load ({_line(exc)})"
        if count == 0:
            return (f"ctranslate2 {ctranslate2.__version__} sees no CUDA device (its wheels need a CUDA 12 driver and "
                    "cuBLAS 12; get_cuda_device_count() returned 0)")
    return None


def setup_digest(folder: Path, paths: list[Path], device: str, dtype: str, batch: int, mode: str,
                 gen: dict) -> Work | str:
    """The library as documented: one Digester, models loaded once, `run(paths, out)`."""
    from digest import Digester
    from digest.engines.hf import HFEngine

    engine = "ct2" if mode.startswith("ct2") else "hf"
    if engine == "ct2" and (reason := ct2_unavailable(device)):
        return reason
    HFEngine.prefetch = not mode.endswith("noprefetch")
    models = weights(folder)
    os.environ.setdefault("DIGEST_CACHE", str(folder / "ct2-cache"))  # CTranslate2 conversions (before the clock)
    threads = {"threads": 1} if os.environ.get("DIGEST_GPU_BENCH_ONE_THREAD") else {}
    digester = Digester.from_config(
        None, progress=False, engine=engine, device=device, batch_size=batch, summary_model=str(models["summary"]),
        translation_models={lang: str(models["translation"]) for lang in TARGETS}, targets=TARGETS,
        **({"dtype": dtype} if engine == "hf" else {}), **threads,
        **{"faithfulness.loops": False,  # random weights loop on every input: time the bare models
           "summarizer.generation": gen["summary"], "translation.generation": gen["translation"]},
    )
    out = folder / "out" / mode
    try:  # one article through the whole library first: models, lazy imports, language detection, CUDA kernels
        digester.summarizer  # noqa: B018 - built before the clock
        for lang in TARGETS:
            digester.translator.route("en", lang)
        warm = digester.run(paths[:1], folder / "out" / f"{mode}-warm-up", force=True)
        assert warm.counts["ok"] == 1, warm.manifest
    except Exception as exc:
        if engine != "ct2":
            raise
        return f"the CT2 engine did not run on {device}: {_line(exc)}"

    def work() -> list[dict]:
        result = digester.run(paths, out, force=True)
        assert result.counts["ok"] == len(paths), result.manifest
        by_id = {d["id"]: d["summaries"] for d in result.digests}
        return [{"summary": by_id[p.stem]["en"], **{t: by_id[p.stem][t] for t in TARGETS}} for p in paths]

    return work


def setup_for(mode: str) -> Callable:
    """naive32 → setup_naive, hf32-noprefetch → setup_digest, ..."""
    for prefix, setup in (("naive", setup_naive), ("raw", setup_raw), ("hf", setup_digest), ("ct2", setup_digest)):
        if mode.startswith(prefix):
            return setup
    raise ValueError(f"unknown mode {mode!r}")


def peak_memory(device: str) -> dict:
    """Peak memory torch allocated on the GPU (CTranslate2's own allocations are not in it), and peak RSS."""
    memory = {"rss_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}
    if device.startswith("cuda"):
        import torch

        free, total = torch.cuda.mem_get_info()
        memory.update(gpu_peak_mb=round(torch.cuda.max_memory_allocated() / 2**20),
                      gpu_in_use_mb=round((total - free) / 2**20))
    return memory


def environment(device: str) -> dict:
    """The card and the versions, for the table."""
    from importlib import metadata

    import torch

    env = {"python": platform.python_version(), "cpus": os.cpu_count(), "device": device}
    for package in ("torch", "transformers", "tokenizers", "ctranslate2"):
        try:
            env[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            env[package] = "not installed"
    if device.startswith("cuda"):
        env.update(card=torch.cuda.get_device_name(device), cuda=torch.version.cuda,
                   gpu_memory_gb=round(torch.cuda.get_device_properties(device).total_memory / 2**30, 1))
    else:
        env["card"] = platform.processor() or platform.machine()
    return env


def read_records(records: list[dict], paths: list[Path]) -> dict[str, dict]:
    return {path.stem: record for path, record in zip(paths, records, strict=True)}


def _line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
