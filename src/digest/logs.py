"""Log lines: human ones on stderr, or JSON lines for log shippers, optionally also into a file."""

from __future__ import annotations

import json
import logging
import sys

log = logging.getLogger("digest")


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps({"time": self.formatTime(record), "level": record.levelname.lower(),
                           "message": record.getMessage()}, ensure_ascii=False)


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
        handler.setFormatter(_JsonFormatter() if log_format == "json" else logging.Formatter(
            "%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
