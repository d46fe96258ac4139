"""Numbers a text claims, by value: digits with locale-aware separators, number words, scales and units.

"two", "2" and "zwei" are the same claim; "$3 million" is 3000000; "15%" is 15. Used by the faithfulness
checks to compare a summary with its source, and a translation with its summary.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from ..budget import check
from .language import normalize
from .profile import UNSPACED_CHARS, profile

# word tables: "*" marks multipliers (hundred, dozen); values >= 1000 are scales; value-1 words are "weak"
# (articles in de/fr/es, "no one" in en): they back a claim but are never claims themselves
_WORD_TABLES = {lang: {w: v for w, v in zip(spec.split()[::2], spec.split()[1::2], strict=True)} for lang, spec in {
    "en": """zero 0 one 1 two 2 three 3 four 4 five 5 six 6 seven 7 eight 8 nine 9 ten 10 eleven 11 twelve 12
        thirteen 13 fourteen 14 fifteen 15 sixteen 16 seventeen 17 eighteen 18 nineteen 19 twenty 20 thirty 30
        forty 40 fifty 50 sixty 60 seventy 70 eighty 80 ninety 90 hundred *100 dozen *12 thousand 1e3
        million 1e6 billion 1e9 trillion 1e12""",
    "de": """null 0 ein 1 eins 1 eine 1 einen 1 einem 1 einer 1 eines 1 zwei 2 drei 3 vier 4 fünf 5 sechs 6
        sieben 7 acht 8 neun 9 zehn 10 elf 11 zwölf 12 dreizehn 13 vierzehn 14 fünfzehn 15 sechzehn 16 siebzehn 17
        achtzehn 18 neunzehn 19 zwanzig 20 dreißig 30 vierzig 40 fünfzig 50 sechzig 60 siebzig 70 achtzig 80
        neunzig 90 hundert *100 dutzend *12 tausend 1e3""",
    "fr": """zéro 0 un 1 une 1 deux 2 trois 3 quatre 4 cinq 5 six 6 sept 7 huit 8 neuf 9 dix 10 onze 11 douze 12
        treize 13 quatorze 14 quinze 15 seize 16 vingt 20 vingts 20 trente 30 quarante 40 cinquante 50
        soixante 60 cent *100 cents *100 douzaine *12 mille 1e3""",
    "es": """cero 0 un 1 uno 1 una 1 dos 2 tres 3 cuatro 4 cinco 5 seis 6 siete 7 ocho 8 nueve 9 diez 10 once 11
        doce 12 trece 13 catorce 14 quince 15 dieciséis 16 diecisiete 17 dieciocho 18 diecinueve 19 veinte 20
        treinta 30 cuarenta 40 cincuenta 50 sesenta 60 setenta 70 ochenta 80 noventa 90 cien 100 ciento 100
        doscientos 200 trescientos 300 quinientos 500 docena *12 mil 1e3""",
}.items()}
# scale words valid after a number ("3 million", "2,5 Milliarden", "tres mil millones")
_SCALES = {
    "en": {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "tn": 1e12, "m": 1e6,
           "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7},  # Indian English: 14 lakh = 1.4 million
    "de": {"tausend": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6, "milliarde": 1e9, "milliarden": 1e9,
           "mrd": 1e9, "billion": 1e12, "billionen": 1e12},
    "fr": {"mille": 1e3, "million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "billion": 1e12,
           "md": 1e9, "mds": 1e9, "mrd": 1e9, "mrds": 1e9},
    "es": {"mil": 1e3, "millón": 1e6, "millones": 1e6, "billón": 1e12, "billones": 1e12},
}
_AND = {"en": "and", "de": "und", "fr": "et", "es": "y"}
#: myriad-based multipliers written right after digits in Chinese, Japanese and Korean ("4.9万" = 49,000)
_CJK_SCALES = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "兆": 1e12, "千": 1e3, "만": 1e4, "억": 1e8, "조": 1e12,
               "천": 1e3}
#: the counter that makes a number a month in Chinese, Japanese ("7月") and Korean ("7월")
_MONTH_COUNTERS = "月월"
# units that stay with their number in a flag ("20 %", "20 pour cent", "$3 million")
#: letters a number may follow without a space: scripts written without spaces between words, and Hangul, which
#: spaces its words but glues counters to digits ("7월")
_UNSPACED = UNSPACED_CHARS + "\uac00-\ud7af"
_UNIT = re.compile(r"\s?(?:%|‰|(?:per\s?cent|percent|Prozent|pour\s?cent|por\s?ciento|per\s?cento)\b)", re.I)
_CURRENCY = re.compile(r"[$€£¥₹]\s?$")
#: the longest match of _CURRENCY ("$", a space, and the newline that "$" may stand before)
_CURRENCY_REACH = 3
# measures a translator converts ("80 feet" -> "25 Meter"): the unit's kind and its factor to the other system's unit
# (feet to metres, metres to feet, ...)
_MEASURE = [(re.compile(r"[\s-]?(?:" + p + r")\b", re.I), kind, f) for p, kind, f in (
    ("feet|foot|ft|pieds?|Fuß", "length", 0.3048), ("miles?|Meilen|milles", "distance", 1.609344),
    ("acres?", "area", 0.404686), ("lbs?|pounds? of", "weight", 0.453592), ("inch|inches", "short", 2.54),
    ("m|meters?|metres?|Metern?|mètres?", "length", 1 / 0.3048),
    ("km|kilomet(?:er|re)s?|Kilometern?|kilomètres?", "distance", 1 / 1.609344),
    ("ha|hectares?|Hektar", "area", 1 / 0.404686), ("kg|kilos?|kilograms?|Kilogramm", "weight", 1 / 0.453592),
    ("cm|centimet(?:er|re)s?|Zentimetern?|centimètres?", "short", 1 / 2.54),
)]
# a time of day: "21:30", "21.30 Uhr", "20H25", "16:15h"; its value is hours * 100 + minutes in every language
_TIME = re.compile(r"(?<![\d.,:])([01]?\d|2[0-3])(?:[:hH]([0-5]\d)|\.([0-5]\d)(?=\s*(?:Uhr|h)\b)|\s[hH]\s([0-5]\d))"
                   r"(?!\d|[.,:]\d)")  # also the French "8 h 30"
# an hour: "8pm", "8 p.m." (values 8 and 2000), "20 Uhr", "20h" (20 and 2000)
_HOUR = re.compile(r"(?<![\d.,:])(1[0-2]|0?\d)\s?([ap])\.?m\.?(?!\w)|(?<![\d.,:])([01]?\d|2[0-3])\s?(?:Uhr|h)(?!\w)")


@dataclass(frozen=True)
class Mention:
    """One number in a text: its surface form, its value(s) (two when "1.500" is ambiguous) and strength."""

    surface: str
    value: float
    values: frozenset[float]
    weak: bool = False
    #: the kind of measure ("length", "area", ...) when a unit follows, else None
    measure: str | None = None
    #: a measure's value in the other system's unit, as writers round it ("80 feet": 24.4, 24, 25 m)
    converted: frozenset[float] = frozenset()
    #: the month a number names ("7月" is July), which a month's name in another language backs
    month: int | None = None

    @property
    def canonical(self) -> str:
        return str(int(self.value)) if float(self.value).is_integer() else f"{self.value:.6f}".rstrip("0")


def mentions(text: str, language: str | None = "en") -> list[Mention]:
    """Every number of `text` in order: digits (with scale words) and spelled-out numbers."""
    lang = normalize(language or "en")
    times = _times(text)
    if times:  # times are claims of their own: blank them so their digits are not read again as numbers
        blanked: list[str] = []
        pos = 0
        for start, end, _ in sorted(times):
            start = max(start, pos)
            blanked += [text[pos:start], " " * max(0, end - start)]
            pos = max(pos, end)
        text = "".join(blanked) + text[pos:]
    words, scales = _WORD_TABLES.get(lang, {}), _SCALES.get(lang, {})
    sep = r"(?:[.,\u00a0\u202f'’]|[ ](?=\d{3}(?!\d)))"
    # digits may follow a letter of a script without spaces ("7月26日", "500余种"), never another digit
    toks = list(re.finditer(rf"(?<!\d)(?<![^\W\d_{_UNSPACED}])(?P<num>\d+(?:{sep}\d+)*)|(?P<word>[^\W\d_]+)",
                            text))
    out: list[Mention] = []
    i = 0
    while i < len(toks):
        check()
        tok = toks[i]
        if tok.group("num"):
            pieces = _parse_digits(tok.group("num"), lang)
            surface, value, alts = pieces[-1]
            j, end = i + 1, tok.end()
            cjk = text[end:end + 1] in _CJK_SCALES
            if cjk:
                factor = _CJK_SCALES[text[end]]
                value, alts, end = value * factor, {a * factor for a in alts}, end + 1
            month = int(value) if (text[end:end + 1] in _MONTH_COUNTERS and not cjk and float(value).is_integer()
                                   and 1 <= value <= 12) else None
            # "3 million", "1-Billionen-Paket", "£10m", but not "10 m"
            while j < len(toks) and (toks[j].group("word") or "").lower() in scales and \
                    re.fullmatch(r"\s*|-", text[end:toks[j].start()]) and (len(toks[j].group("word")) > 1 or
                                                                        toks[j].start() == end):
                factor = scales[toks[j].group("word").lower()]
                value, alts, end, j = value * factor, {a * factor for a in alts}, toks[j].end(), j + 1
            unit = _UNIT.match(text, end)
            measure, converted = _converted(value, text, end)
            # a currency sign ends at most 3 characters before the digits: search there, not from the text's start
            before = max(0, tok.start() - _CURRENCY_REACH)
            start = tok.start() - len(m.group(0)) if (m := _CURRENCY.search(text, before, tok.start())) else tok.start()
            if unit or start < tok.start() or j > i + 1 or cjk:  # the surface keeps its unit: "$3 million", "4.9万"
                end = unit.end() if unit else end
                surface = text[start:end]
                while j < len(toks) and toks[j].start() < end:
                    j += 1
            out += [Mention(s, round(v, 6), frozenset(round(a, 6) for a in a_s | {v})) for s, v, a_s in pieces[:-1]]
            out.append(Mention(surface, round(value, 6), frozenset(round(a, 6) for a in alts | {value}),
                               measure=measure, converted=converted, month=month))
            i = j
            continue
        seq: list = []
        j, end = i, tok.start()
        while j < len(toks) and toks[j].group("word"):
            word, gap = toks[j].group("word").lower(), text[end:toks[j].start()]
            if seq and gap.strip(" -\u00a0") or (seq and "\n" in gap):
                break
            entry = words.get(word) or (scales.get(word) if seq else None) or _compound(word, words, lang)
            if entry is None:
                if seq and word == _AND.get(lang) and j + 1 < len(toks) and _joins(seq, toks[j + 1], words):
                    j, end = j + 1, toks[j].end()
                    continue
                break
            seq += entry if isinstance(entry, list) else [entry]
            j, end = j + 1, toks[j].end()
        if seq:
            value = _combine(seq, lang)
            weak = j == i + 1 and value == 1
            out.append(Mention(text[tok.start():end], value, frozenset({value}), weak))
            i = j
        else:
            i += 1
    out += [Mention(surface, value, frozenset({value}) | alts) for _, _, (surface, value, alts) in times]
    return out


def months_named(text: str, language: str | None) -> set[int]:
    """The months `text` names in its language's words ("July", "juillet", "Juli"), from CLDR's month names."""
    pattern = _month_pattern(normalize(language or "en"))
    if pattern is None:
        return set()
    names = _month_names(normalize(language or "en"))
    return {names[m.group(0).casefold()] for m in pattern.finditer(text)}


@functools.lru_cache(maxsize=64)
def _month_names(lang: str) -> dict[str, int]:
    from .language import cldr_locale

    locale = cldr_locale(lang)
    if locale is None:
        return {}
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in locale.months.get(context, {}).get(width, {}).items():
                if len(name.strip(".")) >= 3 and not any(c.isdigit() for c in name):
                    names[name.casefold().strip(".")] = number
    return names


@functools.lru_cache(maxsize=64)
def _month_pattern(lang: str) -> re.Pattern[str] | None:
    names = _month_names(lang)
    if not names:
        return None
    words = "|".join(sorted(map(re.escape, names), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.I)


def _converted(value: float, text: str, end: int) -> tuple[str | None, frozenset[float]]:
    """The kind of measure that follows a number and its value in the other system, rounded as writers round it:
    to a tenth, to a whole, and for larger values to 5 or 10, never more than a tenth off ("80 feet" = 24.4 m:
    24.4, 24 or 25 m; "3 feet" = 0.9 m: 0.9 or 1 m, never 0)."""
    for pattern, kind, factor in _MEASURE:
        if pattern.match(text, end):
            c = value * factor
            rounded = {round(c, 1), float(round(c)), float(5 * round(c / 5)), float(10 * round(c / 10))}
            return kind, frozenset(r for r in rounded if r and abs(r - c) <= 0.1 * c)
    return None, frozenset()


def _times(text: str) -> list[tuple[int, int, tuple[str, float, frozenset[float]]]]:
    """Times of day and hours as (start, end, (surface, value, other values)): "21.30 Uhr" = "21:30" = 2130."""
    found = []
    for m in _TIME.finditer(text):
        value = float(int(m.group(1)) * 100 + int(m.group(2) or m.group(3) or m.group(4)))
        found.append((m.start(), m.end(), (m.group(0), value, frozenset({value % 1200, value + 1200}))))
    starts = [s for s, _, _ in found]  # in order and apart: the one that may hold an hour is the last before it
    for m in _HOUR.finditer(text):
        k = bisect.bisect_right(starts, m.start()) - 1
        if k >= 0 and m.start() < found[k][1]:
            continue
        if m.group(1):
            hour = int(m.group(1)) % 12 + (12 if m.group(2) == "p" else 0)
            found.append((m.start(), m.end(), (m.group(0), float(m.group(1)), frozenset({hour * 100.0}))))
        else:
            hour = int(m.group(3))
            found.append((m.start(), m.end(), (m.group(0), float(hour), frozenset({hour * 100.0, hour % 12 * 100.0}))))
    return found


def _parse_digits(s: str, lang: str) -> list[tuple[str, float, set[float]]]:
    """Digits with separators -> numbers; lists like "1,5" in English become two numbers."""
    decimal = "." if profile(lang).decimal == "." else ","  # CLDR's mark for Latin digits; the other one groups
    parts = re.split(r"(\D)", s)
    groups, seps = parts[0::2], parts[1::2]
    out: list[tuple[str, float, set[float]]] = []
    digits, surface, frac, grouped = groups[0], groups[0], None, len(groups[0]) <= 3

    def finish() -> None:
        out.append((surface, float(f"{digits}.{frac}" if frac else digits), set()))

    for sep, group in zip(seps, groups[1:], strict=True):
        if frac is None and sep != decimal and grouped and len(group) == 3:
            digits, surface = digits + group, surface + sep + group
        elif frac is None and (sep == decimal or sep == "."):
            frac, surface = group, surface + sep + group
        else:
            finish()
            digits, surface, frac, grouped = group, group, None, len(group) <= 3
    finish()
    if decimal == "," and len(seps) == 1 and seps[0] in ".," and len(groups[0]) <= 3 and len(groups[1]) == 3:
        out[-1][2].update({float(groups[0] + groups[1]), float(f"{groups[0]}.{groups[1]}")})
    return out


def _compound(word: str, table: dict[str, str], lang: str) -> list[str] | None:
    """German number compounds: "fünfundzwanzig" -> [fünf, zwanzig], "zweihundert" -> [zwei, *hundert]."""
    if lang != "de" or len(word) < 6:
        return None

    def split(rest: str) -> list[str] | None:
        if not rest:
            return []
        for k in range(len(rest), 2, -1):
            head = rest[:k]
            if head in table or head == "und":
                tail = split(rest[k:])
                if tail is not None:
                    return ([] if head == "und" else [table[head]]) + tail
        return None

    return split(word)


def _joins(seq: list, nxt: re.Match, words: dict[str, str]) -> bool:
    """"hundred and fifty", "vingt et un", "treinta y cinco": a connector only after tens or more, then smaller."""
    entry = words.get((nxt.group("word") or "").lower())
    prev = float(str(seq[-1]).lstrip("*"))
    return entry is not None and prev >= 20 and float(entry.lstrip("*")) < prev


def _combine(seq: list, lang: str) -> float:
    """[two, *hundred, fifty] -> 250; [3, 1e3, 1e6] -> 3e9 ("tres mil millones"); quatre-vingt -> 80."""
    values = [str(v) for v in seq]
    total = current = 0.0
    for k, raw in enumerate(values):
        v = float(raw.lstrip("*"))
        if lang == "fr" and v == 20 and k and values[k - 1] == "4":
            current += 76
        elif raw.startswith("*"):
            current = (current or 1) * v
        elif v >= 1000:
            if current == 0 and 0 < total < v:
                total *= v
            else:
                total += (current or 1) * v
            current = 0
        else:
            current += v
    return total + current
