"""The article a page describes in its JSON-LD (schema.org NewsArticle and kin): body, headline, dates, people.

Pages often say in structured data what their markup hides: the full `articleBody` behind a photo caption, the
published (not modified) date, the author persons (not the publisher)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

_ARTICLE_TYPES = {"article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
                  "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "report", "liveblogposting"}


def json_ld_article(html: str) -> dict[str, Any]:
    """title, text, date, author, sitename, section from the page's first JSON-LD article object ({} without one)."""
    from lxml import html as lxml_html

    try:
        doc = lxml_html.fromstring(html)
    except (ValueError, TypeError):
        return {}
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text_content() or "")
        except ValueError:
            continue
        for node in _nodes(data):
            kinds = node.get("@type")
            kinds = [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else []
            if any(isinstance(k, str) and k.lower() in _ARTICLE_TYPES for k in kinds):
                return _fields(node)
    return {}


def _nodes(data: Any) -> list[dict]:
    """Every object of a JSON-LD document: a list, an @graph, or one object."""
    if isinstance(data, list):
        return [n for item in data for n in _nodes(item)]
    if isinstance(data, dict):
        return [data, *_nodes(data.get("@graph", []))]
    return []


def _fields(node: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, field in (("text", "articleBody"), ("title", "headline"), ("date", "datePublished"),
                       ("language", "inLanguage")):
        if isinstance(node.get(field), str) and node[field].strip():
            out[key] = node[field].strip()
    if "date" in out and not _plausible_date(out["date"]):
        del out["date"]  # "0001-01-01T00:00:00Z", "November 19, 2019": the markup's own date is surer
    authors = node.get("author")
    authors = authors if isinstance(authors, list) else [authors]
    names = [a.get("name") for a in authors if isinstance(a, dict) and a.get("@type") == "Person"]
    people = [" ".join(name.split()) for name in names if isinstance(name, str) and name.strip()]
    if people:
        out["author"] = "; ".join(people)
    section = node.get("articleSection")
    if isinstance(section, list):
        section = next((s for s in section if isinstance(s, str) and s.strip()), None)
    if isinstance(section, str) and section.strip():
        out["section"] = " ".join(section.split())
    publisher = node.get("publisher")
    if isinstance(publisher, dict) and isinstance(publisher.get("name"), str) and publisher["name"].strip():
        out["sitename"] = publisher["name"].strip()
    return out


def _plausible_date(value: str) -> bool:
    """An ISO 8601 date between the web's first news sites and next year: a CMS placeholder (year 1) or free text
    is no published date to trust over the page's markup."""
    try:
        year = datetime.fromisoformat(value).year
    except ValueError:
        return False
    return 1990 <= year <= datetime.now(timezone.utc).year + 1


def site_name(doc: Any, publisher: str | None, guessed: str | None, url: str | None = None) -> str | None:
    """The outlet's name as the page declares it: `og:site_name`, else the JSON-LD publisher, else the
    `application-name`, each only when written as a name (a tagline after " | " cut off), and one that the page's
    host spells ("Reuters" on reuters.com) before one that it does not (an og:site_name of "U.S." is a section);
    of two spellings of one name the spelled-out one ("The Hill" over "TheHill", "Wall Street Journal" over
    "WSJ"). A lower-case slug ("floridatoday") or a Twitter handle ("@FUTUREZONEAT") is no name: then the markup's
    own guess (`guessed`, trafilatura's) is taken, unless it is the page's Twitter handle."""
    handle = (_meta(doc, "twitter:site") or "").lstrip("@").casefold()
    declared = [_meta(doc, "og:site_name"), publisher, _meta(doc, "application-name")]
    names = [cut for name in declared if name and (cut := name.split(" | ")[0].strip())]
    written = [name for name in names if _written_as_name(name)]
    if written:
        host = _squeeze(".".join((urlsplit(url).hostname or "").split(".")[:-1])) if url else ""
        best = next((name for name in written if len(_stem(name)) >= 3 and _stem(name) in host), written[0])
        return max((name for name in written if _same_name(name, best)),
                   key=lambda name: (name.count(" "), name[:1].isupper()))
    if guessed and not (handle and guessed.casefold() == handle):
        return guessed
    return names[0].lstrip("@") if names else guessed


def _meta(doc: Any, name: str) -> str | None:
    for value in doc.xpath(f'//meta[@property="{name}" or @name="{name}"]/@content'):
        if isinstance(value, str) and value.strip():
            return " ".join(value.split())
    return None


def _written_as_name(name: str) -> bool:
    """ "Florida Today", "Space.com", "ノート100YEN.com" are names; "floridatoday", "@politifact" are slugs."""
    return not name.startswith("@") and (name != name.lower() or " " in name or "." in name or not name.isascii())


def _same_name(a: str, b: str) -> bool:
    """ "The Hill" / "TheHill", "Wall Street Journal" / "WSJ": one name, written two ways."""
    def abbreviates(short: str, long: str) -> bool:
        letters = "".join(word[0] for word in long.casefold().split() if word[0].isalnum())
        return len(short) > 1 and short in (letters, letters.removeprefix("t"))

    return _squeeze(a) == _squeeze(b) or abbreviates(_squeeze(a), b) or abbreviates(_squeeze(b), a)


def _stem(name: str) -> str:
    """The part of a name a host would spell: "Space.com" -> "space", "The Hill" -> "hill"."""
    name = re.sub(r"\.(?:com|org|net|[a-z]{2})$", "", re.sub(r"^the\s+", "", name, flags=re.I), flags=re.I)
    return _squeeze(name)


def _squeeze(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


_ORGANIZATION = re.compile(r"\b(?:GmbH|AG|Ltd|Inc|LLC|plc|S\.?A\.?S?|SpA|B\.?V\.?|Corp(?:oration)?|Verlag)\b\.?")


def people_only(author: str | None, *outlets: str | None) -> str | None:
    """The author field without the publisher: a part that names the site or publisher ("Heise Online", "Deutsche
    Welle" on DW.COM) or a company ("… GmbH") goes; when the first part does, the rest is its address ("SPIEGEL
    ONLINE; Hamburg; Germany") and the whole field goes."""
    if not author:
        return author
    names = [name for name in outlets if name]

    def publisher(part: str) -> bool:
        return bool(_ORGANIZATION.search(part)) or any(
            _same_name(part, name) or (len(_stem(name)) >= 3 and _same_name(part, _stem(name))) for name in names)

    parts = [part.strip() for part in author.split(";") if part.strip()]
    if not parts or publisher(parts[0]):
        return None
    return "; ".join(part for part in parts if not publisher(part)) or None
