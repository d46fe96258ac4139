"""One border for every value an article brings in: text that every output can hold, values every output can write.

Why here: records, Markdown, HTML, Atom (lxml refuses C0 controls) and strict JSON parsers (no NaN) all read
what an Article carries, and a value one of them refuses used to stop every page of every later run. So each
field is made safe once, when the Article is built, whether a reader or a script built it.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

#: characters XML 1.0 refuses (C0 controls but tab, newline and carriage return; U+FFFE, U+FFFF) and lone
#: surrogates, which no UTF-8 encoder writes
_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: how deep a metadata value may nest (JSON from the wild can nest 100,000 deep)
MAX_DEPTH = 32
#: the largest number kept in metadata: beyond it a number is no date, count or price
MAX_NUMBER = 10**15


def clean_text(text: str) -> str:
    """`text` without the characters XML and UTF-8 refuse (a lone surrogate or a control character)."""
    return _REFUSED.sub("", text) if _REFUSED.search(text) else text


def clean_value(value: Any, depth: int = 0) -> Any:
    """A metadata value every output can write: strings cleaned, dates as ISO-8601 text, non-finite and huge
    numbers dropped (None), nesting past MAX_DEPTH dropped, anything else as its text."""
    if depth > MAX_DEPTH:
        return None
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, int):
        return value if abs(value) <= MAX_NUMBER else None
    if isinstance(value, float):
        return value if math.isfinite(value) and abs(value) <= MAX_NUMBER else None
    if isinstance(value, datetime | date | time):  # a naive time stays naive: no offset is invented
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() and abs(value) <= MAX_NUMBER else None
    if isinstance(value, dict):
        return {clean_text(str(key)): clean_value(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [clean_value(item, depth + 1) for item in value]
    return clean_text(str(value))


def clean_text_field(value: Any) -> str | None:
    """A one-value text field (url, site, date, author): a string, a date as ISO-8601, else None."""
    cleaned = clean_value(value)
    if isinstance(cleaned, list):
        cleaned = ", ".join(item for item in cleaned if isinstance(item, str) and item.strip())
    return cleaned if isinstance(cleaned, str) and cleaned.strip() else None
