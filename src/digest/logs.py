"""Log lines: human ones on stderr, or JSON lines for log shippers, optionally also into a file."""

from __future__ import annotations

import json
import logging
import re
import sys
from datetime import datetime, timezone

log = logging.getLogger("digest")


#: per-article fields a log line may carry (`log.warning(..., extra={"article": id, "source": path})`)
FIELDS = ("article", "source", "status", "traceback")


#: characters that would end, rewrite or reorder a terminal line: C0 and C1 controls (newline, CR, ESC…), DEL,
#: the line and paragraph separators and the bidi overrides
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """`text` with every such character written as its escape (`\\n`, `\\x1b`, `\\u2028`), as repr() does: a file
    named "a\\ndigest: 99 ok" cannot forge a line of a human log or a terminal."""
    return _UNPRINTABLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


class _HumanFormatter(logging.Formatter):
    """Human lines, one per message: whatever a message quotes (a file name, a reason) is made `printable`."""

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 - logging's name
        return printable(super().formatMessage(record))


class _FileFormatter(_HumanFormatter):
    """The log file's lines: time, level, message, then the traceback of an internal error (a developer's)."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        trace = getattr(record, "traceback", None)
        return f"{line}\n{trace}" if trace else line


class _JsonFormatter(logging.Formatter):
    """One JSON object per line: ISO-8601 UTC time, level, message, and the article's fields when it has them,
    so a log shipper can filter by article without parsing the message."""

    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds")
        data = {"time": when.replace("+00:00", "Z"), "level": record.levelname.lower(), "message": record.getMessage()}
        data.update({key: getattr(record, key) for key in FIELDS if getattr(record, key, None) is not None})
        return json.dumps(data, ensure_ascii=False)


def setup_logging(quiet: bool = False, log_format: str = "human", log_file: str | None = None) -> None:
    """Human lines (or JSON lines for log shippers) on stderr, optionally also into a file."""
    formatter = _JsonFormatter() if log_format == "json" else _HumanFormatter("digest: %(message)s")
    log.handlers.clear()
    log.propagate = False
    log.setLevel(logging.INFO)
    stderr = logging.StreamHandler(sys.stderr)
    stderr.setLevel(logging.WARNING if quiet else logging.INFO)
    stderr.setFormatter(formatter)
    log.addHandler(stderr)
    if log_file:
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(_JsonFormatter() if log_format == "json" else _FileFormatter(
            "%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
