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


def render_review_html(entries: list[dict[str, Any]], lang: str = "en") -> str:
    """The desk as one self-contained page, its words in `lang` (`output.review_language`): everything from an
    article escaped, and each text marked with its own language."""
    from .labels import count, direction, label, labels_language, language_name
    from .render import _attr_lang, _attr_ui, _english, page_css

    esc = html.escape
    ui = _attr_ui(lang)
    parts = ["<!DOCTYPE html>", f'<html lang="{esc(lang)}" dir="{direction(lang)}"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{esc(label(lang, 'desk'))}</title><style>{page_css(lang)}"
             ".flags{opacity:1;font-size:.9rem}blockquote{margin:.4rem 0;padding-inline-start:.8rem;"
             "border-inline-start:3px solid #cbc6ba;color:#3a3a36}.held{color:#a33;font-weight:600}</style></head>",
             f'<body><div class="wrap"><header><h1{ui}>{esc(label(lang, "desk"))}</h1>',
             f'<p class="ui"{ui}>{esc(count(lang, len(entries), "flagged"))} · {esc(label(lang, "newest"))}</p>'
             "</header><main>"]
    for entry in entries:
        title = esc(entry["title"] or entry["id"])
        source_lang = entry["source_language"] or ""
        head = f'<a href="{esc(entry["url"])}" rel="noopener">{title}</a>' if entry["url"] else title
        held = f' <span class="held"{ui}>{esc(label(lang, "held"))}</span>' if entry["held"] else ""
        meta = " · ".join(x for x in (entry["id"], entry["language"], (entry["date"] or "")[:10]) if x)
        parts += [f'<article id="review-{esc(entry["id"])}-{esc(entry["language"])}">',
                  f"<h2{_attr_lang(source_lang, lang) if source_lang else ''}>{head}</h2>",
                  f'<p class="src">{esc(meta)}{held}</p>']
        parts += [f'<p class="flags">⚑ {_english(flag, lang)}</p>' for flag in entry["flags"]]
        if entry["source_sentences"]:
            parts.append(f'<p class="ui"{ui}>{esc(label(lang, "source"))}</p>')
            parts += [f"<blockquote{_attr_lang(source_lang, lang)}>{esc(s)}</blockquote>"
                      for s in entry["source_sentences"]]
        parts += [f'<p class="ui"{ui}>{esc(label(lang, "summary"))}</p>',
                  f'<p class="sum"{_attr_lang(source_lang, lang)}>{esc(entry["summary"])}</p>']
        if entry["translation"]:
            name = language_name(entry["language"], labels_language(lang))
            parts += [f'<p class="ui"{ui}>{esc(label(lang, "translation", language=name))}</p>',
                      f'<p class="sum"{_attr_lang(entry["language"], lang)}>{esc(entry["translation"])}</p>']
        parts.append("</article>")
    if not entries:
        parts.append(f'<p class="ui"{ui}>{esc(label(lang, "nothing"))}</p>')
    parts.append("</main></div></body></html>")
    return "\n".join(parts) + "\n"
