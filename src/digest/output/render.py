"""Digest pages: one Markdown and one self-contained HTML page per language, from article records."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#222}h1{font-size:1.6rem}article{border-top:1px solid #ddd;padding:.6rem 0}"
    "h2{font-size:1.15rem;margin:.4rem 0}.meta{color:#666;font-size:.85rem}"
    ".flags{background:#fff4e5;border-left:3px solid #f0a020;padding:.3rem .6rem;font-size:.85rem}"
)


def _entries(records: Iterable[dict], lang: str) -> list[tuple[dict, str, list[str]]]:
    """Records that have a summary in `lang`, with their review flags for that language."""
    out = []
    for record in records:
        summary = (record.get("summaries") or {}).get(lang)
        if summary is not None:
            out.append((record, summary, list((record.get("flags") or {}).get(lang, []))))
    return out


def _count(n: int) -> str:
    return f"{n} article" if n == 1 else f"{n} articles"


def _md_escape(text: str) -> str:
    """Keep article text from turning into Markdown/HTML markup in a Markdown viewer."""
    text = html.escape(text, quote=False)
    for char in "\\`*_[]#|":
        text = text.replace(char, "\\" + char)
    text = " ".join(text.split())
    # a leading "- ", "+ " or "1. " would start a list (">" is already the entity &gt;, never a quote)
    return re.sub(r"^(?:([-+])|(\d+)([.)]))(?=\s|$)", lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


def render_markdown(records: Sequence[dict], lang: str, title: str = "Digest") -> str:
    """A readable Markdown digest: every article's title, source and summary in `lang`."""
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# {title} ({lang})", "", f"_{_count(len(_entries(records, lang)))}, {stamp}_", ""]
    for record, summary, flags in _entries(records, lang):
        lines += [f"## {_md_escape(record.get('title') or record['id'])}", ""]
        meta = [m for m in (record.get("source"), record.get("language")) if m]
        if meta:
            lines += [f"_{_md_escape(' · '.join(meta))}_", ""]
        lines += [_md_escape(summary), ""]
        if flags:
            lines += [f"> ⚠ check: {_md_escape('; '.join(flags))}", ""]
    return "\n".join(lines).rstrip() + "\n"


def render_html(records: Sequence[dict], lang: str, title: str = "Digest") -> str:
    """One self-contained page; everything from an article is escaped, so it renders as text."""
    esc = html.escape
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    entries = _entries(records, lang)
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)} ({esc(lang)})</title><style>{_CSS}</style></head><body>",
        f"<h1>{esc(title)} ({esc(lang)})</h1>",
        f'<p class="meta">{_count(len(entries))}, {esc(stamp)}</p>',
    ]
    for record, summary, flags in entries:
        meta = " · ".join(m for m in (record.get("source"), record.get("language")) if m)
        parts.append(f'<article id="{esc(record["id"])}">')
        parts.append(f"<h2>{esc(record.get('title') or record['id'])}</h2>")
        if meta:
            parts.append(f'<p class="meta">{esc(meta)}</p>')
        parts.append(f"<p>{esc(summary)}</p>")
        if flags:
            parts.append(f'<p class="flags">⚠ check: {esc("; ".join(flags))}</p>')
        parts.append("</article>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


RENDERERS = {"md": render_markdown, "html": render_html}
