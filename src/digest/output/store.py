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


class Store:
    """OUT/articles/<id>.json, OUT/manifest.jsonl, OUT/digest.<lang>.{md,html}."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.articles_dir = self.root / "articles"
        #: every write, read and delete below OUT goes through it: no link is ever followed
        self.fs = OutDir(self.root)

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

    def records(self) -> Iterator[ArticleRecord]:
        """Every readable article record in OUT, sorted by id (digests are rendered from these).

        A file that is not a record (a hand edit, another tool's JSON) is passed over with one warning naming it.
        """
        for name in self.fs.names("articles", "*.json"):
            path = self.articles_dir / name
            try:
                yield ArticleRecord.from_json(json.loads(self.fs.read_text(path)))
            except RecordError as exc:
                log.warning("%s: not an article record, left out of the digests: %s", path, exc)
            except ValueError as exc:  # cut short or edited by hand: said once, never a stopped run
                log.warning("%s: not valid JSON, left out of the digests: %s", path, one_line(exc, 120))
            except OSError:
                continue

    def write_manifest(self, entries: Iterable[ManifestEntry], name: str = "manifest.jsonl") -> None:
        """One JSON line per entry."""
        lines = "".join(json.dumps(e.to_json(), ensure_ascii=False) + "\n" for e in entries)
        self.fs.write(name, lines)

    def read_manifest(self) -> dict[tuple[str, str], ManifestEntry]:
        """The state of every article as the last run left it, by (id, source): two inputs that claim one id
        keep a line each. Lines that are not entries are passed over (the next write replaces them)."""
        try:
            lines = self.fs.read_text("manifest.jsonl").splitlines()
        except (OSError, UnicodeDecodeError):
            return {}
        state: dict[tuple[str, str], ManifestEntry] = {}
        for line in lines:
            try:
                entry = ManifestEntry.from_json(json.loads(line))
            except ValueError:
                continue
            state[entry.id, entry.source] = entry
        return state

    def write_state(self, previous: dict[tuple[str, str], ManifestEntry], entries: list[ManifestEntry],
                    attempted: str) -> None:
        """manifest.jsonl: every article in OUT, as `previous` updated by this run's `entries` (a no-op cron run
        keeps it whole); last-run.jsonl: what this run did to each input."""
        state = dict(previous)
        for entry in entries:
            if entry.unchanged:
                continue
            if entry.status == "skipped" and entry.reason == "up to date":  # its state is what made it
                state.setdefault((entry.id, entry.source), ManifestEntry(entry.id, "ok", entry.source))
                continue
            entry.attempted = entry.attempted or attempted
            state[entry.id, entry.source] = entry
        self.write_manifest(state.values())
        self.write_manifest(entries, LAST_RUN_NAME)

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
