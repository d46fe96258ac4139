"""The article a page describes in its JSON-LD (schema.org NewsArticle and kin): body, headline, dates, people.

Pages often say in structured data what their markup hides: the full `articleBody` behind a photo caption, the
published (not modified) date, the author persons (not the publisher)."""

from __future__ import annotations

import json
from typing import Any

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
    for key, field in (("text", "articleBody"), ("title", "headline"), ("date", "datePublished")):
        if isinstance(node.get(field), str) and node[field].strip():
            out[key] = node[field].strip()
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
