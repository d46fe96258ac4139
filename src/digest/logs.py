"""Log lines: human ones on stderr, or JSON lines for log shippers, optionally also into a file."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

log = logging.getLogger("digest")


#: per-article fields a log line may carry (`log.warning(..., extra={"article": id, "source": path})`)
FIELDS = ("article", "source", "status", "traceback")


class _FileFormatter(logging.Formatter):
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
    formatter = _JsonFormatter() if log_format == "json" else logging.Formatter("digest: %(message)s")
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
