"""Font stacks that cover the scripts of the world's news: system fonts only, no web fonts (pages stay
self-contained and e-mail clients load nothing).

Latin, Cyrillic and Greek come from the newspaper faces first; each other script has the fonts Windows, macOS,
Android and Linux (Noto) install for it, so a browser never falls back to boxes. Han characters are drawn
differently in Japan, Korea, mainland China and Taiwan/Hong Kong: the page's language picks that variant first.
Styles that break a script (letter spacing tears Arabic joining and Devanagari conjuncts; uncased scripts have no
capitals; CJK and Arabic have no italics) are turned off where the page's script is none of the cased ones.
"""

from __future__ import annotations

import functools

from ..nlp.language import likely_script

SERIF_LATIN = ("Georgia", "'Times New Roman'", "'Noto Serif'", "'DejaVu Serif'")
SANS_LATIN = ("system-ui", "-apple-system", "'Segoe UI'", "Roboto", "Arial", "'Noto Sans'", "'DejaVu Sans'")
#: per script, (serif, sans) system fonts in the order Linux (Noto), macOS/iOS, Windows
SCRIPTS = {
    "Arab": (("'Noto Naskh Arabic'", "'Geeza Pro'", "'Traditional Arabic'"),
             ("'Noto Sans Arabic'", "'Geeza Pro'", "Tahoma")),
    "Hebr": (("'Noto Serif Hebrew'", "'Times New Roman'"), ("'Noto Sans Hebrew'", "'Arial Hebrew'", "Arial")),
    "Deva": (("'Noto Serif Devanagari'", "'Kohinoor Devanagari'", "'Nirmala UI'", "Mangal"),
             ("'Noto Sans Devanagari'", "'Kohinoor Devanagari'", "'Nirmala UI'", "Mangal")),
    "Thai": (("'Noto Serif Thai'", "Thonburi", "'Leelawadee UI'", "Tahoma"),
             ("'Noto Sans Thai'", "Thonburi", "'Leelawadee UI'", "Tahoma")),
}
#: Han variants: (serif, sans) by the region-script the language's tag maximizes to
HAN = {
    "Hans": (("'Noto Serif CJK SC'", "'Source Han Serif SC'", "'Songti SC'", "SimSun"),
             ("'Noto Sans CJK SC'", "'Source Han Sans SC'", "'PingFang SC'", "'Microsoft YaHei'")),
    "Hant": (("'Noto Serif CJK TC'", "'Source Han Serif TC'", "'Songti TC'", "PMingLiU"),
             ("'Noto Sans CJK TC'", "'Source Han Sans TC'", "'PingFang TC'", "'Microsoft JhengHei'")),
    "Jpan": (("'Noto Serif CJK JP'", "'Source Han Serif JP'", "'Hiragino Mincho ProN'", "'Yu Mincho'"),
             ("'Noto Sans CJK JP'", "'Source Han Sans JP'", "'Hiragino Sans'", "'Yu Gothic'", "Meiryo")),
    "Kore": (("'Noto Serif CJK KR'", "'Source Han Serif KR'", "AppleMyungjo", "Batang"),
             ("'Noto Sans CJK KR'", "'Source Han Sans KR'", "'Apple SD Gothic Neo'", "'Malgun Gothic'")),
}
#: scripts whose letters have case, spacing and italics that the page's styles were drawn for
CASED = {"Latn", "Cyrl", "Grek", "Armn"}


def _script(lang: str) -> str:
    """The script a language is written in by CLDR's likely subtags (`ja` → Jpan, `zh-TW` → Hant), or ''."""
    return likely_script(lang) or ""


def cased(lang: str) -> bool:
    """Whether `lang` is written in a script with capitals, spacing and italics (Latin, Cyrillic, Greek…)."""
    return _script(lang) in CASED


def _han(script: str) -> str:
    return script if script in HAN else "Hans"


def _faces(kind: str) -> list[str]:
    index = 0 if kind == "serif" else 1
    faces = list(SERIF_LATIN if kind == "serif" else SANS_LATIN)
    for fonts in SCRIPTS.values():
        faces += fonts[index]
    return list(dict.fromkeys(faces))


def _generic(kind: str) -> str:
    return "serif" if kind == "serif" else "sans-serif"


@functools.lru_cache(maxsize=128)
def stack(kind: str, lang: str) -> str:
    """The full `font-family` of `kind` ("serif" or "sans") for text in `lang`: Latin faces, every script's,
    then the Han variant of `lang` (Japanese, Korean, Simplified or Traditional) before the other variants."""
    first = _han(_script(lang))
    han = [f for v in [first, *(v for v in HAN if v != first)] for f in HAN[v][0 if kind == "serif" else 1]]
    return ",".join([*_faces(kind), *han, _generic(kind)])


#: language ranges whose Han characters take a variant of their own, the wider ranges first (`zh` before `zh-TW`)
_HAN_LANGS = (("zh", "Hans"), ("zh-Hant", "Hant"), ("zh-TW", "Hant"), ("zh-HK", "Hant"), ("zh-MO", "Hant"),
              ("ja", "Jpan"), ("ko", "Kore"))
#: the interface lines of a page (sans-serif), and anything marked with a language inside them
_UI = (".ui", ".src", ".note", ".also", ".flags", "footer")


@functools.lru_cache(maxsize=128)
def css(lang: str) -> str:
    """The page's font rules. Each element that states a language (`[lang]`, <html> first) resolves the Han
    variant of that language (`--han-*`, set by `:lang()`), so a Japanese headline on a Chinese page gets
    Japanese glyphs; no spacing, capitals or italics where the page's script has none."""
    def han(variant: str) -> str:
        serif, sans = HAN[variant]
        return f"--han-serif:{','.join(serif)};--han-sans:{','.join(sans)}"

    rules = [f":root{{{han(_han(_script(lang)))}}}"]
    rules += [f":lang({tag}){{{han(variant)}}}" for tag, variant in _HAN_LANGS]
    inner = ",".join(f"{u} [lang]" for u in _UI)
    rules.append(f"html,body,h1,[lang]{{font-family:{','.join(_faces('serif'))},var(--han-serif),serif}}")
    rules.append(f"{','.join(_UI)},{inner}{{font-family:{','.join(_faces('sans'))},var(--han-sans),sans-serif}}")
    if not cased(lang):
        rules.append("h1,.site{letter-spacing:normal;text-transform:none}.note{font-style:normal}")
    return "".join(rules)


def mail(kind: str, lang: str) -> str:
    """A short stack for an e-mail's inline styles: the Latin faces mail clients have, the Han variant of `lang`,
    the generic family; the client's own fallback finds the other scripts."""
    latin = ("Georgia", "'Times New Roman'") if kind == "serif" else ("Arial", "Helvetica")
    return ",".join([*latin, *HAN[_han(_script(lang))][0 if kind == "serif" else 1][:3], _generic(kind)])
