"""Faithfulness flags: numbers, names and quotes of a summary (or translation) that its source does not back.

Rule-based and model-free on purpose: an editor must be able to see *why* a line was flagged, and the checks run
on every article of every run. Flags are hints for a human, not verdicts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from .language import detect, normalize
from .numbers import Mention, mentions

if TYPE_CHECKING:
    from ..engines.base import Hypothesis
    from .glossary import Glossary

#: list-valued keys of a checks dict that hold flagged items; `count_flags` counts their entries
FLAG_LISTS = ("unsupported_numbers", "unsupported_names", "unsupported_quotes", "number_mismatch",
              "missing_names", "glossary_missing")
#: bool-valued keys that count as one flag when true
FLAG_BOOLS = ("wrong_language",)


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# words that start sentences without being names; lower-case forms found elsewhere in a text also count
_COMMON = _set("""a an the this that these those there here it its he she they we you i his her their our my your
in on at by for from to of with without about after before during while when where as if but and or so yet
however meanwhile also still then thus although though because since despite rather instead similarly both
either neither each every all some many most no not nor one two several according last next new more other
what which who whom whose why how mr mrs ms le la les der die das den dem ein eine el los las un une""")

# titles and roles split a run of capitalised words: "Joint Chiefs Chairman Mark Milley" -> Joint Chiefs, Mark Milley
_TITLES = _set("""mr mrs ms dr prof professor sir dame lord lady gen general admiral adm colonel col lieutenant lt
major maj captain capt sergeant sgt commander president vice secretary minister prime chancellor chairman
chairwoman chair director senator sen representative rep governor gov mayor judge ambassador king queen prince
princess pope bishop ceo spokesman spokeswoman deputy premier marshal herr frau monsieur madame mme señor señora
präsident präsidentin ministerin bundeskanzler kanzler président ministre presidente ministro""")

_ABBREVIATIONS = {t for t in _TITLES if len(t) <= 4} | {"st", "jr", "sr", "no", "vs", "mt", "ft", "inc", "co"}
_CONNECTORS = {"of", "for", "the", "de", "von", "van", "der", "den", "du", "la", "le", "del", "da", "di"}
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_OPENERS = "\"'“‘«„‚»(["
# single-word nationality adjectives ("Polish", "Ukrainians") are translated like any adjective: not flagged
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ians?|ish|ese|icans?)$")
_QUOTES = re.compile(r'"([^"\n]+)"|“([^”“\n]+)[”“]|„([^“”„\n]+)[“”]|«([^»\n]+)»|»([^«\n]+)«')  # within a line


def numbers_in(text: str, language: str = "en") -> list[str]:
    """Normalised numbers claimed by `text` ("1,000" -> "1000", "two" -> "2", "$3 million" -> "3000000")."""
    return _dedupe(m.canonical for m in mentions(text, language) if not m.weak)


def names_in(text: str, language: str = "en") -> list[str]:
    """Proper names in `text`: runs of capitalised words (titles split off) and mid-sentence capitalised words.

    Sentence-initial single words are ignored (they are capitalised anyway). German capitalises every noun, so
    for "de" only multi-word names count.
    """
    nouns_capitalised = normalize(language or "en") == "de"
    lowered = {m.group(0) for m in re.finditer(r"\b[a-zà-ÿ][\w’'-]*", text)}
    names: list[str] = []
    for run in _runs(text):
        for segment in _split_titles(run):
            words = [w for w, _ in segment]
            if segment[0][1] and (words[0].lower() in _COMMON or words[0].lower() in lowered):
                segment = segment[1:]
                while segment and segment[0][0] in _CONNECTORS:
                    segment = segment[1:]
            if not segment or (len(segment) == 1 and (segment[0][1] or nouns_capitalised)):
                continue
            names.append(" ".join(w for w, _ in segment))
    return _dedupe(names)


def quotes_in(text: str) -> list[str]:
    """Quoted spans ("…", “…”, „…“, «…», »…«), whitespace collapsed."""
    return [" ".join(next(g for g in m.groups() if g is not None).split()) for m in _QUOTES.finditer(text)]


def check_summary(summary: str, source: str, language: str = "en") -> dict:
    """Numbers (by value), names (whole words) and quotes (verbatim) of `summary` that `source` lacks."""
    return {
        "unsupported_numbers": _unbacked_numbers(summary, language, source, language),
        "unsupported_names": [n for n in names_in(summary, language) if not _has_phrase(source, n)],
        "unsupported_quotes": [q for q in quotes_in(summary) if _norm_quote(q) not in _norm_quote(source)],
    }


def check_translation(
    translation: str, summary: str, target: str, source_lang: str, glossary: Glossary | None = None
) -> dict:
    """Numbers that differ, names dropped, and whether the output is in the target language at all.

    A name counts as kept when the translation has it (or, per word, the word plus up to 3 letters of
    inflection: "Milleys"), or when `glossary` fixes its translation for `target` and that is present.
    """
    missing = _unbacked_numbers(summary, source_lang, translation, target)
    extra = _unbacked_numbers(translation, target, summary, source_lang)
    fixed = glossary.translate if glossary is not None else {}
    missing_names = [
        name for name in names_in(summary, source_lang)
        if not _DEMONYM.search(name) and not _has_inflected(translation, name)
        and not any(_has_phrase(translation, t) for t in _targets(fixed.get(name, {}), target))
    ]
    detected = detect(translation)
    return {
        "number_mismatch": missing + [n for n in extra if n not in missing],
        "missing_names": missing_names,
        "language": detected,
        "wrong_language": detected is not None and detected != normalize(target),
    }


def check_article(
    text: str, summary: str, language: str, translations: dict[str, str], glossary: Glossary | None = None
) -> dict:
    """The `checks` field of one article: summary vs source, each translation vs summary, and the total."""
    checks: dict = {"summary": check_summary(summary, text, language), "translations": {}}
    for target, translated in translations.items():
        record = check_translation(translated, summary, target, language, glossary)
        if glossary is not None:
            record["glossary_missing"] = glossary.verify(summary, translated, target)
        checks["translations"][target] = record
    checks["flags"] = count_flags(checks)
    return checks


def count_flags(checks: dict) -> int:
    """Flagged items in a checks dict of any nesting (summary, translations): list lengths plus true bools."""
    total = 0
    for key, value in checks.items():
        if key in FLAG_LISTS and isinstance(value, list):
            total += len(value)
        elif key in FLAG_BOOLS and value is True:
            total += 1
        elif isinstance(value, dict) and key != "rerank":
            total += count_flags(value)
    return total


_LABELS = {
    "unsupported_numbers": "number not in the source",
    "unsupported_names": "name not in the source",
    "unsupported_quotes": "quote not in the source",
    "number_mismatch": "number differs from the summary",
    "missing_names": "name lost in translation",
    "glossary_missing": "glossary term missing",
}


def review_flags(checks: dict, source_lang: str) -> dict[str, list[str]]:
    """Readable flags per language for the digests: a translation also carries its summary's flags."""
    summary = _lines(checks.get("summary", {}))
    flags = {source_lang: summary} if summary else {}
    for lang, record in checks.get("translations", {}).items():
        lines = summary + _lines(record)
        if record.get("wrong_language"):
            lines.append(f"output looks like {record.get('language')}, not {lang}")
        if lines:
            flags[lang] = lines
    return flags


def _lines(record: dict) -> list[str]:
    return [f"{label}: {item}" for key, label in _LABELS.items() for item in record.get(key, [])]


def rerank(candidates: Sequence[Hypothesis], source: str, language: str) -> tuple[int, dict]:
    """Pick the candidate with the fewest unsupported numbers and names; ties go to the higher score."""
    if not candidates:
        raise ValueError("rerank needs at least one candidate")
    flags = []
    for hyp in candidates:
        result = check_summary(hyp.text, source, language)
        flags.append(len(result["unsupported_numbers"]) + len(result["unsupported_names"]))

    def key(i: int) -> tuple[int, float, int]:
        score = candidates[i].score
        return flags[i], -(score if score is not None else float("-inf")), i

    chosen = min(range(len(candidates)), key=key)
    return chosen, {"candidates": len(candidates), "chosen": chosen, "flags": flags}


# --- helpers -------------------------------------------------------------------------------------------------


def _dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _unbacked_numbers(claim: str, claim_lang: str, backing: str, backing_lang: str) -> list[str]:
    """Surface forms of the strong numbers of `claim` whose values `backing` never mentions (weak ones count)."""
    known: set[float] = set()
    for lang in {backing_lang, claim_lang}:  # a number copied through untranslated ("two") still backs it
        for m in mentions(backing, lang):
            known |= m.values
    bad: list[Mention] = [m for m in mentions(claim, claim_lang) if not m.weak and not (m.values & known)]
    return _dedupe(m.surface for m in bad)


def _runs(text: str) -> list[list[tuple[str, bool]]]:
    """Runs of capitalised tokens (with inner connectors) as (word, sentence_initial) pairs."""
    runs: list[list[tuple[str, bool]]] = []
    current: list[tuple[str, bool]] = []
    pending: list[tuple[str, bool]] = []  # lower-case connectors waiting for a capitalised word
    end = 0
    for m in _TOKEN.finditer(text):
        word, gap = re.sub(r"['’]s$", "", m.group(0)), text[end:m.start()]
        joined = bool(current) and gap.strip() == "" and "\n" not in gap
        end = m.end()
        if word[0].isupper():
            if not joined:
                if current:
                    runs.append(current)
                current, pending = [], []
            current += pending + [(word, _initial(text, m.start()))]
            pending = []
        elif joined and word in _CONNECTORS and len(pending) < 2:
            pending.append((word, False))
        else:
            if current:
                runs.append(current)
            current, pending = [], []
    if current:
        runs.append(current)
    return runs


def _initial(text: str, start: int) -> bool:
    """Whether the token at `start` begins a sentence (after ., !, ? or a line break, not after "Gen.")."""
    before = text[max(0, start - 80):start]
    stripped = before.rstrip().rstrip(_OPENERS).rstrip()
    if not stripped or "\n" in before[len(stripped):]:
        return True
    if stripped[-1] not in ".!?…":
        return False
    prev = re.search(r"([\w.]+)\.$", stripped)
    word = prev.group(1) if prev else ""
    return not (word.lower() in _ABBREVIATIONS or re.fullmatch(r"[A-Z]|(?:[A-Z]\.)+[A-Z]", word))


def _split_titles(run: list[tuple[str, bool]]) -> list[list[tuple[str, bool]]]:
    """Cut a run at titles and initialisms ("U.S."), which are roles, not parts of names."""
    segments: list[list[tuple[str, bool]]] = [[]]
    for word, initial in run:
        if word.lower().rstrip(".") in _TITLES or re.fullmatch(r"(?:[A-Z]\.){2,}", word):
            segments.append([])
        else:
            segments[-1].append((word, initial))
    cleaned = []
    for seg in segments:
        while seg and seg[-1][0] in _CONNECTORS:
            seg = seg[:-1]
        while seg and seg[0][0] in _CONNECTORS:
            seg = seg[1:]
        if seg:
            cleaned.append(seg)
    return cleaned


def _has_phrase(text: str, phrase: str) -> bool:
    """Whole-word, case-sensitive phrase match; any whitespace between the words."""
    pattern = r"\s+".join(re.escape(w) for w in phrase.split())
    return re.search(rf"(?<!\w){pattern}(?!\w)", text) is not None


def _has_inflected(text: str, name: str) -> bool:
    """Every word of `name` present, each allowed up to 3 extra letters of inflection ("Milleys")."""
    return all(re.search(rf"(?<!\w){re.escape(w)}\w{{0,3}}(?!\w)", text) for w in name.split()
               if w not in _CONNECTORS)


def _norm_quote(text: str) -> str:
    """Quote marks and apostrophes unified, whitespace collapsed, edge punctuation dropped."""
    text = re.sub(r"[\"“”„«»‟]", '"', text.replace("’", "'").replace("‘", "'"))
    return " ".join(text.split()).strip(" \"'.,;:!?")


def _targets(translations: dict[str, str], target: str) -> list[str]:
    return [v for k, v in translations.items() if normalize(k) == normalize(target)]
