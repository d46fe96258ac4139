"""The cost of keeping manifest.jsonl after each wave of a run, with a big OUT: rewritten whole (the old way) or
appended (the journal).

    python benchmarks/manifest.py                       # 200,000 lines in OUT, 20 waves of 32; ~1 min
    python benchmarks/manifest.py --lines 1000 20000 200000 --waves 10

Entries are synthetic (what each wave did is not the point, only how much is written): OUT's manifest holds
`--lines` entries, then a run of `--waves` waves of 32 articles keeps its state after each wave, as
`Digester.run` does, and once more at the end. "rewrite" is the state keeping that ran before the journal
(the whole manifest and last-run.jsonl replaced after every wave), kept here as the baseline; "append" is
`Store.write_state`. Both write through the same atomic, fsynced files. Outputs go to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from digest.output.store import LAST_RUN_NAME, Store  # noqa: E402
from digest.records import ManifestEntry  # noqa: E402

RESULTS = HERE / "results" / "manifest"
WAVE = 32
ATTEMPTED = "2026-12-02T00:00:00+00:00"


def _entry(n: int, status: str = "ok") -> ManifestEntry:
    return ManifestEntry(f"article-{n:07d}", status, f"/srv/feeds/2026/11/article-{n:07d}.html", flags=n % 3,
                         attempted="2026-11-30T10:00:00+00:00")


def rewrite_per_wave(store: Store, previous: dict, entries: list[ManifestEntry]) -> None:
    """The state keeping before the journal: the whole manifest and last-run.jsonl rewritten after every wave."""
    state = dict(previous)
    for entry in entries:
        entry.attempted = entry.attempted or ATTEMPTED
        state[entry.id, entry.source] = entry
    store.write_manifest(state.values())
    store.write_manifest(entries, LAST_RUN_NAME)


def one_run(out: Path, lines: int, waves: int, mode: str) -> tuple[list[float], float, float]:
    """(seconds per wave, seconds at the end of the run, seconds reading the manifest at the start)."""
    if out.exists():
        shutil.rmtree(out)
    Store(out).write_manifest(_entry(n) for n in range(lines))
    store = Store(out)
    started = time.perf_counter()
    previous = store.read_manifest()
    read = time.perf_counter() - started
    entries: list[ManifestEntry] = []
    per_wave = []
    for wave in range(waves):  # new articles beyond the old ones, as a cron run adds them
        entries += [_entry(lines + wave * WAVE + i) for i in range(WAVE)]
        started = time.perf_counter()
        if mode == "rewrite":
            rewrite_per_wave(store, previous, entries)
        else:
            store.write_state(previous, entries, ATTEMPTED, final=False)
        per_wave.append(time.perf_counter() - started)
    started = time.perf_counter()
    if mode == "rewrite":
        rewrite_per_wave(store, previous, entries)
    else:
        store.write_state(previous, entries, ATTEMPTED)
    end = time.perf_counter() - started
    state = Store(out).read_manifest()
    assert len(state) == lines + waves * WAVE, (mode, len(state))
    return per_wave, end, read


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, nargs="+", default=[200_000])
    parser.add_argument("--waves", type=int, default=20)
    args = parser.parse_args()
    print("| manifest lines in OUT | state kept by | per wave (median) | end of run | read at start |")
    print("|---:|---|---:|---:|---:|")
    for lines in args.lines:
        for mode in ("rewrite", "append"):
            per_wave, end, read = one_run(RESULTS / f"{mode}-{lines}", lines, args.waves, mode)
            print(f"| {lines:,} | {mode} | {statistics.median(per_wave) * 1000:,.1f} ms | {end * 1000:,.1f} ms "
                  f"| {read * 1000:,.0f} ms |", flush=True)
    shutil.rmtree(RESULTS, ignore_errors=True)


if __name__ == "__main__":
    main()
