"""benchmarks/gpu.py on the tiny models on the CPU, every mode, so that the one-command GPU run cannot rot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "gpu.py"


@pytest.mark.slow
def test_the_gpu_benchmark_runs_every_mode_on_tiny_models(models_root, tmp_path):
    sys.path.insert(0, str(SCRIPT.parent))
    from gpu import MODES, main

    folder, table = tmp_path / "prepared", tmp_path / "table.md"
    main(["prepare", str(folder), "--tiny", "--tiny-models", str(models_root), "--articles", "2"])
    assert not list((folder / "models").rglob("*.safetensors")), "the prepared folder carries no weights"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "HF_HUB_OFFLINE": "1", "DIGEST_CACHE": str(tmp_path / "c")}
    done = subprocess.run([sys.executable, str(SCRIPT), "run", str(folder), "--device", "cpu", "--in-process",
                           "--naive-articles", "1", "--out", str(table)], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(table.with_suffix(".json").read_text())

    modes = report["modes"]
    assert list(modes) == list(MODES)
    skipped = {m: r["skipped"] for m, r in modes.items() if "skipped" in r}
    assert set(skipped) <= {"ct2"} and all("ctranslate2 is not installed" in s for s in skipped.values()), skipped
    for mode, r in modes.items():
        if mode in skipped:
            continue
        assert r["articles"] == (1 if mode.startswith("naive") else 2)
        # work_s is rounded to 0.01 s in the report: the rate must lie within that rounding of articles / work_s
        low, high = (r["articles"] / (r["work_s"] + d) * 60 for d in (0.005, -0.005))
        assert r["work_s"] > 0 and low * 0.99 <= r["per_minute"] <= high * 1.01
        assert r["peak"]["rss_peak_mb"] > 50 and r["env"]["device"] == "cpu"
        assert all(set(record) == {"summary", "de", "fr", "es"} for record in r["records"].values())
    floor = modes["raw"]["records"]
    for mode in ("hf32", "hf64", "hf32-noprefetch"):  # digest's HF engine does the floor's work, prefetch or not
        assert modes[mode]["records"] == floor, mode
    text = table.read_text()
    again = subprocess.run([sys.executable, str(SCRIPT), "run", str(folder), "--device", "cpu", "--modes", "naive32",
                            "--naive-articles", "1", "--out", str(tmp_path / "again.md")], capture_output=True,
                           text=True, env=env, timeout=300)
    assert again.returncode == 0, again.stderr[-2000:]
    alone = json.loads((tmp_path / "again.json").read_text())["modes"]["naive32"]  # in its own process
    assert alone["records"] == modes["naive32"]["records"] and alone["work_s"] > 0
    for label, dtype, batch in MODES.values():
        assert f"| {label} | {dtype} | {batch} |" in text
    assert "(4) prefetch on / off, batch 32 | **" in text and "not measured" not in text.replace(
        "(5) digest CT2 / (3) raw floor | not measured", "")
