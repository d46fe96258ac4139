"""Finding inputs: files, folders and stdin, read within limits, in a stable order, with unique ids."""

from __future__ import annotations

import fnmatch
import hashlib
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, TextIO

from ..errors import expected_failure, internal_reason, traceback_text
from ..libs import missing_library
from ..nlp.text import decode_bytes
from .article import DEFAULT_MAX_BYTES, Article, Problem, ReadOptions
from .formats import _one_line, _sniff, parse_text

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")


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
        if isinstance(item, str):  # "-"
            results = _read_stdin(stdin, options)
        elif _older(item[0], options):
            continue
        else:
            results = _read_path(*item, options)
        for result in results:
            if isinstance(result, Article):
                if options.unique_ids and result.id in first_source:
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
            sub = (here / name).relative_to(root).as_posix()
            if (here / name).is_symlink() and not name.startswith(".") and not _matches(options.exclude, sub, name):
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
            elif path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
                # a link to ~/notes or /etc/passwd must not be published: only links within the input are read
                yield Problem(_display(path), "symbolic link to a file outside the input folder, not followed",
                              "skipped")
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
    try:
        decoded = decode_bytes(raw)
    except ImportError as exc:  # charset-normalizer missing: this legacy-encoded file fails, the batch goes on
        return [Problem(source, missing_library(exc, "reading legacy-encoded files"))]
    if decoded is None:
        return [Problem(source, "binary file, not text")]
    text, encoding = decoded
    if not text.strip():
        return [Problem(source, empty)]
    try:
        results = parse_text(text, source=source, fallback_id=stem, fmt=fmt or _sniff(text), options=options)
    except Exception as exc:  # noqa: BLE001 - a bug in a reader costs this input, never the batch
        if expected_failure(exc):
            return [Problem(source, _one_line(str(exc)) or type(exc).__name__)]
        return [Problem(source, internal_reason("read", exc), internal=True, trace=traceback_text(exc))]
    if encoding != "utf-8":
        for result in results:
            if isinstance(result, Article):
                result.meta["encoding"] = encoding
    return results


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


def _display(path: str | os.PathLike) -> str:
    """The path as text that can be printed and written anywhere (undecodable bytes become U+FFFD)."""
    return os.fspath(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")
