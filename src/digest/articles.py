"""Articles in: readers for txt/md/html/json/jsonl, scraped-text cleaning and stable ids."""

from __future__ import annotations

import fnmatch
import functools
import hashlib
import json
import os
import re
import stat
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

from . import language as lang
from .text import decode_bytes


@dataclass
class Article:
    """One article as the pipeline sees it, whatever file or stream it came from."""

    id: str
    title: str
    text: str
    source: str
    language: str | None = None
    meta: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """An input that could not become an article; it ends up as a manifest line, never a crash."""

    source: str
    reason: str
    status: str = "failed"
    id: str | None = None


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
    r"advertisement|advertising|sponsored(?: content)?|anzeige|publicité",
    r"(?:read more|read also|also read|see also|related|more on this|lesen sie auch|mehr zum thema"
    r"|lire aussi|à lire aussi)\s*:.{0,200}",
    r"click here (?:to|for)\s[^.!?]{0,80}[.!]?",
    # site furniture
    r".{0,100}\b(?:we use cookies|this (?:web)?site uses cookies|accept (?:all )?cookies)\b.{0,300}",
    r"cookie (?:settings|preferences|policy)",
    r"©.{0,100}|(?:\(c\)|copyright)\s*(?:©\s*)?(?:19|20)\d\d\b.{0,100}|.{0,100}all rights reserved\.?",
    r"skip to (?:main )?content|back to top|scroll to top|loading\.{0,3}",
    r"(?:please )?enable javascript.{0,100}",
]
DEFAULT_MAX_BYTES: int = 5_000_000
SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")

_TEXT_FIELDS = ("text", "body", "content")
_META_FIELDS = ("url", "date", "author")
_MAX_ID_CHARS, _MAX_ID_BYTES, _HASH_CHARS = 120, 200, 8
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}


@dataclass(frozen=True)
class ReadOptions:
    """How inputs are selected and cleaned; built from the `input:` section of the config."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    drop_patterns: tuple[str, ...] = tuple(DEFAULT_DROP_PATTERNS)
    drop_repeated_title: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES
    language: str | None = None
    modified_since: float | None = None  # epoch seconds: older files are passed over unread (stdin never is)
    arrived_since: float | None = None  # the same, also counting a file's ctime (moved in with an old mtime)
    skip_dirs: tuple[str, ...] = ()  # resolved folders never read, e.g. the run's own output folder

    def __post_init__(self) -> None:
        """Fail at config time, not on the 500th file: bad regexes and limits are caught here."""
        for name in ("include", "exclude", "drop_patterns"):
            value = getattr(self, name)
            object.__setattr__(self, name, (value,) if isinstance(value, str) else tuple(value))
        for pattern in self.drop_patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"invalid drop pattern {pattern!r}: {exc}") from None
        if self.max_bytes <= 0:
            raise ValueError(f"input.max_bytes must be positive, got {self.max_bytes}")


def read_articles(
    inputs: Sequence[str | Path],
    options: ReadOptions = ReadOptions(),  # noqa: B008 - frozen, so one shared default is safe
    stdin: TextIO | BinaryIO | None = None,
) -> Iterator[Article | Problem]:
    """Every article (or the reason it failed) from files, folders and `-` (stdin), in a stable order.

    One bad input never stops the others. Ids are unique per call: a later duplicate is a Problem.
    """
    first_source: dict[str, str] = {}
    for item in _expand([inputs] if isinstance(inputs, str | Path) else inputs, options):
        if isinstance(item, Problem):
            yield item
            continue
        if item != "-" and _older(item[0], options):
            continue
        results = _read_stdin(stdin, options) if item == "-" else _read_path(*item, options)
        for result in results:
            if isinstance(result, Article):
                if result.id in first_source:
                    reason = f"duplicate id {result.id!r} (already read from {first_source[result.id]})"
                    result = Problem(result.source, reason, id=result.id)
                else:
                    first_source[result.id] = result.source
            yield result


def _expand(inputs: Sequence[str | Path], options: ReadOptions) -> Iterator[str | tuple[Path, str] | Problem]:
    """Files to read with the name their id falls back to, in order: folders walked recursively (sorted, no
    symlinked folders, no dotfiles). A file in a subfolder is named by its path from the input folder, so
    `2024/05/index.html` and `2024/06/index.html` get the ids `2024-05-index` and `2024-06-index`."""
    for raw in inputs:
        if str(raw) == "-":
            yield "-"
            continue
        path = Path(raw)
        if path.is_dir():
            yield from _walk(path, options)
        elif path.is_symlink() and not path.exists():
            yield Problem(_display(path), "broken symbolic link")
        elif not path.exists():
            yield Problem(_display(path), "no such file or directory")
        elif _wanted(path.name, path.name, options):
            yield path, path.stem


def _walk(root: Path, options: ReadOptions) -> Iterator[tuple[Path, str] | Problem]:
    """os.walk without following links: a symlink loop cannot hang the run, it is reported instead."""
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=errors.append, followlinks=False):
        while errors:
            exc = errors.pop(0)
            yield Problem(_display(exc.filename or dirpath), f"cannot read folder: {_os_reason(exc)}")
        here = Path(dirpath)
        if "manifest.jsonl" in filenames and "articles" in dirnames:  # another run's OUT: its pages are no news
            yield Problem(_display(here), "a digest output folder, not read", "skipped")
            dirnames[:] = []
            continue
        for name in sorted(dirnames):
            rel = (here / name).relative_to(root).as_posix()
            if (here / name).is_symlink() and not name.startswith(".") and not _matches(options.exclude, rel, name):
                yield Problem(_display(here / name), "symbolic link to a folder, not followed", "skipped")
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (here / d).is_symlink()
                             and str((here / d).resolve()) not in options.skip_dirs)
        for name in sorted(filenames):
            path = here / name
            rel = path.relative_to(root)
            if name.startswith(".") or not _wanted(rel.as_posix(), name, options):
                continue
            if path.is_symlink() and not path.exists():
                yield Problem(_display(path), "broken symbolic link")
            else:
                yield path, rel.with_suffix("").as_posix()
    for exc in errors:
        yield Problem(_display(exc.filename or root), f"cannot read folder: {_os_reason(exc)}")


def _older(path: Path, options: ReadOptions) -> bool:
    """Whether `path` predates `modified_since` (by mtime) or `arrived_since` (by mtime and ctime); a file
    that cannot be stat'ed is never older, so it is read and its problem reported."""
    if options.modified_since is None and options.arrived_since is None:
        return False
    try:
        info = path.stat()
    except OSError:
        return False
    if options.modified_since is not None and info.st_mtime < options.modified_since:
        return True
    return options.arrived_since is not None and max(info.st_mtime, info.st_ctime) < options.arrived_since


def _wanted(rel: str, name: str, options: ReadOptions) -> bool:
    """include/exclude globs, tried on the path relative to the input folder and on the file name."""
    return (not options.include or _matches(options.include, rel, name)) and not _matches(options.exclude, rel, name)


def _matches(patterns: tuple[str, ...], rel: str, name: str) -> bool:
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def _read_path(path: Path, stem: str, options: ReadOptions) -> list[Article | Problem]:
    """One file: anything but a supported, regular, small enough file is refused before it is read."""
    source, suffix = _display(path), path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        what = f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)"
        return [Problem(source, what, status="skipped")]
    raw = _load(path, options.max_bytes)
    if isinstance(raw, str):
        return [Problem(source, raw)]
    return _parse_bytes(raw, source, stem, suffix[1:], options, empty="empty file")


def _load(path: Path, max_bytes: int) -> bytes | str:
    """The file's bytes, or the reason it cannot be read; never more than max_bytes + 1 in memory."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # FIFOs and devices would block or never end
            return "not a regular file"
        if info.st_size > max_bytes:
            return _too_big(info.st_size, max_bytes)
        with open(path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        return f"cannot read: {_os_reason(exc)}"
    return _too_big(len(raw), max_bytes) if len(raw) > max_bytes else raw  # it grew while we looked


def read_text_file(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The decoded text of one file (or of stdin for "-") as-is, e.g. for `digest translate`, with the readers'
    limits and encoding detection.

    Raises ValueError whose message is the same one-line reason the readers would give.
    """
    if str(path) == "-":
        raw = (getattr(sys.stdin, "buffer", None) or sys.stdin).read(max_bytes + 1)
        raw = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
        if len(raw) > max_bytes:
            raise ValueError(_too_big(len(raw), max_bytes))
    else:
        raw = _load(Path(path), max_bytes)
    if isinstance(raw, str):
        raise ValueError(raw)
    decoded = decode_bytes(raw) if raw.strip() else ("", "")
    if decoded is None:
        raise ValueError("binary file, not text")
    if not decoded[0].strip():
        raise ValueError("empty file")
    return decoded[0].lstrip("\ufeff")


def _read_stdin(stream: TextIO | BinaryIO | None, options: ReadOptions) -> list[Article | Problem]:
    """`-`: read at most max_bytes (+1 to notice more), guess the format from the content."""
    stream = sys.stdin if stream is None else stream
    if stream is None:  # e.g. cron with stdin closed
        return [Problem("<stdin>", "no standard input to read")]
    try:
        data = (getattr(stream, "buffer", None) or stream).read(options.max_bytes + 1)
    except (OSError, ValueError) as exc:
        return [Problem("<stdin>", f"cannot read: {_one_line(str(exc))}")]
    if len(data) > options.max_bytes:
        return [Problem("<stdin>", f"input is over the {_size(options.max_bytes)} limit (input.max_bytes)")]
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    stem = "stdin-" + hashlib.sha256(raw).hexdigest()[:10]  # two piped articles must not share one id
    return _parse_bytes(raw, "<stdin>", stem, None, options, empty="empty input")


def _parse_bytes(
    raw: bytes, source: str, stem: str, fmt: str | None, options: ReadOptions, empty: str
) -> list[Article | Problem]:
    if not raw.strip():
        return [Problem(source, empty)]
    decoded = decode_bytes(raw)
    if decoded is None:
        return [Problem(source, "binary file, not text")]
    text, encoding = decoded
    if not text.strip():
        return [Problem(source, empty)]
    results = parse_text(text, source=source, fallback_id=stem, fmt=fmt or _sniff(text), options=options)
    if encoding != "utf-8":
        for result in results:
            if isinstance(result, Article):
                result.meta["encoding"] = encoding
    return results


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
    if fmt in ("txt", "md"):
        records = [(source, None, _plain_record(raw, fmt))]
    elif fmt == "html":
        records = [(source, None, _html_record(raw))]
    elif fmt == "json":
        records = _json_records(raw, source)
    elif fmt == "jsonl":
        records = _jsonl_records(raw, source)
    else:
        raise ValueError(f"unknown format {fmt!r} (expected txt, md, html, json or jsonl)")
    base = safe_id(fallback_id)
    return [_build(rec, src, base if n is None else f"{base}-{n}", fmt, options) for src, n, rec in records]


def _plain_record(raw: str, fmt: str) -> dict | str:
    """txt: the first non-empty line is the title, unless it is a lone line of prose.
    md: front-matter title, else first `#` heading, else as txt."""
    meta: dict = {}
    lines = raw.splitlines()
    if fmt == "md" and lines and lines[0].strip() == "---" and "---" in (s.strip() for s in lines[1:]):
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        for key, sep, value in (line.partition(":") for line in lines[1:end]):
            if sep and value.strip():
                meta[key.strip().lower()] = value.strip().strip("\"'")
        lines = lines[end + 1 :]
    heading = next((i for i, s in enumerate(lines) if re.match(r" {0,3}#{1,6}\s+\S", s)), None)
    index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if fmt == "md" and heading is not None:
        index, title = heading, lines[heading].strip().strip("#").strip()
    elif meta.get("title") or index is None:
        index, title = None, meta.get("title", "")
    else:
        title = lines[index].strip()
        if fmt == "md" and index + 1 < len(lines) and re.fullmatch(r"\s*(=+|-+)\s*", lines[index + 1]):
            del lines[index + 1]  # setext underline
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
    """trafilatura, tuned for precision and without comments: the main text or nothing."""
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            raw, with_metadata=True, favor_precision=True, include_comments=False
        )
    except Exception as exc:  # noqa: BLE001 - a parser crash on one page must not stop the run
        return f"cannot parse HTML: {type(exc).__name__}: {exc}"
    data = doc if isinstance(doc, dict) else (doc.as_dict() if doc is not None else {})
    if not (data.get("text") or "").strip():
        return "no article text found in HTML"
    return {k: data.get(k) for k in ("title", "text", *_META_FIELDS, "sitename")}


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
    article_id = safe_id(str(raw_id)) if raw_id not in (None, "") else default_id
    text_field = next((record[k] for k in _TEXT_FIELDS if record.get(k) is not None), None)
    if text_field is None:
        return Problem(source, "no text field (text, body or content)", id=article_id)
    if isinstance(text_field, list) and all(isinstance(p, str) for p in text_field):
        text_field = "\n\n".join(text_field)
    if not isinstance(text_field, str):
        return Problem(source, f"text field is {_kind(text_field)}, not a string", id=article_id)
    title = record.get("title")
    title = " ".join(title.split()) if isinstance(title, str) else ""
    text = clean_text(text_field, title, options.drop_patterns, options.drop_repeated_title)
    if not text:
        return Problem(source, "no text left after cleaning", id=article_id)
    meta: dict = {"format": fmt}
    meta.update({k: record[k] for k in (*_META_FIELDS, "sitename") if record.get(k) not in (None, "")})
    if raw_id not in (None, "") and str(raw_id) != article_id:
        meta["original_id"] = str(raw_id)
    language, how = _language(record.get("language") or record.get("lang"), text, options)
    if how:
        meta["language_source"] = how
    return Article(id=article_id, title=title, text=text, source=source, language=language, meta=meta)


def _language(declared: object, text: str, options: ReadOptions) -> tuple[str | None, str | None]:
    """The article's own field, else detection, else the configured fallback, else None."""
    if isinstance(declared, str) and declared.strip():
        code = lang.normalize(declared)
        if re.fullmatch(r"[a-z]{2,3}", code) and code not in ("und", "zxx", "mul", "mis"):
            return code, "field"
    detected = lang.detect(text)
    if detected:
        return detected, "detected"
    if options.language:
        return lang.normalize(options.language), "fallback"
    return None, None


def clean_text(text: str, title: str | None, drop_patterns: Sequence[str], drop_repeated_title: bool = True) -> str:
    """Drop boilerplate lines and lines repeating the title, collapse blank runs, strip.

    Lines are compared whole (stripped), so a pattern can never cut a sentence in half.
    """
    regexes = _compile(tuple(drop_patterns))
    title_key = _title_key(title) if drop_repeated_title and title else None
    kept: list[str] = []
    gap = False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip()
        if not line:
            gap = bool(kept)
        elif not (title_key and _title_key(line) == title_key) and not any(r.fullmatch(line) for r in regexes):
            if gap:
                kept.append("")
                gap = False
            kept.append(line)
    return "\n".join(kept)


@functools.lru_cache(maxsize=32)
def _compile(patterns: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def _title_key(line: str) -> str:
    line = unicodedata.normalize("NFKC", line).translate(str.maketrans("‘’“”", "''\"\""))
    return " ".join(line.casefold().split()).strip(" .:!?|-–—")


def safe_id(raw: str) -> str:
    """A file-name-safe id on every OS, deterministic, never empty, hidden or able to leave a folder.

    NFKC; unicode letters, marks and digits, `-`, `_` and `.` are kept, anything else (slashes,
    spaces, control characters) becomes `-`; runs of `-` collapse; leading/trailing dots and dashes go
    (`../../etc/passwd` -> `etc-passwd`, `..` -> `article`). Windows device names get a `_` (`con` ->
    `con_`). Ids longer than 120 characters or 200 UTF-8 bytes are cut and end in `-` plus 8 hex of
    the SHA-1 of the original, so distinct long ids stay distinct. Short ids get no hash: two ids that
    clean to the same string show up as a duplicate-id problem, never as a silent overwrite.
    """
    text = unicodedata.normalize("NFKC", str(raw))
    text = "".join(ch if ch in "-_." or unicodedata.category(ch)[0] in "LMN" else "-" for ch in text)
    text = re.sub(r"-{2,}", "-", text).strip(".-") or "article"
    base, dot, rest = text.partition(".")
    if base.upper() in _WINDOWS_RESERVED:
        text = f"{base}_{dot}{rest}"
    if len(text) > _MAX_ID_CHARS or len(text.encode("utf-8")) > _MAX_ID_BYTES:
        digest = hashlib.sha1(str(raw).encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]
        cut = text[: _MAX_ID_CHARS - _HASH_CHARS - 1]
        while len(cut.encode("utf-8")) > _MAX_ID_BYTES - _HASH_CHARS - 1:
            cut = cut[:-1]
        text = f"{cut.rstrip('.-')}-{digest}"
    return text


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB" if n >= 1000 else f"{n} bytes"


def _too_big(size: int, limit: int) -> str:
    """ "file is 20.0 MB, over the 5.0 MB limit (input.max_bytes)"; exact bytes when rounding would hide it."""
    big, cap = (_size(size), _size(limit)) if _size(size) != _size(limit) else (f"{size} bytes", f"{limit} bytes")
    return f"file is {big}, over the {cap} limit (input.max_bytes)"


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    return _one_line((exc.strerror or str(exc) or type(exc).__name__).lower())


def _kind(value: object) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


def _one_line(text: str) -> str:
    return " ".join(text.split())[:300]


def _display(path: str | os.PathLike) -> str:
    """The path as text that can be printed and written anywhere (undecodable bytes become U+FFFD)."""
    return os.fspath(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
