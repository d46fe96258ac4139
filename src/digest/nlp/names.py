"""What counts as a name in each language, and whether a name survives translation in another form.

Capital letters alone do not make a name: every sentence starts with one, English headlines capitalise every word,
and German capitalises every noun. So a capitalised word is a name when the language gives it no other reason to
be capitalised: not sentence-initial (unless it is capitalised mid-sentence elsewhere), not a weekday or month of
that locale (CLDR data through Babel), not a common word of the language (word frequencies from `wordfreq`) in
languages that capitalise nouns, and not a word the same text also writes in lower case.

Across languages a name may change form: exonyms and transliterations (California/Kalifornien, Moscow/Moskau,
Gerasimov/Gerassimow) and inflection (Milleys). Names are matched with Jaro-Winkler similarity (rapidfuzz) on
accent-folded, phonetically folded spellings, and country names through CLDR's territory names per locale.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .language import normalize

#: languages that capitalise every noun: a capitalised word there is a name only when it is not a common word
NOUN_CAPITALISING = frozenset({"de", "lb"})
#: Jaro-Winkler similarity above which two spellings are the same name (Milley/Milleys 0.97, Moscow/Moscou 0.93)
SAME_NAME = 0.85
#: a word this frequent in its language (Zipf scale, 3 = once per million words) is a common word there
COMMON_ZIPF = 3.0
#: a common word this much rarer abroad (Zipf points) is a word of its language, so a translation translates it
GAP = 1.5
#: words this frequent ("The", "Can", "No", "I'm") are function words wherever they stand
FUNCTION_ZIPF = 6.0
_ABROAD = ("en", "fr", "es", "it")
CONNECTORS = frozenset({"of", "for", "the", "de", "von", "van", "der", "den", "du", "la", "le", "del", "da", "di",
                         "des", "y", "e", "und", "and", "et"})
_WORD = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’][^\W\d_]+)*")  # hyphenated parts are words of their own
_OPENERS = "\"'“‘«„‚»([-–—"
_PHONETIC = [(r"sch|sh", "s"), (r"ph", "f"),
             (r"[ck]+|q", "k"), (r"[wv]+", "v"), (r"[yj]", "i"), (r"[sz]+", "s"), (r"(\w)\1", r"\1"),
             (r"(?<=\w)(?:ou|au|u|o)$", "o"), (r"(?<=\w)(?:ie|ia|ien|e|a)n?$", "a")]


def fold(word: str) -> str:
    """Lower case without accents, spelled by sound: Moscow, Moskau and Moscou all fold to "mosko"."""
    text = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))
    text = text.replace("ß", "ss")
    for pattern, repl in _PHONETIC:
        text = re.sub(pattern, repl, text)
    return text


def similar(a: str, b: str) -> float:
    """How alike two spellings of a word are (0..1): the better of plain and folded Jaro-Winkler similarity."""
    from rapidfuzz.distance import JaroWinkler

    la, lb = a.lower(), b.lower()
    if min(len(la), len(lb)) <= 3:  # short words ("Do", "EU") match only exactly or as a prefix with inflection
        return 1.0 if la == lb or (lb.startswith(la) and len(lb) - len(la) <= 2 and len(la) >= 2) else 0.0
    return max(JaroWinkler.normalized_similarity(la, lb), JaroWinkler.normalized_similarity(fold(a), fold(b)))


@lru_cache(maxsize=32)
def calendar_words(language: str) -> frozenset[str]:
    """Weekday and month names of a locale (CLDR via Babel), lower-cased: capitalised, but not names."""
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_day_names, get_month_names

    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return frozenset()
    words: set[str] = set()
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            words |= {w.lower().rstrip(".") for w in get_day_names(width, context, language).values()}
            words |= {w.lower().rstrip(".") for w in get_month_names(width, context, language).values()}
    return frozenset(words)


@lru_cache(maxsize=32)
def territories(language: str) -> dict[str, str]:
    """Country and region names of a locale (CLDR), lower-cased, to their ISO code: "deutschland" -> "DE"."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(language).territories
    except (UnknownLocaleError, ValueError):
        return {}
    return {name.lower(): code for code, name in names.items() if code.isalpha()}


def zipf(word: str, language: str) -> float:
    """Frequency of a word in a language on the Zipf scale (0 when unknown or the language has no list)."""
    from wordfreq import zipf_frequency

    try:
        return zipf_frequency(word, language)
    except LookupError:
        return 0.0


def is_initial(text: str, start: int) -> bool:
    """Whether the word at `start` begins a sentence, a line, a quote or a headline part ("Berlin - Am ...")."""
    before = text[max(0, start - 80):start]
    stripped = before.rstrip().rstrip(_OPENERS).rstrip()
    if not stripped or "\n" in before[len(stripped):]:
        return True
    if stripped[-1] not in ".!?…:":
        return False
    prev = re.search(r"(\S+)[.]$", stripped)
    return not (prev and (len(prev.group(1)) <= 3 and prev.group(1)[:1].isupper()))  # "Gen.", "U.S."


def name_runs(text: str, language: str) -> list[list[str]]:
    """Runs of consecutive name words in `text` (connectors like "of" kept inside), in order, without repeats."""
    lang = normalize(language or "en")
    tokens = [(re.sub(r"['’]s$", "", m.group(0)), m.start(), m.end()) for m in _WORD.finditer(text)]
    lowered = {w.lower() for w, _, _ in tokens if w[0].islower()}
    mid_capitals = {w for w, s, _ in tokens if w[0].isupper() and not is_initial(text, s)}
    months_days = calendar_words(lang) | calendar_words("en")
    runs: list[list[str]] = []
    current: list[str] = []
    end = 0
    for word, start, stop in tokens:
        joined = bool(current) and not text[end:start].strip(" -") and "\n" not in text[end:start]
        if not joined and current:
            runs.append(current)
            current = []
        end = stop
        chained = joined and lang in NOUN_CAPITALISING and word[0].isupper() and current[-1] not in CONNECTORS
        if chained or _is_name(word, text, start, lang, lowered, mid_capitals, months_days) or (
                current and word in CONNECTORS and joined):
            current.append(word)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    cleaned = []
    for run in runs:
        while run and run[-1] in CONNECTORS:
            run = run[:-1]
        if run and run not in cleaned:
            cleaned.append(run)
    return cleaned


def _is_name(word: str, text: str, start: int, lang: str, lowered: set[str], mid_capitals: set[str],
             months_days: frozenset[str]) -> bool:
    """The language-aware test for one capitalised word (see the module docstring)."""
    if not word[0].isupper() or len(word) < 2 or (lang in NOUN_CAPITALISING and text[start + len(word):][:1] == "-"
                                                   and not word.isupper()):
        return False  # the head of a German compound ("Ex-", "Landes-") is not a name of its own
    acronym = _acronym(word)
    inner_capital = any(c.isupper() for c in word[1:]) and not acronym
    if word.lower() in months_days or word.lower() in lowered or (word.isupper() and not acronym):
        return False
    if not acronym and zipf(word, lang) >= FUNCTION_ZIPF:
        return False
    if is_initial(text, start) and word not in mid_capitals and not (acronym or inner_capital):
        return False
    if acronym or inner_capital:
        return True
    if lang in NOUN_CAPITALISING:
        return not _common_noun(word, lang)
    return not _headline_word(word, text, start, lang)


def _acronym(word: str) -> bool:
    """"SPÖ", "NATO", "U.S.": capitals that stand for a name. Longer all-caps words are shouting ("CHAINSAW")."""
    return (word.isupper() and 2 <= len(word) <= 5) or re.fullmatch(r"(?:[A-Z]\.){2,}", word) is not None


def translatable(word: str, source_lang: str, target_lang: str | None = None) -> bool:
    """A common word of its language that is much rarer abroad: a translation translates it ("Council" -> "Rat").

    Names used everywhere (Berlin, Trump, Merkel) are about as frequent abroad, names nobody knows (Milley,
    Machtolsheim) are rare at home too: both must survive translation.
    """
    home = zipf(word, source_lang)
    if home < COMMON_ZIPF:
        return False
    others = [target_lang] if target_lang and target_lang != source_lang else [o for o in _ABROAD if o != source_lang]
    return max(zipf(word, o) for o in others) < home - GAP


def required(name: str, source_lang: str, target_lang: str) -> bool:
    """Whether a translation must keep `name` in some spelling: it has a word that is not translated."""
    lang, tgt = normalize(source_lang or "en"), normalize(target_lang or "en")
    return any(_acronym(w) or not translatable(w, lang, tgt) for w in name.split() if w not in CONNECTORS)


def _common_noun(word: str, lang: str) -> bool:
    """A German noun, not a name: a common word of the language, or a compound of two ("Bankchef").

    Names that are also frequent words abroad (Berlin, Merkel) are names: a common noun is frequent only at home.
    """
    if translatable(word, lang):
        return True
    if zipf(word, lang) >= COMMON_ZIPF:
        return False
    lower = word.lower()
    abroad = max(zipf(word, o) for o in _ABROAD if o != lang)
    for k in range(3, len(lower) - 2):
        head, tail = lower[:k], lower[k:]
        for link in ("", "s", "es", "n", "en"):
            if head.endswith(link) and zipf(head[:len(head) - len(link)] if link else head, lang) >= COMMON_ZIPF \
                    and zipf(tail, lang) >= COMMON_ZIPF and abroad < 1.0:
                return True
    return False


def _headline_word(word: str, text: str, start: int, lang: str) -> bool:
    """A common word capitalised because its line is title case ("Shivraj Singh Chouhan On Testing Covid Positive")."""
    line_start = max(text.rfind("\n", 0, start), max(text.rfind(p, 0, start) for p in ".!?")) + 1
    line_end = min([i for i in (text.find("\n", start), text.find(". ", start)) if i >= 0] or [len(text)])
    words = _WORD.findall(text[line_start:line_end])
    if len(words) < 4 or sum(w[0].isupper() for w in words) < 0.6 * len(words):
        return False
    return zipf(word, lang) >= COMMON_ZIPF + 1


def kept(name: list[str], text: str, source_lang: str, target_lang: str) -> bool:
    """Whether `text` (a translation) still has the name: any of its words in some spelling, or its country."""
    words = [w for w in name if w not in CONNECTORS]
    candidates = [m.group(0) for m in _WORD.finditer(text)]
    code = territories(normalize(source_lang)).get(" ".join(name).lower())
    if code is not None:
        local = {n for n, c in territories(normalize(target_lang)).items() if c == code}
        if any(re.search(rf"(?<!\w){re.escape(n)}", text.lower()) for n in local):
            return True
    return any(similar(w, c) >= SAME_NAME for w in words for c in candidates)
