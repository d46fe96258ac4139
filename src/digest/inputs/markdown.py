"""Markdown to the plain text a summarizer should read, with a real CommonMark parser (markdown-it-py).

Links keep their text and lose their targets, images and raw HTML disappear, emphasis markers go, and
soft line breaks (hard-wrapped source) become spaces, so every paragraph is one line of running text.
"""

from __future__ import annotations

_SKIPPED_INLINE = {"image", "html_inline"}


def render_markdown(source: str) -> tuple[str | None, str]:
    """(first heading or None, the other blocks as plain text separated by blank lines)."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(source)
    title: str | None = None
    blocks: list[str] = []
    for i, token in enumerate(tokens):
        if token.type == "inline":
            text = _inline_text(token.children or [])
            if not text:
                continue  # an image-only line, an empty link
            if title is None and i and tokens[i - 1].type == "heading_open":
                title = text
            else:
                blocks.append(text)
        elif token.type in ("fence", "code_block") and token.content.strip():
            blocks.append(token.content.strip())
    return title, "\n\n".join(blocks)


def _inline_text(children: list) -> str:
    """The words of one paragraph or heading: text and code spans; breaks as spaces or newlines; no markup."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type not in _SKIPPED_INLINE and child.children:
            parts.append(_inline_text(child.children))
    return "\n".join(" ".join(line.split()) for line in "".join(parts).split("\n")).strip()
