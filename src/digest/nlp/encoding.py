"""Bytes of unknown encoding to text: byte-order marks, UTF-8, then the legacy code page that reads best.

A legacy file is decided on its decoded text, not on byte statistics alone: a cp1252 English file must
never come out as mac_latin2 mojibake ("Cafť owners in KŲln"), nor a cp1250 Czech one as cp1252.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

#: UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(raw: bytes) -> tuple[str, str] | None:
    """Decode a file of unknown encoding: (text, encoding), or None when it is not text at all.

    Order: byte-order mark, strict UTF-8, UTF-8 with a few broken bytes (scrapers that cut a
    multi-byte character), then the legacy code page whose decoded text reads best (`_legacy_decode`).
    """
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                return None
            return (text, codec) if _looks_like_text(text) else None
    if b"\x00" in raw:
        return None
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="replace")
        bad = text.count("\ufffd")
        if sum(ord(ch) > 127 for ch in text) - bad >= 10 * bad:  # real UTF-8 with a few broken bytes
            encoding = "utf-8 (with invalid bytes replaced)"
        else:
            decoded = _legacy_decode(raw)
            if decoded is None:
                return None
            text, encoding = decoded
    return (text, encoding) if _looks_like_text(text) else None


#: the non-ASCII lower-case letters each Latin-script language writes with; a decoding whose letters all belong to
#: one of these reads as a real language, one that mixes e.g. "ø", "è" and "ì" in one text is a wrong code page
_ALPHABETS = (
    "àâæçéèêëîïôœùûüÿ", "äöüß", "áéíñóúü", "àèéìíîòóù", "áâãàçéêíóôõú", "éëïóöüè", "æøåéó", "åäöé",
    "ąćęłńóśźż", "áčďéěíňóřšťúůýž", "áäčďéíĺľňóôŕšťúýž", "áéíóöőúüű", "ăâîșțşţ", "čćđšž", "çğıöşüâî",
    "áðéíóúýþæö", "àçèéíïòóúü·", "āčēģīķļņšūž", "ąčęėįšųūž", "äöõšžü", "âêîôûŵŷ", "àèìòùáéíóú",
)
#: punctuation that legacy Western files really contain (cp1252's 0x80-0x9f range and Latin-1's symbols)
_COMMON_SYMBOLS = frozenset("–—‘’‚“”„…•€«»°§©®™\xa0·£¥¢¿¡±×÷¼½¾²³¹ªº¶†‡‰‹›¦¨¯´¸¤µ")
#: tried besides charset-normalizer's guesses: the usual legacy code pages of Western and Central European news
_FALLBACKS = ("cp1252", "cp1250", "latin_1")
#: tried besides the detector's guesses for texts in other scripts (on a sentence or two it may not propose them):
#: the legacy code pages of Cyrillic, Greek, Arabic, Hebrew, Thai, Chinese, Japanese and Korean news; each reading
#: is judged by `_other_script`, none is preferred by name
_SCRIPT_FALLBACKS = ("cp1251", "koi8_r", "cp1253", "cp1256", "cp1255", "cp874", "gb18030", "big5", "cp932", "cp949")


def _legacy_decode(raw: bytes) -> tuple[str, str] | None:
    """Best legacy reading, decided on the decoded text rather than on byte statistics.

    charset-normalizer proposes candidates (on short texts it ranks e.g. mac_latin2 above cp1252 and
    turns "Café" into "Cafť"); each decoding is then judged by what a reader would see: stray symbols
    inside words, impossible letter case ("KŲln"), control characters, and whether its accented
    letters fit one language. The cp1252 reading wins whenever it is clean, unless another reading
    fits one alphabet exactly where cp1252 mixes several (a cp1250 Czech file read as cp1252).
    """
    from charset_normalizer import from_bytes

    # without a single NUL byte the file cannot be UTF-16/32, whatever a short sample suggests
    guesses = [m.encoding for m in from_bytes(raw) if not m.encoding.startswith(("utf_16", "utf_32"))]
    readings: dict[str, tuple[str, int, int]] = {}
    for encoding in dict.fromkeys(["cp1252", *guesses, *_FALLBACKS]):
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        readings[encoding] = (text, _oddities(text), _misfit(text))
    if not readings:
        return None
    others = dict(readings)
    for encoding in _SCRIPT_FALLBACKS:
        if encoding not in others:
            try:
                others[encoding] = (raw.decode(encoding), 0, 0)
            except UnicodeDecodeError:
                continue
    other_script = _other_script({e: others[e][0] for e in others}, guesses)
    if other_script is not None:
        return others[other_script][0], other_script
    western = readings.get("cp1252")
    if western and western[1] == 0:
        rival = next((e for e, (_, odd, fit) in readings.items() if odd == 0 and fit == 0), None)
        if not (rival and western[2] >= 2):
            return western[0], "cp1252"
    order = list(readings)
    best = min(readings, key=lambda e: (readings[e][1], readings[e][2], order.index(e)))
    return readings[best][0], best


#: share of a text's letters that must be of one script other than Latin before it is read as that script: a French
#: text's few "à" read as Cyrillic "а" are far below it, an Arabic or Russian article with English names far above
_SCRIPT_SHARE = 0.3
#: charset-normalizer's mess ratio above which a reading is mojibake (wrong code pages score 0.1 to 4 on news)
_CLEAN = 0.1
#: words that may mix scripts in a real text (a Latin "c" typed inside a Cyrillic word); mojibake mixes most words
_MIXED = 0.02


def _other_script(readings: dict[str, str], guesses: list[str]) -> str | None:
    """The encoding whose reading is plausible text in a script other than Latin, or None.

    A reading is plausible when its letters are mostly of one non-Latin script (Arabic, Hebrew, Greek, Cyrillic,
    Thai, Han, kana, Hangul), no word mixes that script with another, and charset-normalizer finds no mess in it
    (`mess_ratio`). Of several, one the detector proposed beats one only tried (euc-kr Korean also reads as
    clean-looking Thai in cp874); then the one whose letters best follow a language's letter frequencies
    (`coherence_ratio`: cp1255 Hebrew also reads as clean-looking Cyrillic), then the detector's own order.
    """
    from charset_normalizer.cd import coherence_ratio
    from charset_normalizer.md import mess_ratio

    plausible = []
    for encoding, full in readings.items():
        text = full[:20000]
        script = _dominant_script(text)
        if script is None:
            continue
        chaos = mess_ratio(text, maximum_threshold=1.0)
        if chaos > _CLEAN:
            continue
        languages = coherence_ratio(text)
        coherence = max((ratio for _, ratio in languages), default=0.0)
        rank = guesses.index(encoding) if encoding in guesses else len(guesses)
        plausible.append((encoding not in guesses, chaos - coherence, rank, encoding))
    return min(plausible)[-1] if plausible else None


def _dominant_script(text: str) -> str | None:
    """The non-Latin script most of the text's letters are written in, if they are and no word mixes scripts."""
    counts: dict[str, int] = {}
    letters = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if ord(ch) > 127:
                script = _script(ch)
                counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    script, n = max(counts.items(), key=lambda item: item[1])
    if script == "LATIN" or n < _SCRIPT_SHARE * letters:
        return None
    words = _WORD.findall(text)
    mixed = sum(len({_script(ch) if ord(ch) > 127 else "LATIN" for ch in word}) > 1 for word in words)
    return script if mixed <= _MIXED * len(words) else None


_WORD = re.compile(r"[^\W\d_]+")


def _oddities(text: str) -> int:
    """Characters no real text has: controls, symbols stuck to letters, mid-word case flips, mixed scripts."""
    odd = sum(unicodedata.category(ch) in ("Cc", "Co", "Cn") and ch not in "\t\n\r\f\v" for ch in text)
    for match in re.finditer(r"\w[^\w\s]|[^\w\s]\w", text):
        odd += any(ord(ch) > 127 and not ch.isalnum() and ch not in _COMMON_SYMBOLS for ch in match.group())
    odd += len(re.findall(r"[^\W\d_]\d|\d[^\W\d_]", text.translate(_ASCII_LETTERS)))
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        cased = word.islower() or word.isupper() or word.istitle()
        odd += (not cased) + (len({_script(ch) for ch in word}) > 1)
    return odd


#: ASCII letters out of the way, so that only non-ASCII letters glued to digits ("Ä2,000") count
_ASCII_LETTERS = str.maketrans(dict.fromkeys(map(ord, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"), " "))


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    head = name.split()[0] if name else ""
    return "CJK" if head in ("HIRAGANA", "KATAKANA", "CJK") else head


def _misfit(text: str) -> int:
    """How many distinct accented Latin letters fall outside the best-fitting alphabet, plus extra scripts."""
    letters = {ch for ch in text.lower() if ord(ch) > 127 and ch.isalpha()}
    latin = {ch for ch in letters if _script(ch) == "LATIN"}
    scripts = {_script(ch) for ch in letters - latin}
    return min(len(latin - set(alphabet)) for alphabet in _ALPHABETS) + max(0, len(scripts) - (not latin))


def _looks_like_text(text: str) -> bool:
    """False for decoded binaries: control characters (other than tabs, newlines, form feeds) over 1%."""
    sample = text[:20000]
    controls = sum(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v" for ch in sample)
    return "\x00" not in sample and controls <= len(sample) / 100
