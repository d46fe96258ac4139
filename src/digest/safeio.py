"""Files under the output folder, written, renamed, appended, read and deleted without ever following a link.

Why one module: OUT is shared with a web server and other tools, and a planted symbolic link (`OUT/articles` →
`/srv/other`, `OUT/digest.en.html` → `~/.bashrc`) must never turn a write, a rename or a clean-up into one outside
it. Every folder below OUT is opened relative to its parent's descriptor with O_NOFOLLOW, every file is opened
with O_NOFOLLOW (and O_NONBLOCK, so a FIFO never hangs a run), and only regular files are read back. OUT itself
may be a link (the user names it); anything below it that is not a plain folder or regular file is refused with
one line naming the path (`UnsafePathError`, exit 2).
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path, PurePath

from .errors import UnsafePathError

__all__ = ["OutDir", "UnsafePathError"]

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class OutDir:
    """The output folder `root`; every path given to its methods is below it (absolute under `root`, or relative)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    # -- paths and folders ------------------------------------------------------------------------------------

    def _rel(self, path: str | PurePath) -> PurePath:
        path = PurePath(path)
        try:
            rel = path.relative_to(self.root)
        except ValueError:
            if path.is_absolute():
                raise UnsafePathError(f"{path}: not inside the output folder {self.root}") from None
            rel = path
        if ".." in rel.parts:
            raise UnsafePathError(f"{self.root / rel}: refusing a path that leaves the output folder")
        return rel

    @contextlib.contextmanager
    def folder(self, path: str | PurePath = ".", *, create: bool = True) -> Iterator[int]:
        """A descriptor of the folder `path` below OUT, each step opened without following a link (made when
        `create`). UnsafePathError when a step is a link or not a folder; FileNotFoundError when absent."""
        rel = self._rel(path)
        if create:
            self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
        try:
            done = self.root
            for part in rel.parts:
                done = done / part
                if create:
                    with contextlib.suppress(FileExistsError):
                        os.mkdir(part, 0o777, dir_fd=fd)
                try:
                    step = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=fd)
                except OSError as exc:
                    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                        raise UnsafePathError(f"{done}: {_kind(fd, part)}, not a folder: refusing to write "
                                              "through it (digest writes only plain folders under OUT)") from None
                    raise
                os.close(fd)
                fd = step
            yield fd
        finally:
            os.close(fd)

    # -- writing ----------------------------------------------------------------------------------------------

    def write(self, path: str | PurePath, data: str | bytes, *, sync: bool = True) -> Path:
        """Write via a temporary file in the same folder and rename it: readers never see half a file, and
        neither the temporary nor the target is ever a link. `sync=False` skips the fsyncs (still all or
        nothing for readers): for thousands of derived files made durable by one `os.sync()`."""
        rel = self._rel(path)
        shown = self.root / rel
        raw = data.encode("utf-8") if isinstance(data, str) else data
        with self.folder(rel.parent) as dir_fd:
            self._refuse_non_regular(dir_fd, rel.name, shown)
            tmp = f".{rel.name}.{secrets.token_hex(4)}.tmp"
            try:
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o666, dir_fd=dir_fd)
                try:
                    _write_all(fd, raw)
                    if sync:
                        os.fsync(fd)
                finally:
                    os.close(fd)
                os.replace(tmp, rel.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            except OSError as exc:  # name the file the user knows, not the temporary
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=dir_fd)
                raise OSError(exc.errno, exc.strerror, str(shown)) from exc
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=dir_fd)
                raise
            if sync:
                with contextlib.suppress(OSError):
                    os.fsync(dir_fd)
        return shown

    def append(self, path: str | PurePath, data: str, *, sync: bool = True) -> Path:
        """Append whole lines in one write (a kill loses at most the line being written); a torn last line
        that a killed run left is ended first, so it never swallows the next one."""
        rel = self._rel(path)
        shown = self.root / rel
        with self.folder(rel.parent) as dir_fd:
            try:
                fd = os.open(rel.name, os.O_RDWR | os.O_APPEND | os.O_CREAT | _NOFOLLOW | _NONBLOCK | _CLOEXEC,
                             0o666, dir_fd=dir_fd)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise UnsafePathError(f"{shown}: a symbolic link: refusing to write through it") from None
                raise OSError(exc.errno, exc.strerror, str(shown)) from exc
            try:
                info = os.fstat(fd)
                if not stat.S_ISREG(info.st_mode):
                    raise UnsafePathError(f"{shown}: not a regular file: refusing to write to it")
                if info.st_size and os.pread(fd, 1, info.st_size - 1) != b"\n":
                    data = "\n" + data
                _write_all(fd, data.encode("utf-8"))
                if sync:
                    os.fsync(fd)
            except OSError as exc:
                raise OSError(exc.errno, exc.strerror, str(shown)) from exc
            finally:
                os.close(fd)
        return shown

    # -- reading ----------------------------------------------------------------------------------------------

    def read_bytes(self, path: str | PurePath) -> bytes:
        """A regular file's bytes; OSError when absent, a link, a FIFO, a device or a folder (never followed)."""
        rel = self._rel(path)
        with self.folder(rel.parent, create=False) as dir_fd:
            fd = os.open(rel.name, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=dir_fd)
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    raise OSError(errno.EINVAL, "not a regular file", str(self.root / rel))
                chunks = []
                while chunk := os.read(fd, 1 << 20):
                    chunks.append(chunk)
                return b"".join(chunks)
            finally:
                os.close(fd)

    def read_text(self, path: str | PurePath) -> str:
        """A regular file as UTF-8 text (UnicodeDecodeError is a ValueError)."""
        return self.read_bytes(path).decode("utf-8")

    def names(self, folder: str | PurePath = ".", pattern: str = "*") -> list[str]:
        """The sorted names in a folder below OUT matching `pattern` (none when the folder is absent)."""
        try:
            with self.folder(folder, create=False) as dir_fd:
                return sorted(n for n in os.listdir(dir_fd) if fnmatch.fnmatchcase(n, pattern))
        except FileNotFoundError:
            return []

    # -- deleting ---------------------------------------------------------------------------------------------

    def unlink(self, path: str | PurePath) -> bool:
        """Remove one entry (a link itself, never its target); False when it was not there."""
        rel = self._rel(path)
        try:
            with self.folder(rel.parent, create=False) as dir_fd:
                os.unlink(rel.name, dir_fd=dir_fd)
        except FileNotFoundError:
            return False
        return True

    def remove_matching(self, folder: str | PurePath, *patterns: str) -> list[Path]:
        """Delete the entries of one folder below OUT whose names match; returns them (never looks into a link)."""
        removed = []
        try:
            with self.folder(folder, create=False) as dir_fd:
                for name in sorted(os.listdir(dir_fd)):
                    if any(fnmatch.fnmatchcase(name, p) for p in patterns):
                        with contextlib.suppress(OSError):
                            os.unlink(name, dir_fd=dir_fd)
                            removed.append(self.root / self._rel(folder) / name)
        except FileNotFoundError:
            pass
        return removed

    def remove_tree(self, path: str | PurePath) -> None:
        """Delete a folder below OUT and everything in it; refuses a link in its place (rmtree never follows one
        inside)."""
        rel = self._rel(path)
        try:
            with self.folder(rel.parent, create=False) as dir_fd:
                info = os.stat(rel.name, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            return
        if not stat.S_ISDIR(info.st_mode):
            raise UnsafePathError(f"{self.root / rel}: not a folder: refusing to delete it")
        shutil.rmtree(self.root / rel)

    @staticmethod
    def _refuse_non_regular(dir_fd: int, name: str, shown: Path) -> None:
        try:
            info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            return
        if stat.S_ISDIR(info.st_mode):  # a folder in the way: the OS error a user knows, naming the file
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(shown))
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePathError(f"{shown}: {_kind(dir_fd, name)}, not a regular file: refusing to replace it "
                                  "(digest writes only its own regular files under OUT)")


def _kind(dir_fd: int, name: str) -> str:
    """What is at `name` in words, for a refusal."""
    try:
        mode = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except OSError:
        return "not readable"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    return "a regular file" if stat.S_ISREG(mode) else "a special file"


def _write_all(fd: int, raw: bytes) -> None:
    view = memoryview(raw)
    while view:
        view = view[os.write(fd, view):]
