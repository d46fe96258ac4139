"""Reading an article out of HTML: related-story link lists out, embedded tweets kept, a short precise reading
checked against the recall-mode one."""

from __future__ import annotations

from digest.inputs.html import _longer_prose, drop_link_runs, read_html

PARAGRAPHS = [
    "The city council approved the new budget on Tuesday after a debate that lasted well into the night.",
    "Schools will receive an extra four million euros, most of it for repairs to buildings older than fifty years.",
    "The opposition said the plan left too little for roads, and promised to raise the matter again in spring.",
    "The mayor said the vote showed that the council could still agree on the things that matter most to people.",
]


def page(article: str) -> str:
    return ("<html><head><title>Budget passes</title></head><body><nav><a href='/'>Home</a> <a href='/news'>News</a>"
            f"</nav><article><h1>Budget passes</h1>{article}</article><footer>Contact us</footer></body></html>")


def test_a_run_of_links_to_other_stories_goes_and_the_article_stays() -> None:
    related = "".join(f"<li><a href='/story/{n}'>{title}</a></li>" for n, title in enumerate([
        "Mayor opens the new bridge over the river", "Ten things to know about the city budget",
        "Teachers strike for a second day in the north"]))
    html = page("".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]) + f"<ul>{related}</ul>"
                + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:]))
    record = read_html(html)
    assert isinstance(record, dict)
    assert record["text"].split("\n\n") == ["Budget passes", *PARAGRAPHS]


def test_a_single_linked_line_and_a_list_of_plain_items_stay() -> None:
    lines = ["Click for the full results of the state meet", "Green tea without sugar", "Oatmeal with blueberries",
             "A boiled egg and a slice of toast"]
    links = {"click for the full results of the state meet"}
    assert drop_link_runs(lines, links) == lines
    links |= {"oatmeal with blueberries", "a boiled egg and a slice of toast"}
    assert drop_link_runs(lines, links) == lines[:2]


def test_an_embedded_tweet_survives_its_social_media_wrapper() -> None:
    tweet = ("<div class='social-media-embed'><blockquote class='twitter-tweet'><p lang='en'>Yes this is real and "
             "the council spent half a million on it <a href='https://t.co/abc'>https://t.co/abc</a></p>&mdash; Jane "
             "Doe (@janedoe) <a href='https://twitter.com/janedoe/status/1'>November 18, 2019</a></blockquote>"
             "<script async src='https://platform.twitter.com/widgets.js'></script></div>")
    html = page("".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2]) + tweet
                + "".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:]))
    record = read_html(html)
    assert isinstance(record, dict)
    assert "Yes this is real and the council spent half a million on it" in record["text"]
    assert "(@janedoe)" in record["text"]


def test_a_short_precise_reading_gives_way_to_recall_mode_prose_only() -> None:
    precise = {"title": "Budget passes", "text": "The council chamber on Tuesday. Photo: City Hall"}
    prose = {"title": "Budget passes", "text": "\n".join(PARAGRAPHS)}
    assert _longer_prose(precise, prose)["text"] == prose["text"]
    assert _longer_prose(precise, prose)["title"] == "Budget passes"
    template = {"text": "\n".join(['{{ctrl.content.status === "published" ? "Contenu publié" : "En attente"}}',
                                   "{{ctrl.content.title}}", "{{ctrl.content.chapo}}"] * 5)}
    assert _longer_prose(precise, template) is precise  # template code is no article
    menu = {"text": "\n".join(["Home", "News", "Sport", "Weather", "Contact", "About us"] * 20)}
    assert _longer_prose(precise, menu) is precise


def test_html_that_holds_no_article_is_one_reason() -> None:
    assert read_html("<html><body><div><script>var x = 1;</script></div></body></html>") == (
        "no article text found in HTML")
