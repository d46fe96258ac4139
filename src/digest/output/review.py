"""The review desk: OUT/review.json and OUT/review.html, every flagged story of the front page for an editor.

Reader pages carry no review flags (unless `output.show_flags`); here each flag stands next to what it is about:
the source sentences the summary rests on, the summary, and the translation in the flag's language. Held
stories are listed too (marked), so the editor sees what is waiting. Newest first.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from typing import Any

from .items import record_when, source_of
from .store import Store

JSON_NAME = "review.json"
HTML_NAME = "review.html"
_WORD = re.compile(r"\w+")
#: source sentences shown per summary sentence: the one it most likely rests on
_PER_SENTENCE = 1


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if len(w) > 2 or w.isdigit()}


def source_sentences(text: str, summary: str, language: str | None) -> list[str]:
    """For each summary sentence, the source sentence sharing most words with it (each once, in source order)."""
    from ..nlp.text import split_sentences

    if not text.strip() or not summary.strip():
        return []
    source = split_sentences(text, language)
    picked: set[int] = set()
    for sentence in split_sentences(summary, language):
        words = _words(sentence)
        scores = sorted(((len(words & _words(s)), -n) for n, s in enumerate(source)), reverse=True)
        picked.update(-n for score, n in scores[:_PER_SENTENCE] if score > 0)
    return [source[n] for n in sorted(picked)]


def review_entries(store: Store, records: Iterable[dict], held: set[str]) -> list[dict[str, Any]]:
    """One entry per flagged story and language, newest first: id, title, url, date, language, flags, summary
    (source language), translation, source sentences, held."""
    out = []
    for slim in sorted(records, key=lambda r: (-record_when(r)[0].timestamp(), str(r["id"]))):
        flags = {lang: list(lines) for lang, lines in (slim.get("flags") or {}).items() if lines}
        if not flags:
            continue
        full = store.load(str(slim["id"]))
        text = full.text if full is not None else ""
        language = slim.get("language")
        summaries = slim.get("summaries") or {}
        summary = summaries.get(language, "") if language else ""
        evidence = source_sentences(text, summary, language)
        when, dated, _ = record_when(slim)
        for lang in sorted(flags):
            out.append({
                "id": str(slim["id"]), "title": slim.get("title"), "url": source_of(slim).url,
                "date": when.isoformat() if dated else None, "language": lang, "source_language": language,
                "flags": flags[lang], "source_sentences": evidence, "summary": summary,
                "translation": summaries.get(lang) if lang != language else None, "held": str(slim["id"]) in held,
            })
    return out


def render_review_json(entries: list[dict[str, Any]]) -> str:
    return json.dumps({"items": entries}, ensure_ascii=False, indent=1) + "\n"


def render_review_html(entries: list[dict[str, Any]]) -> str:
    """The desk as one self-contained page: everything from an article escaped."""
    from .render import _CSS

    esc = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="en" dir="ltr"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>Review desk</title><style>{_CSS}"
             ".flags{opacity:1;font-size:.9rem}blockquote{margin:.4rem 0;padding-left:.8rem;"
             "border-left:3px solid #cbc6ba;color:#3a3a36}.held{color:#a33;font-weight:600}</style></head>",
             '<body><div class="wrap"><header><h1>Review desk</h1>',
             f'<p class="ui">{len(entries)} flagged · newest first</p></header><main>']
    for entry in entries:
        title = esc(entry["title"] or entry["id"])
        head = f'<a href="{esc(entry["url"])}" rel="noopener">{title}</a>' if entry["url"] else title
        held = ' <span class="held">held</span>' if entry["held"] else ""
        meta = " · ".join(x for x in (entry["id"], entry["language"], (entry["date"] or "")[:10]) if x)
        parts += [f'<article id="review-{esc(entry["id"])}-{esc(entry["language"])}">', f"<h2>{head}</h2>",
                  f'<p class="src">{esc(meta)}{held}</p>']
        parts += [f'<p class="flags">⚑ {esc(flag)}</p>' for flag in entry["flags"]]
        lang = entry["source_language"] or ""
        if entry["source_sentences"]:
            parts.append('<p class="ui">Source</p>')
            parts += [f'<blockquote lang="{esc(lang)}">{esc(s)}</blockquote>' for s in entry["source_sentences"]]
        parts += ['<p class="ui">Summary</p>', f'<p class="sum" lang="{esc(lang)}">{esc(entry["summary"])}</p>']
        if entry["translation"]:
            parts += [f'<p class="ui">Translation ({esc(entry["language"])})</p>',
                      f'<p class="sum" lang="{esc(entry["language"])}">{esc(entry["translation"])}</p>']
        parts.append("</article>")
    if not entries:
        parts.append('<p class="ui">Nothing flagged on the front page.</p>')
    parts.append("</main></div></body></html>")
    return "\n".join(parts) + "\n"
