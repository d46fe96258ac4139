"""What counts as a name in each language, and whether a name survives translation in another form.

Capital letters alone do not make a name: every sentence starts with one, English headlines capitalise every word,
and German capitalises every noun. So a capitalised word is a name when the language gives it no other reason to
be capitalised: not sentence-initial (unless it is capitalised mid-sentence elsewhere), not a weekday or month of
that locale (CLDR data through Babel), not a word the same text also writes in lower case, and in German not a
noun: the part-of-speech lexicon decides (`lexicon.py`), and for words it does not know, compounds of known words
and words frequent at home but rare abroad (`wordfreq`) are nouns. The same lexicon (German, English) and the
frequency gap between languages say which words of a name a translation may translate ("White House").

Across languages a name may change form: exonyms and transliterations (California/Kalifornien, Moscow/Moskau,
Gerasimov/Gerassimow) and inflection (Milleys). Names are matched with Jaro-Winkler similarity (rapidfuzz) on
accent-folded, phonetically folded spellings, and places through their names in each locale (`places.py`).
"""

from __future__ import annotations

import bisect
import logging
import math
import re
import unicodedata
from functools import lru_cache

from ..budget import check
from .language import cldr_locale, normalize
from .lexicon import (
    LINKS,
    NOUN_CAPITALISING,
    compound_initials,
    german_compound,
    has_lexicon,
    likely_tags,
    word_class,
)
from .places import DECLINING, declined_place, positional_rest, same_place, shared_start, territories
from .text import unaccent

#: wordfreq says on stderr, whatever the log settings, when it reads a close language's table (hr → sh, "Serbo-
#: Croatian"); that is what digest wants, and a cron run must stay quiet
logging.getLogger("wordfreq").setLevel(logging.ERROR)

#: Jaro-Winkler similarity above which two spellings are the same name (Milley/Milleys 0.97, Moscow/Moscou 0.93)
SAME_NAME = 0.85
#: a word this frequent in its language (Zipf scale, 3 = once per million words) is a common word there
COMMON_ZIPF = 3.0
#: COMMON_ZIPF as a share of all words, as `wordfreq`'s tables hold it
COMMON_FREQUENCY = 10 ** (COMMON_ZIPF - 9)
#: a word this long and rarer than MISSPELT_ZIPF, one typing error away from a common noun, is that noun misspelt
MISSPELT_LENGTH, MISSPELT_ZIPF = 7, 1.5
#: a common word this much rarer abroad (Zipf points) is a word of its language, so a translation translates it
GAP = 1.5
#: words this frequent ("The", "Can", "No", "I'm") are function words wherever they stand
FUNCTION_ZIPF = 6.0
#: a word the lexicon knows as a common word, this much rarer abroad (Zipf points), is not a name used everywhere
#: ("White" 5.5 in English, 4.3 in German web text; "Trump" 4.9 and 4.7)
LEXICON_GAP = 1.0
#: in languages that capitalise nouns both names and nouns are capitalised: a noun must be far rarer abroad
NOUN_GAP = 3.0
_ABROAD = ("en", "fr", "es", "it")
# STTS parts of speech that open a noun phrase: article, "am", possessive, demonstrative, indefinite, interrogative
_DETERMINER_TAGS = frozenset({"ART", "APPRART", "PPOSAT", "PDAT", "PIAT", "PWAT"})
CONNECTORS = frozenset({"of", "for", "the", "de", "von", "van", "der", "den", "du", "la", "le", "del", "da", "di",
                         "des"})  # never "and": "Vietnam and Cambodia" are two names
#: an inflected form shares the name's stem and adds at most this many letters to it ("Nathen|aové")
ENDING = 5
_WORD = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_]+(?:['’][^\W\d_]+)*")  # hyphenated parts are words of their own
_OPENERS = "\"'“‘«„‚»([-–—"
_PHONETIC = [(r"sch|sh", "s"), (r"ph", "f"),
             (r"[ck]+|q", "k"), (r"[wv]+", "v"), (r"[yj]", "i"), (r"[sz]+", "s"), (r"(\w)\1", r"\1"),
             (r"(?<=\w)(?:ou|au|u|o)$", "o"), (r"(?<=\w)(?:ie|ia|ien|e|a)n?$", "a")]


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower case without accents, spelled by sound: Moscow, Moskau and Moscou all fold to "mosko"."""
    text = unaccent(word)
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


def inflected(a: str, b: str) -> bool:
    """Whether two words are one name in two cases or as its adjective: they share a stem and differ only in
    endings ("Xerxes"/"Xerxova", "Zemanovi"/"Zeman", "Kargil"/"kárgilské", "Eva"/"Evy"), the stem perhaps spelled
    with one letter changed, put in or left out ("Aeschylus"/"Aischylova"). For languages that decline names
    (`places.DECLINING`); a short stem counts only between two capitalised short words."""
    x, y = unaccent(a), unaccent(b)
    stem = shared_start(x, y)
    if stem >= 4 and _ends_differ(x, y, stem, stem, b):
        return True
    if stem >= 1 and stem < min(len(x), len(y)):  # one edit at the first letter they differ in, then the same stem
        for dx, dy in ((1, 1), (1, 0), (0, 1)):
            after = shared_start(x[stem + dx:], y[stem + dy:])
            if after >= 3 and min(stem + dx, stem + dy) + after >= 6 and \
                    _ends_differ(x, y, stem + dx + after, stem + dy + after, b):
                return True
    return 2 <= stem < 4 and len(x) - stem <= 1 and len(y) - stem <= 1 and len(x) <= 4 and len(y) <= 4 \
        and a[:1].isupper() and b[:1].isupper()


def _ends_differ(x: str, y: str, stem_x: int, stem_y: int, b: str) -> bool:
    """Whether what follows each word's stem is an ending: at most `ENDING` letters, and the shorter of two at
    most 2 unless the second word is capitalised (a lower-case word with a long ending is another word)."""
    rests = sorted((len(x) - stem_x, len(y) - stem_y))
    return rests[1] <= ENDING and (rests[0] <= 2 or b[:1].isupper())


@lru_cache(maxsize=64)
def has_word_list(language: str) -> bool:
    """Whether `wordfreq` has a frequency list for the language: without one (Hausa, Yoruba...) no word can be told
    from a name by how common it is."""
    from wordfreq import available_languages

    base = normalize(language or "en").split("-")[0]
    return base in available_languages() or base in ("hr", "sr", "bs")  # read from the "sh" table


def _calendar_like(word: str, months_days: frozenset[str]) -> bool:
    """A weekday or month in a spelling or form CLDR does not list ("Juma'ar", "Lahadin", "Afrilu"): one letter
    from CLDR's name, or it with an ending. For languages without a word list, where nothing else says that the
    word is no name."""
    from rapidfuzz.distance import Levenshtein

    w = fold(re.sub(r"['’ʼ]", "'", word))
    return len(w) >= 4 and any(len(day) >= 4 and (Levenshtein.distance(w, day) <= 1 or (
        w.startswith(day) and len(w) - len(day) <= 2)) for day in _folded_calendar(months_days))


@lru_cache(maxsize=32)
def _folded_calendar(months_days: frozenset[str]) -> frozenset[str]:
    return frozenset(fold(re.sub(r"['’ʼ]", "'", d)) for d in months_days)


@lru_cache(maxsize=32)
def calendar_words(language: str) -> frozenset[str]:
    """Weekday and month names of a locale (CLDR via Babel), lower-cased: capitalised, but not names."""
    from babel.dates import get_day_names, get_month_names

    if cldr_locale(language) is None:
        return frozenset()
    words: set[str] = set()
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            words |= {w.lower().rstrip(".") for w in get_day_names(width, context, language).values()}
            words |= {w.lower().rstrip(".") for w in get_month_names(width, context, language).values()}
    return frozenset(words)


@lru_cache(maxsize=32)
def _eras(language: str) -> dict[str, tuple[int, ...]]:
    """CLDR's Gregorian era names of a locale (wide, abbreviated, narrow) as written, to the eras they name:
    "BC" and "Before Christ" -> (0,), "př. n. l." -> (0,). Forms of one letter are left out."""
    locale = cldr_locale(language)
    found: dict[str, set[int]] = {}
    for names in (locale.eras.values() if locale is not None else ()):
        for era, written in names.items():
            if len(_squeezed(written)) > 1:
                found.setdefault(written, set()).add(era)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def _squeezed(text: str) -> str:
    return re.sub(r"[.\s]+", "", text).lower()


def era_kept(name: str, translation: str, source_lang: str, target_lang: str) -> bool:
    """Whether a name is an era ("B.C.", "AD", any dots) that the translation writes as its own language's
    CLDR name of that era ("př. n. l.", "v. Chr.", "до н. э.", with their dots: "н. е." is an era, "не" not)."""
    eras = {e for form, named in _eras(normalize(source_lang)).items() if _squeezed(form) == _squeezed(name)
            for e in named}
    if not eras:
        return False
    theirs = [form for form, named in _eras(normalize(target_lang)).items() if set(named) & eras]
    return any(_era_pattern(form).search(translation) for form in theirs)


@lru_cache(maxsize=256)
def _era_pattern(form: str) -> re.Pattern[str]:
    """An era's name as a whole word, its dots kept and its spaces optional: "př. n. l." finds "př.n.l."."""
    body = r"\s*".join(re.escape(part) for part in form.split())
    return re.compile(rf"(?<!\w){body}(?!\w)", re.I)


#: languages whose wordfreq tokenizer needs jieba or MeCab, which the default install lacks: their tables are read
#: whole-word instead (a name or word of the checks is one token already)
_SEGMENTED_TABLES = frozenset({"zh", "ja", "ko"})


def zipf(word: str, language: str) -> float:
    """Frequency of a word in a language on the Zipf scale (0 when unknown or the language has no list)."""
    from wordfreq import zipf_frequency

    base = language.split("-")[0].lower()
    if not has_word_list(base):  # wordfreq would answer from its English table
        return 0.0
    if base in _SEGMENTED_TABLES:
        return _table_zipf(word, base)
    try:
        return zipf_frequency(word, language)
    except (LookupError, ImportError):  # ImportError: a tokenizer wordfreq would need for a language we do not know
        return 0.0


def _table_zipf(word: str, language: str) -> float:
    """Zipf value of `word` read straight from wordfreq's table, without its (jieba / MeCab) tokenizer."""
    from wordfreq import get_frequency_dict

    freq = get_frequency_dict(language).get(unicodedata.normalize("NFKC", word).casefold(), 0.0)
    return round(math.log10(freq) + 9, 2) if freq > 0 else 0.0


def is_initial(text: str, start: int) -> bool:
    """Whether the word at `start` begins a sentence, a line, a quote or a headline part ("Berlin - Am ...")."""
    before = text[max(0, start - 80):start]
    stripped = before.rstrip().rstrip(_OPENERS).rstrip()
    if not stripped or "\n" in before[len(stripped):]:
        return True
    if re.search(r"\s[-–—]$", stripped):  # "Frankfurt/Main - Der ...": a dateline or headline part ends
        return True
    if stripped[-1] not in ".!?…:":
        return False
    prev = re.search(r"(\S+)[.]$", stripped)
    return not (prev and (len(prev.group(1)) <= 3 and prev.group(1)[:1].isupper()))  # "Gen.", "U.S."


def name_runs(text: str, language: str) -> list[list[str]]:
    """Runs of consecutive name words in `text` (connectors like "of" kept inside), in order, without repeats."""
    lang = normalize(language or "en")
    tokens = []
    for m in _WORD.finditer(text):  # "Milley's" -> "Milley"; the elided article of "l'OMS", "d'Airbus" goes
        elided = re.match(r"(?:[lLdD]|[qQ]u)['’](?=[^\W\d_])", m.group(0))
        cut = elided.end() if elided else 0
        word = re.sub(r"['’]s$", "", m.group(0)[cut:])
        tokens.append((word, m.start() + cut, m.end() - (len(m.group(0)) - cut - len(word))))
    lowered = {w.lower() for w, _, _ in tokens if w[0].islower()}
    mid_capitals = {w for w, s, _ in tokens if w[0].isupper() and not is_initial(text, s)}
    months_days = calendar_words(lang) | calendar_words("en")
    listed = has_word_list(lang)  # "da" is "of" in Italian, "and" in Hausa: connectors are words of known languages
    runs: list[list[str]] = []
    current: list[str] = []
    end = 0
    for word, start, stop in tokens:
        check()
        gap = text[end:start]
        # a possessive before a person's name ends a name ("the Green Party's Howie Hawkins"), not before a common
        # word that goes on with it ("Macy's Thanksgiving Parade", "St John's Wood")
        possessive = bool(current) and gap.strip() in ("'s", "’s") and has_lexicon(lang) and \
            word_class(word.lower(), lang) in ("noun", "other")
        joined = bool(current) and (not gap.strip() or gap == "-" or possessive)
        if not joined and current:
            runs.append(current)
            current = []
        end = stop
        # a capitalised word right after a name word belongs to it ("Joint Chiefs of Staff", "Horst Seehofer")
        chained = joined and word[0].isupper() and word.lower() not in months_days and (
            listed or not _calendar_like(word, months_days)) and not (
            lang in NOUN_CAPITALISING and (current[-1] in CONNECTORS or _german_noun(word, text, start, lang)
                                            or (gap == "-" and not has_lexicon(lang)))  # "SPÖ-Landesregierung"
        ) and not _headline_word(word, text, start, lang)
        if chained or _is_name(word, text, start, lang, lowered, mid_capitals, months_days) or (
                current and word in CONNECTORS and joined and listed):
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
    if not word[0].isupper() or len(word) < 2:
        return False
    if lang in NOUN_CAPITALISING and _compound_head(word, text, start, lang):
        return False
    acronym = _acronym(word)
    inner_capital = any(c.isupper() for c in word[1:]) and not acronym
    if word.lower() in months_days or word.lower() in lowered or (word.isupper() and not acronym):
        return False
    if not has_word_list(lang) and _calendar_like(word, months_days):
        return False
    if not acronym and (zipf(word, lang) >= FUNCTION_ZIPF and not _name_head(word, text, start, lang)
                        or re.search(r"['’](?:ll|ve|re|d|m)$", word)):
        return False
    if is_initial(text, start) and word not in mid_capitals and not (acronym or inner_capital):
        return _opens_name(word, text, start, lang)
    if acronym or inner_capital:
        return True
    if lang in NOUN_CAPITALISING:
        return not _german_noun(word, text, start, lang)
    return not _headline_word(word, text, start, lang)


def _opens_name(word: str, text: str, start: int, lang: str) -> bool:
    """A sentence's first word that the lexicon knows only as a name, before another capitalised word: "Hong" of
    "Hong Kong", "Abu Dhabi", "Boris Johnson". Without it the rest is checked alone ("Kong"), and a translation
    that writes the whole name as one word ("Hongkongská", "Гонконга") or under its own ("Abú Zabí") loses it.
    "New", "British" or "Police" are words of the language in lower case too, so they open no name."""
    return lang not in NOUN_CAPITALISING and has_lexicon(lang) and _before_capital(word, text, start) and \
        word_class(word, lang) == "name" and word_class(word.lower(), lang) in (None, "name")


def _name_head(word: str, text: str, start: int, lang: str) -> bool:
    """A frequent word that the lexicon also knows as the start of a name, before another capitalised word
    ("New" of "New York", "Will" of "Will Smith"), not a function word capitalised in a headline."""
    return lang not in NOUN_CAPITALISING and _before_capital(word, text, start) and \
        word_class(word, lang) in ("name", "both")


def _before_capital(word: str, text: str, start: int) -> bool:
    """Whether one space and a capital letter follow the word."""
    following = re.match(r" ([^\W\d_])", text[start + len(word):start + len(word) + 2])
    return following is not None and following.group(1).isupper()


def _compound_head(word: str, text: str, start: int, lang: str) -> bool:
    """The head of a German compound ("Ex-", "Landes-") or a part cut short ("Hoch- und Tiefdruckgebiete", "Nord- und
    Südkorea"): no name of its own. With a lexicon only the cut-short part: it is asked about "Jumbo-Visma"."""
    after = text[start + len(word):start + len(word) + 2]
    if after[:1] != "-" or word.isupper():
        return False
    return not has_lexicon(lang) or not after[1:].strip(", \n")


def _german_noun(word: str, text: str, start: int, lang: str) -> bool:
    """A capitalised German word that is a noun: the lexicon's noun, a compound of known words, or (for words no
    lexicon knows) a common word of the language that is rare abroad. Names after an article stay names ("an der
    Suzuki", "im niederbayerischen Mamming"); a word that can be either is a noun after one ("auf dem Hof")."""
    kind = word_class(word, lang)
    if kind is None and has_lexicon(lang) and word.endswith("s"):  # a genitive: "des Buchstabens", "Merkels"
        stems = [word[:-1], word[:-2]] if word.endswith("es") else [word[:-1]]
        kind = next((k for k in (word_class(stem, lang) for stem in stems) if k in ("noun", "name", "both")), None)
    if (kind == "other" or _place_adjective(word, lang)) and re.match(r"\s+[A-ZÄÖÜ]", text[start + len(word):]):
        return False  # a capitalised adjective before a noun is part of a name ("Neue Osnabrücker Zeitung")
    if kind == "both":
        return _after_determiner(text, start, lang)
    if kind is not None:
        return kind != "name"
    if has_lexicon(lang):  # names travel, German compounds do not: "Fuhrmann" is written abroad, "Gemüsehof" not
        return (german_compound(word) and not _used_abroad(word, lang)) or _frequent_noun(word, lang) or \
            _misspelt_noun(word, lang)
    return text[max(0, start - 1):start] == "-" or _after_determiner(text, start, lang) or _common_noun(word, lang)


def acronyms(text: str) -> list[str]:
    """The acronyms of a text, in order ("EU", "U.S.")."""
    return [w for w in _WORD.findall(re.sub(r"['’]", " ", text)) if _acronym(w)]  # "l'OMC" -> "OMC"


def _acronym(word: str) -> bool:
    """"SPÖ", "NATO", "U.S.": capitals that stand for a name. Longer all-caps words are shouting ("CHAINSAW")."""
    return (word.isupper() and 2 <= len(word) <= 5) or re.fullmatch(r"(?:[A-Z]\.){2,}", word) is not None


def translatable(word: str, source_lang: str, target_lang: str | None = None) -> bool:
    """A common word of its language that is much rarer abroad: a translation translates it ("Council" -> "Rat").

    Where a lexicon knows the word, it decides: its common words are translated ("White House" -> "Weißes Haus"),
    its names kept, and so are countries named like common words ("Turkey", "Chad"). Otherwise frequencies do:
    names used everywhere (Berlin, Trump, Merkel) are about as frequent abroad, names nobody knows (Milley,
    Machtolsheim) are rare at home too, and both must survive translation.
    """
    if has_lexicon(source_lang):
        if source_lang in NOUN_CAPITALISING:  # a noun, or a region named by one ("Nordsee" = North Sea)
            if _place_adjective(word, source_lang):
                return False
            return word_class(word, source_lang) in ("noun", "other") or any(
                word_class(rest, source_lang) == "noun" for rest in positional_rest(word, source_lang))
        abroad = zipf(word, target_lang) if target_lang and target_lang != source_lang else 0.0
        return word_class(word.lower(), source_lang) in ("noun", "other") and \
            zipf(word, source_lang) - abroad >= LEXICON_GAP and word.lower() not in territories(source_lang)
    home = zipf(word, source_lang)
    if home < COMMON_ZIPF:
        return False
    others = [target_lang] if target_lang and target_lang != source_lang else [o for o in _ABROAD if o != source_lang]
    gap = NOUN_GAP if source_lang in NOUN_CAPITALISING else GAP
    return max(zipf(word, o) for o in others) < home - gap


def required(name: str, source_lang: str, target_lang: str) -> bool:
    """Whether a translation must keep `name` in some spelling: it has a word that is not translated."""
    return bool(required_words(name, source_lang, target_lang))


def required_words(name: str, source_lang: str, target_lang: str) -> list[str]:
    """The words of `name` a translation must keep: acronyms, and words that are not common words (and in a body
    named by what it does, "Department of Transport", no common words at all)."""
    lang, tgt = normalize(source_lang or "en"), normalize(target_lang or "en")
    needed = [w for w in name.split() if w not in CONNECTORS and (_acronym(w) or not translatable(w, lang, tgt))]
    head, of, _ = name.partition(" of ")
    if of and has_lexicon(lang) and lang not in NOUN_CAPITALISING and all(
            translatable(w, lang, tgt) for w in head.split()):
        # "Department of Transport": a body named by what it does is translated whole ("Gulf of Guinea" is a place)
        needed = [w for w in needed if _acronym(w) or word_class(w, lang) in ("name", "both")
                  or word_class(w.lower(), lang) not in ("noun", "other")]
    return needed


def made_of_common_words(name: str, source_lang: str) -> bool:
    """A name of two words or more, every one a common word of its language ("Champions League", "Golden Boot",
    "Red Devils"): a translation may translate it word by word, so a missing spelling of it proves nothing alone.
    One word is a person or a place more often than not ("Trump" is a card game's word too). Asked where a
    lexicon tells common words from names and only names are capitalised."""
    lang = normalize(source_lang or "en")
    words = [w for w in name.split() if w not in CONNECTORS]
    return has_lexicon(lang) and lang not in NOUN_CAPITALISING and len(words) >= 2 and all(
        not _acronym(w) and zipf(w, lang) >= COMMON_ZIPF and word_class(w.lower(), lang) in ("noun", "other")
        for w in words)


def own_capitals(text: str, language: str) -> list[str]:
    """The capitalised words of a text that do not start a sentence, a line or a quote, nor name a month or day:
    where a text names something (a name it translated starts with one, "Liga mistrů", "Zlatou kopačku")."""
    lang = normalize(language or "en")
    calendar = calendar_words(lang)
    words = ((m.group(0), m.start()) for m in _WORD.finditer(text))
    return [w for w, start in words if w[0].isupper() and len(w) > 1 and not _acronym(w)
            and w.lower() not in calendar and not is_initial(text, start)]


def _after_determiner(text: str, start: int, lang: str) -> bool:
    """Whether an article or determiner comes before the word, maybe across attributive adjectives ("der schweren",
    "sein großer", not "am ehesten"): the lexicon knows determiners and adjectives by their part of speech."""
    before = re.findall(r"[^\W\d_]+|[^\w\s]", text[max(0, start - 60):start])
    for token in reversed(before):
        tags = likely_tags(token.lower(), lang)
        if tags & _DETERMINER_TAGS:
            return True
        if not token[0].islower() or not tags <= {"ADJ(A)", "CARD"}:
            return False
    return False


def _common_noun(word: str, lang: str) -> bool:
    """A German noun, not a name: a common word of the language, or a compound of two ("Bankchef").

    Names that are also frequent words abroad (Berlin, Merkel) are names: a common noun is frequent only at home.
    """
    return _frequent_noun(word, lang) or (zipf(word, lang) < COMMON_ZIPF and _segments(word.lower(), lang, first=True))


def _place_adjective(word: str, lang: str) -> bool:
    """A German adjective made of a place name, capitalised as the place ("Würzburger" of Würzburg)."""
    return lang in NOUN_CAPITALISING and len(word) > 5 and word.endswith("er") and word_class(word[:-2], lang) == "name"


def _used_abroad(word: str, lang: str) -> bool:
    """Whether other languages' texts write the word at all (`wordfreq` lists words from Zipf 1 up)."""
    return max(zipf(word, o) for o in _ABROAD if o != lang) >= 1.0


@lru_cache(maxsize=4096)
def _misspelt_noun(word: str, lang: str) -> bool:
    """A long word nobody writes, one typing error after its first letter away from a common noun ("Grenezn",
    "Strönung"). Surnames are short and written as their owners write them: "Kranzl" stays a name."""
    if len(word) < MISSPELT_LENGTH or zipf(word, lang) >= MISSPELT_ZIPF or _used_abroad(word, lang):
        return False
    from wordfreq import get_frequency_dict  # the table `zipf` reads, cached by wordfreq

    known = get_frequency_dict(lang)
    lower = word.lower()
    splits = [(lower[:i], lower[i:]) for i in range(1, len(lower) + 1)]
    letters = set(lower) | set("abcdefghijklmnopqrstuvwxyzäöüß")
    edits = {a + b[1:] for a, b in splits if b} | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1} | {
        a + c + b[k:] for a, b in splits for c in letters for k in (0, 1) if b or not k}
    return any(known.get(e, 0.0) >= COMMON_FREQUENCY and word_class(e.capitalize(), lang) == "noun"
               for e in edits if e != lower)


def _frequent_noun(word: str, lang: str) -> bool:
    """A word frequent in its language and far rarer abroad."""
    home = zipf(word, lang)
    return home >= COMMON_ZIPF and max(zipf(word, o) for o in _ABROAD if o != lang) < home - NOUN_GAP


@lru_cache(maxsize=4096)
def _segments(rest: str, lang: str, first: bool = False) -> bool:
    """Whether `rest` splits into common words of the language ("wertpapierbesitzer" = wert|papier|besitzer)."""
    if not first and len(rest) >= 4 and zipf(rest, lang) >= COMMON_ZIPF:
        return True
    for k in range(3 if first else 4, len(rest) - 3):
        head = rest[:k]
        for link in LINKS:
            stem = head[:len(head) - len(link)] if link else head
            if head.endswith(link) and len(stem) >= 3 and zipf(stem, lang) >= COMMON_ZIPF and _segments(rest[k:], lang):
                return True
    return False


def _headline_word(word: str, text: str, start: int, lang: str) -> bool:
    """A common word capitalised because its line is title case ("Shivraj Singh Chouhan On Testing Covid Positive")."""
    if not _title_case_line(text, start):
        return False
    return zipf(word, lang) >= COMMON_ZIPF + 1


class _Lines:
    """Where the lines (or sentences) of one text start and end, and which of them are title case: found once per
    text, so that each word's question costs a lookup, not a scan back to the text's start."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [m.start() for m in re.finditer(r"[\n.!?]", text)]  # a line starts after one of these
        self.ends = [m.start() for m in re.finditer(r"\n|\. ", text)]
        self.verdicts: dict[tuple[int, int], bool] = {}

    def title_case(self, start: int) -> bool:
        k = bisect.bisect_left(self.starts, start)
        line_start = self.starts[k - 1] + 1 if k else 0
        k = bisect.bisect_left(self.ends, start)
        line_end = self.ends[k] if k < len(self.ends) else len(self.text)
        verdict = self.verdicts.get((line_start, line_end))
        if verdict is None:
            words = _WORD.findall(self.text[line_start:line_end])[1:]  # the first word is capitalised in any case
            verdict = len(words) >= 5 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)
            self.verdicts[line_start, line_end] = verdict
        return verdict


@lru_cache(maxsize=8)
def _lines(text: str) -> _Lines:
    return _Lines(text)


def _title_case_line(text: str, start: int) -> bool:
    """Whether the line (or sentence) around `start` is title case: five words or more after its first, and three
    in five of them capitalised."""
    return _lines(text).title_case(start)


def kept(name: list[str], text: str, source_lang: str, target_lang: str) -> bool:
    """Whether `text` (a translation) still has the name: each word it must keep in some spelling, its country,
    or the era it names in the text's own words.

    A German translation may keep a name inside a compound ("Währungsfonds", "Merkelregierung")."""
    words = required_words(" ".join(name), source_lang, target_lang) or [w for w in name if w not in CONNECTORS]
    candidates = [m.group(0) for m in _WORD.finditer(re.sub(r"['’]", " ", text))]  # "l'UE" -> "l", "UE"
    candidates += [w for w in _WORD.findall(text) if "'" in w or "’" in w]  # and "Na'Allah", "O'Brien" whole
    phrase = " ".join(name)
    if same_place(phrase, candidates, source_lang, target_lang) or era_kept(phrase, text, source_lang, target_lang):
        return True
    if _acronym(phrase):  # EU/UE, BIP/PIB, US/USA: acronyms are reordered or extended across languages
        letters = sorted(phrase.replace(".", ""))
        return any(_acronym(c) and (sorted(c) == letters or c.startswith(phrase) or phrase.startswith(c))
                   or (len(phrase) >= 4 and c.lower() == phrase.lower())  # "COVID" -> "covid", "NATO" -> "Nato"
                   for c in candidates) or _spelled_out(letters, candidates) or \
            any(compound_initials(phrase, c) for c in candidates)
    glued = normalize(target_lang) in NOUN_CAPITALISING
    src = normalize(source_lang)
    initials = "".join(w[0] for w in name if w not in CONNECTORS)
    if len(initials) >= 3 and initials.isupper() and initials in candidates and (not has_lexicon(src) or any(
            word_class(w, src) in ("noun", "other") for w in name)):  # "National Health Service" -> NHS
        return True  # a body's acronym; a person's initials ("Peter Müller", "PM") are no name of theirs
    # "St. Peter" for "Sankt-Peter": an abbreviation with its full stop, before another word of the same name
    shortened = re.findall(r"(?<![^\W\d_])([A-Z][a-z]{1,2})\.\s*([^\W\d_]+)", text)
    declined = src in DECLINING or normalize(target_lang) in DECLINING
    content = [w for w in name if w not in CONNECTORS]
    # the words of a span that holds every word to keep, written as one: "New York" of "New York Police"
    spans = {"".join(content[i:k]) for i in range(len(content)) for k in range(i + 2, len(content) + 1)
             if set(words) <= set(content[i:k])}
    if any(unaccent(c) == unaccent(whole) or (declined and len(c) >= len(whole) and inflected(whole, c))
           for whole in spans for c in candidates):
        return True  # "Tamil Nadu" -> "Tamilnádu", "New York" -> "newyorského"
    return all(any((similar(v, c) >= SAME_NAME or (glued and _inside(v, c)) or _abbreviation(v, c)
                    or (declined and inflected(v, c) and not _other_place(v, c, src, target_lang))) for c in candidates
                   for v in [w, *positional_rest(w, src)])  # "Nordrhein" in "North Rhine"
               or any(_abbreviation(short, w) and after in name and after != w for short, after in shortened)
               or same_place(w, candidates, source_lang, target_lang) for w in words)


def _other_place(name: str, form: str, source_lang: str, target_lang: str) -> bool:
    """Whether `form` is a case of another place's name ("Austrálii" of Austrálie, not of "Austria")."""
    named = declined_place(form, target_lang)
    return bool(named) and not same_place(name, [form], source_lang, target_lang)


def _abbreviation(short: str, word: str) -> bool:
    """A title-case abbreviation of the word: its first letter, then consonants of it in order, its last one last
    ("St" of "Sankt", "Saint" and "Street", "Dr" of "Doktor", "Utd" of "United"); "Das" or "Am" are words."""
    if not 2 <= len(short) <= 3 or not short.istitle() or len(word) <= len(short) or short[0] != word[0].upper():
        return False
    rest, letters = short[1:].lower(), iter(word[1:].lower())
    return not set(rest) & set("aeiouyäöü") and rest[-1] == word[-1] and all(c in letters for c in rest)


def _spelled_out(letters: list[str], candidates: list[str]) -> bool:
    """An acronym written out: consecutive words with its initials in some order ("Union européenne" for EU)."""
    initials = [c[0].upper() for c in candidates if c.lower() not in CONNECTORS]
    n = len(letters)
    return any(sorted(initials[i:i + n]) == letters for i in range(len(initials) - n + 1))


def _inside(word: str, compound: str) -> bool:
    """A name at either end of a longer German word: "Fonds" in "Währungsfonds", "Corona" in "Coronakrise"."""
    w, c = fold(word), fold(compound)
    return len(w) >= 4 and len(c) > len(w) and (c.startswith(w) or c.endswith(w))
