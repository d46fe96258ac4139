"""`digest eval`: score a finished output folder against reference summaries and translations.

ROUGE-1/2/L and ROUGE-Lsum for summaries (rouge-score, the implementation the CNN/DM numbers of the default models
were measured with; Lsum on newline-separated sentences, as published CNN/DM figures are), corpus chrF and BLEU per
target language (sacrebleu), and the share of articles whose summary passes the faithfulness checks. English ROUGE
uses rouge-score's own tokenizer and Porter stemmer; other languages use Unicode words (the default tokenizer keeps
only [a-z0-9], so "société" would score as "soci t"). A Lead-k baseline (the first k sentences of each article's
text) can be scored on the same articles. Scoring libraries are the optional extra `digest[eval]`, imported only here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..errors import EvalExtraMissing
from ..nlp.checks import check_summary
from ..nlp.language import NLLB_CODES, normalize
from ..nlp.text import decode_bytes
from ..safeio import OutDir

ROUGE_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")
ROUGE_LABELS = {"rouge1": "ROUGE-1", "rouge2": "ROUGE-2", "rougeL": "ROUGE-L", "rougeLsum": "ROUGE-Lsum"}
TOKENIZERS = {"en": "rouge-score default ([a-z0-9]+, Porter stemmer)",
              "other": "Unicode words, lower-cased, no stemmer"}
_BASELINE = re.compile(r"lead-([1-9][0-9]*)")
_NOT_LANGUAGES = {"id", "summary", "translations"}  # "id" is the article id here, not Indonesian


def load_references(path: Path) -> dict[str, dict[str, str]]:
    """Read references: article id -> {"summary": ..., "de": ..., ...}.

    Accepts a JSON object keyed by id, a JSON list or JSONL of objects with "id", or a folder of <id>.json files.
    Each entry has "summary" and/or "translations": {"de": ...} (or the languages as keys). Errors name the file.
    """
    path = Path(path)
    if path.is_dir():
        refs: dict[str, dict[str, str]] = {}
        files = sorted(path.glob("*.json"))
        if not files:
            raise ValueError(f"{path}: folder has no <id>.json reference files")
        for file in files:
            data = _read_json(file)
            if not isinstance(data, dict):
                raise ValueError(f"{file}: expected a JSON object, got {type(data).__name__}")
            ident = str(data.get("id", file.stem))
            refs[ident] = _entry(data, f"{file}")
        return refs
    if not path.is_file():
        raise ValueError(f"{path}: no such reference file or folder")
    text = _read_text(path)
    if path.suffix.lower() == ".jsonl":
        rows = []
        for n, line in enumerate(text.splitlines(), 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not valid JSON ({exc.msg})") from None
        return _from_list(rows, path)
    data = _read_json(path, text)
    if isinstance(data, list):
        return _from_list(data, path)
    if isinstance(data, dict):
        if "id" in data and ("summary" in data or "translations" in data):
            return _from_list([data], path)
        if not data:
            raise ValueError(f"{path}: no references in it")
        return {str(k): _entry(v if isinstance(v, dict) else {"summary": v}, f"{path}: {k}") for k, v in data.items()}
    raise ValueError(f"{path}: expected a JSON object or list, got {type(data).__name__}")


def evaluate(out_dir: Path, references: dict[str, dict[str, str]], source: str | Path = "references",
             baseline: str | None = None) -> dict:
    """Score every article of `out_dir` that has a reference; references without output are listed as missing.

    `baseline` ("lead-3") also scores the first k sentences of each evaluated article's text against the same
    references, so the configured summarizer can be read against the newsroom baseline. Raises ValueError, naming
    `source` (where the references came from), when no reference matches any article: all-zero scores would look
    like a result, and for a baseline that is not lead-K.
    """
    lead = _lead_k(baseline)
    rouge_scorer, sacrebleu = _libraries()
    outputs = {}
    fs = OutDir(out_dir)
    for name in fs.names("articles", "*.json"):  # regular files only, never read through a link
        file = Path(out_dir) / "articles" / name
        try:
            text = fs.read_text(file)
        except (OSError, UnicodeDecodeError):
            continue
        data = _read_json(file, text)
        if isinstance(data, dict):
            outputs[str(data.get("id", file.stem))] = data
    if not set(references) & set(outputs):
        raise ValueError(_no_match(out_dir, references, outputs, source))
    scorers: dict[bool, Any] = {}
    rouge: dict[str, list[float]] = {t: [] for t in ROUGE_TYPES}
    lead_rouge: dict[str, list[float]] = {t: [] for t in ROUGE_TYPES}
    words: dict[str, list[int]] = {"summary": [], "baseline": []}
    languages: set[str] = set()
    pairs: dict[str, tuple[list[str], list[str]]] = {}
    absent: dict[str, int] = {}  # per language: referenced articles whose output lacks that translation
    evaluated = faithful = 0
    for ident, ref in references.items():
        article = outputs.get(ident)
        if article is None:
            continue
        evaluated += 1
        language = normalize(article.get("language") or "en")
        summaries = article.get("summaries") or {}
        summary = summaries.get(language, "")
        reference = ref.get("summary") or ref.get(language)
        if reference:
            english = language == "en"
            if english not in scorers:  # Porter stemming and the a-z tokenizer only suit English
                scorers[english] = rouge_scorer.RougeScorer(
                    list(ROUGE_TYPES), use_stemmer=english, tokenizer=None if english else _Tokenizer())
            languages.add(language)
            reference = _lines(reference, language)
            scores = scorers[english].score(reference, _lines(summary, language))
            for t in ROUGE_TYPES:
                rouge[t].append(scores[t].fmeasure)
            words["summary"].append(len(summary.split()))
            if lead:
                sentences = _sentences(article.get("text", ""), language)[:lead]
                scores = scorers[english].score(reference, "\n".join(sentences))
                for t in ROUGE_TYPES:
                    lead_rouge[t].append(scores[t].fmeasure)
                words["baseline"].append(sum(len(s.split()) for s in sentences))
        for lang, text in ref.items():
            if lang in ("summary", language):
                continue
            if summaries.get(lang) is None:  # never produced (not a target, or it failed): not a zero score
                absent[lang] = absent.get(lang, 0) + 1
                continue
            hyps, refs = pairs.setdefault(lang, ([], []))
            hyps.append(summaries[lang])
            refs.append(text)
        flags = _summary_checks(article.get("checks"))
        if flags is None:
            flags = check_summary(summary, article.get("text", ""), language)
        faithful += not (flags.get("unsupported_numbers") or flags.get("unsupported_names"))
    translation = {}
    for lang in sorted(set(pairs) | set(absent)):
        hyps, refs = pairs.get(lang, ([], []))
        tokenize = {"zh": "zh", "ja": "char", "ko": "char", "th": "char"}.get(lang, "13a")
        translation[lang] = {
            "chrf": sacrebleu.corpus_chrf(hyps, [refs]).score if hyps else None,
            "bleu": sacrebleu.corpus_bleu(hyps, [refs], tokenize=tokenize).score if hyps else None,
            "n": len(hyps),
            "missing": absent.get(lang, 0),
        }
    result = {
        "articles": evaluated,
        "rouge": _means(rouge, words["summary"]),
        "tokenizer": {lang: TOKENIZERS["en" if lang == "en" else "other"] for lang in sorted(languages)},
        "translation": translation,
        "faithfulness_rate": faithful / evaluated if evaluated else None,
        "missing": sorted(set(references) - set(outputs)),
    }
    if lead:
        result["baseline"] = {"name": f"lead-{lead}", "rouge": _means(lead_rouge, words["baseline"])}
    return result


def format_table(result: dict) -> str:
    """A plain-text report for the terminal; ROUGE shown ×100 like chrF and BLEU."""
    lines = [f"articles evaluated  {result.get('articles', 0)}"]
    rouge = result.get("rouge") or {}
    if rouge:
        lines.append(f"{'summary':<20}" + _rouge_row(rouge))
        baseline = result.get("baseline")
        if baseline and baseline.get("rouge"):
            lines.append(f"{'baseline ' + baseline['name']:<20}" + _rouge_row(baseline["rouge"]))
        lines += [f"{'tokenizer ' + lang:<20}{name}" for lang, name in (result.get("tokenizer") or {}).items()]
    rate = result.get("faithfulness_rate")
    if rate is not None:
        lines.append(f"faithful summaries  {100 * rate:5.1f}%")
    translation = result.get("translation") or {}
    if translation:
        lines += ["", f"{'language':<10}{'n':>5}{'chrF':>8}{'BLEU':>8}{'missing':>9}"]
        lines += [f"{lang:<10}{row['n']:>5}{_score(row['chrf'])}{_score(row['bleu'])}{row.get('missing', 0):>9}"
                  for lang, row in translation.items()]
    missing = result.get("missing") or []
    if missing:
        shown = ", ".join(missing[:10]) + (f" (+{len(missing) - 10} more)" if len(missing) > 10 else "")
        lines += ["", f"no output for {len(missing)} referenced article(s): {shown}"]
    return "\n".join(lines)


# --- helpers -------------------------------------------------------------------------------------------------


def _rouge_row(rouge: dict) -> str:
    """ROUGE F1 ×100 per type, then the mean summary length in words."""
    cells = [f"{ROUGE_LABELS[t]} {100 * rouge[t]:5.1f}" for t in ROUGE_TYPES if t in rouge]
    if "words" in rouge:
        cells.append(f"words {rouge['words']:5.1f}")
    return "  ".join(cells)


def _means(scores: dict[str, list[float]], words: list[int]) -> dict[str, float]:
    if not scores["rouge1"]:
        return {}
    return {**{t: sum(v) / len(v) for t, v in scores.items()}, "words": sum(words) / len(words)}


def _lead_k(baseline: str | None) -> int:
    """k of a "lead-k" baseline (0 for none); anything else is a ValueError naming the option."""
    if baseline is None:
        return 0
    match = _BASELINE.fullmatch(baseline.strip().lower())
    if not match:
        raise ValueError(f"--baseline {baseline!r}: expected lead-K, the first K sentences (e.g. lead-3)")
    return int(match.group(1))


def _sentences(text: str, language: str) -> list[str]:
    from ..nlp.text import split_sentences

    return [" ".join(s.split()) for s in split_sentences(text, language) if s.strip()]


def _lines(text: str, language: str) -> str:
    """One sentence per line: what ROUGE-Lsum splits on (the other ROUGE types ignore newlines)."""
    return "\n".join(_sentences(text, language))


def _score(value: float | None) -> str:
    """A table cell: "-" for a language with no output to score, rather than a misleading 0.0."""
    return f"{value:>8.1f}" if value is not None else f"{'-':>8}"


def _no_match(out_dir: Path, references: dict[str, dict[str, str]], outputs: dict[str, dict],
              source: str | Path) -> str:
    """The one-line error for references that share no id with the run, with a few ids of each to compare."""
    def few(ids: list[str]) -> str:
        return ", ".join(ids[:3]) + (", ..." if len(ids) > 3 else "")

    if not outputs:
        return f"{source}: no reference id matches an article in {out_dir} (it has no articles/*.json)"
    return (f"{source}: no reference id matches an article in {out_dir} "
            f"(references: {few(sorted(references))}; articles: {few(sorted(outputs))})")


def _libraries():
    try:
        import sacrebleu
        from rouge_score import rouge_scorer
    except ImportError as exc:
        raise EvalExtraMissing(
            f'digest eval needs rouge-score and sacrebleu ({exc.name} is missing): pip install "digest[eval]"'
        ) from exc
    return rouge_scorer, sacrebleu


class _Tokenizer:
    """Lower-cased Unicode words, for ROUGE on non-English text (rouge-score's default drops non a-z letters)."""

    def tokenize(self, text: str) -> list[str]:
        return re.findall(r"[^\W_]+", text.lower())


def _summary_checks(checks: object) -> dict | None:
    """The summary part of a stored `checks` field, nested ({"summary": {...}}) or flat; None when absent."""
    if not isinstance(checks, dict):
        return None
    if isinstance(checks.get("summary"), dict):
        return checks["summary"]
    return checks if "unsupported_numbers" in checks or "unsupported_names" in checks else None


def _read_text(file: Path) -> str:
    """The file's text in whatever encoding it is (like the article readers), or a ValueError naming the file."""
    decoded = decode_bytes(file.read_bytes())
    if decoded is None:
        raise ValueError(f"{file}: not a text file in any encoding this can read")
    return decoded[0].lstrip("\ufeff")


def _read_json(file: Path, text: str | None = None) -> object:
    try:
        return json.loads(text if text is not None else _read_text(file))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{file}: not valid JSON (line {exc.lineno}: {exc.msg})") from None


def _from_list(rows: list, path: Path) -> dict[str, dict[str, str]]:
    refs: dict[str, dict[str, str]] = {}
    if not rows:
        raise ValueError(f"{path}: no references in it")
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict) or "id" not in row:
            raise ValueError(f"{path}: entry {n} is not an object with an \"id\"")
        ident = str(row["id"])
        if ident in refs:
            raise ValueError(f"{path}: id {ident!r} appears twice")
        refs[ident] = _entry(row, f"{path}: entry {n} ({ident})")
    return refs


def _entry(data: dict, where: str) -> dict[str, str]:
    """Normalise one reference: "summary" plus one key per translation language."""
    entry: dict[str, str] = {}
    if "summary" in data:
        if not isinstance(data["summary"], str):
            raise ValueError(f"{where}: \"summary\" must be a string")
        entry["summary"] = data["summary"]
    translations = data.get("translations", {})
    if not isinstance(translations, dict):
        raise ValueError(f"{where}: \"translations\" must be an object language -> text")
    languages = {k: v for k, v in data.items() if k not in _NOT_LANGUAGES and normalize(k) in NLLB_CODES}
    for lang, text in {**languages, **translations}.items():
        if not isinstance(text, str):
            raise ValueError(f"{where}: translation {lang!r} must be a string")
        entry[normalize(lang)] = text
    if not entry:
        raise ValueError(f"{where}: has neither \"summary\" nor translations")
    return entry
