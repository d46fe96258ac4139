"""The run publishes real pages: the news pages of tests/data/corpus and the Milley briefing, tiny models."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import pytest

from digest import Digester
from digest.config import load_config

CORPUS = Path(__file__).parent / "data" / "corpus"
#: newest first: the briefing has no date of its own (it arrived today), the pages carry theirs
ORDER = ["milley-briefing", "reuters.com.parasite", "dw.com.colonial", "nationalgeographic.co.uk.goats",
         "spiegel.de.albtraum"]


@pytest.fixture(scope="module")
def out(models_root, tiny_config_file, tmp_path_factory):
    inp = tmp_path_factory.mktemp("corpus")
    for page in (CORPUS / "html").glob("*.html"):
        shutil.copy(page, inp)
    shutil.copy(CORPUS / "milley-briefing.txt", inp)
    config = load_config(tiny_config_file, summary_model="extractive", targets=["de", "fr"],
                         **{"output.edition": "all", "output.formats": ["md", "html", "email"]})
    out = tmp_path_factory.mktemp("published")
    result = Digester(config, progress=False).run([inp], out)
    assert {e["id"] for e in result.manifest if e["status"] != "failed"} == set(ORDER), result.manifest
    return out


@pytest.mark.parametrize(("lang", "day", "outlets"), [  # Reuters' published date (its JSON-LD), not the modified 20th
    ("de", "19. Januar 2020", ["Reuters", "DW.COM", "National Geographic", "SPIEGEL ONLINE"]),
    ("fr", "19 janvier 2020", ["Reuters", "DW.COM", "National Geographic", "SPIEGEL ONLINE"]),
])
def test_the_edition_page_of_a_real_run(out, lang, day, outlets):
    page = (out / f"digest.{lang}.html").read_text(encoding="utf-8")
    assert re.findall(r'<article id="item-([^"]+)"', page) == ORDER
    for outlet in outlets:
        assert f'<bdi class="site">{outlet}</bdi>' in page
    assert '<a href="https://www.reuters.com/article/us-awards-sag-idUSKBN1ZI0EH" rel="noopener">' in page
    assert day in page and "Jill Serjeant" in page
    assert str(out.parent) not in page and "corpus" not in page and ".html ·" not in page  # no local path
    assert (out / "editions" / "all" / f"digest.{lang}.html").read_text(encoding="utf-8") != ""
    md = (out / f"digest.{lang}.md").read_text(encoding="utf-8")
    assert "corpus" not in md and day in md
    feed = feedparser.parse((out / f"feed.{lang}.atom").read_bytes())
    assert not feed.bozo and len(feed.entries) == len(ORDER)
    assert feed.entries[1].link == "https://www.reuters.com/article/us-awards-sag-idUSKBN1ZI0EH"


def test_the_index_lists_the_edition_per_language(out):
    index = (out / "index.html").read_text(encoding="utf-8")
    for lang in ("de", "en", "fr"):
        assert f'href="editions/all/digest.{lang}.html"' in index
    assert (out / "digest.de.email.html").exists()
