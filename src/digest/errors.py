"""Every error digest reports to a user, under one base that carries the exit code the CLI ends with.

Why one hierarchy: the CLI maps errors to exit codes by type in one place (`cli.user_errors`), never by the text
of a message, and a script can catch `DigestError` to tell a setup problem from a bug. The classes stay
importable where they were used (config, engines.base, run.translator, output.store, ...).
"""

from __future__ import annotations

import errno

#: exit codes of the `digest` command
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED, EXIT_INTERNAL = 0, 1, 2, 3, 4
#: the disk (or the user's quota) is full while writing OUT: no fault of the command line, and cron should say so
EXIT_NO_SPACE = 5
#: the errnos of a full disk or quota
NO_SPACE_ERRNOS = frozenset(n for n in (getattr(errno, "ENOSPC", None), getattr(errno, "EDQUOT", None)) if n)


class DigestError(Exception):
    """A problem a user can fix; its message is one line naming the input, setting or model and what to do."""

    exit_code: int = EXIT_USAGE


class ConfigError(DigestError, ValueError):
    """A config problem; the message names the key and the file."""


class UsageError(DigestError):
    """An argument that can never work (an input path that does not exist): said before any model loads."""


class ModelLoadError(DigestError):
    """A model could not be loaded; the message is one line naming the model and what to do."""


class DeviceError(ModelLoadError):
    """The configured device is not on this machine: no model can load, so the run stops (never a per-pair miss)."""


class ExplicitModelError(ModelLoadError):
    """A translation model the user named cannot be loaded: a setup error, not an article's fault."""


class NoRouteError(DigestError):
    """No model can translate this language pair; the message says why in one line."""


class MissingExtra(DigestError, ImportError):
    """An optional dependency (an extra such as digest[ray]) is not installed; the message says what to install."""


class EvalExtraMissing(MissingExtra):
    """The scoring libraries of `digest eval` are not installed."""


class LockedError(DigestError):
    """Another run holds the output folder."""

    exit_code = EXIT_LOCKED


class UnsafePathError(DigestError):
    """Something below the output folder is a symbolic link, FIFO or device where digest writes or reads its own
    files: refused, never followed (the message names the path)."""


class WorkersLost(DigestError, RuntimeError):
    """Ray gave up on a batch (its actor died more often than it may restart): the run cannot finish on Ray.

    Everything yielded before it is complete; `Digester.run` marks the articles not yet digested as failed, so
    the next run retries them.
    """

    exit_code = EXIT_FAILED


class PullError(DigestError):
    """A model could not be fetched; the message is one line naming the model and the reason."""

    exit_code = EXIT_FAILED


class NotOnHub(PullError):
    """The hub has no such model (a pattern-derived pair may simply not exist)."""


class HubUnreachable(PullError):
    """No connection to the hub: every other download would fail the same way."""


class RecordError(DigestError, ValueError):
    """A stored article record or manifest entry is not one digest wrote (a hand edit, another tool's file)."""


def one_line(exc: BaseException | str, limit: int | None = 300, *, first: bool = False) -> str:
    """An exception (or text) as one line: whitespace collapsed, cut at a word before `limit` characters.

    Why: messages end up in manifest entries, log lines and `digest: error:` lines, which a reader scans one
    line per problem; a library's multi-line message would break that. `first` keeps only the first line
    (a hub error's later lines repeat the URL and a request id).
    """
    text = str(exc).strip()
    if first:
        text = (text.splitlines() or [""])[0]
    text = " ".join(text.split())
    if not text and isinstance(exc, BaseException):
        text = type(exc).__name__
    if limit is None or len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


#: the stages of a run, each run per article under its own guard (`internal_reason` names them)
STAGES = ("read", "language", "cluster", "summarize", "translate", "checks", "write", "render")


def expected_failure(exc: BaseException) -> bool:
    """Whether `exc` is an article's own failure that digest reports as such (exit 1): a DigestError, a ValueError
    the models and readers raise for input they cannot use, memory, or a RuntimeError (how torch and CUDA report a
    model failing on an input). Anything else (TypeError, KeyError, ...) is a bug in digest (exit 4)."""
    return isinstance(exc, DigestError | ValueError | MemoryError | RuntimeError)


def internal_reason(stage: str, exc: BaseException) -> str:
    """The one line a failed unit gets for a bug: `internal error in checks: KeyError: 'x'`."""
    return f"internal error in {stage}: {type(exc).__name__}: {one_line(exc, 200)}"


def traceback_text(exc: BaseException) -> str:
    """The traceback of `exc`, for the log file and JSON log lines (never the terminal)."""
    import traceback

    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).rstrip()
