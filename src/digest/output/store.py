"""The output folder: atomic writes, article records, the manifest and the one-run-at-a-time lock.

Knows nothing of models: it stores ArticleRecord and ManifestEntry as their JSON, so any executor (local, Ray)
can share it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import stat
import time
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from ..errors import LockedError, RecordError, one_line
from ..inputs.ids import safe_id
from ..records import FORMAT_VERSION, ArticleRecord, ManifestEntry
from ..safeio import OutDir

__all__ = ["FORMAT_VERSION", "LockedError", "Store", "atomic_write"]

log = logging.getLogger("digest")
LOCK_NAME = ".digest.lock"
STATE_NAME = ".digest-state.json"
#: what the last run did, one line per input (manifest.jsonl is the state of every article)
LAST_RUN_NAME = "last-run.jsonl"
#: atomic_write temporaries a killed run may leave, per subfolder of OUT; the next run removes them
_RUN_TEMPORARIES = {".": (".manifest.jsonl.*.tmp", f".{LAST_RUN_NAME}.*.tmp", ".digest.*.tmp",
                          f"{STATE_NAME}.*.tmp", ".feed.*.tmp", ".index.html.*.tmp",
                          ".digest-web.json.*.tmp"),
                    "articles": (".*.tmp",), "editions": (".*.tmp",), "editions/.ids": (".*.tmp",)}
#: (an edition's own folder is tidied when it is next written: globbing every edition would grow with OUT)


def atomic_write(path: Path, data: str | bytes, *, sync: bool = True) -> None:
    """Write via a temporary file in the same folder, fsync, rename: readers never see half a file, and a link or
    FIFO at `path` is refused, never written through (`safeio`). `sync=False` skips the fsyncs."""
    OutDir(path.parent).write(path.name, data, sync=sync)


MANIFEST_NAME = "manifest.jsonl"
#: the manifest is rewritten, one line per article, at the end of a run once it holds this many lines per article
_COMPACT_RATIO = 2


class _RunState:
    """What one run has journaled so far: the manifest's state, its line count, the line each entry wrote."""

    def __init__(self, previous: dict[tuple[str, str], ManifestEntry], lines: int) -> None:
        self.previous = previous
        self.state = dict(previous)
        self.lines = lines
        #: per entry of the run, the manifest line it wrote (None: it wrote none, or only a state line)
        self.written: list[str | None] = []
        self.last_run = 0


def _line(entry: ManifestEntry) -> str:
    return json.dumps(entry.to_json(), ensure_ascii=False) + "\n"


def _counts(entry: ManifestEntry) -> bool:
    """Whether the entry is itself the article's new state (not unchanged, not merely up to date)."""
    return not entry.unchanged and not (entry.status == "skipped" and entry.reason == "up to date")


def _state_entry(state: dict[tuple[str, str], ManifestEntry], entry: ManifestEntry,
                 attempted: str) -> ManifestEntry | None:
    """The entry `entry` puts into the manifest's `state`, or None when it changes nothing."""
    if entry.unchanged:
        return None
    if not _counts(entry):  # up to date: its state is what made it; said only when the manifest lacks it
        return None if (entry.id, entry.source) in state else ManifestEntry(entry.id, "ok", entry.source)
    entry.attempted = entry.attempted or attempted
    return entry


class Store:
    """OUT/articles/<id>.json, OUT/manifest.jsonl, OUT/digest.<lang>.{md,html}."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.articles_dir = self.root / "articles"
        #: every write, read and delete below OUT goes through it: no link is ever followed
        self.fs = OutDir(self.root)
        self._manifest_lines = 0
        self._run: _RunState | None = None

    def path_for(self, article_id: str) -> Path:
        """The record's path; the id is sanitized again so nothing can land outside OUT/articles."""
        path = self.articles_dir / f"{safe_id(article_id)}.json"
        if path.parent != self.articles_dir:  # lexical: a link in its place is the writer's to refuse
            raise ValueError(f"article id {article_id!r} would escape the output folder")
        return path

    def load(self, article_id: str) -> ArticleRecord | None:
        """The stored record, or None when absent, unreadable or not a record (then it is simply redone)."""
        try:
            return ArticleRecord.from_json(json.loads(self.fs.read_text(self.path_for(article_id))))
        except (OSError, ValueError):  # RecordError is a ValueError
            return None

    def save(self, record: ArticleRecord) -> Path:
        """Write one article record atomically."""
        path = self.path_for(record.id)
        return self.fs.write(path, json.dumps(record.to_json(), ensure_ascii=False, indent=2) + "\n")

    def records(self, *, quiet: bool = False) -> Iterator[ArticleRecord]:
        """Every readable article record in OUT, sorted by id (digests are rendered from these).

        A file that is not a record (a hand edit, another tool's JSON) is passed over with one warning naming it,
        or silently with `quiet` (a second pass in the same run, whose warning the pages already give).
        """
        for name in self.fs.names("articles", "*.json"):
            path = self.articles_dir / name
            try:
                yield ArticleRecord.from_json(json.loads(self.fs.read_text(path)))
            except RecordError as exc:
                if not quiet:
                    log.warning("%s: not an article record, left out of the digests: %s", path, exc)
            except ValueError as exc:  # cut short or edited by hand: said once, never a stopped run
                if not quiet:
                    log.warning("%s: not valid JSON, left out of the digests: %s", path, one_line(exc, 120))
            except OSError:
                continue

    def write_manifest(self, entries: Iterable[ManifestEntry], name: str = MANIFEST_NAME) -> None:
        """One JSON line per entry, the whole file replaced atomically."""
        self.fs.write(name, "".join(_line(e) for e in entries))

    def read_manifest(self) -> dict[tuple[str, str], ManifestEntry]:
        """The state of every article as the last run left it, by (id, source): two inputs that claim one id
        keep a line each, and a later line for an (id, source) replaces an earlier one (the file is a journal).
        Lines that are not entries (a torn last line of a killed run) are passed over; compaction drops them."""
        try:
            lines = self.fs.read_text(MANIFEST_NAME).splitlines()
        except (OSError, UnicodeDecodeError):
            return {}
        self._manifest_lines = len(lines)
        state: dict[tuple[str, str], ManifestEntry] = {}
        for line in lines:
            try:
                entry = ManifestEntry.from_json(json.loads(line))
            except ValueError:
                continue
            state[entry.id, entry.source] = entry
        return state

    def write_state(self, previous: dict[tuple[str, str], ManifestEntry], entries: list[ManifestEntry],
                    attempted: str, *, final: bool = True) -> None:
        """manifest.jsonl: every article in OUT, as `previous` updated by this run's `entries` (a no-op cron run
        keeps it whole); last-run.jsonl: what this run did to each input.

        Called after every wave (`final=False`) and once at the end: each call appends only the entries new since
        the last one, in one fsynced write, so a wave costs what it changed, not the size of OUT; the end of a
        run also appends entries changed since (a page that failed) and compacts the manifest to one line per
        article once stale lines outnumber the live ones."""
        run = self._run
        if run is None or run.previous is not previous:
            run = self._run = _RunState(previous, self._manifest_lines or len(previous))
        changed: list[ManifestEntry] = []
        for entry in entries[len(run.written):]:
            if (new := _state_entry(run.state, entry, attempted)) is not None:
                changed.append(new)
                run.state[new.id, new.source] = new
            run.written.append(_line(entry) if _counts(entry) else None)
        if final:  # the pages were rendered after the last wave: a story that broke one is failed now
            for n, old in enumerate(run.written):
                if old is not None and (line := _line(entries[n])) != old:
                    run.written[n] = line
                    changed.append(entries[n])
        lines = [_line(e) for e in changed]
        if lines:
            self.fs.append(MANIFEST_NAME, "".join(lines))
            run.lines += len(lines)
        if final and run.lines > _COMPACT_RATIO * len(run.state):
            self.write_manifest(run.state.values())
            run.lines = len(run.state)
        if final or run.last_run == 0:
            self.write_manifest(entries, LAST_RUN_NAME)
        elif len(entries) > run.last_run:
            self.fs.append(LAST_RUN_NAME, "".join(_line(e) for e in entries[run.last_run:]), sync=False)
        run.last_run = len(entries)

    def write_text(self, name: str, text: str) -> Path:
        """Any other output file of the run (digests, state), atomically."""
        return self.fs.write(name, text)

    def last_clean_run(self, settings: str) -> datetime | None:
        """Start of the last run on this folder in which no article failed (for `--changed-only`), if it ran
        with the same `settings` fingerprint: after a change of models, targets or checks every file counts."""
        try:
            state = json.loads(self.fs.read_text(STATE_NAME))
            if state.get("settings") != settings:
                return None
            return datetime.fromisoformat(state["last_clean_run"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def mark_clean_run(self, started: datetime, settings: str) -> None:
        """Remember when a run that left nothing failed began, and with which settings."""
        state = {"last_clean_run": started.isoformat(), "settings": settings}
        self.write_text(STATE_NAME, json.dumps(state) + "\n")

    def remove_stale_temporaries(self) -> list[Path]:
        """Delete the half-written temporaries of a killed run (call with the lock held); returns them.

        They are never read as records (those end in .json), this only keeps OUT tidy.
        """
        removed = []
        for folder, patterns in _RUN_TEMPORARIES.items():  # a folder that is a link: refused here, before any work
            removed += self.fs.remove_matching(folder, *patterns)
        return removed

    @contextlib.contextmanager
    def lock(self, timeout: float = 0) -> Iterator[None]:
        """Hold OUT for this run. The OS drops the lock when a process dies, so a killed run never blocks."""
        self.root.mkdir(parents=True, exist_ok=True)
        pid_file = self.root / f"{LOCK_NAME}.pid"
        fd = _acquire(self.root / LOCK_NAME, timeout)
        if fd is None:
            holder = _read_pid(pid_file)
            raise LockedError(
                f"{self.root} is locked by another digest run (pid {holder}); waited {timeout:g} s "
                "(wait longer with --lock-timeout SECONDS)"
            ) from None
        try:
            _write_pid(pid_file)
            self.remove_stale_temporaries()
            yield
        finally:
            with contextlib.suppress(OSError):
                pid_file.unlink()  # unlink removes a link itself, never its target
            os.close(fd)  # closing the descriptor releases the lock


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _acquire(path: Path, timeout: float) -> int | None:
    """An exclusive flock on OUT/.digest.lock, opened without following a link (a planted one is refused, its
    target never truncated); None when another run still holds it after `timeout` seconds."""
    import fcntl

    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | _NOFOLLOW, 0o644)
    except OSError as exc:
        raise LockedError(f"{path}: refusing the lock file (a symlink, FIFO or unwritable): {one_line(exc)}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise LockedError(f"{path}: refusing the lock file: it is not a regular file")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                return None
            time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))


def _write_pid(pid_file: Path) -> None:
    """Write our pid without following a planted symlink or blocking on a FIFO; refuse anything not a regular file."""
    try:
        fd = os.open(pid_file, os.O_WRONLY | os.O_CREAT | _NOFOLLOW, 0o644)
    except OSError as exc:
        raise LockedError(
            f"{pid_file}: refusing the lock's pid file (a symlink, FIFO or unwritable): {one_line(exc)}"
        ) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise LockedError(f"{pid_file}: refusing the lock's pid file: it is not a regular file")
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
    finally:
        os.close(fd)


def _read_pid(pid_file: Path) -> str:
    """The holder's pid for the message, read only from a regular file (never a link, FIFO or device)."""
    try:
        fd = os.open(pid_file, os.O_RDONLY | _NOFOLLOW)
    except OSError:
        return "unknown"
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return "unknown"
        return os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
    finally:
        os.close(fd)
