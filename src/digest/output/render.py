"""Digest pages in the reader's language: Markdown, a self-contained HTML page and an email variant.

Each item shows its headline, outlet, link, date and author, never a local file path; newest first. An article
without a summary in the page's language is shown in its original language with a note, never dropped.
Everything that comes from an article is escaped, so it renders as text.
"""

from __future__ import annotations

import functools
import html
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from . import fonts
from .items import DigestItem, Source, by_section, group_clusters, item_from_record, newest_first, ranked
from .labels import count, direction, foreign, format_day, join, label, labels_language, language_name

_CSS = (
    "*{box-sizing:border-box}"
    "body{margin:0;background:#faf9f6;color:#1c1c1a;font-size:17px;line-height:1.55;"
    "overflow-wrap:anywhere;-webkit-text-size-adjust:100%}"
    ".wrap{max-width:44rem;margin:0 auto;padding:1.5rem 1.1rem 3rem}"
    "header{border-bottom:3px double #1c1c1a;padding-bottom:.6rem;margin-bottom:.4rem}"
    "h1{font-weight:700;font-size:2.1rem;line-height:1.1;margin:0 0 .3rem;letter-spacing:-.01em}"
    ".ui{color:#5a5a55;font-size:.9rem;margin:0}.ui a{color:inherit}"
    "article{padding:1.1rem 0;border-bottom:1px solid #e2e0da}"
    "h2{font-size:1.32rem;line-height:1.25;margin:0 0 .35rem}h2 a{color:inherit;text-decoration:underline;"
    "text-decoration-color:#cbc6ba;text-decoration-thickness:1px;text-underline-offset:.18em}"
    "h2 a:hover,h2 a:focus{text-decoration-color:currentColor}"
    ".src{color:#66645e;font-size:.82rem;margin:0 0 .45rem}"
    ".site{color:#1c1c1a;font-weight:600;text-transform:uppercase;letter-spacing:.04em}"
    ".sum{margin:0}.note{color:#76706a;font-size:.8rem;font-style:italic;margin:.4rem 0 0}"
    ".also{color:#66645e;font-size:.82rem;margin:.4rem 0 0}.also a,.src a{color:#2a5d8f}"
    ".intro{margin:.5rem 0 0}"
    "h2.section{font:600 .78rem/1.3 system-ui,-apple-system,'Segoe UI',sans-serif;text-transform:uppercase;"
    "letter-spacing:.08em;color:#66645e;margin:1.6rem 0 0;padding-bottom:.3rem;border-bottom:1px solid #1c1c1a}"
    "hr.section{border:0;border-top:1px solid #1c1c1a;margin:1.6rem 0 0}"
    ".flags{color:#8a6a2e;font-size:.76rem;margin:.45rem 0 0;opacity:.9}"
    "footer{color:#8a8882;font-size:.78rem;margin-top:1.5rem}"
    "@media (max-width:32rem){body{font-size:16px}.wrap{padding:1rem .9rem 2rem}h1{font-size:1.65rem}"
    "h2{font-size:1.15rem}}"
)


def page_css(lang: str) -> str:
    """The style sheet of a page in `lang`: the layout and the font stacks for every script (`fonts.css`)."""
    return _CSS + fonts.css(lang)
#: inline styles of the email variant: mail clients drop <style> blocks and never load anything external
_MAIL = {
    "body": "margin:0;padding:0;background:#faf9f6;",
    "wrap": "max-width:600px;margin:0 auto;padding:20px 16px;font-family:Georgia,'Times New Roman',serif;"
            "font-size:16px;line-height:1.5;color:#1c1c1a;overflow-wrap:anywhere;word-break:break-word;",
    "h1": "font-size:26px;line-height:1.15;margin:0 0 4px;",
    "ui": "font-family:Arial,Helvetica,sans-serif;font-size:13px;color:#5a5a55;margin:0 0 12px;",
    "item": "padding:14px 0;border-top:1px solid #e2e0da;",
    "h2": "font-size:19px;line-height:1.25;margin:0 0 4px;",
    "a": "color:#1c1c1a;text-decoration:underline;text-decoration-color:#9a958a;",
    "src": "font-family:Arial,Helvetica,sans-serif;font-size:12px;color:#66645e;margin:0 0 6px;",
    "sum": "margin:0;",
    "note": "font-family:Arial,Helvetica,sans-serif;font-size:12px;font-style:italic;color:#76706a;margin:6px 0 0;",
    "also": "font-family:Arial,Helvetica,sans-serif;font-size:12px;color:#66645e;margin:6px 0 0;",
    "flags": "font-family:Arial,Helvetica,sans-serif;font-size:11px;color:#8a6a2e;margin:6px 0 0;",
    "link": "color:#2a5d8f;",
    "rule": "border:0;border-top:1px solid #1c1c1a;margin:20px 0 0;",
    "section": "font-family:Arial,Helvetica,sans-serif;font-size:12px;font-weight:bold;text-transform:uppercase;"
               "letter-spacing:1px;color:#66645e;margin:20px 0 0;padding-bottom:4px;border-bottom:1px solid #1c1c1a;",
    "more": "font-family:Arial,Helvetica,sans-serif;font-size:13px;margin:6px 0 0;",
    "footer": "font-family:Arial,Helvetica,sans-serif;font-size:12px;color:#8a8882;margin:20px 0 0;"
              "padding-top:12px;border-top:1px solid #e2e0da;",
}


@functools.lru_cache(maxsize=64)
def _mail_styles(lang: str) -> dict[str, str]:
    """The e-mail's inline styles with font stacks for `lang` (its Han variant first); no synthetic italics where
    the script has none."""
    serif, sans = fonts.mail("serif", lang), fonts.mail("sans", lang)
    out = {k: v.replace("Georgia,'Times New Roman',serif", serif).replace("Arial,Helvetica,sans-serif", sans)
           for k, v in _MAIL.items()}
    if not fonts.cased(lang):
        out = {k: v.replace("font-style:italic;", "") for k, v in out.items()}
    return out


@dataclass(frozen=True)
class Page:
    """Where a page sits: its edition's line under the heading and links to its feed and the edition index."""

    subtitle: str | None = None
    feed_href: str | None = None
    index_href: str | None = None
    #: review flags are for editors (OUT/review.*); a reader page shows them only when the config asks
    show_flags: bool = False
    #: a front page: stories ranked by coverage, then recency (`items.ranked`), not newest first
    top: bool = False
    #: the newsroom's masthead (else the page language's "News digest"), a line under it and the footer text
    title: str | None = None
    intro: str | None = None
    footer: str | None = None

    #: a folder of the newsroom's own templates (`page.html`), tried before the ones shipped with digest
    templates: str | None = None
    #: group the stories by their sources' own sections (`output.sections`)
    sections: bool = False

    def heading(self, lang: str) -> str:
        return self.title or label(lang, "heading")


def items_for(entries: Sequence[dict | DigestItem], lang: str) -> list[DigestItem]:
    """The page's stories: records adapted to `lang`, clusters merged, newest first."""
    items = []
    for entry in entries:
        item = entry if isinstance(entry, DigestItem) else item_from_record(entry, lang)
        if item is not None:
            items.append(item)
    return newest_first(group_clusters(items))


def _sectioned(items: list[DigestItem], lang: str, on: bool) -> tuple[list[DigestItem], dict[int, str]]:
    """The items in section order and {id(first item of a section): its heading} when `on` (`output.sections`);
    no headings when no story has a section (the stories without one come last, after a rule: heading "")."""
    groups = by_section(items) if on else []
    if all(section is None for section, _ in groups):
        return items, {}
    flat: list[DigestItem] = []
    starts: dict[int, str] = {}
    for section, group in groups:
        starts[id(group[0])] = section or ""  # "": the stories without a section, after a plain rule
        flat += group
    return flat, starts


def _md_escape(text: str, block: bool = True) -> str:
    """Keep article text from turning into Markdown/HTML markup in a Markdown viewer (`block`: it starts a line)."""
    text = html.escape(text, quote=False)
    # "`" and "~" open code fences ("~~~" would swallow every later story), "~~" strikes through
    for char in "\\`*_[]#|~":
        text = text.replace(char, "\\" + char)
    text = " ".join(text.split())  # no indented code block: the text never starts with spaces
    if not block:
        return text
    # a leading "- ", "+ " or "1. " would start a list, "---" or "===" draw a rule (">" and "<" are already
    # entities, never a quote or an HTML block)
    return re.sub(r"^(?:([-+=])(?=\s|$|\1)|(\d+)([.)])(?=\s|$))",
                  lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)


def _md_url(url: str) -> str:
    """A link destination Markdown cannot misread: no spaces, parentheses or angle brackets."""
    return quote(url, safe=":/?#@!$&'*+,;=%~-._[]").replace("(", "%28").replace(")", "%29")


def _byline(source: Source, lang: str) -> list[str]:
    """Date and author of one source, as plain (unescaped) text."""
    parts = []
    if source.when is not None:
        parts.append(format_day(source.when.date(), lang))
    if source.author and _plain(source.author) != _plain(source.site or ""):  # "SPIEGEL ONLINE; Hamburg" twice
        # a page whose labels fell back to English shows the name alone: no English word inside the byline
        parts.append(source.author if foreign(lang) else label(lang, "by", author=source.author))
    return parts


def _plain(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def untranslated_note(item: DigestItem) -> str:
    """The note on an untranslated item; the language names in the label's own language."""
    words = labels_language(item.lang)
    return label(item.lang, "untranslated", language=language_name(item.lang, words),
                 original=language_name(item.summary_lang, words))


def _words(text: str, lang: str) -> str:
    """An escaped label, in a span marked `lang="en"` where the page's labels fell back to English."""
    attrs = _attr_ui(lang)
    return f"<span{attrs}>{html.escape(text)}</span>" if attrs else html.escape(text)


def _english(text: str, lang: str) -> str:
    """Escaped text the checks wrote (English), marked as such on a page in another language."""
    if lang.split("-")[0] == "en":
        return html.escape(text)
    return f"<span{_attr_lang('en', lang)}>{html.escape(text)}</span>"


def _attr_ui(lang: str) -> str:
    """The attributes of an element holding only labels: `lang="en"` (and `dir`) where they fell back to English."""
    other = foreign(lang)
    return _attr_lang(other, lang) if other else ""


def render_markdown(entries: Sequence[dict | DigestItem], lang: str, page: Page | None = None) -> str:
    """A readable Markdown digest in `lang`: headline (linked), outlet, date, author, summary, review flags."""
    page = page or Page()
    items = ranked(items_for(entries, lang)) if page.top else items_for(entries, lang)
    head = " · ".join(x for x in (page.subtitle, count(lang, len(items))) if x)
    lines = [f"# {_md_escape(page.heading(lang), False)}", "", f"_{_md_escape(head, False)}_", ""]
    if page.intro:
        lines += [_md_escape(page.intro), ""]
    items, starts = _sectioned(items, lang, page.sections)
    for item in items:
        if id(item) in starts:
            lines += [f"## {_md_escape(starts[id(item)], False)}" if starts[id(item)] else "---", ""]
        lead = item.sources[0]
        title = _md_escape(item.title)
        level = "###" if starts else "##"
        lines += [f"{level} [{title}]({_md_url(lead.url)})" if lead.url else f"{level} {title}", ""]
        meta = [f"**{_md_escape(lead.site, False)}**"] if lead.site else []
        meta += [_md_escape(p, False) for p in _byline(lead, lang)]
        if meta:
            lines += [f"_{' · '.join(meta)}_", ""]
        lines += [_md_escape(item.summary), ""]
        if not item.translated:
            lines += [f"_{_md_escape(untranslated_note(item), False)}_", ""]
        others = [s for s in item.sources[1:] if s.site or s.url]
        if others:
            links = [f"[{_md_escape(_outlet(s, lang), False)}]({_md_url(s.url)})" if s.url
                     else _md_escape(_outlet(s, lang), False) for s in others]
            lines += [f"_{_md_escape(label(lang, 'also'), False)}: {join(links, lang)}_", ""]
        if item.flags and page.show_flags:
            lines += [f"> ⚠ {_md_escape(label(lang, 'check'), False)}: {_md_escape('; '.join(item.flags), False)}", ""]
    if not items:
        lines += [_md_escape(label(lang, "empty")), ""]
    if page.footer:
        lines += ["---", "", _md_escape(page.footer), ""]
    return "\n".join(lines).rstrip() + "\n"


def _outlet(source: Source, lang: str) -> str:
    """Another outlet of the story as a page lists it: its name, and its language when not the page's."""
    name = source.site or source.url or ""
    if source.language and source.language.split("-")[0] != lang.split("-")[0]:
        return f"{name} ({language_name(source.language, lang)})"
    return name


def _attr_lang(code: str, page_lang: str) -> str:
    """`lang` on text that is not in the page's language, and `dir` when it is written the other way."""
    if code == page_lang:
        return ""
    way = direction(code)
    return f' lang="{html.escape(code)}"' + (f' dir="{way}"' if way != direction(page_lang) else "")


def _link(url: str | None, text: str, style: str = "") -> str:
    """An escaped anchor to an http(s) URL (the adapter lets no other scheme through), or the text alone."""
    if not url:
        return html.escape(text)
    attr = f' style="{style}"' if style else ""
    return f'<a href="{html.escape(url)}"{attr} rel="noopener">{html.escape(text)}</a>'


def _source_line(item: DigestItem, mail: bool) -> str:
    lead = item.sources[0]
    parts = []
    if lead.site:
        site = html.escape(lead.site)
        parts.append(f'<bdi style="font-weight:bold;text-transform:uppercase;">{site}</bdi>' if mail
                     else f'<bdi class="site">{site}</bdi>')
    # each part isolated: an English outlet beside an Arabic date must not pull the date's digits to its side
    parts += [f"<bdi>{html.escape(p)}</bdi>" for p in _byline(lead, item.lang)]
    return " · ".join(parts)


def _item_html(item: DigestItem, mail: bool, show_flags: bool = False) -> list[str]:
    st = _mail_styles(item.lang) if mail else {}

    def attrs(name: str) -> str:
        return f' style="{st[name]}"' if mail else f' class="{name}"'

    lead = item.sources[0]
    out = [f'<article id="item-{html.escape(item.id)}"{attrs("item") if mail else ""}>']
    headline = _link(lead.url, item.title, st.get("a", ""))
    out.append(f"<h2{_attr_lang(item.title_lang, item.lang)}{attrs('h2') if mail else ''}>{headline}</h2>")
    line = _source_line(item, mail)
    if line:
        out.append(f"<p{attrs('src')}>{line}</p>")
    out.append(f"<p{attrs('sum')}{_attr_lang(item.summary_lang, item.lang)}>{html.escape(item.summary)}</p>")
    if not item.translated:
        out.append(f"<p{attrs('note')}{_attr_ui(item.lang)}>{html.escape(untranslated_note(item))}</p>")
    if mail and lead.url:
        arrow = " ←" if direction(item.lang) == "rtl" else " →"  # pointing the way the page reads
        more = _link(lead.url, label(item.lang, "read") + arrow, st["link"])
        out.append(f'<p style="{st["more"]}"{_attr_ui(item.lang)}>{more}</p>')
    others = [s for s in item.sources[1:] if s.site or s.url]
    if others:
        links = join([_link(s.url, _outlet(s, item.lang), st.get("link", "")) for s in others], item.lang)
        out.append(f"<p{attrs('also')}>{_words(label(item.lang, 'also'), item.lang)}: {links}</p>")
    if item.flags and show_flags:
        out.append(f"<p{attrs('flags')}>⚑ {_words(label(item.lang, 'check'), item.lang)}: "
                   f"{_english('; '.join(item.flags), item.lang)}</p>")
    out.append("</article>")
    return out


def _head(lang: str, title: str, page: Page, mail: bool) -> list[str]:
    esc = html.escape
    head = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(lang)}" dir="{direction(lang)}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
    ]
    if page.feed_href and not mail:
        head.append(f'<link rel="alternate" type="application/atom+xml" href="{esc(page.feed_href)}">')
    head.append("</head>" if mail else f"<style>{page_css(lang)}</style></head>")
    return head


def render_html(entries: Sequence[dict | DigestItem], lang: str, page: Page | None = None, *,
                mail: bool = False) -> str:
    """One self-contained page (no external resources); `mail=True`: inline styles only, for a newsletter."""
    page = page or Page()
    esc = html.escape
    items = ranked(items_for(entries, lang)) if page.top else items_for(entries, lang)
    if not mail:
        return _from_template(items, lang, page)
    styles = _mail_styles(lang)
    heading = page.heading(lang)
    head = " · ".join(x for x in (page.subtitle, count(lang, len(items))) if x)
    title = f"{heading} · {page.subtitle}" if page.subtitle else heading
    parts = _head(lang, title, page, mail)
    if mail:
        ui = _attr_ui(lang)
        parts += [f'<body style="{styles["body"]}">', f'<div style="{styles["wrap"]}">',
                  f'<h1 style="{styles["h1"]}"{"" if page.title else ui}>{esc(heading)}</h1>',
                  f'<p style="{styles["ui"]}"{ui}>{esc(head)}</p>']
        if page.intro:
            parts.append(f'<p style="{styles["sum"]}margin-bottom:12px;">{esc(page.intro)}</p>')
    else:
        links = [f'<a href="{esc(href)}">{esc(label(lang, key))}</a>'
                 for key, href in (("editions", page.index_href), ("feed", page.feed_href)) if href]
        parts += ['<body><div class="wrap"><header>', f"<h1>{esc(heading)}</h1>",
                  f'<p class="ui">{esc(head)}</p>']
        if links:
            parts.append(f'<p class="ui nav">{" · ".join(links)}</p>')
        if page.intro:
            parts.append(f'<p class="intro">{esc(page.intro)}</p>')
        parts.append("</header><main>")
    items, starts = _sectioned(items, lang, page.sections)
    for item in items:
        if id(item) in starts:
            parts.append(f'<h2 style="{_MAIL["section"]}">{esc(starts[id(item)])}</h2>' if starts[id(item)]
                         else f'<hr style="{_MAIL["rule"]}">')
        parts += _item_html(item, mail, page.show_flags)
    if not items:
        style = f' style="{styles["ui"]}"' if mail else ' class="ui"'
        parts.append(f"<p{style}{_attr_ui(lang)}>{esc(label(lang, 'empty'))}</p>")
    footer = esc(page.footer) if page.footer else ""
    if mail:
        parts.append((f'<p style="{styles["footer"]}">{footer}</p>' if footer else "") + "</div></body></html>")
    else:
        parts.append("</main>" + (f"<footer>{footer}</footer>" if footer else "") + "</div></body></html>")
    return "\n".join(parts) + "\n"


@functools.lru_cache(maxsize=8)
def _environment(folder: str | None) -> Any:
    """Jinja2 with autoescaping: the newsroom's folder first (when configured), then the shipped templates."""
    import jinja2

    loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader(os.path.expanduser(folder))] if folder else []
    loaders.append(jinja2.PackageLoader("digest.output", "templates"))
    return jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True, keep_trailing_newline=True,
                              undefined=jinja2.StrictUndefined)


def _template_item(item: DigestItem, show_flags: bool) -> dict[str, Any]:
    from markupsafe import Markup

    lead = item.sources[0]
    return {
        "id": item.id, "title": item.title, "title_lang": item.title_lang, "url": lead.url, "site": lead.site,
        "byline": _byline(lead, item.lang), "summary": item.summary, "summary_lang": item.summary_lang,
        "note": None if item.translated else untranslated_note(item), "when": item.when if item.dated else None,
        "others": [{"url": s.url, "text": _outlet(s, item.lang)} for s in item.sources[1:] if s.site or s.url],
        "others_html": Markup(join([_link(s.url, _outlet(s, item.lang)) for s in item.sources[1:] if s.site or s.url],
                                   item.lang)),
        "title_dir": direction(item.title_lang), "summary_dir": direction(item.summary_lang),
        "flags": "; ".join(item.flags) if show_flags and item.flags else None, "sources": len(item.sources),
    }


def _from_template(items: list[DigestItem], lang: str, page: Page) -> str:
    """The reader page from `page.html`: every value from an article is escaped by Jinja2's autoescaping."""
    from markupsafe import Markup

    heading = page.heading(lang)
    items, starts = _sectioned(items, lang, page.sections)
    links = [{"href": href, "text": label(lang, key)}
             for key, href in (("editions", page.index_href), ("feed", page.feed_href)) if href]
    return _environment(page.templates).get_template("page.html").render(
        lang=lang, direction=direction(lang), heading=heading, css=Markup(page_css(lang)),
        ui_lang=foreign(lang), heading_is_label=page.title is None,
        title=f"{heading} · {page.subtitle}" if page.subtitle else heading,
        head=" · ".join(x for x in (page.subtitle, count(lang, len(items))) if x),
        links=links, feed_href=page.feed_href, intro=page.intro, footer=page.footer,
        items=[{**_template_item(i, page.show_flags), "section_start": starts.get(id(i))} for i in items],
        labels={key: label(lang, key) for key in ("also", "check", "empty", "read")},
    )


def render_email(entries: Sequence[dict | DigestItem], lang: str, page: Page | None = None) -> str:
    """The newsletter variant: every style inline, no <style>, no link to anything but the articles."""
    return render_html(entries, lang, page, mail=True)




def render_text(entries: Sequence[dict | DigestItem], lang: str, page: Page | None = None) -> str:
    """The plain-text part of the e-mail edition: headline, outlet and date, summary and the article's address."""
    page = page or Page()
    items = ranked(items_for(entries, lang)) if page.top else items_for(entries, lang)
    heading = page.heading(lang)
    head = " · ".join(x for x in (page.subtitle, count(lang, len(items))) if x)
    lines = [heading, "=" * len(heading), head, ""]
    if page.intro:
        lines += [page.intro, ""]
    items, starts = _sectioned(items, lang, page.sections)
    for item in items:
        if id(item) in starts:
            lines += [f"[ {starts[id(item)].upper()} ]" if starts[id(item)] else "* * *", ""]
        lead = item.sources[0]
        lines += [item.title, "-" * min(len(item.title), 72)]
        meta = [lead.site] if lead.site else []
        meta += _byline(lead, lang)
        if meta:
            lines.append(" · ".join(meta))
        lines.append(item.summary)
        if not item.translated:
            lines.append(f"({untranslated_note(item)})")
        if lead.url:
            lines.append(f"{label(lang, 'read')}: {lead.url}")
        lines.append("")
    if not items:
        lines += [label(lang, "empty"), ""]
    if page.footer:
        lines += ["-- ", page.footer]
    return "\n".join(lines).rstrip() + "\n"


def render_eml(entries: Sequence[dict | DigestItem], lang: str, page: Page | None = None) -> str:
    """The e-mail edition as a MIME multipart/alternative message (plain text, then the inline-styled HTML), with
    a subject and no sender or recipients: a mail tool or list manager adds those."""
    from email.message import EmailMessage
    from email.policy import SMTP

    page = page or Page()
    message = EmailMessage(policy=SMTP)
    heading = page.heading(lang)
    message["Subject"] = f"{heading} · {page.subtitle}" if page.subtitle else heading
    message["Content-Language"] = lang
    message.set_content(render_text(entries, lang, page), subtype="plain", charset="utf-8")
    message.add_alternative(render_email(entries, lang, page), subtype="html", charset="utf-8")
    return message.as_string()


RENDERERS = {"md": render_markdown, "html": render_html, "email": render_email, "eml": render_eml}
#: file name suffix per format: the email variant is an HTML file too
SUFFIX = {"md": "md", "html": "html", "email": "email.html", "eml": "eml"}
