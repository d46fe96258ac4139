"""How well digest reads article text from HTML: Zyte's (Scrapinghub's) article extraction benchmark.

181 real pages (`../shared/web/article-extraction-benchmark`: html/<id>.html.gz, ground-truth.json with each
page's gold `articleBody`). Scored as that benchmark scores: the text is lower-cased and split into word tokens
(`\\w+`), shingles are the 4-grams of tokens (a multiset), and per page precision = shared shingles / extracted
shingles, recall = shared / gold (an empty extraction scores 0 and 0); precision and recall are averaged over the
pages and F1 is their harmonic mean. digest's text (the HTML reader as `digest run` uses it, cleaning included)
is scored next to `trafilatura.extract` with its defaults, on the even and the odd half of the sorted ids
(rules are tuned on the even half; the odd half is the held-out figure). The ground truth carries no title,
author, date or site, only each page's URL: metadata is reported as how often each field is found, and the date
is checked against the date in the URL where the URL has one (/2019/11/18/, 2019-11-18).

    python benchmarks/extraction.py [--data ../shared/web/article-extraction-benchmark] [--json out.json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

from digest.inputs.article import Problem
from digest.inputs.formats import parse_text

_TOKEN = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, n: int = 4) -> Counter:
    tokens = _TOKEN.findall(text.lower())
    return Counter(tuple(tokens[i:i + n]) for i in range(max(len(tokens) - n + 1, 0)))


def precision_recall(predicted: str, gold: str) -> tuple[float, float]:
    pred, true = shingles(predicted), shingles(gold)
    shared = sum((pred & true).values())
    precision = shared / sum(pred.values()) if pred else 0.0
    recall = shared / sum(true.values()) if true else 0.0
    return precision, recall


_URL_DATE = re.compile(r"/(20\d\d)[/-](\d\d)[/-](\d\d)(?:/|\b)")
_FIELDS = ("title", "author", "date", "site")


def digest_text(html: str) -> str:
    item = parse_text(html, source="page.html", fallback_id="page", fmt="html")[0]
    return "" if isinstance(item, Problem) else item.text


def trafilatura_text(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html) or ""


def digest_metadata(html: str) -> dict:
    item = parse_text(html, source="page.html", fallback_id="page", fmt="html")[0]
    if isinstance(item, Problem):
        return {}
    return {"title": item.title, "author": item.meta.get("author"), "date": item.meta.get("date"),
            "site": item.meta.get("sitename")}


def trafilatura_metadata(html: str) -> dict:
    import trafilatura

    doc = trafilatura.bare_extraction(html, with_metadata=True)
    data = doc.as_dict() if doc is not None else {}
    return {"title": data.get("title"), "author": data.get("author"), "date": data.get("date"),
            "site": data.get("sitename")}


def score_metadata(pages: list[tuple[str, str, str, str]], read: Callable[[str], dict]) -> dict:
    """Per field, the share of pages where it is found; for the date, also how many of the pages with a date in
    their URL get that day."""
    found = dict.fromkeys(_FIELDS, 0)
    dated = same = near = 0
    for _, html, _, url in pages:
        meta = read(html)
        for field in _FIELDS:
            found[field] += bool(meta.get(field))
        if match := _URL_DATE.search(url):
            dated += 1
            day = date(*map(int, match.groups()))
            try:
                got = date.fromisoformat(str(meta.get("date") or "")[:10])
            except ValueError:
                continue
            same += got == day
            near += abs((got - day).days) <= 1  # a UTC timestamp of an evening story is the next day
    out: dict = {f"{field} found": round(100 * n / len(pages), 1) for field, n in found.items()}
    out["date = URL date"] = f"{same}/{dated}"
    out["date within a day of it"] = f"{near}/{dated}"
    return out


def score(pages: list[tuple[str, str, str, str]], extract: Callable[[str], str]) -> dict:
    precisions, recalls = [], []
    for _, html, gold, _ in pages:
        p, r = precision_recall(extract(html), gold)
        precisions.append(p)
        recalls.append(r)
    p, r = statistics.mean(precisions), statistics.mean(recalls)
    return {"precision": round(100 * p, 1), "recall": round(100 * r, 1),
            "f1": round(100 * 2 * p * r / (p + r), 1) if p + r else 0.0, "pages": len(pages)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "web"
                        / "article-extraction-benchmark")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    truth = json.loads((args.data / "ground-truth.json").read_text("utf-8"))
    pages = [(pid, gzip.decompress((args.data / "html" / f"{pid}.html.gz").read_bytes()).decode("utf-8", "replace"),
              truth[pid]["articleBody"], truth[pid].get("url", "")) for pid in sorted(truth)]
    halves = {"even (tuning)": pages[0::2], "odd (held out)": pages[1::2], "all": pages}
    results: dict = {}
    for name, extract in (("digest", digest_text), ("trafilatura.extract", trafilatura_text)):
        started = time.monotonic()
        results[name] = {half: score(subset, extract) for half, subset in halves.items() if half != "all"}
        results[name]["all"] = score(pages, extract)
        results[name]["seconds"] = round(time.monotonic() - started, 1)
    for name, read in (("digest", digest_metadata), ("trafilatura.bare_extraction", trafilatura_metadata)):
        results[name + " metadata"] = score_metadata(pages, read)
    for name, by_half in results.items():
        print(name, json.dumps(by_half))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
