"""The cost of a run that adds one article, with 1,000, 10,000 and 100,000 records already in OUT.

    python benchmarks/editions.py                        # 1k, 10k, 100k; ~10 min on 2 cores, ~1 GB on disk
    python benchmarks/editions.py --sizes 1000 10000 --repeats 5 --full-render
    python benchmarks/editions.py --clusters 10000 100000   # story clustering time only (no OUT)

Records are synthetic (the models are not the point): 100 articles a day with a date, outlet, URL, author,
headlines and summaries in en/de/fr, written straight into OUT/articles/ as the pipeline writes them. The
editions are then built once (`publish` on an OUT without editions, timed apart as the one-off migration).
The measured run is what `Digester.run` does after the models: save one new record dated on the newest day and
`publish` it (default settings: daily editions, md + html + Atom per language, the latest edition copied to
OUT/, OUT/index.html). `--full-render` also times what the digest did before editions: read every record and
render one page per language and format from all of them. Outputs go to benchmarks/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from digest.config import OutputConfig  # noqa: E402
from digest.output.editions import publish  # noqa: E402
from digest.output.render import RENDERERS  # noqa: E402
from digest.output.store import Store  # noqa: E402

RESULTS = HERE / "results" / "editions"
PER_DAY = 100
LANGS = ["de", "fr"]
LAST_DAY = date(2026, 11, 27)
OUTLETS = ["The Guardian", "ZEIT ONLINE", "Le Monde", "phys.org", "Reuters", "El País", "la Repubblica"]
_WORDS = ["port", "strike", "council", "budget", "storm", "vote", "minister", "court", "climate", "rail", "union",
          "deal", "city", "police", "market", "energy", "school", "hospital", "election", "report", "study", "water",
          "price", "bank", "tax", "farmers", "border"]


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n)).capitalize() + "."


def record(n: int, day: date, rng: random.Random) -> dict:
    """One synthetic article record with the fields the pipeline writes (text ~250 words)."""
    outlet = rng.choice(OUTLETS)
    when = datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), tzinfo=timezone.utc)
    return {
        "id": f"a{n:06d}", "title": _words(rng, 8), "titles": {lang: _words(rng, 8) for lang in LANGS},
        "source": f"/srv/feeds/{n}.html", "language": "en", "text": " ".join(_words(rng, 25) for _ in range(10)),
        "summaries": {lang: _words(rng, 50) for lang in ("en", *LANGS)}, "chunks": 1,
        "models": {"summary": "synthetic"}, "flags": {"de": ["number not in the source: 12"]} if n % 9 == 0 else {},
        "meta": {"format": "html", "sitename": outlet, "url": f"https://news.example/{n}",
                 "date": when.isoformat(), "author": f"Reporter {n % 97}"},
        "created": (when + timedelta(minutes=5)).isoformat(), "cache_key": f"k{n}", "format": 1,
    }


def fill(out: Path, size: int) -> None:
    """`size` records, PER_DAY per day ending on LAST_DAY, written directly (no atomic writes: it is set-up)."""
    if out.exists():
        shutil.rmtree(out)
    (out / "articles").mkdir(parents=True)
    rng = random.Random(size)
    for n in range(size):
        day = LAST_DAY - timedelta(days=(size - 1 - n) // PER_DAY)
        (out / "articles" / f"a{n:06d}.json").write_text(json.dumps(record(n, day, rng), ensure_ascii=False),
                                                         encoding="utf-8")


def full_render(store: Store, formats: list[str]) -> None:
    """The digest before editions: every record read, every language's page rendered from all of them."""
    records = list(store.records())
    for lang in sorted({lang for r in records for lang in r["summaries"]}):
        for fmt in formats:
            store.write_text(f"digest.{lang}.{fmt}", RENDERERS[fmt](records, lang))


def measure(size: int, repeats: int, with_full: bool) -> dict:
    out = RESULTS / f"n{size}"
    t0 = time.perf_counter()
    fill(out, size)
    filled = time.perf_counter() - t0
    store, config = Store(out), OutputConfig()
    t0 = time.perf_counter()
    publish(store, [], config, languages=LANGS)
    built = time.perf_counter() - t0
    rng = random.Random(-size)
    runs, cpu, files = [], [], 0
    for k in range(repeats):
        new = record(size + k, LAST_DAY, rng)
        t0, c0 = time.perf_counter(), time.process_time()
        store.save(new)
        files = len(publish(store, [new], config, languages=LANGS))
        runs.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    row = {"records": size, "editions": len(list((out / "editions").glob("2*"))), "fill_s": round(filled, 1),
           "build_s": round(built, 1), "one_new_ms": [round(r * 1000, 1) for r in runs],
           "one_new_median_ms": round(statistics.median(runs) * 1000, 1),
           "one_new_cpu_median_ms": round(statistics.median(cpu) * 1000, 1), "files_written": files}
    if with_full:
        t0 = time.perf_counter()
        full_render(store, config.formats)
        row["full_render_s"] = round(time.perf_counter() - t0, 2)
    print(json.dumps(row), flush=True)
    return row


def time_clusters(size: int) -> dict:
    """cluster_ids on `size` synthetic article texts, 1 in 100 of them a lightly edited copy of another."""
    from digest.output.clusters import cluster_ids

    rng = random.Random(size)
    texts = [(f"a{n:06d}", record(n, LAST_DAY, rng)["text"]) for n in range(size)]
    for n in range(0, size, 100):
        words = texts[n][1].split()
        words[rng.randrange(len(words))] = "edited"
        texts.append((f"copy{n:06d}", " ".join(words)))
    t0 = time.perf_counter()
    ids = cluster_ids(texts)
    seconds = time.perf_counter() - t0
    found = sum(1 for n in range(0, size, 100) if ids[f"copy{n:06d}"] == ids[f"a{n:06d}"])
    row = {"articles": len(texts), "cluster_s": round(seconds, 1), "copies_found": found,
           "copies": len(range(0, size, 100)), "clusters": len(set(ids.values()))}
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--full-render", action="store_true", help="also time rendering every record (old way)")
    parser.add_argument("--keep", action="store_true", help="keep the OUT folders in benchmarks/results/editions")
    parser.add_argument("--clusters", type=int, nargs="+", help="only time story clustering on this many texts")
    args = parser.parse_args()
    if args.clusters:
        for size in args.clusters:
            time_clusters(size)
        return
    rows = [measure(size, args.repeats, args.full_render) for size in args.sizes]
    base = rows[0]["one_new_median_ms"]
    for row in rows:
        print(f"{row['records']:>7} records, {row['editions']:>5} editions: one new article "
              f"{row['one_new_median_ms']:>7.1f} ms median ({row['one_new_median_ms'] / base:.2f}× the smallest), "
              f"CPU {row['one_new_cpu_median_ms']:.1f} ms"
              + (f", full render {row['full_render_s']} s" if "full_render_s" in row else ""))
    (RESULTS / "results.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    if not args.keep:
        for size in args.sizes:
            shutil.rmtree(RESULTS / f"n{size}", ignore_errors=True)


if __name__ == "__main__":
    main()
