"""Names compared across scripts: a Cyrillic or Greek name and its Latin spelling are the same name.

Cyrillic, Greek and Latin all mark names with capitals, so a translation between them can be checked for lost
names the way one between Latin languages is (`names.py`), once both spellings are in one script. Every word is
brought to Latin letters with AnyAscii (ISC licence, a pure wheel with tables for every script: Russian,
Ukrainian, Bulgarian, Serbian, Macedonian and Greek alike; cyrtranslit knows no Greek, and its scholarly
ž/č/š spellings are further from how English news spells Russian names than AnyAscii's zh/ch/sh).

A transliteration is not the spelling a newspaper uses ("Bayden"/Biden, "Dzhonson"/Johnson, "Uayli"/Wiley), so
both sides are folded to sound keys (`keys`): one with its vowels, compared with Jaro-Winkler similarity as
`names.similar` compares names, and a consonant skeleton (each run of vowels one "a"), which must be all but equal
(Levenshtein). Slavic and Greek nouns inflect, names too ("Навального", "Байдену", "Μητσοτάκη"): a word is also
compared without its case ending and, in Russian, as its lemma in the OpenCorpora dictionary (pymorphy3), which
also says which capitalised Russian words are common words a translation translates ("Главный штаб", "Кубок
России"). Places go through their names in each locale (CLDR, `places.py`): "Германии" is "Germany", "Европы"
"Europe". Acronyms are not asked for: across scripts they are translated or spelled out ("США", "UK").

Caseless scripts (Chinese, Japanese, Arabic, Hebrew, Devanagari, Thai) stay unchecked: a check of only the names a
translation might keep in Latin letters was measured and is not worth it (about half the acronyms of English
sources are translated into Chinese and Japanese, and names with inner capitals are people, written in kana).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from .language import normalize
from .names import CONNECTORS, SAME_NAME, required_words, similar
from .places import _aliases, places, same_place

#: scripts that mark names with capitals: a name in one is compared letter by letter with one in another
CASED_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK"})
#: case endings of Slavic (Russian, Ukrainian, Bulgarian, Serbian, Macedonian) nouns, adjectives and names,
#: longest first: "Навального" -> "Навальн", "Байдену" -> "Байден", "России" -> "Росс"
_CYRILLIC_ENDINGS = tuple(sorted(set(re.findall(r"\w+", """а я у ю е и ы о ь й ом ем ём ой ей ою ею ам ям ах ях ов
ев ёв ый ий ая яя ое ее ую юю ые ие ых их ым им ого его ому ему ыми ими ами ями ия ии ию ией ья ье ьи ью ові еві ів ії
ію""")), key=len, reverse=True))
#: case endings of Greek nouns and names: "Μητσοτάκη" -> "Μητσοτάκ", "Αθηνών" -> "Αθην"
_GREEK_ENDINGS = tuple(sorted(set(re.findall(r"\w+", "ος ου ο ον α ας ης η ες ων ους ι ιο ια ιος")), key=len,
                              reverse=True))
_ENDINGS = {"CYRILLIC": _CYRILLIC_ENDINGS, "GREEK": _GREEK_ENDINGS}
#: a stem keeps at least this many letters: "Ким" is no stem of "Ки"
_STEM = 3
#: OpenCorpora tags of proper names: first names, surnames, patronymics, places, trade marks
_PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Trad"})
#: OpenCorpora's tag of bodies' names, which translations translate ("Минобороны", "Госдума")
_BODY = "Orgn"
#: languages in Latin letters that say how common a word of a Latin-script name is abroad
_LATIN_ABROAD = ("de", "es", "fr", "it")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# sounds that transliteration and English or German spelling write differently, on lower-case Latin letters:
# Дж/dzh = j, kh = h, x = ks, th = t, Mc = Мак, the soft sign ('), "-iy"/"-yy" endings (Navalnyy) = y, a silent
# h or gh after a vowel (John = Джон, Kayleigh = Кейли)
_SOUNDS = [(r"['’ʹʺ`]", ""), (r"^ma?c(?=[^aeiou])|^mc", "mak"), (r"tsch", "C"), (r"dzh|dj", "j"), (r"kh", "h"),
           (r"x", "ks"), (r"th", "t"), (r"ph", "f"), (r"(?:iy|yy|ij|yj|ii)$", "y"), (r"sch|sh", "S"), (r"ch", "C"),
           (r"zh", "Z"), (r"c(?=[eiy])", "s"), (r"tz|ts", "z"), (r"ck|[cqk]", "k"), (r"z", "s"),
           (r"(?<=[aeiou])g?h(?![aeiou])", ""), (r"(.)\1+", r"\1")]
#: Latin letters Russian and Greek spell as they sound in the name's language, not as they are written: W as В or
#: У, G before e/i as Дж, ph as Ф or В (Stephen = Стивен), ee as И (Reeves = Ривз), a French ch as Ш (Michel =
#: Мишель), J as Дж, Й, Ж or Х (John, Jürgen, Jean, Juan), and Chinese pinyin as Russian writes it (Palladius): j
#: as Цз, q as Ц, x as С, ia as Я, a final ng as Н (Xi Jinping = Си Цзиньпин, Jiang = Цзян)
_VARIANTS = [(r"wh?", ("v", "u")), (r"g(?=[ei])", ("g", "j")), (r"j", ("j", "y", "zh", "h", "tsz")),
             (r"ph", ("f", "v")), (r"ee", ("e", "i")), (r"ch", ("ch", "sh")), (r"q", ("q", "ts")), (r"x", ("x", "s")),
             (r"i(?=a)", ("i", "y")), (r"ng$", ("ng", "n"))]
#: a word in lower case names a name when it holds all of it, this long in sound: "кевларовым" (Kevlar),
#: "лондонским" (London); shorter names are inside too many words
_DERIVED = 5


def script(word: str) -> str:
    """The script of a word's first letter by its Unicode name ("CYRILLIC", "LATIN", "GREEK")."""
    return next((unicodedata.name(c, "?").split()[0] for c in word if c.isalpha()), "NONE")


@lru_cache(maxsize=65536)
def latin(word: str) -> str:
    """The word in Latin letters (AnyAscii): "Байден" -> "Bayden", "Μητσοτάκης" -> "Mitsotakis"."""
    from anyascii import anyascii

    return anyascii(word)


@lru_cache(maxsize=65536)
def keys(word: str) -> tuple[frozenset[str], frozenset[str]]:
    """Spellings of the word by sound, shared by a transliteration and a newspaper's spelling of the name:
    "Джонсон" and "Johnson", "Навальный" and "Navalny" share one. Then the same with every run of vowels as one
    "a", for names whose vowels a language hears its own way ("Макинани" and "McEnany" are both "makanana")."""
    spellings = {latin(word).lower()}
    if script(word) == "LATIN":
        for pattern, options in _VARIANTS:
            spellings = {re.sub(pattern, o, s) for s in spellings for o in options}
    found = set()
    for text in spellings:
        for pattern, repl in _SOUNDS:
            text = re.sub(pattern, repl, text)
        found.add(text)
    return frozenset(found), frozenset(re.sub(r"[aeiouy]+", "a", k) for k in found)


@lru_cache(maxsize=65536)
def forms(word: str, language: str) -> tuple[str, ...]:
    """The word, the word without the case ending its script's languages give it ("Байдену" -> "Байден"), and in
    Russian its dictionary lemmas ("Навального" -> "навальный")."""
    found = [word]
    lower = word.lower()
    cut = next((lower[:-len(e)] for e in _ENDINGS.get(script(word), ()) if lower.endswith(e)
                and len(lower) - len(e) >= _STEM), None)
    if cut is not None:
        found.append(word[:len(cut)])
    found += [p.normal_form for p in _parses(word, language)]
    return tuple(dict.fromkeys(found))


def same_name(a: str, b: str, lang_a: str = "", lang_b: str = "") -> bool:
    """Whether two words in any cased scripts are one name: alike by sound after transliteration, also without
    their case endings ("Навального" and "Navalny", "Байдену" and "Biden"). Spellings with their vowels are
    compared as `names.similar` compares names; consonant skeletons, which share more by chance, must be all but
    equal (one edit in eight letters: Jaro-Winkler's bonus for a shared start would make "Путин" "Petersburg")."""
    from rapidfuzz.distance import Levenshtein

    for fa in forms(a, lang_a):
        full_a, bare_a = keys(fa)
        for fb in forms(b, lang_b):
            full_b, bare_b = keys(fb)
            if any(similar(x, y) >= SAME_NAME for x in full_a for y in full_b) or any(
                    x == y or min(len(x), len(y)) > 3 and Levenshtein.normalized_similarity(x, y) >= SAME_NAME
                    for x in bare_a for y in bare_b):
                return True
    return False


@lru_cache(maxsize=4)
def _analyzer(language: str) -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=language)


@lru_cache(maxsize=65536)
def _parses(word: str, language: str) -> tuple[Any, ...]:
    """The OpenCorpora dictionary's readings of a Russian word (pymorphy3); none for other languages."""
    if normalize(language) != "ru" or script(word) != "CYRILLIC":
        return ()
    return tuple(p for p in _analyzer("ru").parse(word) if p.is_known)


def common_word(word: str, language: str) -> bool:
    """A capitalised word the dictionary knows only as a common word or a body's name, which a translation
    translates: "Главный" (штаб), "Кубок" (России), "Минобороны". Unknown words are names ("Байдена")."""
    parses = _parses(word, language)
    return bool(parses) and not any(_PROPER & set(p.tag.grammemes) and _BODY not in p.tag.grammemes for p in parses)


@lru_cache(maxsize=65536)
def place_codes(word: str, language: str) -> frozenset[str]:
    """The places an inflected word names in its language (CLDR and ISO 3166-2 through `places`): "России" ->
    RU, "Европы" -> 150 (Europe); the word's forms, each with the case endings of its script put back."""
    names = places(normalize(language))
    codes: set[str] = set(_aliases().get(word, [])) if word.isupper() else set()
    for form in forms(word, language):
        lower = form.lower()
        for ending in ("", *_ENDINGS.get(script(word), ())):
            codes |= names.get(lower + ending, frozenset())
    return frozenset(codes)


@lru_cache(maxsize=8)
def _sides(translation: str, target_lang: str) -> tuple[list[str], list[str], list[str], frozenset[str]]:
    """What every name is compared with, once per translation: its words, its capitalised words (and the parts of
    hyphenated names: "Имам-уль-Хак"), its long lower-case words, and the places its capitalised words name."""
    words = [re.sub(r"['’]s$", "", m.group(0)) for m in _WORD.finditer(translation)]  # "Britain's" -> "Britain"
    joined_parts = {p for m in re.finditer(r"[^\W\d_]+(?:-[^\W\d_]+)+", translation) if m.group(0)[0].isupper()
                    for p in m.group(0).split("-")}
    candidates = list(dict.fromkeys(w for w in words if w[0].isupper() or w in joined_parts))
    lower = list(dict.fromkeys(w for w in words if w[0].islower() and len(w) > _DERIVED))
    there = frozenset().union(*(place_codes(c, target_lang) for c in candidates))
    return words, candidates, lower, there


def kept_across(name: list[str], translation: str, source_lang: str, target_lang: str,
                required: list[str] | None = None) -> bool:
    """Whether a translation in another script still has the name: the place under any of its names (CLDR),
    or each of its `required` words (all but connectors by default) as one of the translation's capitalised
    words that sounds the same after transliteration."""
    words, candidates, lower, there = _sides(translation, target_lang)
    if same_place(" ".join(name), words, source_lang, target_lang):
        return True
    needed = required if required is not None else [w for w in name if w not in CONNECTORS]
    if all(_word_kept(w, translation, source_lang, target_lang) for w in needed):
        return True
    # two words written as one: "Tamil Nadu" = "Тамилнад"; a word as long as one of them is that word, not both
    parts = [w for w in name if w not in CONNECTORS]
    joined = "".join(parts)
    return len(parts) > 1 and any(len(c) > max(map(len, parts)) + 2 and same_name(joined, c, source_lang, target_lang)
                                  for c in candidates)


@lru_cache(maxsize=4096)
def _word_kept(word: str, translation: str, source_lang: str, target_lang: str) -> bool:
    """One word of a name in the translation: a place it names, or a word that sounds the same or is made of it;
    cached, since a text names the same people again and again."""
    words, candidates, lower, there = _sides(translation, target_lang)
    return bool(place_codes(word, source_lang) & there) or same_place(word, words, source_lang, target_lang) or any(
        same_name(word, c, source_lang, target_lang) for c in candidates) or any(_derived(word, c) for c in lower)


def _derived(name: str, word: str) -> bool:
    """A lower-case word made of the name: an adjective or noun derived from it, less its last vowel ("кевларовым"
    of Kevlar, "германской" of Germany, "антисемитизм" of anti-Semitism, "protipákistánských" of Pakistan)."""
    stems = {re.sub(r"[aeiouy]+$", "", k) for k in keys(name)[0] | keys(name)[1]}
    spelled = keys(word)[0] | keys(word)[1]
    return any(len(k) >= _DERIVED and any(k in w for w in spelled) for k in stems)


def _acronym(word: str) -> bool:
    return word.isupper() and len(word) >= 2


def required_across(name: str, source_lang: str, target_lang: str) -> list[str]:
    """The words of a name a translation into another script must keep. Acronyms are translated ("США" -> "US",
    "UK" -> "Великобритания"), so none is; of a Latin-script name, the words `names.required_words` finds (its
    common words are translated: "White House"); in Cyrillic and Greek, which capitalise only names and the first
    word of a body's name, every word but those the dictionary knows as common words only ("Главный штаб")."""
    if script(name) == "LATIN":
        # how common a word is abroad is asked of languages in Latin letters, since a Cyrillic or Greek table has
        # no "Biden" (every name would be a word of English alone); a word is a name when it is one in all of
        # them: each has cognates and loans of its own ("natural" in Spanish, "Office" in French)
        src = normalize(source_lang)
        abroad = [required_words(name, source_lang, o) for o in _LATIN_ABROAD if o != src]
        words = [w for w in abroad[0] if all(w in other for other in abroad[1:])]
    else:
        words = [w for w in name.split() if w not in CONNECTORS and not common_word(w, source_lang)]
    return [w for w in words if len(w) > 1 and not _acronym(w.replace(".", ""))]  # "Петр I": a numeral


def lost_across(names: list[str], translation: str, source_lang: str, target_lang: str) -> list[str]:
    """The names (of the source, `names`) that a translation in another cased script has in no spelling."""
    lost = []
    for name in names:
        needed = required_across(name, source_lang, target_lang)
        if needed and not kept_across(name.split(), translation, source_lang, target_lang, needed):
            lost.append(name)
    return lost
