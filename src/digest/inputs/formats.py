"""Parsers for txt/md/html/json/jsonl documents: one decoded document in, Articles (or Problems) out."""

from __future__ import annotations

import json
import re
from pathlib import PurePath

from ..budget import TimeBudgetExceeded, budget
from ..libs import missing_library
from ..nlp import language as lang
from .article import Article, Problem, ReadOptions, id_text
from .clean import clean_text, strip_site_name
from .ids import safe_id

_TEXT_FIELDS = ("text", "body", "content")
#: `section`: the source's own desk or category (JSON `section` or `category`, JSON-LD `articleSection`, a feed's)
_META_FIELDS = ("url", "date", "author", "section")


def section_name(value: object) -> str | None:
    """A section as the source names it (one line; the first of a list of categories), or None."""
    if isinstance(value, list | tuple):
        value = next((v for v in value if isinstance(v, str) and v.strip()), None)
    if isinstance(value, dict):  # {"name": …} or a feed's {"term": …}
        value = value.get("name") or value.get("term")
    return " ".join(value.split())[:80] or None if isinstance(value, str) else None


def _sniff(text: str) -> str:
    """Format of stdin: JSON, JSON lines, HTML, Markdown (leading `#` heading) or plain text."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith(("{", "[")):
        try:
            json.loads(head)
            return "json"
        except ValueError:
            lines = [line for line in head.splitlines() if line.strip()]
            multi = len(lines) > 1 and all(line.lstrip().startswith("{") for line in lines)
            return "jsonl" if multi else "json"
    if head.startswith("<") and re.search(r"<html[\s>]|<!doctype\s+html", head[:4000], re.I):
        return "html"
    return "md" if re.match(r"#{1,6}\s", head) else "txt"


def parse_text(
    raw: str,
    *,
    source: str,
    fallback_id: str,
    fmt: str,
    options: ReadOptions = ReadOptions(),  # noqa: B008 - frozen, so one shared default is safe
) -> list[Article | Problem]:
    """Articles from one decoded document of format txt/md/html/json/jsonl (also for stdin and API use)."""
    fmt = {"htm": "html", "markdown": "md", "text": "txt"}.get(fmt.lower().lstrip("."), fmt.lower().lstrip("."))
    if not raw.strip():
        return [Problem(source, "empty input")]
    raw = raw.lstrip("\ufeff")
    if fmt not in ("txt", "md", "html", "json", "jsonl"):
        raise ValueError(f"unknown format {fmt!r} (expected txt, md, html, json or jsonl)")
    base = safe_id(fallback_id)
    if fmt in ("txt", "md", "html"):  # one article: extraction, cleaning and language under one time budget
        try:
            with budget(options.max_seconds, "read"):
                try:
                    record = _plain_record(raw, fmt) if fmt != "html" else _html_record(raw)
                except ImportError as exc:  # a broken install fails this input, not the batch
                    return [Problem(source, missing_library(exc, f"reading {fmt.upper()} files"))]
                return [_build_or_reason(record, source, base, fmt, options)]
        except TimeBudgetExceeded as exc:
            return [Problem(source, str(exc), id=base)]
    records = _json_records(raw, source) if fmt == "json" else _jsonl_records(raw, source)
    return [_budgeted(rec, src, base if n is None else f"{base}-{n}", fmt, options) for src, n, rec in records]


def _budgeted(record: dict | str, source: str, default_id: str, fmt: str, options: ReadOptions) -> Article | Problem:
    """One record of a JSON file under its own time budget: a slow one fails alone, not the file."""
    try:
        with budget(options.max_seconds, "read"):
            return _build_or_reason(record, source, default_id, fmt, options)
    except TimeBudgetExceeded as exc:
        return Problem(source, str(exc), id=default_id)


def article_text(source: str, raw: str) -> str:
    """The text `digest translate` works on: an HTML or Markdown page read as `digest run` reads it (the article,
    not the markup), plain text (and JSON, which is text too) as given. Raises ValueError with the reader's reason.
    """
    suffix = PurePath(source).suffix.lower().lstrip(".") if source != "-" else ""
    fmt = {"htm": "html", "markdown": "md"}.get(suffix, suffix) if suffix else _sniff(raw)
    if fmt not in ("html", "md"):
        return raw
    item = parse_text(raw, source=source, fallback_id="text", fmt=fmt)[0]
    if isinstance(item, Problem):
        raise ValueError(item.reason)
    return item.text


def _build_or_reason(record: dict | str, source: str, default_id: str, fmt: str, options: ReadOptions
                     ) -> Article | Problem:
    """`_build`, with a library that cannot be imported (language detection) as this input's one-line reason."""
    try:
        return _build(record, source, default_id, fmt, options)
    except ImportError as exc:
        return Problem(source, missing_library(exc, "reading articles"), id=default_id)


def _plain_record(raw: str, fmt: str) -> dict | str:
    """txt: the first non-empty line is the title, unless it is a lone line of prose.
    md: front-matter title, else first heading, else as txt; the body is rendered to plain text."""
    meta: dict = {}
    lines = raw.splitlines()
    if fmt == "md" and lines and lines[0].strip() == "---" and "---" in (s.strip() for s in lines[1:]):
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        for key, sep, value in (line.partition(":") for line in lines[1:end]):
            if sep and value.strip():
                meta[key.strip().lower()] = value.strip().strip("\"'")
        lines = lines[end + 1 :]
    if fmt == "md":
        from .markdown import render_markdown

        heading, rendered = render_markdown("\n".join(lines))
        if heading is not None and not meta.get("title"):
            meta["title"] = heading
        elif heading is not None:
            rendered = f"{heading}\n\n{rendered}"
        lines = rendered.splitlines()
    index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if meta.get("title") or index is None:
        index, title = None, meta.get("title", "")
    else:
        title = lines[index].strip()
    body = "\n".join(lines if index is None else lines[:index] + lines[index + 1 :])
    if not body.strip() and fmt == "txt" and _reads_as_prose(title):
        return {**meta, "title": "", "text": title}
    if not body.strip():
        return "only a title, no article text" if title else "no article text"
    return {**meta, "title": title, "text": body}


def _reads_as_prose(line: str) -> bool:
    """A lone line (`echo "..." | digest summarize -`) is the article when it reads as sentences, not a headline."""
    return len(line.split()) >= 25 or bool(re.search(r"[.!?][\"'”’)]*$", line) and len(line.split()) >= 3)


def _html_record(raw: str) -> dict | str:
    from .html import read_html

    record = read_html(raw)
    if isinstance(record, dict):
        record["language"] = declared_language(raw)
    return record


def declared_language(html: str) -> str | None:
    """The language a page declares: `<html lang>`, else `og:locale`, else `Content-Language` (the first one named),
    else the JSON-LD article's `inLanguage`; None when it declares none."""
    from lxml import html as lxml_html

    try:
        doc = lxml_html.fromstring(html)
    except (ValueError, TypeError):
        return None
    root = doc.getroottree().getroot()
    found = [root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")]
    found += doc.xpath('//meta[@property="og:locale"]/@content')
    found += [v.split(",")[0] for v in doc.xpath('//meta[translate(@http-equiv, "CONTENT-LANGUAGE", '
                                                   '"content-language")="content-language"]/@content')]
    from .structured import json_ld_article

    found.append(json_ld_article(html).get("language"))
    return next((str(v).strip() for v in found if isinstance(v, str) and v.strip()), None)


def _json_records(raw: str, source: str) -> list[tuple[str, int | None, dict | str]]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        return [(source, None, f"invalid JSON ({exc.msg}: line {exc.lineno} column {exc.colno})")]
    if isinstance(data, dict):
        return [(source, None, data)]
    if not isinstance(data, list):
        return [(source, None, f"JSON is {_kind(data)}, not an article object or a list of objects")]
    if not data:
        return [(source, None, "empty JSON list, no articles")]
    return [(f"{source}#{n}", n, item if isinstance(item, dict) else f"JSON item is {_kind(item)}, not an object")
            for n, item in enumerate(data, start=1)]


def _jsonl_records(raw: str, source: str) -> list[tuple[str, int | None, dict | str]]:
    """One object per line; the id suffix and the source name the line number, blank lines skipped."""
    records: list[tuple[str, int | None, dict | str]] = []
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            item = f"invalid JSON ({exc.msg}: column {exc.colno})"
        else:
            item = item if isinstance(item, dict) else f"JSON line is {_kind(item)}, not an object"
        records.append((f"{source}:{n}", n, item))
    return records


def _build(record: dict | str, source: str, default_id: str, fmt: str, options: ReadOptions) -> Article | Problem:
    """Record -> Article: id, cleaning, language. Every failure here is a one-line Problem."""
    if isinstance(record, str):
        return Problem(source, _one_line(record), id=None if fmt in ("json", "jsonl") else default_id)
    raw_id = record.get("id")
    raw_id = id_text(raw_id) if raw_id not in (None, "") else None
    article_id = safe_id(raw_id) if raw_id is not None else default_id
    text_field = next((record[k] for k in _TEXT_FIELDS if record.get(k) is not None), None)
    if text_field is None:
        return Problem(source, "no text field (text, body or content)", id=article_id)
    if isinstance(text_field, list) and all(isinstance(p, str) for p in text_field):
        text_field = "\n\n".join(text_field)
    if not isinstance(text_field, str):
        return Problem(source, f"text field is {_kind(text_field)}, not a string", id=article_id)
    title = record.get("title")
    title = " ".join(title.split()) if isinstance(title, str) else ""
    site = record.get("sitename") or record.get("site") or record.get("source")
    site = site.get("name") if isinstance(site, dict) else site  # a NewsAPI-style {"id": …, "name": …}
    site = " ".join(site.split()) if isinstance(site, str) else None
    title = strip_site_name(title, site)
    text = clean_text(text_field, title, options.drop_patterns, options.drop_repeated_title)
    if not text:
        return Problem(source, "no text left after cleaning", id=article_id)
    meta: dict = {"format": fmt}
    meta.update({k: record[k] for k in (*_META_FIELDS, "sitename") if record.get(k) not in (None, "")})
    if fmt == "html" and record.get("date_source") and meta.get("date"):
        meta["date_source"] = record["date_source"]
    if site:  # the outlet, whichever field named it
        meta["sitename"] = site
    section = section_name(record.get("section") or record.get("category"))
    if section:
        meta["section"] = section
    else:
        meta.pop("section", None)
    if raw_id is not None and raw_id != article_id:
        meta["original_id"] = raw_id
    language, how = article_language(record.get("language") or record.get("lang"), text, options, meta)
    if how:
        meta["language_source"] = how
    return Article(id=article_id, title=title, text=text, source=source, language=language, meta=meta)


def article_language(declared: object, text: str, options: ReadOptions, meta: dict) -> tuple[str | None, str | None]:
    """The article's own language when its text agrees, else detection, else the configured fallback, else None.

    What else the text might be (close variants such as bs and sr next to hr, when no declaration settles it) goes
    to meta `language_alternatives`; a declaration the text overruled to meta `language_declared`."""
    decision = lang.decide_language(text, declared if isinstance(declared, str) else None)
    if decision.alternatives:
        meta["language_alternatives"] = list(decision.alternatives)
    if decision.overruled:
        meta["language_declared"] = decision.overruled
    if decision.language:
        return decision.language, decision.how
    if options.language:
        return lang.source_tag(options.language), "fallback"
    return None, None


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]
