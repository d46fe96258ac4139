"""An HTML page -> its article: text (paragraphs, headings and list items one per line) and metadata.

trafilatura reads the page tuned for precision (the boilerplate the summarizer must not see); around it:
embedded posts lifted out of the social-media wrappers it discards, a recall-mode reading when the precise one is
implausibly short for a page of prose, blocks of links to other stories removed, and the page's own structured
data (JSON-LD, OpenGraph) preferred where it is surer than the markup's guesses."""

from __future__ import annotations

import re
from typing import Any

#: a precise reading under this many words is checked against the recall-mode one (a caption, a teaser)
_SHORT_WORDS = 80
#: a line of prose: ends a sentence and has a few words (templates, menus and labels do not)
_PROSE_LINE = re.compile(r"(?=(?:\S+\s+){7}).*[.!?…][\"'”’»)\]]*$")
_WORD = re.compile(r"\w+")


def read_html(raw: str) -> dict[str, Any] | str:
    """title, text, url, date, author, sitename of the page's article, or the one-line reason there is none;
    `date_source` is "text" where the date was only found in the page's text."""
    import trafilatura

    try:
        doc = trafilatura.load_html(raw)  # parsed once, as trafilatura parses; it reads a copy of the tree
        if doc is None:
            return "no article text found in HTML"
        _lift_embeds(doc)
        data = _as_dict(trafilatura.bare_extraction(doc, with_metadata=True, favor_precision=True,
                                                    include_comments=False))
        if len(_words(data.get("text"))) < _SHORT_WORDS:
            data = _longer_prose(data, _as_dict(trafilatura.bare_extraction(
                doc, with_metadata=True, favor_recall=True, include_comments=False)))
    except Exception as exc:  # noqa: BLE001 - a parser crash on one page must not stop the run
        return f"cannot parse HTML: {type(exc).__name__}: {exc}"
    found = data.get("date")
    data = _with_structured(data, raw)
    if found and data.get("date") == found and _markup_date(doc) is None:
        data["date_source"] = "text"  # htmldate read it off the text ("© 2026" is 2026-01-01): a listing's is surer
    from .structured import people_only, site_name

    publisher = data.pop("publisher", None)
    data["sitename"] = site_name(doc, publisher, data.get("sitename"), data.get("url"))
    data["author"] = people_only(data.get("author"), data["sitename"], publisher)
    lines = [line.strip() for line in (data.get("text") or "").splitlines() if line.strip()]
    lines = drop_link_runs(lines, _link_texts(doc))
    if not lines:
        return "no article text found in HTML"
    # each line is a paragraph, heading or list item: a blank line keeps it apart, so neither unwrapping nor
    # the sentence splitter runs a heading into the paragraph after it
    data["text"] = "\n\n".join(lines)
    return {k: data.get(k) for k in ("title", "text", "url", "date", "date_source", "author", "sitename", "section")}


def _markup_date(doc: Any) -> str | None:
    """The date the page's markup gives (meta tags, `<time>`, its URL), without htmldate's search of its text:
    htmldate alone, as trafilatura calls it, not a second pass over all the page's metadata (0.4 ms, not 7)."""
    from htmldate import find_date

    try:
        return find_date(doc, extensive_search=False, original_date=True)
    except Exception:  # noqa: BLE001 - no markup date is no reason to lose the page
        return None


def _as_dict(doc: Any) -> dict[str, Any]:
    return doc if isinstance(doc, dict) else (doc.as_dict() if doc is not None else {})


def _words(text: str | None) -> list[str]:
    return _WORD.findall(text or "")


def _longer_prose(precise: dict[str, Any], recall: dict[str, Any]) -> dict[str, Any]:
    """The recall-mode text instead of a short precise one when it is at least twice as long and prose: a page
    whose article trafilatura's precise mode mistook for boilerplate, not a page of menus or template code."""
    text = recall.get("text") or ""
    prose = [line for line in text.splitlines() if _PROSE_LINE.match(line.strip())]
    if len(_words(text)) < 2 * max(len(_words(precise.get("text"))), 1) or len(prose) < 3:
        return precise
    return {**precise, "text": text}


def _lift_embeds(doc: Any) -> None:
    """An embedded post (a tweet's blockquote) out of the wrapper divs that only hold it: trafilatura drops
    "social" and "embed" containers as page furniture, and the quote with them."""
    for quote in doc.xpath('//blockquote[contains(concat(" ", normalize-space(@class), " "), " twitter-tweet ")]'):
        parent = quote.getparent()
        while parent is not None and parent.tag == "div" and parent.getparent() is not None and all(
                child is quote or child.tag == "script" for child in parent):
            grand = parent.getparent()
            parent.drop_tag()
            parent = grand


def _link_texts(doc: Any) -> set[str]:
    """The word keys of every link's text on the page."""
    keys = {_key(a.text_content()) for a in doc.iter("a")}
    keys.discard("")
    return keys


def drop_link_runs(lines: list[str], links: set[str]) -> list[str]:
    """Lines that are each wholly one link's text, two or more in a row, are a list of other stories ("Related",
    "More from", "You may also like"), not the article: they go. A single linked line (a heading, a product,
    "Click for full results") stays, and so does a list of bare URLs (a reference list)."""
    def is_link(line: str) -> bool:
        key = _key(re.sub(r"^[-*•·–—]\s*", "", line))
        return key in links and len(line.split()) >= 3
    flags = [is_link(line) for line in lines]
    return [line for n, line in enumerate(lines)
            if not (flags[n] and ((n > 0 and flags[n - 1]) or (n + 1 < len(lines) and flags[n + 1])))]


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _with_structured(data: dict[str, Any], raw: str) -> dict[str, Any]:
    """The page's JSON-LD article over the markup's guesses where it is surer: its body when the extracted text
    is under half of it (a caption, a teaser), its published date, its author persons, its headline if none."""
    from .structured import json_ld_article

    ld = json_ld_article(raw)
    if not ld:
        return data
    data = dict(data)
    body = ld.get("text", "")
    if len(body.split()) >= 2 * len((data.get("text") or "").split()):
        data["text"] = body
    for key in ("date", "author", "section"):
        if ld.get(key):
            data[key] = ld[key]
    if ld.get("title") and not data.get("title"):
        data["title"] = ld["title"]
    data["publisher"] = ld.get("sitename")
    return data
