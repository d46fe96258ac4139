"""Stable, file-name-safe article ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_MAX_ID_CHARS, _MAX_ID_BYTES, _HASH_CHARS = 120, 200, 8
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}


def safe_id(raw: str) -> str:
    """A file-name-safe id on every OS, deterministic, never empty, hidden or able to leave a folder.

    NFKC; unicode letters, marks and digits, `-`, `_` and `.` are kept, anything else (slashes,
    spaces, control characters) becomes `-`; runs of `-` collapse; leading/trailing dots and dashes go
    (`../../etc/passwd` -> `etc-passwd`, `..` -> `article`). Windows device names get a `_` (`con` ->
    `con_`). Ids longer than 120 characters or 200 UTF-8 bytes are cut and end in `-` plus 8 hex of
    the SHA-1 of the original, so distinct long ids stay distinct. Short ids get no hash: two ids that
    clean to the same string show up as a duplicate-id problem, never as a silent overwrite.
    """
    text = unicodedata.normalize("NFKC", str(raw))
    text = "".join(ch if ch in "-_." or unicodedata.category(ch)[0] in "LMN" else "-" for ch in text)
    text = re.sub(r"-{2,}", "-", text).strip(".-") or "article"
    base, dot, rest = text.partition(".")
    if base.upper() in _WINDOWS_RESERVED:
        text = f"{base}_{dot}{rest}"
    if len(text) > _MAX_ID_CHARS or len(text.encode("utf-8")) > _MAX_ID_BYTES:
        digest = hashlib.sha1(str(raw).encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]
        cut = text[: _MAX_ID_CHARS - _HASH_CHARS - 1]
        while len(cut.encode("utf-8")) > _MAX_ID_BYTES - _HASH_CHARS - 1:
            cut = cut[:-1]
        text = f"{cut.rstrip('.-')}-{digest}"
    return text
