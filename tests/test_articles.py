"""Readers: every input format, the Milley cleaning, ids, and every bad input as a one-line Problem."""

from __future__ import annotations

import hashlib
import io
import json
import os
import time
from pathlib import Path

import pytest

from digest.inputs import discover
from digest.inputs.article import DEFAULT_MAX_BYTES, Article, Problem, ReadOptions
from digest.inputs.clean import DEFAULT_DROP_PATTERNS, clean_text
from digest.inputs.discover import SUPPORTED_SUFFIXES, read_articles, read_text_file
from digest.inputs.formats import parse_text
from digest.inputs.ids import safe_id

CORPUS = Path(__file__).parent / "data" / "corpus"
MILLEY = CORPUS / "milley-briefing.txt"
HTML = CORPUS / "html"
EN = ("The city council approved the new budget on Tuesday after a long debate about public transport, "
      "schools and the renovation of the old harbour district.")
DE = ("Der Stadtrat hat am Dienstag nach einer langen Debatte über den Nahverkehr, die Schulen und die "
      "Sanierung des alten Hafenviertels den neuen Haushalt beschlossen.")
FR = ("Le Sénat a adopté mercredi soir le projet de loi sur les retraites, après plusieurs semaines de "
      "débats tendus entre la majorité et l'opposition.")
FRENCH_PAGE = f"""<!doctype html><html lang="fr"><head><title>Le Sénat adopte la réforme | Le Journal</title>
<meta name="author" content="Marie Dupont"></head><body><nav><a href="/">Accueil</a></nav>
<article><h1>Le Sénat adopte la réforme des retraites</h1><p>{FR}</p>
<p>Le texte prévoit de repousser progressivement l'âge légal de départ de soixante-deux à soixante-quatre ans.</p>
<p>Les syndicats appellent à une nouvelle journée de mobilisation la semaine prochaine dans tout le pays.</p>
</article></body></html>"""


def read(*inputs: str | Path, stdin: io.IOBase | None = None, **options: object) -> list[Article | Problem]:
    return list(read_articles(list(inputs), ReadOptions(**options), stdin=stdin))


def one(path: str | Path, **options: object) -> Article | Problem:
    (result,) = read(path, **options)
    return result


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def problem(result: Article | Problem) -> Problem:
    assert isinstance(result, Problem), result
    assert result.reason and "\n" not in result.reason and result.source
    return result


# -- formats ------------------------------------------------------------------------------------------------


def test_txt_title_is_the_first_non_empty_line(tmp_path: Path) -> None:
    second = "Opposition councillors said they would challenge the harbour plans in court next month."
    article = one(write(tmp_path / "budget.txt", f"\n\n  Council passes budget  \n\n{EN}\n\n\n\n{second}\n"))
    assert isinstance(article, Article)
    assert (article.id, article.title, article.language) == ("budget", "Council passes budget", "en")
    assert article.text == f"{EN}\n\n{second}"
    assert article.source == str(tmp_path / "budget.txt")
    assert article.meta == {"format": "txt", "language_source": "detected"}


def test_md_heading_front_matter_and_setext(tmp_path: Path) -> None:
    md = one(write(tmp_path / "a.md", f"Kicker line\n\n## Haushalt beschlossen ##\n\n{DE}\n"))
    assert (md.title, md.text, md.language) == ("Haushalt beschlossen", f"Kicker line\n\n{DE}", "de")
    front = one(write(tmp_path / "b.md", f"---\ntitle: \"Front title\"\nid: fm-1\nlanguage: en-GB\n---\n{EN}\n"))
    assert (front.id, front.title, front.text, front.language) == ("fm-1", "Front title", EN, "en")
    setext = one(write(tmp_path / "c.md", f"Setext title\n============\n\n{EN}\n"))
    assert (setext.title, setext.text) == ("Setext title", EN)


MARKDOWN_STORY = """*By Jane Smith, Reuters*

![Lorries queue at the port](https://example.org/img/dover.jpg)

# Storm closes **Dover** port

Gale-force winds closed the [Port of Dover](https://www.doverport.co.uk/) on Tuesday, leaving
**2,000 lorries** queuing on the M20, the _Kent_ police said.

> "We have never seen queues like this," said `Doug Bannister`, the port's chief executive.

- Ferries to Calais were cancelled.
- Eurotunnel ran extra trains.
"""


def test_markdown_is_rendered_to_plain_text(tmp_path: Path) -> None:
    article = one(write(tmp_path / "dover.md", MARKDOWN_STORY))
    assert article.title == "Storm closes Dover port"
    assert article.text == (
        "Gale-force winds closed the Port of Dover on Tuesday, leaving 2,000 lorries queuing on the M20, the Kent "
        "police said.\n\n\"We have never seen queues like this,\" said Doug Bannister, the port's chief executive."
        "\n\nFerries to Calais were cancelled.\n\nEurotunnel ran extra trains.")
    assert not any(mark in article.text for mark in ("*", "_", "](", "http", "![", "Jane Smith"))


@pytest.mark.parametrize(
    ("name", "title", "language", "min_chars", "first_words"),
    [
        ("dw.com.colonial.html", "Berlin confronts Germany's colonial past", "en", 4000, "The German capital"),
        ("nationalgeographic.co.uk.goats.html", "Ravenous wild goats ruled this island", "en", 5000,
         "The rocky island of Redonda"),
        ("reuters.com.parasite.html", "'Parasite' scores historic upset at SAG awards", "en", 3000,
         "LOS ANGELES (Reuters)"),
        ("spiegel.de.albtraum.html", "Ein Albtraum", "de", 12000, "Der Reporter Claas Relotius"),
    ],
)
def test_real_html_pages(name: str, title: str, language: str, min_chars: int, first_words: str) -> None:
    article = one(HTML / name)
    assert isinstance(article, Article), article
    assert article.title.startswith(title)
    assert article.language == language and article.meta["language_source"] == "field"  # <html lang>, text agrees
    assert min_chars < len(article.text) < 20000
    assert article.text.startswith(first_words)  # natgeo repeats its headline: gone
    assert article.id == name.removesuffix(".html") and article.source == str(HTML / name)
    assert article.meta["format"] == "html" and article.meta["url"].startswith("https://")
    assert article.meta["date"].startswith("20")
    if name.startswith("spiegel"):  # its only author is the publisher ("SPIEGEL ONLINE, Hamburg, Germany")
        assert "author" not in article.meta and article.meta["sitename"] == "SPIEGEL ONLINE"
    else:
        assert article.meta["author"]


def test_the_french_page_is_a_javascript_shell_with_no_article_text() -> None:
    # lanouvellerepublique.fr renders its article client-side (AngularJS): the HTML has no text to extract
    result = problem(one(HTML / "lanouvellerepublique.fr.martin.html"))
    assert result.reason == "no article text found in HTML"


def test_french_html_article(tmp_path: Path) -> None:
    article = one(write(tmp_path / "sénat.htm", FRENCH_PAGE))
    assert (article.id, article.title, article.language) == ("sénat", "Le Sénat adopte la réforme des retraites", "fr")
    assert article.text.startswith(FR) and article.meta["author"] == "Marie Dupont"


def test_json_object_and_list(tmp_path: Path) -> None:
    obj = {"id": "a-1", "title": "Budget", "body": EN, "url": "https://x.test/a", "date": "2024-01-02",
           "author": "Jo", "language": "EN-us"}
    article = one(write(tmp_path / "one.json", json.dumps(obj)))
    assert (article.id, article.title, article.text, article.language) == ("a-1", "Budget", EN, "en")
    assert article.meta == {"format": "json", "url": "https://x.test/a", "date": "2024-01-02", "author": "Jo",
                            "language_source": "field"}
    items = read(write(tmp_path / "many.json", json.dumps([{"content": DE}, {"text": FR, "title": "T"}])))
    assert [(a.id, a.language, a.source) for a in items] == [
        ("many-1", "de", f"{tmp_path / 'many.json'}#1"), ("many-2", "fr", f"{tmp_path / 'many.json'}#2")]


HR = ("Gradsko vijeće u utorak je nakon duge rasprave o javnom prijevozu, školama i obnovi stare knjižnice "
      "izglasalo novi proračun. Gradonačelnik je rekao da će radovi početi na proljeće.")


def test_declared_language_wins_when_the_text_agrees(tmp_path: Path) -> None:
    """A close variant (Bosnian for a Croatian-looking text) or a text too short to say: the declaration wins.
    A text both detectors are sure is English is not German because a CMS says so; the declaration is kept."""
    article = one(write(tmp_path / "x.json", json.dumps({"text": HR, "language": "bs"})))
    assert article.language == "bs" and article.meta["language_source"] == "field"
    assert "language_alternatives" not in article.meta
    short = one(write(tmp_path / "s.json", json.dumps({"text": "Budget approved.", "language": "deu"})))
    assert short.language == "de" and short.meta["language_source"] == "field"
    wrong = one(write(tmp_path / "w.json", json.dumps({"text": EN, "language": "deu"})))
    assert wrong.language == "en" and wrong.meta["language_source"] == "detected over field"
    assert wrong.meta["language_declared"] == "de"
    zh_tw = one(write(tmp_path / "z.json", json.dumps({"text": "台北市政府今天宣布新的預算。市長表示將用於學校和道路。",
                                                       "language": "zh-TW"})))
    assert zh_tw.language == "zh-Hant" and zh_tw.meta["language_source"] == "field"
    garbage = one(write(tmp_path / "y.json", json.dumps({"text": EN, "language": "unknown"})))
    assert garbage.language == "en" and garbage.meta["language_source"] == "detected"


def test_without_a_declaration_close_variants_are_recorded(tmp_path: Path) -> None:
    article = one(write(tmp_path / "x.json", json.dumps({"text": HR})))
    assert article.language == "hr" and article.meta["language_source"] == "detected"
    assert set(article.meta["language_alternatives"]) <= {"bs", "sr"} and article.meta["language_alternatives"]


def test_a_page_declares_its_language_in_its_markup(tmp_path: Path) -> None:
    body = f"<body><article><h1>Proračun</h1><p>{HR}</p><p>{HR}</p></article></body>"
    og = '<html><head><meta property="og:locale" content="sr_Latn"></head>'
    for head, expected in (('<html lang="bs-BA">', "bs-Latn"), (og, "sr-Latn"), ("<html>", "hr")):
        article = one(write(tmp_path / "p.html", head + body + "</html>"))
        assert article.language == expected, head


def test_jsonl_good_lines_survive_bad_ones(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", "\n".join([
        json.dumps({"text": EN}), "", json.dumps({"id": "x", "text": DE}), '{"text": "broken', '"a string"',
        json.dumps({"title": "no text"}), json.dumps({"text": FR}),
    ]) + "\n")
    results = read(path)
    ok = [(r.id, r.source, r.language) for r in results if isinstance(r, Article)]
    assert ok == [("feed-1", f"{path}:1", "en"), ("x", f"{path}:3", "de"), ("feed-7", f"{path}:7", "fr")]
    bad = [(p.source, p.reason) for p in results if isinstance(p, Problem)]
    assert bad == [
        (f"{path}:4", "invalid JSON (Unterminated string starting at: column 10)"),
        (f"{path}:5", "JSON line is a string, not an object"),
        (f"{path}:6", "no text field (text, body or content)"),
    ]
    assert f"{Path(bad[0][0]).name}: {bad[0][1]}".startswith("feed.jsonl:4: invalid JSON (")


def test_text_field_as_list_of_paragraphs_and_non_string(tmp_path: Path) -> None:
    article = one(write(tmp_path / "p.json", json.dumps({"text": [EN, DE]})))
    assert article.text == f"{EN}\n\n{DE}"
    assert problem(one(write(tmp_path / "n.json", json.dumps({"text": 42})))).reason == (
        "text field is a number, not a string")


# -- cleaning -------------------------------------------------------------------------------------------------

BOILERPLATE = [
    "Smoke rising after strikes on Lviv, Ukraine. | Image by Getty Images", "Photo: AP", "Image credit: Reuters",
    "Photo by John Smith/Getty Images", "Protesters in Paris on Monday (Photo by Jane Doe/AFP via Getty Images)",
    "Credit: Reuters", "Support our non-profit journalism", "Submit a Comment", "Leave a reply",
    "Your email address will not be published. Required fields are marked *", "Share this article",
    "Share", "Tweet", "Email", "Sign up for our newsletter to get the latest news.", "Advertisement", "ANZEIGE",
    "Read more: Looted colonial art: Germany to set up new contact office", "Related: Five things to know",
    "We use cookies to improve your experience. By continuing you accept our cookie policy.",
    "Copyright 2020 Reuters. All rights reserved.", "© dpa", "Follow us on Twitter and Facebook", "12 Comments",
    "Skip to main content",
]
REAL = [
    "A top U.S. military officer alleges that he tried to reach out to his Russian counterpart.",
    "Photos by the dozen were taken at the scene.", "Share prices fell sharply on Monday.",
    "Readers support our journalism because it is independent, the editor said.",
    "The photo by Robert Capa became famous.", "Related companies also reported losses.",
    "Advertising revenue fell by 20% last year.", "Comments by the minister caused outrage.",
    "Copyright law in the EU is changing.", "Credit card debt rose again in March.",
    "Image rights are a contested field, lawyers say.", "Sign up now, the officials urged voters.",
]


def test_milley_briefing_is_cleaned() -> None:
    article = one(MILLEY)
    assert article.title == "Russia Reportedly Unreachable Following Poland Missile Strike"
    assert article.id == "milley-briefing" and article.language == "en"
    for boilerplate in ("Russia Reportedly Unreachable", "Image by Getty", "Support our non-profit journalism",
                        "Submit a Comment", "Your email address will not be published"):
        assert boilerplate not in article.text
    assert article.text.startswith("A top U.S. military officer alleges")
    assert "General Valery Gerasimov" in article.text and "\n\n\n" not in article.text
    assert article.text.endswith("which is unlikely.”")


def test_default_patterns_drop_boilerplate_but_keep_real_sentences() -> None:
    text = "\n".join(BOILERPLATE + REAL)
    assert clean_text(text, None, DEFAULT_DROP_PATTERNS).split("\n") == REAL


def test_clean_text_options() -> None:
    text = "Title Here\n\n\n\nBody one.\r\n  \r\nTITLE here.\nAcme Daily\nBody two."
    assert clean_text(text, "Title  here", []) == "Body one.\n\nAcme Daily\nBody two."
    assert clean_text(text, "Title here", [r"acme daily"], drop_repeated_title=False) == (
        "Title Here\n\nBody one.\n\nTITLE here.\nBody two.")
    assert clean_text("  \n\n ", None, DEFAULT_DROP_PATTERNS) == ""


def test_custom_drop_patterns_and_invalid_ones(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", f"Title\n{EN}\nMORE FROM ACME NEWS\n")
    assert one(path).text.endswith("ACME NEWS")
    assert one(path, drop_patterns=(*DEFAULT_DROP_PATTERNS, r"more from acme.*")).text == EN
    with pytest.raises(ValueError, match=r"invalid drop pattern '\(unclosed'"):
        ReadOptions(drop_patterns=("(unclosed",))


# -- ids ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("../../etc/passwd", "etc-passwd"), ("a/b", "a-b"), ("a\\b", "a-b"), ("..", "article"), ("", "article"),
     (".hidden", "hidden"), ("--x--", "x"), ("my article  2024", "my-article-2024"),
     ("Überraschung é", "Überraschung-é"), ("東京 ニュース", "東京-ニュース"), ("ｆｕｌｌ－ｗｉｄｔｈ", "full-width"),
     ("a\x00b\nc", "a-b-c"), ("con", "con_"), ("NUL.txt", "NUL_.txt"), ("story.v2", "story.v2"),
     ("C:\\Windows\\x", "C-Windows-x"), ("42", "42")],
)
def test_safe_id(raw: str, expected: str) -> None:
    assert safe_id(raw) == expected


def test_safe_id_long_ids_are_cut_with_a_hash() -> None:
    a, b = safe_id("x" * 300 + "a"), safe_id("x" * 300 + "b")
    assert a != b and len(a) == len(b) == 120 and a.startswith("x" * 100)
    assert safe_id("x" * 300 + "a") == a  # deterministic
    cjk = safe_id("東" * 200)
    assert len(cjk.encode("utf-8")) <= 200
    assert safe_id("y" * 120) == "y" * 120


def test_ids_and_their_originals(tmp_path: Path) -> None:
    article = one(write(tmp_path / "x.json", json.dumps({"id": "../../etc/passwd", "text": EN})))
    assert article.id == "etc-passwd" and article.meta["original_id"] == "../../etc/passwd"
    numeric = one(write(tmp_path / "y.json", json.dumps({"id": 17, "text": EN})))
    assert numeric.id == "17" and "original_id" not in numeric.meta


def test_duplicate_ids_first_wins(tmp_path: Path) -> None:
    first = write(tmp_path / "a.json", json.dumps({"id": "same", "text": EN}))
    second = write(tmp_path / "b.json", json.dumps({"id": "same", "text": DE}))
    results = read(tmp_path)
    assert isinstance(results[0], Article) and results[0].text == EN
    dup = problem(results[1])
    assert (dup.source, dup.id, dup.status) == (str(second), "same", "failed")
    assert dup.reason == f"duplicate id 'same' (already read from {first})"
    twice = read(first, first)
    assert isinstance(twice[0], Article) and "duplicate id 'same'" in problem(twice[1]).reason


# -- selection, folders, stdin --------------------------------------------------------------------------------


def test_folders_are_walked_sorted_with_include_and_exclude(tmp_path: Path) -> None:
    for name in ("b.txt", "a.md", "sub/c.txt", "sub/deeper/d.json", ".git/config.txt", "sub/.hidden.txt"):
        write(tmp_path / name, f"T\n{EN}" if not name.endswith(".json") else json.dumps({"text": EN}))
    assert [r.id for r in read(tmp_path)] == ["a", "b", "sub-c", "sub-deeper-d"]
    assert [r.id for r in read(tmp_path, include=("*.txt",))] == ["b", "sub-c"]
    assert [r.id for r in read(tmp_path, include=("sub/*",))] == ["sub-c", "sub-deeper-d"]
    assert [r.id for r in read(tmp_path, exclude=("sub/*",))] == ["a", "b"]
    assert [r.id for r in read(tmp_path, exclude=("*.md", "d.json"))] == ["b", "sub-c"]
    assert [r.id for r in read(tmp_path / "b.txt", exclude=("b.*",))] == []
    assert [r.id for r in read(tmp_path / "sub")] == ["c", "deeper-d"]


def test_an_earlier_runs_output_folder_inside_an_input_is_not_read(tmp_path: Path) -> None:
    write(tmp_path / "story.txt", f"T\n{EN}")
    for name in ("manifest.jsonl", "digest.en.html", "articles/story.json"):
        write(tmp_path / "old-out" / name, json.dumps({"id": "story", "text": EN}))
    results = read(tmp_path)
    assert [r.id for r in results if isinstance(r, Article)] == ["story"]
    (skipped,) = [r for r in results if isinstance(r, Problem)]
    assert (skipped.source, skipped.status) == (str(tmp_path / "old-out"), "skipped")


def test_same_file_name_in_different_folders_gets_distinct_ids(tmp_path: Path) -> None:
    for month in ("05", "06"):
        write(tmp_path / "2024" / month / "index.txt", f"T {month}\n{EN}")
    assert [(r.id, r.title) for r in read(tmp_path)] == [("2024-05-index", "T 05"), ("2024-06-index", "T 06")]
    assert [r.id for r in read(tmp_path / "2024" / "05" / "index.txt")] == ["index"]


def test_stdin_formats_are_sniffed() -> None:
    cases = {
        json.dumps({"title": "J", "text": EN}): [("stdin", "json")],
        json.dumps([{"text": EN}, {"text": DE}]): [("stdin-1", "json"), ("stdin-2", "json")],
        json.dumps({"text": EN}) + "\n" + json.dumps({"text": DE}) + "\n": [("stdin-1", "jsonl"), ("stdin-2", "jsonl")],
        FRENCH_PAGE: [("stdin", "html")],
        f"# Heading\n\n{EN}": [("stdin", "md")],
        f"Plain title\n{EN}": [("stdin", "txt")],
    }
    for content, expected in cases.items():
        for stream in (io.StringIO(content), io.BytesIO(content.encode("utf-8"))):
            results = read("-", stdin=stream)
            stem = "stdin-" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:10]  # unique per content
            expected_here = [(i.replace("stdin", stem, 1), fmt) for i, fmt in expected]
            assert [(a.id, a.meta["format"]) for a in results] == expected_here, content[:40]
    article = read("-", stdin=io.BytesIO(f"Café\n{FR}".encode("cp1252")))[0]
    assert article.title == "Café" and article.meta["encoding"] == "cp1252"


def test_stdin_mixed_with_files_and_bad_stdin(tmp_path: Path) -> None:
    results = read(write(tmp_path / "a.txt", f"A\n{EN}"), "-", stdin=io.StringIO(f"B\n{DE}"))
    assert [r.source for r in results] == [str(tmp_path / "a.txt"), "<stdin>"]
    assert results[0].id == "a" and results[1].id.startswith("stdin-")
    assert problem(read("-", stdin=io.StringIO("  \n"))[0]).reason == "empty input"
    assert problem(read("-", stdin=io.BytesIO(b"x" * 2000), max_bytes=1000)[0]).reason == (
        "input is over the 1.0 kB limit (input.max_bytes)")
    assert problem(read("-", stdin=io.StringIO("{not json"))[0]).reason.startswith("invalid JSON (")


def test_parse_text_for_api_users() -> None:
    (article,) = parse_text(f"Headline\n{EN}", source="<api>", fallback_id="my story", fmt="txt")
    assert (article.id, article.title, article.source) == ("my-story", "Headline", "<api>")
    assert problem(parse_text("", source="<api>", fallback_id="x", fmt="json")[0]).reason == "empty input"
    with pytest.raises(ValueError, match="unknown format 'pdf'"):
        parse_text("x", source="<api>", fallback_id="x", fmt="pdf")


def test_language_fallback_when_detection_is_unsure(tmp_path: Path) -> None:
    path = write(tmp_path / "short.txt", "Title\nOK 123 !!!\n")
    assert one(path).language is None and "language_source" not in one(path).meta
    fallback = one(path, language="de-DE")
    assert fallback.language == "de" and fallback.meta["language_source"] == "fallback"


# -- bad inputs ------------------------------------------------------------------------------------------------


def test_nonexistent_path(tmp_path: Path) -> None:
    result = problem(one(tmp_path / "missing.txt"))
    assert (result.source, result.reason) == (str(tmp_path / "missing.txt"), "no such file or directory")


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty file"), (b"  \n\t\r\n  ", "empty file"), ("  \n ".encode("utf-16"), "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 8, "binary file, not text"),
    (b"Only a title line\n", "only a title, no article text"),
    (b"Title\n\nAdvertisement\n\nShare this article\n", "no text left after cleaning"),
])
def test_bad_txt_contents(tmp_path: Path, content: bytes, reason: str) -> None:
    assert problem(one(write(tmp_path / "bad.txt", content))).reason == reason


@pytest.mark.parametrize("line", [
    "The council approved a budget of 3 million dollars on Tuesday after a long debate.",
    " ".join(["word"] * 30),
    "The council approved the budget.",
])
def test_a_lone_line_of_prose_is_the_text_not_a_title(tmp_path: Path, line: str) -> None:
    article = one(write(tmp_path / "one.txt", f"{line}\n".encode()))
    assert (article.title, article.text) == ("", line)


def test_legacy_encodings_are_decoded(tmp_path: Path) -> None:
    cp1252 = one(write(tmp_path / "cp.txt", f"café – naïve\n{FR}".encode("cp1252")))
    assert cp1252.title == "café – naïve" and cp1252.text == FR and cp1252.meta["encoding"] == "cp1252"
    latin1 = one(write(tmp_path / "l1.txt", f"Überblick\n{DE}".encode("latin-1")))
    assert latin1.title == "Überblick" and latin1.text == DE
    utf16 = one(write(tmp_path / "u16.txt", f"Titre été\n{FR}".encode("utf-16")))
    assert utf16.title == "Titre été" and utf16.text == FR and utf16.language == "fr"
    bom = one(write(tmp_path / "bom.json", "\ufeff" + json.dumps({"text": EN}, ensure_ascii=False)))
    assert bom.text == EN


def test_big_file_is_refused_without_reading_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(20_000_000)  # sparse: cheap
    monkeypatch.setattr(discover, "open", lambda *a, **k: pytest.fail("the big file was opened"), raising=False)
    assert problem(one(path)).reason == "file is 20.0 MB, over the 5.0 MB limit (input.max_bytes)"
    assert DEFAULT_MAX_BYTES == 5_000_000
    small = write(tmp_path / "small.txt", "T\n" + "word " * 400)
    assert problem(one(small, max_bytes=1000)).reason == "file is 2.0 kB, over the 1.0 kB limit (input.max_bytes)"


def test_html_without_article_text(tmp_path: Path) -> None:
    shell = ("<html><head><title>Shell</title></head>"
             "<body><nav><a href='/'>Home</a></nav><div id=app></div></body></html>")
    assert problem(one(write(tmp_path / "shell.html", shell))).reason == "no article text found in HTML"


@pytest.mark.parametrize(("content", "reason"), [
    ('{"text": "a",\n  "title": }', "invalid JSON (Expecting value: line 2 column 12)"),
    ("[1, 2", "invalid JSON (Expecting ',' delimiter: line 1 column 6)"),
    (json.dumps({"title": "t", "url": "u"}), "no text field (text, body or content)"),
    (json.dumps("just a string"), "JSON is a string, not an article object or a list of objects"),
    ("42", "JSON is a number, not an article object or a list of objects"),
    ("[]", "empty JSON list, no articles"),
    (json.dumps({"text": "   "}), "no text left after cleaning"),
])
def test_bad_json(tmp_path: Path, content: str, reason: str) -> None:
    assert problem(one(write(tmp_path / "bad.json", content))).reason == reason


def test_json_list_with_a_non_object_item(tmp_path: Path) -> None:
    path = write(tmp_path / "list.json", json.dumps([{"text": EN}, 7, {"text": DE}]))
    results = read(path)
    assert [r.id for r in results if isinstance(r, Article)] == ["list-1", "list-3"]
    assert (problem(results[1]).source, results[1].reason) == (f"{path}#2", "JSON item is a number, not an object")


def test_unsupported_extension_is_skipped(tmp_path: Path) -> None:
    for name in ("photo.PNG", "notes.docx", "README"):
        write(tmp_path / name, b"whatever")
    results = [problem(r) for r in read(tmp_path)]
    assert [(Path(r.source).name, r.reason, r.status) for r in results] == [
        ("README", "unsupported file type (no extension)", "skipped"),
        ("notes.docx", "unsupported file type .docx", "skipped"),
        ("photo.PNG", "unsupported file type .png", "skipped"),
    ]
    assert ".jsonl" in SUPPORTED_SUFFIXES


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "locked.txt", f"T\n{EN}")

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(discover, "open", denied, raising=False)  # chmod 000 does not stop root
    assert problem(one(path)).reason == "cannot read: permission denied"


def test_other_os_errors_and_special_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert problem(one(fifo)).reason == "not a regular file"  # would block forever if opened
    path = write(tmp_path / "io.txt", f"T\n{EN}")

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(discover, "open", broken, raising=False)
    assert problem(one(path)).reason == "cannot read: input/output error"


def test_symlink_loop_and_broken_links_do_not_hang(tmp_path: Path) -> None:
    root = tmp_path / "in"
    write(root / "good.txt", f"Good\n{EN}")
    (root / "loop").symlink_to(root, target_is_directory=True)
    (root / "sub").mkdir()
    (root / "sub" / "back").symlink_to("..", target_is_directory=True)
    (root / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (root / "self.txt").symlink_to(root / "self.txt")
    (root / "alias.txt").symlink_to(root / "good.txt")
    started = time.monotonic()
    results = read(root)
    assert time.monotonic() - started < 5
    summary = [(Path(r.source).name, getattr(r, "reason", "ok")) for r in results]
    assert summary == [
        ("loop", "symbolic link to a folder, not followed"),
        ("alias.txt", "ok"),
        ("dangling.txt", "broken symbolic link"),
        ("good.txt", "ok"),
        ("self.txt", "broken symbolic link"),
        ("back", "symbolic link to a folder, not followed"),
    ]
    assert problem(one(tmp_path / "in" / "dangling.txt")).reason == "broken symbolic link"


def test_file_names_with_spaces_and_non_ascii(tmp_path: Path) -> None:
    article = one(write(tmp_path / "Rapport été 2024 (final).txt", f"Titre\n{FR}"))
    assert article.id == "Rapport-été-2024-final" and article.language == "fr"
    raw_name = os.fsencode(tmp_path) + b"/caf\xe9.txt"  # not UTF-8: a Latin-1 file name
    with open(raw_name, "wb") as handle:
        handle.write(f"T\n{EN}".encode())
    (result,) = [r for r in read(tmp_path) if "caf" in r.source]
    assert isinstance(result, Article) and result.source.endswith("caf\ufffd.txt")
    result.source.encode("utf-8")  # printable and writable to the manifest


def test_one_bad_input_never_stops_the_others(tmp_path: Path) -> None:
    write(tmp_path / "1-good.txt", f"One\n{EN}")
    write(tmp_path / "2-empty.txt", b"")
    write(tmp_path / "3-binary.txt", b"\x00\x01\x02" * 100)
    write(tmp_path / "4-bad.json", "{")
    write(tmp_path / "5-shell.html", "<html><body></body></html>")
    write(tmp_path / "6-good.json", json.dumps({"text": DE}))
    results = read(tmp_path / "missing", tmp_path)
    assert [type(r).__name__ for r in results] == ["Problem", "Article", *["Problem"] * 4, "Article"]
    for result in results:
        if isinstance(result, Problem):
            problem(result)


def test_read_text_file(tmp_path: Path) -> None:
    assert read_text_file(write(tmp_path / "a.txt", "café".encode("cp1252"))) == "café"
    with pytest.raises(ValueError, match="binary file, not text"):
        read_text_file(write(tmp_path / "b.txt", b"\x00\x01"))
    with pytest.raises(ValueError, match="no such file"):
        read_text_file(tmp_path / "missing.txt")


def test_api_conveniences_and_rare_failures(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "a.txt", f"A\n{EN}")
    assert [r.id for r in read_articles(str(path))] == ["a"]  # one path, not a list: not read letter by letter
    monkeypatch.setattr("sys.stdin", None)  # cron with stdin closed
    assert problem(read("-")[0]).reason == "no standard input to read"
    import trafilatura

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("lxml\nexploded")

    monkeypatch.setattr(trafilatura, "bare_extraction", boom)
    assert problem(one(HTML / "dw.com.colonial.html")).reason == "cannot parse HTML: RuntimeError: lxml exploded"
