"""Numbers a text claims, by value: digits with locale-aware separators, number words, scales and units.

"two", "2" and "zwei" are the same claim; "$3 million" is 3000000; "15%" is 15. Used by the faithfulness
checks to compare a summary with its source, and a translation with its summary.
"""

from __future__ import annotations

import bisect
import functools
import inspect
import itertools
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TypeVar

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
#: between a range's two numbers: a dash or a range's word ("to", "and", "až", "bis", "à", "до"), no other
_RANGE_WORDS = "to and or bis und oder à et ou a y o e až do nebo до и или i tot en og och"
_RANGE_GAP = re.compile(r"\s*(?:[-–—]|(?i:" + "|".join(_RANGE_WORDS.split()) + r"))\s*")
#: articles that are no number word of their language but say one before a unit ("an hour", "a week"); German,
#: French and Spanish articles are their number one already ("ein", "un")
_ARTICLES = {"en": ("a", "an")}
#: the eras of the Japanese calendar since 1868 and the Gregorian year before each one's first: 令和2年 is 2020
#: (CLDR's Japanese calendar, which Babel does not ship)
_JAPANESE_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}
_ERA_BEFORE = re.compile(f"(?:{'|'.join(_JAPANESE_ERAS)})\\s?$")
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
)] + [(re.compile(r"\s?(?:" + p + ")"), kind, f) for p, kind, f in (  # Chinese and Japanese, glued to what follows
    ("英尺|フィート", "length", 0.3048), ("英里|マイル", "distance", 1.609344), ("英亩|エーカー", "area", 0.404686),
    ("英寸|インチ", "short", 2.54), ("公里|千米|キロメートル|キロ(?!グラム)", "distance", 1 / 1.609344),
    ("厘米|センチ", "short", 1 / 2.54), ("米|メートル", "length", 1 / 0.3048),
    ("公顷|ヘクタール", "area", 1 / 0.404686), ("公斤|千克|キログラム", "weight", 1 / 0.453592),
)]
#: how far from the exact conversion a writer's may be: the rule-of-thumb factors (1.6 km a mile, 0.4 ha an acre,
#: 0.3 m a foot, 2.5 cm an inch) are within 2 % of the exact ones
_RULE_OF_THUMB = 0.02
#: CLDR's duration units, in the hours or months each one spans: "14 days" is "two weeks", "two decades" "20 let"
_DURATIONS = {"hour": ("hours", 1.0), "day": ("hours", 24.0), "week": ("hours", 168.0), "month": ("months", 1.0),
              "year": ("months", 12.0), "decade": ("months", 120.0), "century": ("months", 1200.0)}
# a time of day: "21:30", "21.30 Uhr", "20H25", "16:15h"; its value is hours * 100 + minutes in every language
_TIME = re.compile(r"(?<![\d.,:])([01]?\d|2[0-3])(?:[:hH]([0-5]\d)|\.([0-5]\d)(?=\s*(?:Uhr|h\b|(?i:[ap]\.?m\b)))"
                   r"|\s[hH]\s([0-5]\d))(?!\d|[.,:]\d)")  # also the French "8 h 30", and "8.00 PM"
# an hour: "8pm", "8 p.m." (values 8 and 2000), "20 Uhr", "20h" (20 and 2000)
_HOUR = re.compile(r"(?<![\d.,:])(1[0-2]|0?\d)\s?([ap])\.?m\.?(?!\w)|(?<![\d.,:])([01]?\d|2[0-3])\s?(?:Uhr|h)(?!\w)")


#: grammatical forms num2words can spell (Russian declines its numerals by case, gender and number)
_FORMS = {"case": "ngdaip", "gender": "mfn", "plural": (False, True)}
#: the powers of ten whose spelled forms name a multiplier (hundreds) or a scale (thousands and up)
_POWERS = (100, 1000, 10**6, 10**9, 10**12)
#: vowels an inflected numeral drops before its ending ("pět" stays, "devadesát" → "devadesáti"; "tři" → "tř")
_VOWELS = "aeiouyáéíóúůýěäöüæøåœ" + "аеёиоуыэюяьй"
#: languages that decline their number words and that num2words spells in one case only, whose other forms are
#: matched by stem ("pěti", "dvaceti", "sedmým"); it spells Russian in every case, and has no Croatian
_DECLINED = frozenset({"cs", "sk", "pl", "sr", "sl", "is", "lt", "lv", "uk", "be"})
#: a declined form's ending is one the language's vocabulary shows after this many different number stems
_ENDING_STEMS = 3
#: the shortest stem matched
_MIN_STEM = 2
#: how much more frequent (Zipf) than its number a declined form may be: "dvě" is more usual than "dva"
_MORE_FREQUENT = 0.5
#: how usual (Zipf) the word after a number in a compound must be ("letá" 3.5, "týdenní" 4.1; "členný" is 2.0)
_COMPOUND_ZIPF = 1.5
#: words of the vocabulary searched for declined number forms
_VOCABULARY = 60000
#: the Han numerals of everyday text (the banker's forms 壹, 贰, ... and rare ones are left out: 参 and 什 are
#: common words); their values are Unicode's, but for 两, the simplified form of 兩, which Unicode gives none
_HAN_NUMERALS = "〇零一二三四五六七八九十百千万萬亿億兆两兩"
_HAN = re.compile(f"[{_HAN_NUMERALS}]+")
#: counters after a CJK number that make it an hour ("16时", "午後3時", "下午4点"), then an optional half hour
_HOURS = "时時点點"
#: the counter of minutes after an hour ("11時30分"), and an hour just before a number
_MINUTES = "分"
_HOUR_BEFORE = re.compile(rf"(\d{{1,2}})[{_HOURS}]$")
#: CJK counters of tenths: "7割" and "七成" are 70 %
_TENTHS = "割成"
#: CJK counters of years: "18年" may be 2018, and "90后" (the post-90s) are the 1990s
_YEARS = "年년后"  # 90后: born in the 1990s
#: CJK range marks between two numbers that share one counter ("9―20時", "9～10月")
_RANGE = "―〜～~-－—–"
#: what 千 means before a unit: kilo (千米, 千克, 千瓦)
_KILO = "米克瓦"
#: a letter of a script written without spaces, after which a space before a counter is only typesetting
_CJK_NEXT = re.compile(f"[{UNSPACED_CHARS}]")
#: the word "half", which Chinese and Japanese write 半 ("一年半", "半数", "3点半")
_HALF = "半"
_HAN_VALUES = {c: unicodedata.numeric(c, 2.0) for c in _HAN_NUMERALS}  # 两 is the one without a value
_HAN_RUN = re.compile(f"[{_HAN_NUMERALS}]+|{_HALF}")
#: the languages whose texts write Han numerals
_HAN_LANGS = frozenset({"zh", "ja"})


_T = TypeVar("_T")


@dataclass(frozen=True)
class Mention:
    """One number in a text: its surface form, its value(s) (two when "1.500" is ambiguous) and strength."""

    surface: str
    value: float
    values: frozenset[float]
    weak: bool = False
    #: the kind of measure ("length", "area", ...) when a unit follows, else None
    measure: str | None = None
    #: a measure's exact value in the other system's unit ("80 feet": 24.384 m)
    conversion: float | None = None
    #: a decade's last two digits ("1920s": 20): it and "the twenties", "20. léta", "20-е годы" back each other,
    #: but the two digits are no value of the decade, so they back no other claim
    decade: float | None = None
    #: a duration's length, in hours or in months ("two weeks" and "14 days" are ("hours", 336.0))
    span: tuple[str, float] | None = None
    #: the month a number names ("7月" is July), which a month's name in another language backs
    month: int | None = None

    @property
    def rounded(self) -> bool:
        """A scaled figure with one or two decimals ("4,17 mil.", "1.5bn"): writers round such figures, so it
        stands for any exact one that rounds (or is cut) to it."""
        return self.value >= 1e3 and re.search(r"\d[.,]\d{1,2}(?!\d)", self.surface) is not None and \
            re.search(r"[^\W\d_]", self.surface) is not None

    @property
    def converted(self) -> frozenset[float]:
        """A measure's value in the other system as writers round it: to a tenth, to a whole, and for larger values
        to 5 or 10, never more than a tenth off ("80 feet" = 24.4 m: 24.4, 24 or 25 m; "3 feet" = 0.9 m: 0.9 or 1 m,
        never 0)."""
        c = self.conversion
        if c is None:
            return frozenset()
        rounded = {round(c, 1), float(round(c)), float(5 * round(c / 5)), float(10 * round(c / 10))}
        return frozenset(r for r in rounded if r and abs(r - c) <= 0.1 * c)

    def converts_to(self, other: Mention) -> bool:
        """Whether `other` is this measure in the other system: one of the writers' roundings, or within
        `_RULE_OF_THUMB` of the exact value ("21,000 acres (8,400 ha)" by 0.4 ha an acre)."""
        return self.conversion is not None and self.measure == other.measure and (
            bool(self.converted & other.values) or
            any(abs(v - self.conversion) <= _RULE_OF_THUMB * self.conversion for v in other.values))

    @property
    def canonical(self) -> str:
        return str(int(self.value)) if float(self.value).is_integer() else f"{self.value:.6f}".rstrip("0")


def rounds_to(exact: float, short: float) -> bool:
    """Whether `exact`, rounded or cut to the significant digits of `short`, is `short` (4,178,000 -> 4.17e6)."""
    if not (math.isfinite(exact) and math.isfinite(short)):
        return False
    digits = f"{short:.15g}".replace(".", "").lstrip("0").rstrip("0")
    if exact == short or exact <= 0 or short <= 0 or len(digits) < 2:
        return False
    unit = 10 ** (math.floor(math.log10(short)) - len(digits) + 1)
    return any(abs(f(exact / unit) * unit - short) < unit / 1000 for f in (round, math.floor))


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
    words, scales = word_table(lang), scale_table(lang)
    sep = r"(?:[.,\u00a0\u202f'’]|[ ](?=\d{3}(?!\d)))"
    # digits may follow a letter of a script without spaces ("7月26日", "500余种"), never another digit
    toks = list(re.finditer(rf"(?<!\d)(?<![^\W\d_{_UNSPACED}])(?P<num>\d+(?:{sep}\d+)*)|(?P<word>[^\W\d_]+)",
                            text))
    out: list[Mention] = []
    ranged: tuple[int, int] | None = None  # the last bare number (its index and end): a range's first
    i = 0
    while i < len(toks):
        check()
        tok = toks[i]
        if tok.group("num"):
            pieces = _parse_digits(tok.group("num"), lang)
            surface, value, alts = pieces[-1]
            alts |= _clock(surface)
            j, end = i + 1, tok.end()
            # Chinese typesetting spaces Latin digits off the Han text around them: "7 月 25 日", "300 万"
            at = end + 1 if text[end:end + 1] == " " and _CJK_NEXT.match(text, end + 1) else end
            cjk = _cjk_scale(text, at)
            while _cjk_scale(text, at):  # "3 万亿" = 3 * 10^4 * 10^8
                factor = _CJK_SCALES[text[at]]
                value, alts, at = value * factor, {a * factor for a in alts}, at + 1
            end = at if cjk else end
            counted, month = _counted(value, text, at, len(tok.group("num"))) if not cjk else (set(), None)
            alts |= counted
            alts |= _era_year(value, text, tok.start(), lang)
            if text[at:at + 1] == _MINUTES and (hour := _HOUR_BEFORE.search(text, max(0, tok.start() - 4),
                                                                             tok.start())):
                alts |= _counted(float(hour.group(1)), text, hour.end() - 1, 0)[0]  # the 30 of 11時30分: 11:30
            # "3 million", "1-Billionen-Paket", "£10m", but not "10 m"
            while j < len(toks) and toks[j].start() < end:  # tokens a CJK scale already took ("3万亿")
                j += 1
            unscaled, letter = (value, set(alts)), False
            while j < len(toks) and (scaled := _scale_of((toks[j].group("word") or "").lower(), lang)) and \
                    re.fullmatch(r"\s*|-", text[end:toks[j].start()]) and (len(toks[j].group("word")) > 1 or
                                                                        toks[j].start() == end):
                letter = letter or toks[j].group("word") == "m"
                value, alts, end, j = value * scaled, {a * scaled for a in alts}, toks[j].end(), j + 1
            lead = toks[i - 1].group("word") if i and toks[i - 1].group("word") else ""
            first = tok.start()
            if j == i + 1 and lead.lower() in _leading_scales(lang) and text[toks[i - 1].end():tok.start()].isspace():
                factor = _leading_scales(lang)[lead.lower()]  # CLDR writes the scale first: "Miliyan 0" (ha)
                value, alts, first = value * factor, {a * factor for a in alts}, toks[i - 1].start()
            unit = _UNIT.match(text, end)
            measure, conversion = _converted(value, text, end)
            decade = value % 100 if j == i + 1 and measure is None and _decade(surface, text, end) else None
            # a currency sign ends at most 3 characters before the digits: search there, not from the text's start
            before = max(0, tok.start() - _CURRENCY_REACH)
            start = tok.start() - len(m.group(0)) if (m := _CURRENCY.search(text, before, tok.start())) else first
            if letter and start == tok.start() and not re.match(r"\s*[^\W\d_]", text[end:]):
                # "(137m)" is metres or million; "£10m" is money and "137m people" a count
                alts |= {unscaled[0]} | unscaled[1]
            if j > i + 1 and ranged is not None and _RANGE_GAP.fullmatch(text, ranged[1], tok.start()) and \
                    out[ranged[0]].value < unscaled[0]:
                # a range's first number shares the scale of its second, and a range runs up: "3 až 8 miliony",
                # "between 3 and 8 million", not "in 2020 to 3 million" (so the second is above 0)
                factor, head = value / unscaled[0], out[ranged[0]]
                out[ranged[0]] = replace(head, values=head.values | {round(v * factor, 6) for v in head.values})
            if unit or start < tok.start() or j > i + 1 or cjk:  # the surface keeps its unit: "$3 million", "4.9万"
                end = unit.end() if unit else end
                surface = text[start:end]
                while j < len(toks) and toks[j].start() < end:
                    j += 1
            out += [Mention(s, round(v, 6), frozenset(round(a, 6) for a in a_s | {v})) for s, v, a_s in pieces[:-1]]
            out.append(Mention(surface, round(value, 6), frozenset(round(a, 6) for a in alts | {value}),
                               measure=measure, conversion=conversion, month=month, decade=decade,
                               span=_span(value, text, end, lang)))
            ranged = (len(out) - 1, end) if j == i + 1 and not unit and not cjk and measure is None else None
            i = j
            continue
        if lang in _HAN_LANGS and (han := list(_HAN_RUN.finditer(tok.group("word")))):
            out += _han_mentions(han, text, tok.start())
            i += 1
            continue
        word = tok.group("word").lower()
        if (period := _period_of(word, lang)) is not None:  # "midnight" is 0:00, "poledne" 12:00: they back times
            out.append(Mention(tok.group("word"), period[0], frozenset(period), weak=True))
            i += 1
            continue
        if word in _ARTICLES.get(lang, ()) and (span := _span(1.0, text, tok.end(), lang)):
            out.append(Mention(tok.group("word"), 1.0, frozenset({1.0}), weak=True, span=span))  # "an hour"
            i += 1
            continue
        seq: list = []
        j, end = i, tok.start()
        while j < len(toks) and toks[j].group("word"):
            word, gap = toks[j].group("word").lower(), text[end:toks[j].start()]
            if seq and gap.strip(" -\u00a0") or (seq and "\n" in gap):
                break
            entry = words.get(word) or (scales.get(word) if seq else None) or _compound(word, words, lang) or (
                _declined_form(word, lang) if lang in _DECLINED else None)
            if entry is not None and seq and _apart(seq[-1], entry, lang):  # "one two three", "ein drei"
                break
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
            out.append(Mention(text[tok.start():end], value, frozenset({value}), weak,
                               span=_span(value, text, end, lang)))
            i = j
        else:
            i += 1
    out += [Mention(surface, value, frozenset({value}) | alts) for _, _, (surface, value, alts) in times]
    return out


@functools.lru_cache(maxsize=64)
def word_table(lang: str) -> dict[str, str]:
    """Number words of a language → value ("*100" a multiplier, "1e3" and up a scale), from num2words' spelling of
    0-100, the hundreds and the scales, cardinal and ordinal, in every form it declines; the hand tables win, and a
    declined language adds the other forms its vocabulary shows (see `_declined`)."""
    table = _spelled(lang)
    if lang == "en":  # decades: "in his fifties" is 50代
        table.update({w[:-1] + "ies": v for w, v in list(table.items()) if w.endswith("ty") and v.isdigit()})
    if lang in _DECLINED:
        table = {**_declined(lang), **table}
    return {**table, **_WORD_TABLES.get(lang, {})}


def scale_table(lang: str) -> dict[str, float]:
    """Scale words after digits ("3 miliardy", "4 тыс.", "2 Biliyan"): CLDR's compact decimal formats, long and
    short, every plural form (Babel), and the hand table of en/de/fr/es."""
    return {**_cldr_scales(lang), **_SCALES.get(lang, {})}


@functools.lru_cache(maxsize=8192)
def _scale_of(word: str, lang: str) -> float | None:
    """The factor of a scale word after digits: one of `scale_table`, or one of a full scale word's other cases
    (`_case_form`: "645 tisícům", "3 milionech", "2 миллионами"); an abbreviation ("mil.") has none ("milá")."""
    scales = scale_table(lang)
    return scales.get(word) if word in scales else _case_form(
        word, {f: v for f, v in scales.items() if len(f) > 3}, lang)


def _case_form(word: str, forms: Mapping[str, _T], lang: str, ending: int = 0) -> _T | None:
    """What `forms` give a word written as one of them in a case or form they do not list: where the language
    declines its nouns, a form's stem less final vowels (`_MIN_STEM` letters at least) and up to three letters
    ("lety" of "let", "týdnech" of "týdny"); elsewhere the form itself and up to `ending` letters ("Tagen")."""
    from .places import DECLINING

    if word in forms:
        return forms[word]
    declines = lang in DECLINING
    for form, value in forms.items():
        stem = form.rstrip(_VOWELS) if declines else form
        if len(stem) >= _MIN_STEM and word.startswith(stem) and 0 < len(word) - len(stem) <= (
                3 if declines else ending):
            return value
    return None


@functools.lru_cache(maxsize=64)
def _cldr_scales(lang: str) -> dict[str, float]:
    from .language import cldr_locale

    locale = cldr_locale(lang)
    if locale is None:
        return {}
    found: dict[str, set[float]] = {}
    for width in locale.compact_decimal_formats.values():
        for forms in width.values():
            for magnitude, pattern in forms.items():
                text = str(getattr(pattern, "pattern", pattern)).replace("'", "")
                zeros = re.search(r"0+", text)
                words = re.findall(r"[^\W\d_]+", text)
                # one word of two letters or more: "K", "M" are too short to tell from a letter, "mil M" is two words
                if zeros and len(words) == 1 and len(words[0]) > 1:
                    found.setdefault(words[0].lower(), set()).add(float(int(magnitude) // 10 ** (len(zeros[0]) - 1)))
    return {w: next(iter(v)) for w, v in found.items() if len(v) == 1 and next(iter(v)) >= 1000}


@functools.lru_cache(maxsize=64)
def _leading_scales(lang: str) -> dict[str, float]:
    """Scale words a language writes before the number, as CLDR's long compact formats do: Hausa "Miliyan 0",
    Swahili "milioni 0" ("naira biliyan 126" is 126 billion naira)."""
    from .language import cldr_locale

    locale = cldr_locale(lang)
    if locale is None:
        return {}
    found = {}
    for forms in locale.compact_decimal_formats.get("long", {}).values():
        for pattern in forms.values():
            text = str(getattr(pattern, "pattern", pattern))
            first = re.match(r"\s*([^\W\d_]+)\s+0", text)
            if first and first.group(1).lower() in _cldr_scales(lang):
                found[first.group(1).lower()] = _cldr_scales(lang)[first.group(1).lower()]
    return found


@functools.lru_cache(maxsize=64)
def _spelled(lang: str) -> dict[str, str]:
    try:
        from num2words import CONVERTER_CLASSES
    except ImportError:  # a broken install: the hand tables still read en, de, fr and es
        return {}
    converter = CONVERTER_CLASSES.get(lang)
    if converter is None:
        return {}
    table: dict[str, str] = {}

    def spellings(number: int, how: str) -> list[list[str]]:
        spell = getattr(converter, f"to_{how}")
        params = inspect.signature(spell).parameters
        options = [dict(zip(_FORMS, combo, strict=True)) for combo in itertools.product(*_FORMS.values())] \
            if all(k in params for k in _FORMS) else [{}]
        out = []
        for kwargs in options:
            try:
                out.append(re.findall(r"[^\W\d_]+", str(spell(number, **kwargs)).lower()))
            except Exception:  # noqa: BLE001 - num2words raises what it likes for what it cannot spell
                continue
        return out

    for how in ("cardinal", "ordinal"):
        for number in (*range(101), *range(200, 1000, 100), *_POWERS[1:]):
            for words in spellings(number, how):
                if len(words) == 1:
                    table.setdefault(words[0], _entry(number, how))
                elif number in _POWERS and how == "cardinal":  # "two hundred", "dva tisíce": the last word scales
                    head = _combine([table[w] for w in words[:-1] if w in table], lang) if all(
                        w in table for w in words[:-1]) else 0
                    if head and number / head in _POWERS:
                        table.setdefault(words[-1], _entry(int(number / head), how))
    return table


def _entry(number: int, how: str) -> str:
    """The table's notation: hundreds multiply ("*100"), thousands and up scale ("1000"), the rest add."""
    if number == 100 and how == "cardinal":
        return "*100"
    return str(number)


@functools.lru_cache(maxsize=64)
def _declined(lang: str) -> dict[str, str]:
    """Declined forms of a language's number words found in its vocabulary (wordfreq), by `_declined_value`
    (uncached: the vocabulary would fill `_declined_form`'s cache meant for the words of texts)."""
    return {word: value for word in _vocabulary(lang) if (value := _declined_value(word, lang))}


@functools.lru_cache(maxsize=64)
def _vocabulary(lang: str) -> tuple[str, ...]:
    from .names import has_word_list

    try:
        from wordfreq import top_n_list
    except ImportError:
        return ()
    if not has_word_list(lang) or lang == "sr":  # wordfreq would answer be from ru; its sr is Latin, read as "sh"
        return ()
    try:
        return tuple(top_n_list(lang, _VOCABULARY))
    except LookupError:
        return ()


@functools.lru_cache(maxsize=64)
def _declension(lang: str) -> tuple[dict[str, str], frozenset[str], frozenset[str], dict[str, float]]:
    """A declined language's number stems (a spelled form less final vowels, `_MIN_STEM` letters at least) with
    their values, the stems whose form ended in a vowel, the endings its vocabulary shows after at least
    `_ENDING_STEMS` different stems ("-i": pěti, šesti, deseti), and how usual (Zipf) each stem's number is."""
    from .names import zipf

    table = _spelled(lang)
    stems: dict[str, str] = {}
    dropped = set()  # stems whose form ends in a vowel, which another vowel may replace
    for form, value in table.items():
        stem = form.rstrip(_VOWELS)
        if stem != form:
            dropped.add(stem)
        if len(stem) >= _MIN_STEM and not value.startswith("*"):
            stems[stem] = value if stems.get(stem, value) == value else ""
    endings: dict[str, set[str]] = {}
    for word in _vocabulary(lang):
        if word not in table and (split := _stem_split(word, stems)):
            endings.setdefault(split[1], set()).add(split[0])
    own = {stem: max(zipf(f, lang) for f in table if f.startswith(stem)) for stem in stems}
    return stems, frozenset(dropped), frozenset(e for e, s in endings.items() if len(s) >= _ENDING_STEMS), own


def _stem_split(word: str, stems: dict[str, str]) -> tuple[str, str] | None:
    """The longest number stem that `word` is plus an ending of 1-3 letters, and that ending."""
    for k in range(len(word) - 1, max(_MIN_STEM, len(word) - 3) - 1, -1):
        if stems.get(word[:k]):
            return word[:k], word[k:]
    return None


@functools.lru_cache(maxsize=8192)
def _declined_form(word: str, lang: str) -> str | None:
    """`_declined_value`, cached for the words of texts."""
    return _declined_value(word, lang)


def _declined_value(word: str, lang: str) -> str | None:
    """The value of a declined form of a number word, in or out of the vocabulary ("dvanáctým", 12th): a number's
    stem and an ending that follows at least `_ENDING_STEMS` stems in the vocabulary, or one vowel for the one
    dropped (dva → dvě, tři → tří), and the word at most `_MORE_FREQUENT` more frequent than its number:
    "třída" (tř + ída) and "trzymać" have endings no other number takes, "třeba" is far more frequent than "tři".
    Some common words still pass (Icelandic "átti", had; átta = 8)."""
    from .names import zipf

    if not _vocabulary(lang):
        return None
    stems, dropped, endings, own = _declension(lang)
    split = _stem_split(word, stems) if word not in _spelled(lang) else None
    if split is None or not (split[1] in endings or split[1] in _VOWELS and split[0] in dropped):
        return None
    return stems[split[0]] if zipf(word, lang) <= own[split[0]] + _MORE_FREQUENT else None


def _apart(prev: object, entry: object, lang: str) -> bool:
    """Two number words that are not one number: a unit (1-9) then anything but a multiplier or scale ("a three",
    "one two"); French "quatre-vingt" (4, 20) is 80."""
    if isinstance(entry, list):
        entry = entry[0]
    before, raw = float(str(prev).lstrip("*")), str(entry)
    if str(prev).startswith("*") or not 1 <= before <= 9 or raw.startswith("*") or float(raw) >= 1000:
        return False
    return not (lang == "fr" and before == 4 and float(raw) == 20)


def _cjk_scale(text: str, at: int) -> bool:
    """A myriad multiplier at `at`, but not the 千 of 千米 (kilometre) and 千克 (kilogram)."""
    return text[at:at + 1] in _CJK_SCALES and not (text[at] == "千" and text[at + 1:at + 2] in _KILO)


def _han_value(run: str) -> float:
    """三 = 3, 二十三 = 23, 两千 = 2000, 二十万 = 200,000, 一亿二千万 = 120,000,000; 二〇二〇 (digit by digit): 2020."""
    values = [_HAN_VALUES[c] for c in run]
    if len(values) > 1 and all(v < 10 for v in values):
        return float("".join(str(int(v)) for v in values))
    total = section = digit = 0.0
    for v in values:
        if v < 10:
            digit = v
        elif v < 1e4:
            section += (digit or 1) * v
            digit = 0
        else:
            total = (total + section + digit) * v if total and v > max(total, 1) else total + (section + digit or 1) * v
            section = digit = 0
    return total + section + digit


def _han_mentions(runs: list[re.Match], text: str, offset: int) -> list[Mention]:
    """Han numerals in a run of Chinese or Japanese letters, and 半 (half): weak, since 一 is in 一些 (some), 统一
    (unify), and 四 in 四川 (Sichuan): they back the other text's numbers but are never claims themselves."""
    out = []
    for m in runs:
        start, end = offset + m.start(), offset + m.end()
        if m.group(0) == _HALF:
            out.append(Mention(m.group(0), 0.5, frozenset({0.5, 50.0}), weak=True))
            continue
        value = _han_value(m.group(0))
        counted, month = _counted(value, text, end, 0)
        counted |= _era_year(value, text, start, "ja")
        out.append(Mention(text[start:end], value, frozenset({value} | counted), weak=True, month=month))
    return out


def _counted(value: float, text: str, end: int, width: int) -> tuple[set[float], int | None]:
    """Other values a CJK counter gives a number (and the month it names): "16时" is 16:00 (1600, 400), "3点半" is
    3:30, "7割"/"七成" is 70 %, "18年" may be 2018, "一年半" is 1.5; a range ("9―20時", "9～10月") shares the
    counter of its second number. `width` is the number of digits (0 for Han numerals)."""
    after = re.match(rf"[{re.escape(_RANGE)}](?:\d+|{_HAN.pattern})", text[end:end + 12])
    at = end + (after.end() if after else 0)
    counter, next_char = text[at:at + 1], text[at + 1:at + 2]
    alts: set[float] = set()
    if not counter:  # the text's end ("" is in every string)
        return alts, None
    whole = float(value).is_integer()
    if counter in _HOURS and whole and 0 <= value <= 24:
        hours = {value * 100, value % 12 * 100, (value % 12 + 12) * 100}
        minutes = re.match(rf"(\d{{1,2}}){_MINUTES}", text[at + 1:at + 4])
        alts |= {h + (30 if next_char == _HALF else int(minutes.group(1)) if minutes else 0) for h in hours}
    elif counter in _TENTHS:
        alts.add(value * 10)
    elif counter in _YEARS and whole and width == 2:
        alts |= {1900 + value, 2000 + value}
    if counter and next_char == _HALF:
        alts.add(value + 0.5)
    month = int(value) if counter in _MONTH_COUNTERS and whole and 1 <= value <= 12 else None
    return alts, month


def _clock(surface: str) -> set[float]:
    """"23.30" may be a time (Czech, German write hours with a dot): 2330 and 1130 besides the decimal."""
    m = re.fullmatch(r"([01]?\d|2[0-3])\.([0-5]\d)", surface)
    if not m:
        return set()
    hhmm = int(m.group(1)) * 100 + int(m.group(2))
    return {float(hhmm), float(hhmm % 1200), float(hhmm % 1200 + 1200)}


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


def _converted(value: float, text: str, end: int) -> tuple[str | None, float | None]:
    """The kind of measure that follows a number, and its value in the other system's unit."""
    for pattern, kind, factor in _MEASURE:
        if pattern.match(text, end):
            return kind, value * factor
    return None, None


@functools.lru_cache(maxsize=64)
def _durations(lang: str) -> dict[str, tuple[str, float]]:
    """The words of CLDR's duration units in a language, longest first, in every plural form (Babel's
    `format_unit`: "týden", "týdny", "týdnů"), each with the span of one. Only the long width: short ones are
    abbreviations that are also words ("Dec", "stol"), narrow ones single letters ("d", "w"); forms of one letter
    are left out too."""
    from babel.units import format_unit

    from .language import cldr_locale

    locale = cldr_locale(lang)
    if locale is None:
        return {}
    forms: dict[str, tuple[str, float]] = {}
    for unit, span in _DURATIONS.items():
        for value in (0, 1, 2, 3, 5, 11, 21, 100, 1.5):  # one of each plural category
            try:
                written = format_unit(value, f"duration-{unit}", length="long", locale=locale)
            except Exception:  # noqa: BLE001 - a unit a locale lacks raises Babel's own errors
                continue
            after = re.fullmatch(r"[\d.,\s\u00a0\u202f]*\d[\s\u00a0\u202f]?([^\W\d_]+)\.?", written)
            if after and len(after.group(1)) > 1:
                forms.setdefault(after.group(1).casefold(), span)
    return dict(sorted(forms.items(), key=lambda kv: -len(kv[0])))


def _era_year(value: float, text: str, start: int, lang: str) -> set[float]:
    """The Gregorian year of a Japanese era year ("令和2年" = 2020, "平成三十年" = 2018), which translations write."""
    if lang != "ja" or not float(value).is_integer() or value < 1:
        return set()
    era = _ERA_BEFORE.search(text, max(0, start - 3), start)
    return {_JAPANESE_ERAS[era.group(0).strip()] + value} if era else set()


@functools.lru_cache(maxsize=4096)
def _period_of(word: str, lang: str) -> tuple[float, ...] | None:
    """The times CLDR's day periods "midnight" and "noon" name in a language ("půlnoc", "Mitternacht", "minuit"),
    as the numbers of times (`_PERIODS`), in any case (`_case_form`)."""
    return _case_form(word, _periods(lang), lang)


@functools.lru_cache(maxsize=64)
def _periods(lang: str) -> dict[str, tuple[float, ...]]:
    from babel.dates import get_period_names

    from .language import cldr_locale

    locale = cldr_locale(lang)
    if locale is None:
        return {}
    found: dict[str, tuple[float, ...]] = {}
    for context in ("format", "stand-alone"):
        for period, name in get_period_names("wide", context, locale).items():
            if period in _PERIODS and re.fullmatch(r"[^\W\d_]{3,}", name):
                found.setdefault(name.lower(), _PERIODS[period])
    return found


#: a day period's times, as times are numbered (0:00 is 0 and 2400); noon is 1200 only, so that it backs no plain 12
_PERIODS = {"midnight": (0.0, 2400.0), "noon": (1200.0,)}


def _decade(digits: str, text: str, end: int) -> bool:
    """A decade written as its first year and a glued ending ("1920s", "1920er", "1920-х", "1920-talet"): many
    languages name it by its last two digits alone, so those back it too. Asked after the scale words and units
    have taken theirs ("2000m", "1990km", "1920%" are no decades)."""
    return _GLUED_WORD.match(text, end) is not None and re.fullmatch(r"1\d\d0|20\d0", digits) is not None and \
        not _UNIT.match(text, end)


_GLUED_WORD = re.compile(r"[-'’]?([^\W\d_]+)")


def _span(value: float, text: str, end: int, lang: str) -> tuple[str, float] | None:
    """The span of a number of duration units ("14 days", "dvou týdnech", "2週間"), in hours or months: a spaced
    language's unit is a word `_duration_of` reads, a CJK one is glued on ("2週間")."""
    forms = _durations(lang)
    if not forms:
        return None
    if profile(lang).spaced:
        word = _UNIT_WORD.match(text, end)
        unit = _duration_of(word.group(1).casefold(), lang) if word else None
    else:
        after = text[end:end + 8].lstrip(" ")
        unit = next((span for form, span in forms.items() if after.startswith(form)), None)
    return (unit[0], round(value * unit[1], 6)) if unit else None


_UNIT_WORD = re.compile(r"[\s\u00a0-]?([^\W\d_]+)")
#: letters a unit's CLDR form may gain in a language that does not decline it ("Tage" -> "Tagen")
_UNIT_ENDING = 2


@functools.lru_cache(maxsize=4096)
def _duration_of(word: str, lang: str) -> tuple[str, float] | None:
    """The span of one unit a word names: a CLDR form in any case (`_case_form`; "Tagen", "lety")."""
    return _case_form(word, _durations(lang), lang, _UNIT_ENDING)


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
    if re.fullmatch(r"\d{1,2}(?:,\d\d)+,\d{3}", s):  # Indian grouping by lakhs: "2,06,737" = 206,737
        return [(s, float(s.replace(",", "")), set())]
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
    """German number compounds: "fünfundzwanzig" -> [fünf, zwanzig], "zweihundert" -> [zwei, *hundert]; in a
    declined language, a number form and a word of the vocabulary ("dvou|letá", "devadesáti|členný")."""
    if lang in _DECLINED and len(word) >= 7:
        return _declined_compound(word, table, lang)
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


def _declined_compound(word: str, table: dict[str, str], lang: str) -> list[str] | None:
    """"dvouletá" (two-year-old) = dvou + letá, "dvoutýdenní" = dvou + týdenní: the longest number form of four
    letters or more (not one, which is also "a") before the rest, which must be a word the language uses (Zipf
    `_COMPOUND_ZIPF`) of three letters or more, and less usual than the number itself."""
    from .names import zipf

    for k in range(len(word) - 3, 3, -1):
        head, rest = word[:k], word[k:]
        value = table.get(head)
        if value and not value.startswith("*") and float(value) not in (0, 1) and float(value) < 1000 and \
                zipf(rest, lang) >= _COMPOUND_ZIPF and zipf(word, lang) < zipf(head, lang):
            return [value]
    return None


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
