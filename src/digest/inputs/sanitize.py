"""One border for article values: what enters is valid Unicode that XML, HTML and strict JSON all accept.

Lone surrogates, C0 controls (but tab, newline, carriage return), U+FFFE/U+FFFF and NUL are refused by lxml and
strict parsers when pages and feeds are written, so they are removed here, once, for files and API objects alike.
Python values a script may put in `meta` (datetime, date, Decimal, sets) become JSON values; NaN and infinities are
dropped, and nesting is bounded so no later deep copy or serialiser recurses without end.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from decimal import Decimal

__all__ = ["MAX_DEPTH", "clean_text", "clean_value"]

#: how deep `meta` may nest; deeper values are cut (replaced by None)
MAX_DEPTH = 32
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean_text(value: str) -> str:
    """The string without the characters XML 1.0 and strict UTF-8 refuse (lone surrogates included)."""
    return _REFUSED.sub("", value) if _REFUSED.search(value) else value


def clean_value(value: object, depth: int = 0) -> object:
    """A JSON-safe copy of `value`: strings cleaned, non-finite numbers and over-deep nesting dropped (None)."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, str):
        return clean_text(value)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if isinstance(value, _dt.datetime | _dt.date | _dt.time):
        return value.isoformat()
    if isinstance(value, dict):
        return {clean_text(str(k)): clean_value(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [clean_value(v, depth + 1) for v in value]
    return clean_text(str(value))
