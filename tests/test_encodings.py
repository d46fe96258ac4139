"""Legacy-encoded news files (cp1252, latin-1, cp1250, UTF-16) must read exactly as written, never as mojibake.

tests/data/encodings holds real-looking articles in several languages, each next to its UTF-8 original
(`NAME.expected`); a short cp1252 file is the case charset-normalizer alone reads as mac_latin2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from digest.inputs.article import Article
from digest.inputs.discover import read_articles
from digest.nlp.text import decode_bytes

DATA = Path(__file__).parent / "data" / "encodings"
FILES = sorted(DATA.glob("*.txt"))
MOJIBAKE = ("ť", "Ų", "ď", "Ē", "Ä2", "Ã", "â€", "ø", "ì", "õ", "û", "³", "¿", "¹")


def expected(path: Path) -> str:
    return (path.parent / (path.name + ".expected")).read_text(encoding="utf-8")


def test_the_corpus_covers_every_legacy_family() -> None:
    kinds = {path.name.split(".")[1] for path in FILES}
    assert {"cp1252", "latin1", "cp1250", "utf16", "utf16be"} <= kinds and len(FILES) >= 10


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_each_file_decodes_to_its_original(path: Path) -> None:
    text, encoding = decode_bytes(path.read_bytes())
    assert text.lstrip("\ufeff") == expected(path), encoding
    family = path.name.split(".")[1]
    allowed = {"cp1252": {"cp1252"}, "latin1": {"cp1252", "latin_1"}, "cp1250": {"cp1250"},
               "utf16": {"utf-16"}, "utf16be": {"utf-16"}}[family]
    assert encoding in allowed


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_articles_from_legacy_files_carry_no_mojibake(path: Path) -> None:
    (article,) = read_articles([path])
    assert isinstance(article, Article), article
    original = expected(path)
    assert article.title == original.splitlines()[0]
    assert " ".join(article.text.split()) in " ".join(original.split())
    for bad in MOJIBAKE:
        assert (bad in article.title + article.text) == (bad in original), bad


def test_the_issue_example_is_not_mac_latin2() -> None:
    raw = "Café owners in Köln\n\n“It’s unfair,” said one owner of the €2,000 levy.\n".encode("cp1252")
    assert decode_bytes(raw) == (raw.decode("cp1252"), "cp1252")
