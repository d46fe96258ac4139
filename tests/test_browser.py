"""HTML digests in a real browser: markup from an article (title, text, file name) stays text, never runs, and
the newsroom page reads well at phone (390 px) and desktop (1280 px) widths.

Needs Chromium. Without it the tests skip, unless DIGEST_REQUIRE_BROWSER is set (CI sets it): then they fail,
so this is never silently untested there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from digest import Digester
from digest.config import load_config
from digest.output.editions import publish
from digest.output.labels import label
from digest.output.store import Store

SCRIPT = "<script>window.__pwned=1;document.title='PWNED'</script>"
IMG = "<img src=x onerror=\"document.title='PWNED'\">"
#: every element a digest page is made of; anything else came from an article
PAGE_TAGS = {"html", "head", "meta", "title", "style", "link", "body", "div", "header", "main", "h1", "p", "a",
             "article", "h2", "span", "bdi"}


def _chromium() -> str:
    for name in (os.environ.get("DIGEST_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        found = name and shutil.which(name)
        if found:
            return found
    if os.environ.get("DIGEST_REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail("DIGEST_REQUIRE_BROWSER is set but no Chromium was found (apt-get install chromium)")
    pytest.skip("no Chromium (apt-get install chromium); set DIGEST_REQUIRE_BROWSER=1 to make this a failure")


@pytest.fixture(scope="module")
def chromium() -> str:
    return _chromium()


def _dump_dom(chromium: str, page: Path, profile: Path) -> str:
    """The DOM after the page's scripts (if any) ran, as headless Chromium serializes it."""
    done = subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0 and "<html" in done.stdout, done.stderr[-2000:]
    return done.stdout


class _Dom(HTMLParser):
    """Tags with their attributes, the <title> text and the text of every <h2>."""

    def __init__(self, dom: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.title = ""
        self.headings: list[str] = []
        self.text: list[str] = []
        self._open: list[str] = []
        self.feed(dom)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))
        self._open.append(tag)
        if tag == "h2":
            self.headings.append("")

    def handle_endtag(self, tag):
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag):]

    def handle_data(self, data):
        self.text.append(data)
        if "title" in self._open:
            self.title += data
        if "h2" in self._open:
            self.headings[-1] += data


@pytest.fixture(scope="module")
def pages(chromium, models_root, tiny_config_file, tmp_path_factory):
    """A run on hostile articles: the extractive summarizer copies their sentences into the summaries."""
    inp = tmp_path_factory.mktemp("hostile-in")
    (inp / "attack.json").write_text(json.dumps({
        "id": "attack", "title": f"{SCRIPT} Budget vote",
        "text": f"The council {IMG} approved the budget {SCRIPT} on Tuesday after a long debate. The mayor said "
                f"the vote {SCRIPT} was historic. Workers {IMG} welcomed the decision.",
    }), encoding="utf-8")
    (inp / f"{IMG}.txt").write_text(f"{IMG} Port strike ends\n\nDock workers {SCRIPT} returned to work on Friday "
                                    f"after a week. The union {IMG} said the deal was fair.\n", encoding="utf-8")
    config = load_config(tiny_config_file, summary_model="extractive", targets=["de"])
    out = tmp_path_factory.mktemp("hostile-out")
    result = Digester(config, progress=False).run([inp], out)
    assert result.exit_code == 0, result.manifest
    records = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "articles").glob("*.json"))]
    hostile = [r for r in records if "<script>" in r["summaries"]["en"] or "<img" in r["summaries"]["en"]]
    assert len(records) == len(hostile) == 2  # the summaries themselves carry markup
    return out, records


def test_the_harness_sees_a_script_run(chromium, tmp_path):
    """Control: the same check on an unescaped page does see the injection, so a pass below means something."""
    page = tmp_path / "control.html"
    page.write_text(f"<!DOCTYPE html><html><head><title>Digest</title></head><body>{SCRIPT}{IMG}</body></html>",
                    encoding="utf-8")
    dom = _Dom(_dump_dom(chromium, page, tmp_path / "profile"))
    assert dom.title == "PWNED" and {"script", "img"} <= {tag for tag, _ in dom.tags}


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "de"])
def test_article_markup_is_text_in_the_browser(chromium, pages, lang, tmp_path):
    out, records = pages
    dom = _Dom(_dump_dom(chromium, out / f"digest.{lang}.html", tmp_path / "profile"))
    assert dom.title.startswith(label(lang, "heading") + " · ")
    assert {tag for tag, _ in dom.tags} <= PAGE_TAGS, dom.tags
    assert not [(tag, name) for tag, attrs in dom.tags for name, _ in attrs if name.lower().startswith("on")]
    # each page shows the headline in its own language (the German one comes from the tiny random-weight model)
    assert sorted(dom.headings) == sorted(" ".join(r["titles"][lang].split()) for r in records)
    if lang == "en":  # the extractive summaries copy the hostile markup: it must reach the reader as characters
        text = "".join(dom.text)
        assert SCRIPT in text and IMG in text
        assert all(" ".join(r["summaries"]["en"].split()) in " ".join(text.split()) for r in records)


# -- the newsroom page at phone and desktop widths ---------------------------------------------------------------

#: loads the page into a frame exactly `width` CSS px wide (headless windows are at least 500 px) and reports the
#: page's layout width, the frame's width and the number of stories into the title
_PROBE = ("<!DOCTYPE html><html><head><title>probe</title></head><body style='margin:0'>"
          "<iframe id='f' src='{src}' style='border:0;width:{width}px;height:1400px'></iframe><script>"
          "document.getElementById('f').addEventListener('load',()=>{{const w=document.getElementById('f')"
          ".contentWindow,e=w.document.documentElement;document.title=e.scrollWidth+'/'+w.innerWidth+'/'+"
          "w.document.querySelectorAll('article').length}})</script></body></html>")


def _chromium_at(chromium: str, width: int, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={profile}", f"--window-size={width},1400", *args],
        capture_output=True, text=True, timeout=90,
    )


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory):
    """The de and fr pages of one day's edition, made from records with the newsroom fields."""
    from datetime import datetime, timezone
    from types import SimpleNamespace

    from newsroom_records import records

    out = tmp_path_factory.mktemp("newsroom")
    store = Store(out)
    output = SimpleNamespace(edition="all", timezone="UTC", formats=["html", "email"])
    publish(store, records(), output, languages=["de", "fr"], now=datetime(2026, 11, 28, tzinfo=timezone.utc))
    return out


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("name", ["digest.de.html", "digest.fr.html", "digest.de.email.html"])
def test_the_page_fits_phone_and_desktop(chromium, newsroom, name, width, tmp_path):
    """No horizontal scrolling at either width (the 180-character token wraps); a screenshot of each is kept."""
    probe = newsroom / f"probe-{width}.html"
    probe.write_text(_PROBE.format(src=name, width=width), encoding="utf-8")
    dom = _Dom(_chromium_at(chromium, max(width, 500) + 100, tmp_path / "profile", "--allow-file-access-from-files",
                            "--dump-dom", probe.as_uri()).stdout)
    scroll, inner, articles = (int(x) for x in dom.title.split("/"))
    assert inner == width and articles == 4
    assert scroll <= width, f"{name} is {scroll} px wide in a {width} px window"
    shot = Path(os.environ.get("DIGEST_SCREENSHOTS", tmp_path)) / f"{name}.{width}.png"
    done = _chromium_at(chromium, width, tmp_path / "profile", f"--screenshot={shot}", (newsroom / name).as_uri())
    assert done.returncode == 0 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", done.stderr[-2000:]
    assert int.from_bytes(shot.read_bytes()[16:20], "big") == width


# -- pages in eight scripts ---------------------------------------------------------------------------------------

#: reads, inside the frame, what a reader's browser made of the page: its language and direction, the heading, each
#: story's headline direction and font, and the page width, as JSON into the title
_WORLD_PROBE = (
    "<!DOCTYPE html><html><head><title>probe</title></head><body style='margin:0'>"
    "<iframe id='f' src='{src}' style='border:0;width:{width}px;height:1400px'></iframe><script>"
    "document.getElementById('f').addEventListener('load',()=>{{const w=document.getElementById('f').contentWindow,"
    "d=w.document,e=d.documentElement,css=x=>w.getComputedStyle(x);document.title=JSON.stringify({{"
    "lang:e.lang,dir:css(d.body).direction,h1:d.querySelector('h1').textContent,head:d.querySelector('p.ui')"
    ".textContent,scroll:e.scrollWidth,inner:w.innerWidth,stories:[...d.querySelectorAll('article')].map(a=>{{"
    "const h=a.querySelector('h2');return {{lang:h.closest('[lang]').lang,dir:css(h).direction,font:css(h)"
    ".fontFamily,note:(a.querySelector('.note')||{{}}).textContent||null}}}})}})}})</script></body></html>")

WORLD = ["ar", "he", "ja", "zh-Hans", "zh-Hant", "ru", "hi", "th"]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Front pages in eight scripts, published from scripted records (tests/world_records.py)."""
    from datetime import datetime, timezone
    from types import SimpleNamespace

    from world_records import records

    out = tmp_path_factory.mktemp("world")
    for lang in WORLD:
        publish(Store(out / lang), records(lang), SimpleNamespace(edition="all", timezone="UTC", formats=["html"]),
                languages=[lang], now=datetime(2026, 11, 28, tzinfo=timezone.utc))
    return out


@pytest.mark.parametrize("lang", WORLD)
def test_pages_in_eight_scripts_read_in_their_language_and_direction(chromium, world, lang, tmp_path):
    """The DOM Chromium builds: <html lang>, the body's direction, heading and count in the language, the English
    story marked and laid out left to right, the Han variant of the page's language first, no sideways scroll."""
    from digest.output.labels import count, direction

    folder = world / lang
    width = 390
    (folder / "probe.html").write_text(_WORLD_PROBE.format(src=f"digest.{lang}.html", width=width), encoding="utf-8")
    done = _chromium_at(chromium, width + 200, tmp_path / "profile", "--allow-file-access-from-files", "--dump-dom",
                        (folder / "probe.html").as_uri())
    seen = json.loads(_Dom(done.stdout).title)
    assert seen["lang"] == lang and seen["dir"] == direction(lang)
    assert seen["h1"] == label(lang, "heading") and seen["head"] == f"{label(lang, 'latest')} · {count(lang, 3)}"
    assert seen["inner"] == width and seen["scroll"] <= width, f"{lang}: {seen['scroll']} px wide"
    own, english = seen["stories"][0], seen["stories"][-1]
    assert own["lang"] == lang and own["dir"] == direction(lang) and own["note"] is None
    assert english["lang"] == "en" and english["dir"] == "ltr" and english["note"].strip()
    assert "News digest" not in done.stdout and "stories" not in seen["head"]
    han = {"ja": "CJK JP", "zh-Hans": "CJK SC", "zh-Hant": "CJK TC"}
    if lang in han:
        assert han[lang] in own["font"] and "var(" not in own["font"], own["font"]  # resolved for its language
        assert not [v for v in han.values() if v != han[lang] and v in own["font"]], own["font"]
    shots = os.environ.get("DIGEST_SCREENSHOTS")
    if shots:  # for a person to look at: DIGEST_SCREENSHOTS=/tmp/shots pytest -k eight_scripts
        for size in (390, 1280):
            _chromium_at(chromium, size, tmp_path / "profile", f"--screenshot={Path(shots) / f'{lang}.{size}.png'}",
                         (folder / f"digest.{lang}.html").as_uri())
