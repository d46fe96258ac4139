"""Scraped-text cleaning: boilerplate lines and repeated titles out, paragraphs kept."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from ..budget import check
from ..nlp.text import unwrap

#: Whole-line (fullmatch, case-insensitive) regexes for scraped boilerplate. Each is anchored to a
#: short line or an unmistakable phrase so that real sentences survive; sites add their own in config.
DEFAULT_DROP_PATTERNS: list[str] = [
    # image/photo credits and captions: "... | Image by Getty Images", "Photo: AP", "(Photo by X/Getty)"
    r".{0,400}\|\s*(?:image|photo|picture|foto|bild)s?\s*(?:by|credits?|courtesy|:).{0,100}",
    r"(?:image|photo|picture|foto|bild)s?(?:\s*(?:credits?|courtesy|source|quelle))?\s*:.{0,150}",
    r"(?:image|photo|picture)s?\s+(?:credits?|courtesy)\b.{0,150}",
    r"(?:photo|image|picture)s?\s+by\s+.{1,80}(?<![.!?\"”])",
    r".{0,300}\((?:photo|image|picture)s?(?:\s+by|\s+credit|\s+courtesy|:)[^()]{0,120}\)",
    r"credits?\s*:\s*.{1,80}",
    # calls to action
    r"(?:please\s+)?support\s+our\s+(?:[\w-]+\s+){0,2}journalism[.!]?",
    r"(?:submit|leave|post|add|write)\s+a\s+(?:comment|reply)[.:!]?",
    r"(?:\d+\s+)?comments?(?:\s*\(\d+\))?:?",
    r"your email address will not be published\.?(?:\s*required fields are marked\s*\*?)?",
    r"share\s+(?:this|the)\s+(?:article|story|post|page)(?:\s+(?:on|via)\s+.{1,40})?[:.!]?",
    r"(?:share|tweet|e-?mail|print|facebook|twitter|linkedin|whatsapp|pinterest|reddit|copy link)",
    r"(?:sign up|subscribe)(?:\s+now)?\s+(?:for|to)\s+(?:our|the)\s+(?:[\w-]+\s+){0,3}newsletters?"
    r"[^.!?]{0,80}[.!]?",
    r"follow us on\s+[\w ,&]{1,60}[.!]?",
    # a short paragraph that asks to follow someone on a social network or at a web address ("Have a tip? … Follow
    # her on Twitter @AmyKup", "Follow AP's full coverage of Brexit at https://…", "Folgen Sie uns auf Instagram")
    r"(?=.{0,400}$)(?:.*[.!?]\s+)?(?:follow|find|folge|folgen sie|suivez|suis|s[ií]guenos|segui(?:ci)?|siga(?:-nos)?"
    r"|volg)\b[^.!?]{0,100}?\b(?:on|auf|sur|en|su|no|op|at|via)\s+(?:twitter|facebook|instagram|youtube|linkedin"
    r"|tiktok|threads|mastodon|bluesky|x\b|https?://|www\.|@\w).*",
    # asks that follow the article: "If you enjoyed this article, … join", "Wenn Ihnen dieser Artikel gefallen hat"
    r"(?=.{0,600}$)(?:if you (?:enjoyed|liked|value|appreciate|found value in) (?:this|our|the)\b"
    r"|wenn ihnen (?:dieser|der|unser) (?:artikel|beitrag|text) gefallen|si vous avez aimé (?:cet|notre|l')"
    r"|si te (?:ha )?gust(?:ó|ado) (?:este|el|nuestro)|se ti è piaciuto (?:questo|l')).*",
    r"(?=.{0,250}$)(?:get|receive|have)\b.{0,120}\b(?:delivered |sent )?(?:straight |right |directly )?(?:to|in|into)"
    r" your inbox\b.*",
    # a teaser for another story, tagged the tabloid way: "China furious at Macron [INSIGHT]"
    r".{5,200}\s\[(?-i:[A-Z]{3,12})\]\s*\|?",
    # reading time: "5 min read", "Lesezeit: 3 Minuten", "Temps de lecture : 2 min", "Tempo de leitura: 1 minuto"
    r"(?:(?:reading time|read time|lesezeit|lesedauer|temps de lecture|tiempo de lectura|tempo de leitura"
    r"|tempo di lettura|leestijd)\s*:?\s*)?\d+\s*(?:-\s*\d+\s*)?(?:min(?:ute)?s?|minuten|minutos?|minuti)\.?"
    r"(?:\s+(?:read|lesen|de lecture|de lectura|de leitura|di lettura|leestijd))?",
    r"advertisement|advertising|sponsored(?: content)?|anzeige|publicité|pubblicità|publicidad",
    r"(?:read more|read also|also read|see also|see more|related|more on this)\s*:.{0,200}",
    # "see also" links in other languages, with or without a colon: the label alone or with the linked headline
    r"(?:(?:à\s+)?lire\s+(?:aussi|également)|voir aussi|lesen sie (?:auch|mehr)|mehr zum thema|auch interessant"
    r"|leggi anche|leggi pure|potrebbe interessarti|lee (?:también|además)|te puede interesar|leia também"
    r"|lees ook)\b\s*[:|>»-]*.{0,200}",
    # newsletter sign-up footers: a short line naming a newsletter and a sign-up verb, in any of several languages
    r"(?=.{0,250}$)(?=.*\b(?:sign(?:\s|-)?up|subscrib\w*|get our|abonn\w*|inscri\w*|anmeld\w*|melden sie|bestell\w*"
    r"|suscr[ií]b\w*|iscriv\w*|registr\w*|inschrijv\w*)).*\bnewsletters?\b.*",
    # bylines: "By Jane Smith, Reuters", "Von Anna Müller | 3. Mai", "Par Marie Dupont" (names capitalised)
    r"(?:by|von|par|por|di|door|av)\s+(?-i:[A-ZÀ-Þ][\w.'’-]*)(?:\s+(?:(?-i:[A-ZÀ-Þ][\w.'’-]*)|and|und|et|y|e|de|van"
    r"|von)){0,5}(?:\s*[,|·•–—-]\s*[^.!?]{0,80}[^.!?\s])?",
    r"click here (?:to|for)\s[^.!?]{0,80}[.!]?",
    # where a syndicated story first ran, and letters, donation and feature-image furniture
    r"(?:this (?:story|article) )?(?:originally|first) (?:appeared|published|ran) (?:on|in|at) .{1,80}"
    r"|(?:zuerst|urspr(?:ü|ue)nglich) erschienen (?:auf|in|bei) .{1,80}|(?:initialement|originellement) (?:paru"
    r"|publié)e? (?:sur|dans) .{1,80}|(?:publicado|aparecido) originalmente en .{1,80}"
    r"|pubblicato originariamente su .{1,80}",
    r"(?=.{0,200}$).*\b(?:letters? to the editor|leserbrief\w*|courrier des lecteurs|cartas? al director"
    r"|lettere al direttore)\b.*",
    r"(?:please\s+)?(?:donate(?: now| today)?|make a donation|support us|become a (?:member|supporter"
    r"|subscriber)|jetzt spenden|spenden sie|unterstützen sie uns|faites un don|soutenez-nous|haz una donación"
    r"|dona ahora|apóyanos|sostienici)\b.{0,200}",
    r"(?:beitrags|titel|symbol|aufmacher|vorschau)bild\s*:.{0,150}|crédits? photos?\s*:.{0,150}|(?:foto"
    r"|imagen)\s*:.{0,150}",
    # site furniture
    r".{0,100}\b(?:we use cookies|this (?:web)?site uses cookies|accept (?:all )?cookies)\b.{0,300}",
    r"cookie (?:settings|preferences|policy)",
    r".{0,300}©\s*[\w .'’&-]{1,60}(?:/\s*[\w .'’&-]{1,40})?\)?",  # caption ending in a credit
    r"©.{0,100}|(?:\(c\)|copyright)\s*(?:©\s*)?(?:19|20)\d\d\b.{0,100}|.{0,100}all rights reserved\.?",
    r"skip to (?:main )?content|back to top|scroll to top|loading\.{0,3}",
    r"(?:please )?enable javascript.{0,100}",
]


#: a "see also" label on a line of its own: the next line is the headline it links to
_LABEL = re.compile(r"(?:(?:à\s+)?lire\s+(?:aussi|également)|voir aussi|lesen sie (?:auch|mehr)|mehr zum thema"
                    r"|leggi anche|lee también|leia também|read more|see also|related(?: articles?)?)\s*[:|>»]*",
                    re.IGNORECASE)


def clean_text(text: str, title: str | None, drop_patterns: Sequence[str], drop_repeated_title: bool = True) -> str:
    """Drop boilerplate lines and lines repeating the title, collapse blank runs, strip.

    Lines are compared whole (stripped), so a pattern can never cut a sentence in half.
    """
    regexes = _compile(tuple(drop_patterns))
    title_key = _title_key(title) if drop_repeated_title and title else None
    kept: list[str] = []
    gap = after_label = False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        check()
        line = line.strip()
        if not line:
            gap = bool(kept)
        elif after_label and len(line) <= 160 and not re.search(r"[.!]$", line):
            after_label = False  # the headline a "Lire aussi" label links to
        else:
            after_label = bool(_LABEL.fullmatch(line))
            if after_label or any(r.fullmatch(line) for r in regexes) or is_timestamp(line):
                continue
            if title_key and (_title_key(line) == title_key or (len(kept) < 3 and _restates(line, title_key))):
                continue
            if gap:
                kept.append("")
                gap = False
            kept.append(line)
    return unwrap("\n".join(_drop_repeats(kept)))


_WORDS = re.compile(r"\w+")


def _restates(line: str, title_key: str) -> bool:
    """A heading at the top that says the title again in other words ("HS Roundup: …" / "High School Roundup: …",
    the headline without the site's name): most of its words are the title's and it ends no sentence."""
    if re.search(r"[.!?…][\"'”’»]*$", line):
        return False
    words, title = set(_WORDS.findall(line.casefold())), set(_WORDS.findall(title_key))
    return bool(words and title) and len(words & title) >= 0.7 * max(len(words), len(title))


#: words a date line may have besides numbers and month and day names: "Updated at 1:23 p.m. EST", "am 3. Mai um
#: 14:05 Uhr", "mis à jour le 5 mai 2020 à 10h"
_TIME_WORDS = frozenset(re.findall(r"\S+", """
    a m am pm p at on of the last updated update published posted modified h uhr um am stand
    aktualisiert veröffentlicht zuletzt le à mis jour publié modifié el a las de del actualizado publicado il alle
    aggiornato pubblicato às atualizado em op om bijgewerkt gepubliceerd utc gmt est edt cst cdt mst mdt pst pdt
    et pt bst cet cest mez mesz ist"""))
_CALENDAR_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
_BYLINE_AFTER = re.compile(r"\s+(?:by|von|par|por|di|door)\s+(?=[A-ZÀ-Þ])")


def is_timestamp(line: str) -> bool:
    """A line that only dates the page ("Updated at 1:23 p.m.", "sexta-feira, 22 de outubro de 2010 às 20:13",
    "5:45 AM PST 11/19/2019 by Patrick Shanley"): numbers, month and day names (CLDR, via Babel) and a few words of
    time, perhaps followed by a byline; the article has its date in its metadata."""
    if len(line) > 120 or not re.search(r"\d", line):
        return False
    head = _BYLINE_AFTER.split(line, maxsplit=1)[0]
    words = _WORDS.findall(head.casefold())
    dated = re.search(r"\d:\d\d|\d[./-]\d{1,2}[./-]\d", head) or any(w in _calendar() for w in words)
    return bool(dated) and all(w.isdigit() or w in _TIME_WORDS or w in _calendar() or re.fullmatch(r"\d+(?:h|st|nd|rd"
                                                                                                   r"|th|er|e)", w)
                               for w in words)


@functools.lru_cache(maxsize=1)
def _calendar() -> frozenset[str]:
    from ..nlp.names import calendar_words

    words: set[str] = set()
    for language in _CALENDAR_LANGUAGES:
        words |= {w for name in calendar_words(language) for w in _WORDS.findall(name)}
    return frozenset(words)


_TITLE_SEPARATOR = re.compile(r"\s+[-|–—·•:»]\s+")


def strip_site_name(title: str, site_name: str | None) -> str:
    """ "Storm closes port - La Stampa" -> "Storm closes port", when "La Stampa" is the page's own site name.

    The name comes from the page (trafilatura's `sitename`, a JSON `sitename`/`site` field), so no list
    of outlets is needed; a domain ("lastampa.it") matches its spelled-out name.
    """
    if not site_name or not title:
        return title
    site = _site_key(site_name)
    parts = _TITLE_SEPARATOR.split(title)
    if len(parts) < 2 or not site:
        return title
    if _site_key(parts[0]) == site:
        return title[len(parts[0]) :].lstrip(" -|–—·•:»")
    for k in range(len(parts) - 1, 0, -1):  # "Title | DW | 19.01.2020": the name, then only dates
        if _site_key(parts[k]) == site:
            return _cut(title, parts[k])
        if not re.fullmatch(r"[\d\W]+", parts[k]):
            break
    return title


def _cut(title: str, part: str) -> str:
    return title[: title.rfind(part)].rstrip(" -|–—·•:»")


def _site_key(name: str) -> str:
    name = re.sub(r"^(?:https?://)?(?:www\.)?", "", name.strip().casefold())
    name = re.sub(r"\.(?:com|org|net|co\.uk|co|[a-z]{2})$", "", name)
    return re.sub(r"\W+", "", name)


def _drop_repeats(lines: list[str]) -> list[str]:
    """Pull quotes and other repeats: a line that says again what another line of the article says goes.

    A line of 40+ characters that occurs inside a longer line (a pull quote lifted from its paragraph),
    or again after its first occurrence on its own (a pull quote set between paragraphs), is dropped; a repeat
    next to other repeats is structure (a menu or schedule given once per day, a table's rows) and stays, and so
    do short lines (headings, "Reuters").
    """
    if len(lines) > 3000:  # a pull quote in a book-length input does no harm
        return lines
    keys = [_quote_key(line) for line in lines]
    inside_longer = _inside_longer(keys, 40)
    counts = Counter(keys)
    texts = [n for n, key in enumerate(keys) if key]  # blank lines between paragraphs are no neighbours
    repeated = {n for n in texts if counts[keys[n]] > 1}
    neighbours = {n: set(texts[max(i - 1, 0):i] + texts[i + 1:i + 2]) for i, n in enumerate(texts)}
    seen: set[str] = set()
    kept = []
    for n, (line, key) in enumerate(zip(lines, keys, strict=True)):
        inside = len(key) >= 40 and key in inside_longer
        again = len(key) >= 40 and key in seen and not repeated & neighbours.get(n, set())
        seen.add(key)
        if not (inside or again):
            kept.append(line)
    return kept


def _inside_longer(keys: list[str], shortest: int) -> set[str]:
    """The keys of `shortest` characters or more that occur inside another, longer key.

    Scanning the whole text for every key made this quadratic (3,000 lines of a 4 MB page: 3,000 scans of it).
    Instead every window of `shortest` characters of the text gets a rolling hash (numpy, once), and a key is
    looked for only where its rarest window occurs; each such place is then compared character by character.
    """
    import numpy as np

    body = "\n".join(keys)
    width = shortest
    if len(body) < width or len(set(keys)) < 2:  # one line (however often) is inside no other
        return set()
    hashes = _window_hashes(body, width)
    order = np.argsort(hashes, kind="stable")
    ordered = hashes[order]
    line_starts: dict[str, set[int]] = {}
    pos = 0
    for key in keys:
        line_starts.setdefault(key, set()).add(pos)
        pos += len(key) + 1
    found = set()
    for key in set(keys):
        check()
        if len(key) < width:
            continue
        own = _window_hashes(key, width)
        lo, hi = np.searchsorted(ordered, own, "left"), np.searchsorted(ordered, own, "right")
        rarest = int(np.argmin(hi - lo))  # the key's window that the text has the fewest times
        places = order[lo[rarest]:hi[rarest]] - rarest
        if any(start >= 0 and start not in line_starts[key] and body.startswith(key, start) for start in
               places.tolist()):
            found.add(key)
    return found


def _window_hashes(text: str, width: int):
    """A polynomial hash of each window of `width` characters of `text`, the same wherever the window stands
    (numpy uint64, arithmetic modulo 2**64; an odd base has an inverse there)."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    with np.errstate(over="ignore"):
        powers = np.cumprod(np.full(len(codes), _BASE, dtype=np.uint64), dtype=np.uint64)
        inverse = np.cumprod(np.full(len(codes), _INVERSE, dtype=np.uint64), dtype=np.uint64)
        prefix = np.concatenate((np.zeros(1, dtype=np.uint64), np.cumsum(codes * powers, dtype=np.uint64)))
        return (prefix[width:] - prefix[:-width]) * inverse[:len(codes) - width + 1]


_BASE = 1_000_003
_INVERSE = pow(_BASE, -1, 2**64)


def _quote_key(line: str) -> str:
    return _title_key(line).strip("\"'«»„“”‘’ ")


@functools.lru_cache(maxsize=32)
def _compile(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def _title_key(line: str) -> str:
    line = unicodedata.normalize("NFKC", line).translate(str.maketrans("‘’“”", "''\"\""))
    return " ".join(line.casefold().split()).strip(" .:!?|-–—")
