"""Faithfulness flags: numbers, names and quotes of a summary (or translation) that its source does not back.

Rule-based and model-free on purpose: an editor must be able to see *why* a line was flagged, and the checks run
on every article of every run. Flags are hints for a human, not verdicts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol

from ..budget import check
from .align import lost_sentences
from .currencies import currency_kept
from .flagtext import language_name, message
from .language import detect, normalize
from .lexicon import NOUN_CAPITALISING
from .names import (
    COMMON_ZIPF,
    LEXICON_GAP,
    SAME_NAME,
    acronyms,
    has_word_list,
    inflected,
    kept,
    made_of_common_words,
    name_runs,
    own_capitals,
    required,
    required_words,
    similar,
    zipf,
)
from .names import CONNECTORS as _CONNECTOR_WORDS
from .numbers import Mention, mentions, months_named, rounds_to
from .places import DECLINING
from .transliterate import CASED_SCRIPTS, kept_across, latin, lost_across, same_name

if TYPE_CHECKING:
    from .glossary import Glossary


class Candidate(Protocol):
    """A decoded summary to choose among (an engine's Hypothesis): its text, and its score when it has one."""

    @property
    def text(self) -> str: ...

    @property
    def score(self) -> float | None: ...

#: list-valued keys of a checks dict that hold flagged items; `count_flags` counts their entries
FLAG_LISTS = ("unsupported_numbers", "unsupported_names", "unsupported_quotes", "number_mismatch",
              "missing_names", "missing_sentences", "glossary_missing")
#: bool-valued keys that count as one flag when true
FLAG_BOOLS = ("wrong_language", "repetition")


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# titles and roles split a run of names: "Joint Chiefs Chairman Mark Milley" -> Joint Chiefs, Mark Milley
_TITLES = _set("""mr mrs ms dr prof professor sir dame lord lady gen general admiral adm colonel col lieutenant lt
major maj captain capt sergeant sgt commander president vice secretary minister prime chancellor chairman
chairwoman chair director senator sen representative rep governor gov mayor judge ambassador king queen prince
princess pope bishop ceo cfo pm mp mps mla mlas spokesman spokeswoman deputy premier marshal herr frau
monsieur madame mme señor señora präsident präsidentin ministerin bundeskanzler kanzler
président ministre presidente ministro""")
# Penn Treebank bracket tokens, which models trained on tokenized CNN/DM write for "(" and ")"
_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
_PTB_BRACKETS = re.compile("|".join(map(re.escape, _PTB)))
_QUOTES = re.compile(r'"([^"\n]+)"|“([^”“\n]+)[”“]|„([^“”„\n]+)[“”]|«([^»\n]+)»|»([^«\n]+)«')  # within a line


def numbers_in(text: str, language: str = "en") -> list[str]:
    """Normalised numbers claimed by `text` ("1,000" -> "1000", "two" -> "2", "$3 million" -> "3000000")."""
    return _dedupe(m.canonical for m in mentions(text, language) if not m.weak)


def names_in(text: str, language: str = "en", *, split_acronyms: bool = False) -> list[str]:
    """Proper names in `text` as the language marks them (see `names.name_runs`), titles split off.

    Sentence-initial words, weekdays and months are not names; in German, which capitalises every noun, neither
    are its common nouns ("Am Freitagabend", "Ex-Bankchef"). With `split_acronyms`, an acronym is a name of its
    own ("SNCF Jean-Pierre Farandou"): a translation may keep one and not the other; a summary that invents
    "AC Milan" from a source with "AC" and "Milan" apart is caught only without it.
    """
    found: list[str] = []
    for run in name_runs(text, language):
        segment: list[str] = []
        # titles split a run, and so do acronyms: "PM Narendra Modi", "SNCF Jean-Pierre Farandou" (not "LOS
        # ANGELES (Reuters)", a dateline in capitals)
        splits = split_acronyms and len(run) > 1 and not all(w.isupper() for w in run)
        for word in [*run, ""]:
            title = word.lower().rstrip(".") in _TITLES
            own = splits and not title and bool(acronyms(word))
            if word and not title and not own:
                segment.append(word)
                continue
            while segment and segment[0] in _CONNECTOR_WORDS:
                segment = segment[1:]
            found += [" ".join(segment)] if segment else []
            found += [word] if own else []
            segment = []
    return _dedupe(found)


def quotes_in(text: str) -> list[str]:
    """Quoted spans ("…", “…”, „…“, «…», »…«), whitespace collapsed."""
    return [" ".join(next(g for g in m.groups() if g is not None).split()) for m in _QUOTES.finditer(text)]


def check_summary(summary: str, source: str, language: str = "en") -> dict:
    """Numbers (by value), names (whole words) and quotes (verbatim) of `summary` that `source` lacks."""
    summary = _PTB_BRACKETS.sub(lambda m: _PTB[m.group(0)], summary)
    quoted = _norm_quote(source)  # once, not once per quote of the summary
    return {
        "unsupported_numbers": _unbacked_numbers(summary, language, source, language),
        "unsupported_names": [_surface(summary, n) for n in names_in(summary, language)
                              if not _backed_name(n, source, language)],
        "unsupported_quotes": [q for q in quotes_in(summary) if _norm_quote(q) not in quoted],
    }


def check_translation(
    translation: str, summary: str, target: str, source_lang: str, glossary: Glossary | None = None
) -> dict:
    """Numbers that differ, names and sentences dropped, and whether the output is in the target language at all.

    A name counts as kept when the translation has it in any spelling of the same name (Moscow/Moskau, Milleys,
    Deutschland for Germany; across Cyrillic or Greek and Latin letters after transliteration, `transliterate.py`),
    or when `glossary` fixes its translation for `target` and that is present. Spelled-out
    numbers are often paraphrased ("both", "twice", "dreimonatig"): they are flagged only next to another
    unmatched number, digits always.
    """
    source_lang, target = source_lang or "en", target or "en"  # an untyped caller's None is the default language
    missing = _unbacked_numbers(summary, source_lang, translation, target)
    extra = _unbacked_numbers(translation, target, summary, source_lang)
    in_summary, in_translation = _name_digits(summary, translation), _name_digits(translation, summary)
    missing = [n for n in missing if n not in in_summary]
    extra = [n for n in extra if n not in in_translation]
    if not any(_digits(n) for n in missing + extra):
        missing, extra = (missing, extra) if missing and extra else ([], [])
    fixed = glossary.translate if glossary is not None else {}
    scripts = (script_of(summary), script_of(translation))
    cased = "NONE" in scripts or set(scripts) <= CASED_SCRIPTS
    across = "NONE" not in scripts and scripts[0] != scripts[1]  # Cyrillic or Greek and Latin: transliterated
    names = names_in(summary, source_lang, split_acronyms=True) if cased else []
    listed = has_word_list(normalize(source_lang))
    if not listed:  # without a word list every capitalised noun and title looks like a name; acronyms still are
        names = [n for n in names if all(acronyms(w) for w in n.split())]
    lost = (lost_across if across else _lost)(names, translation, source_lang, target)
    lost = _translated(lost, summary, translation, source_lang, target, across)
    lost = [n for n in lost if not currency_kept(n, translation, source_lang, target)]
    missing_names = [
        name for name in lost
        if not any(_has_phrase(translation, t) for t in
                   _targets(fixed.get(name) or fixed.get(_surface(summary, name), {}), target))
    ]
    missing_names = [_surface(summary, n) for n in _own_acronyms(missing_names, summary, translation, source_lang,
                                                                 target)]
    not_checked: dict[str, str] = {}
    if not cased:  # names are found by capitals: that needs scripts that have them
        not_checked["missing_names"] = f"names in a caseless script ({scripts[0]} to {scripts[1]})"
    elif not listed:
        not_checked["missing_names"] = (f"names other than acronyms: no word list for {normalize(source_lang)} "
                                        "tells its names from capitalised words")
    detected = detect(translation)
    if detected is None and normalize(source_lang) != normalize(target) and _copied(translation, summary):
        detected = normalize(source_lang)
    return {
        "number_mismatch": missing + [n for n in extra if n not in missing],
        "number_pairs": [[a, b] for a, b in zip(missing, extra, strict=False)],
        "numbers_added": [n for n in extra if n not in missing],  # in the translation only: "added", not "lost"
        "missing_names": missing_names,
        "missing_sentences": lost_sentences(summary, translation, source_lang, target),
        "language": detected,
        "wrong_language": detected is not None and detected != normalize(target),
        **({"not_checked": not_checked} if not_checked else {}),
    }


def script_of(text: str) -> str:
    """The script most of the letters of `text` are in, by Unicode name ("LATIN", "CYRILLIC", "CJK", "HIRAGANA")."""
    counts = Counter(unicodedata.name(ch, "?").split()[0] for ch in text if ch.isalpha())
    return counts.most_common(1)[0][0] if counts else "NONE"


def check_article(
    text: str, summary: str, language: str, translations: dict[str, str], glossary: Glossary | None = None,
    loops: Iterable[str] = (),
) -> dict:
    """The `checks` field of one article: summary vs source, each translation vs summary, and the total. `loops`
    are the languages whose output kept a repetition loop after its retry (`repetition` in their part)."""
    looped = set(loops)
    checks: dict = {"summary": check_summary(summary, text, language), "translations": {}}
    if language in looped:
        checks["summary"]["repetition"] = True
    for target, translated in translations.items():
        check()
        record = check_translation(translated, summary, target, language, glossary)
        if glossary is not None:
            record["glossary_missing"] = glossary.verify(summary, translated, target)
        if target in looped:
            record["repetition"] = True
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


_SUMMARY_KEYS = ("unsupported_numbers", "unsupported_names", "unsupported_quotes")


def review_flags(checks: dict, source_lang: str) -> dict[str, list[str]]:
    """Readable flags per language for the digests, each in that page's language; a translation also carries
    its summary's flags ("number not in the source: 40" on the English page, "Zahl nicht in der Quelle: 40" on
    the German one)."""
    summary = checks.get("summary", {})
    own = _summary_lines(summary, source_lang)
    flags = {source_lang: own} if own else {}
    for lang, record in checks.get("translations", {}).items():
        lines = _summary_lines(summary, lang) + _translation_lines(record, lang)
        if lines:
            flags[lang] = lines
    return flags


def _summary_lines(record: dict, lang: str) -> list[str]:
    lines = [message(lang, key, item) for key in _SUMMARY_KEYS for item in record.get(key, [])]
    return lines + ([message(lang, "repetition")] if record.get("repetition") else [])


def _translation_lines(record: dict, lang: str) -> list[str]:
    pairs = [p for p in record.get("number_pairs", []) if len(p) == 2]
    paired = {x for p in pairs for x in p}
    lines = [message(lang, "number_changed", a, b) for a, b in pairs]
    added = set(record.get("numbers_added", []))
    lines += [message(lang, "number_added" if n in added else "number_missing", n)
              for n in record.get("number_mismatch", []) if n not in paired]
    for key in ("missing_names", "missing_sentences", "glossary_missing"):
        lines += [message(lang, key, item) for item in record.get(key, [])]
    if record.get("wrong_language"):
        lines.append(message(lang, "wrong_language", language_name(record.get("language"), lang),
                             language_name(lang, lang)))
    if record.get("repetition"):
        lines.append(message(lang, "repetition"))
    return lines


def rerank(candidates: Sequence[Candidate], source: str, language: str) -> tuple[int, dict]:
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
    measures: list[Mention] = []  # a measure backs one of its kind in the other system ("80 feet" = "25 Meter")
    months: set[int] = set()  # "7月" is backed by "July": months by CLDR's names, or by a counted month
    rounded: set[float] = set()  # "4,17 mil." backs 41.78 lakh: a scaled decimal is the exact figure rounded
    spans: set[tuple[str, float]] = set()  # a duration backs the same span in other units ("14 days", "2 týdny")
    for lang in {backing_lang, claim_lang}:  # a number copied through untranslated ("two") still backs it
        for m in mentions(backing, lang):
            known |= m.values
            measures += [m] if m.measure else []
            months |= {m.month} if m.month else set()
            rounded |= {m.value} if m.rounded else set()
            spans |= {m.span} if m.span is not None else set()
            known |= {m.decade} if m.decade is not None else set()
        months |= months_named(backing, lang)
    bad: list[Mention] = [m for m in mentions(claim, claim_lang) if not m.weak and not (m.values & known) and not (
        m.month and m.month in months) and not (m.decade is not None and m.decade in known) and not (
        m.measure and any(m.converts_to(b) or b.converts_to(m) for b in measures)) and not (
        m.span is not None and m.span in spans) and not any(rounds_to(m.value, r) for r in rounded) and not (
        m.rounded and any(rounds_to(k, m.value) for k in known))]
    return _dedupe(m.surface for m in bad)


def _digits(surface: str) -> bool:
    return any(c.isdigit() for c in surface)


_GLUED_DIGITS = re.compile(r"(?<![\d.,])(?:([^\W\d_]+)-)?(\d+(?:[.,]\d+)*)(?![\d])")


def _name_digits(text: str, other: str) -> frozenset[str]:
    """Digits that are part of a name wherever `text` has them ("COVID-19", "F-16", "Su-57"), a name `other` does
    not write: other languages name the thing without them (新冠, 新型コロナ), so they are no claim of the text.
    Where both texts write the name, in any script ("Су-35" for "Su-57"), its digits are compared like any
    others. One pass over each text."""
    glued: dict[str, set[str]] = {}
    loose: set[str] = set()
    for m in _GLUED_DIGITS.finditer(text):
        if m.group(1) is None:
            loose.add(m.group(2))
        else:
            glued.setdefault(m.group(2), set()).add(latin(m.group(1)).casefold())
    if not glued:
        return frozenset()
    written = {latin(w).casefold() for w in re.findall(r"[^\W\d_]+", other)}
    return frozenset(d for d, names in glued.items() if d not in loose and not names & written)


def _backed_name(name: str, source: str, language: str) -> bool:
    """A summary's name is backed by the source when the source has it, also inside a token ("FFP" of "FFP2").

    A lone common word the source writes in lower case ("Opponents" starting a sentence whose full stop the model
    left out) is that word, not a name."""
    if _has_phrase(source, name):
        return True
    words = [w for w in name.split() if w not in _CONNECTOR_WORDS]
    # the whole name, also inside a token, across hyphens and possessives ("Jean-Luc", "Pack's Lee")
    pattern = r"[\W_]+(?:s[\W_]+)?".join(re.escape(w) for w in name.split())
    if re.search(rf"(?<![^\W\d_]){pattern}(?![^\W\d_])", source):
        return True
    return len(words) == 1 and zipf(words[0], normalize(language)) >= COMMON_ZIPF and \
        re.search(rf"(?<!\w){re.escape(words[0].lower())}(?!\w)", source) is not None


def _lost(names: list[str], translation: str, source_lang: str, target: str) -> list[str]:
    """The names a translation in the same script must keep (`names.required`) and has in no spelling. Languages
    that decline names also spell foreign ones as they sound ("Čauhán" for Chouhan, "Džamát" for Jamaat): there
    a name is also kept by the sound comparison names across scripts get (`transliterate.kept_across`)."""
    sounded = bool({normalize(source_lang), normalize(target)} & DECLINING)
    return [n for n in names if required(n, source_lang, target) and not kept(n.split(), translation, source_lang,
                                                                             target)
            and not (sounded and kept_across(n.split(), translation, source_lang, target,
                                             required_words(n, source_lang, target) or None))]


def _translated(lost: list[str], summary: str, translation: str, source_lang: str, target: str,
                across: bool) -> list[str]:
    """Lost names, less those made of common words ("Champions League") that the translation may have translated
    word by word: one for each capitalised word of the translation that spells no word of the summary ("Lize
    šampionů", "Красные дьяволы"). Where every noun is capitalised (German) a capital shows no name."""
    common = [made_of_common_words(n, source_lang) for n in lost]
    if normalize(target) in NOUN_CAPITALISING or not any(common):
        return lost
    words = {w for w in re.findall(r"[^\W\d_]+", summary) if w[0].isupper()}

    def spelt(capital: str) -> bool:
        if across:
            return any(same_name(w, capital, source_lang, target) for w in words)
        return any(similar(w, capital) >= SAME_NAME or inflected(w, capital) or inflected(capital, w) for w in words)

    src, tgt = normalize(source_lang), normalize(target)
    # a translated name is made of the target's own common words; a name kept or put in is not ("Manchester")
    spare = [c for c in dict.fromkeys(own_capitals(translation, target)) if zipf(c, tgt) >= COMMON_ZIPF
             and zipf(c, tgt) - zipf(c, src) >= LEXICON_GAP and not spelt(c)]
    left = []
    for name, translatable in zip(lost, common, strict=True):
        if spare and translatable:
            spare.pop(0)
        else:
            left.append(name)
    return left


def _own_acronyms(missing: list[str], summary: str, translation: str, source_lang: str, target: str) -> list[str]:
    """Missing acronyms, less those the translation replaced by the target language's own for the same body
    ("WTO" -> "OMC", "OMT" -> "UNWTO"): about as long, more usual at home than abroad, and the new one more
    usual in the target language. A dropped acronym leaves no such twin; an international one ("NATO", "IMF" in
    German) is no language's own."""
    src, tgt = normalize(source_lang), normalize(target)
    own = [a for a in dict.fromkeys(acronyms(translation))
           if a not in acronyms(summary) and zipf(a, tgt) > zipf(a, src)]
    left = []
    for name in missing:
        twin = next((a for a in own if abs(len(a) - len(name)) <= 2 and zipf(name, src) > zipf(name, tgt)), None)
        if twin is not None and len(name.split()) == 1 and acronyms(name) == [name]:
            own.remove(twin)
        else:
            left.append(name)
    return left


def _surface(text: str, name: str) -> str:
    """The name as the text writes it, for the flag: "Nordrhein-Westfalen", not the words "Nordrhein Westfalen"."""
    pattern = r"(?:[^\S\n]*[-‐][^\S\n]*|[^\S\n]+)".join(re.escape(w) for w in name.split())
    found = re.search(rf"(?<!\w)(?:{pattern})(?!\w)", text)
    return found.group(0) if found else name


def _copied(translation: str, summary: str) -> bool:
    """Output too short to identify its language, but (nearly) the summary itself: it was never translated."""
    from rapidfuzz import fuzz

    return len(translation.strip()) >= 8 and fuzz.ratio(translation.lower(), summary.lower()) >= 90


def _has_phrase(text: str, phrase: str) -> bool:
    """Whole-word, case-sensitive phrase match; any whitespace between the words."""
    pattern = r"\s+".join(re.escape(w) for w in phrase.split())
    return re.search(rf"(?<!\w){pattern}(?!\w)", text) is not None


def _norm_quote(text: str) -> str:
    """Quote marks and apostrophes unified, whitespace collapsed, edge punctuation dropped."""
    text = re.sub(r"[\"“”„«»‟]", '"', text.replace("’", "'").replace("‘", "'"))
    return " ".join(text.split()).strip(" \"'.,;:!?")


def _targets(translations: dict[str, str], target: str) -> list[str]:
    return [v for k, v in translations.items() if normalize(k) == normalize(target)]
