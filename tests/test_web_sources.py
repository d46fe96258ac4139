"""Web sources against loopback servers only: feeds, sitemaps, home pages, politeness and failures."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from webserver import Site, article_page, html, rss, serve, with_etag

from digest.inputs.article import Article, Problem, ReadOptions
from digest.sources import read_web
from digest.sources.fetch import USER_AGENT, FetchSettings

FAST = FetchSettings(delay=0.0, timeout=2.0, retries=2)


@pytest.fixture()
def site():
    s = Site()
    server, base = serve(s)
    s.base = base  # type: ignore[attr-defined]
    yield s
    server.shutdown()
    server.server_close()


def _read(urls, settings=FAST, state_dir=None, options=None):
    return list(read_web(urls, options or ReadOptions(), settings, state_dir))


def _articles(items):
    return [i for i in items if isinstance(i, Article)]


def _problems(items):
    return {p.source: p.reason for p in items if isinstance(p, Problem)}


def test_rss_feed_items_become_articles_with_the_feeds_metadata(site):
    b = site.base
    site.routes["/feed.xml"] = rss(b, [("/a.html", "Sea wall repairs", "Tue, 01 Dec 2026 08:00:00 GMT"),
                                       ("/b.html", "Budget vote", "Mon, 30 Nov 2026 10:00:00 GMT")])
    site.routes["/a.html"] = html(article_page("Sea wall repairs"))
    site.routes["/b.html"] = html(article_page("Budget vote", date="2026-11-29"))
    items = _read([f"{b}/feed.xml"])
    arts = {a.meta["url"]: a for a in _articles(items)}
    assert set(arts) == {f"{b}/a.html", f"{b}/b.html"}, _problems(items)
    a = arts[f"{b}/a.html"]
    assert a.title == "Sea wall repairs" and "sea wall" in a.text
    assert a.meta["date"].startswith("Tue, 01 Dec 2026") or a.meta["date"].startswith("2026-12-01")
    assert a.meta["sitename"] == "Harbour News" and a.language == "en"
    assert "Jane Roe" in a.meta["author"]
    assert arts[f"{b}/b.html"].meta["date"].startswith("2026-11-29")  # the page's own date wins
    assert a.id == "127.0.0.1-a"
    assert all(headers.get("User-Agent") == USER_AGENT for _, _, headers in site.log)
    assert site.paths()[0] == "/robots.txt" and site.paths().count("/robots.txt") == 1  # cached per host


def test_the_feeds_date_wins_over_one_read_off_the_pages_text(site):
    """A page whose markup has no date but a "© 2025" footer: htmldate's text search reads 2025-01-01, a guess that
    must not replace the feed's pubDate. A date in the page's markup still wins over the feed's."""
    b = site.base
    site.routes["/feed.xml"] = rss(b, [("/a.html", "Sea wall repairs", "Tue, 01 Dec 2026 08:00:00 GMT"),
                                       ("/b.html", "Budget vote", "Mon, 30 Nov 2026 10:00:00 GMT")])
    site.routes["/a.html"] = html(article_page("Sea wall repairs").replace(b"Contact us", "© 2025".encode()))
    site.routes["/b.html"] = html(article_page("Budget vote", date="2026-11-29").replace(b"Contact us", b"(c) 2025"))
    arts = {a.meta["url"]: a for a in _articles(_read([f"{b}/feed.xml"]))}
    guessed = arts[f"{b}/a.html"].meta
    assert guessed["date"].startswith(("Tue, 01 Dec 2026", "2026-12-01")) and "date_source" not in guessed
    assert arts[f"{b}/b.html"].meta["date"].startswith("2026-11-29")


def test_a_date_read_off_the_text_says_so():
    from digest.inputs.html import read_html

    page = article_page("Sea wall repairs").replace(b"Contact us", "© 2025".encode()).decode()
    record = read_html(page)
    assert isinstance(record, dict) and record["date"] == "2025-01-01" and record["date_source"] == "text"
    marked = read_html(article_page("Budget vote", date="2026-11-29").decode())
    assert isinstance(marked, dict) and marked["date"].startswith("2026-11-29") and marked["date_source"] is None


def test_atom_and_json_feeds(site):
    b = site.base
    site.routes["/atom"] = (200, {"Content-Type": "application/atom+xml"}, (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Site</title>'
        f'<entry><title>One</title><link href="{b}/one"/><published>2026-11-30T09:00:00Z</published>'
        "<updated>2026-12-01T09:00:00Z</updated><author><name>Ann Lee</name></author></entry></feed>").encode())
    site.routes["/feed.json"] = (200, {"Content-Type": "application/feed+json"}, json.dumps({
        "version": "https://jsonfeed.org/version/1.1", "title": "JSON Site",
        "items": [{"id": "2", "url": f"{b}/two", "title": "Two"}]}).encode())
    site.routes["/one"] = html(article_page("One"))
    site.routes["/two"] = html(article_page("Two"))
    arts = {a.meta["url"]: a for a in _articles(_read([f"{b}/atom", f"{b}/feed.json"]))}
    assert set(arts) == {f"{b}/one", f"{b}/two"}
    assert arts[f"{b}/one"].meta["date"] == "2026-11-30T09:00:00Z"  # published over updated
    assert arts[f"{b}/one"].meta["author"] == "Ann Lee"


def test_sitemap_index_to_news_sitemap_to_articles(site):
    b = site.base
    site.routes["/sitemap.xml"] = (200, {"Content-Type": "application/xml"}, (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{b}/news-sitemap.xml</loc></sitemap></sitemapindex>").encode())
    site.routes["/news-sitemap.xml"] = (200, {"Content-Type": "application/xml", "X-Gzip": "1"}, (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{b}/2026/12/storm.html</loc><news:news><news:publication><news:name>Coast Daily</news:name>"
        "<news:language>en</news:language></news:publication>"
        "<news:publication_date>2026-12-01T06:30:00+01:00</news:publication_date>"
        "<news:title>Storm hits coast</news:title></news:news></url></urlset>").encode())
    site.routes["/2026/12/storm.html"] = html(article_page("Storm hits coast"))
    (art,) = _articles(_read([f"{b}/sitemap.xml"]))
    assert art.meta["date"] == "2026-12-01T06:30:00+01:00" and art.meta["sitename"] == "Coast Daily"
    assert art.id == "127.0.0.1-2026-12-storm"
    gz = next(h for p, _, h in site.log if p == "/news-sitemap.xml")
    assert "gzip" in gz.get("Accept-Encoding", "")


def test_home_page_is_read_through_its_advertised_feed(site):
    b = site.base
    site.routes["/"] = html(b'<!doctype html><html><head><title>Home</title>'
                            b'<link rel="alternate" type="application/rss+xml" href="/rss"></head>'
                            b"<body><a href='/x.html'>x</a></body></html>")
    site.routes["/rss"] = rss(b, [("/x.html", "X marks", "Tue, 01 Dec 2026 08:00:00 GMT")])
    site.routes["/x.html"] = html(article_page("X marks"))
    (art,) = _articles(_read([f"{b}/"]))
    assert art.meta["url"] == f"{b}/x.html"


def test_single_article_url(site):
    site.routes["/story"] = html(article_page("Lone story"))
    (art,) = _read([f"{site.base}/story"])
    assert isinstance(art, Article) and art.title == "Lone story"


def test_robots_disallow_is_obeyed(site):
    b = site.base
    site.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
    site.routes["/feed.xml"] = rss(b, [("/private/a.html", "Secret", "Tue, 01 Dec 2026 08:00:00 GMT"),
                                       ("/open.html", "Open", "Tue, 01 Dec 2026 08:00:00 GMT")])
    site.routes["/open.html"] = html(article_page("Open"))
    site.routes["/private/a.html"] = html(article_page("Secret"))
    items = _read([f"{b}/feed.xml"])
    assert _problems(items) == {f"{b}/private/a.html": "disallowed by robots.txt"}
    assert "/private/a.html" not in site.paths()


def test_429_is_retried_after_its_retry_after(site):
    calls = []

    def busy(handler):
        calls.append(time.monotonic())
        if len(calls) == 1:
            return (429, {"Retry-After": "1"}, b"slow down")
        return html(article_page("Patience"))

    site.routes["/busy"] = busy
    (art,) = _read([f"{site.base}/busy"])
    assert isinstance(art, Article), art
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.95


def test_one_request_at_a_time_per_host_with_the_delay_between(site):
    b = site.base
    paths = [f"/s{n}.html" for n in range(4)]
    site.routes["/feed.xml"] = rss(b, [(p, f"Story {p}", "Tue, 01 Dec 2026 08:00:00 GMT") for p in paths])
    for p in paths:
        site.routes[p] = html(article_page(f"Story {p}"))
    other = Site()
    server, ob = serve(other)
    try:
        other.routes["/o.html"] = html(article_page("Other host"))
        items = _read([f"{b}/feed.xml", f"{ob}/o.html"], FetchSettings(delay=0.3, timeout=2.0))
    finally:
        server.shutdown()
        server.server_close()
    assert len(_articles(items)) == 5
    times = [t for _, t, _ in site.log]
    assert all(later - earlier >= 0.29 for earlier, later in zip(times, times[1:], strict=False))


def test_redirects_are_followed_up_to_the_limit(site):
    b = site.base
    site.routes["/old"] = (301, {"Location": f"{b}/new"}, b"")
    site.routes["/new"] = html(article_page("Moved story"))
    site.routes["/loop"] = (302, {"Location": f"{b}/loop"}, b"")
    items = _read([f"{b}/old", f"{b}/loop"], FetchSettings(delay=0.0, timeout=2.0, max_redirects=5))
    assert [a.meta["url"] for a in _articles(items)] == [f"{b}/new"]
    assert _problems(items) == {f"{b}/loop": "too many redirects"}
    assert site.paths().count("/loop") == 6  # the first request and five redirects
    site.routes["/nowhere"] = (302, {}, b"")
    assert _problems(_read([f"{b}/nowhere"])) == {f"{b}/nowhere": "HTTP 302 without a Location to follow"}


def test_max_bytes_is_enforced_while_streaming(site):
    site.routes["/huge"] = (200, {"Content-Type": "text/html", "Transfer-Encoding": "chunked"},
                            article_page("Huge", paragraphs=400))
    items = _read([f"{site.base}/huge"], FetchSettings(delay=0.0, timeout=2.0, max_bytes=20_000))
    assert "over the 20000 byte limit (input.max_bytes)" in _problems(items)[f"{site.base}/huge"]


def test_failures_are_one_line_each_and_the_rest_is_read(site, tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{s.getsockname()[1]}/feed.xml"

    def slow(handler):
        time.sleep(1.5)
        return html(article_page("Late"))

    b = site.base
    site.routes["/text"] = (200, {"Content-Type": "text/plain"}, b"just some words, no feed")
    site.routes["/slow"] = slow
    site.routes["/ok"] = html(article_page("Fine"))
    items = _read([down, f"{b}/missing", f"{b}/text", f"{b}/slow", f"{b}/ok"],
                  FetchSettings(delay=0.0, timeout=0.5, retries=0))
    problems = _problems(items)
    assert problems[down].startswith("cannot connect")
    assert problems[f"{b}/missing"] == "HTTP 404 Not Found"
    assert problems[f"{b}/text"].startswith("not a feed, sitemap or HTML page")
    assert problems[f"{b}/slow"] == "timed out"
    assert all("\n" not in reason for reason in problems.values())
    assert [a.title for a in _articles(items)] == ["Fine"]


def test_conditional_get_and_items_already_digested_are_not_fetched_again(site, tmp_path):
    b = site.base
    feed = rss(b, [("/a.html", "A", "Tue, 01 Dec 2026 08:00:00 GMT")])

    site.routes["/feed.xml"] = with_etag(feed)
    site.routes["/a.html"] = html(article_page("A"))
    assert len(_articles(_read([f"{b}/feed.xml"], state_dir=tmp_path))) == 1
    state = json.loads((tmp_path / ".digest-web.json").read_text())
    assert state["validators"][f"{b}/feed.xml"] == {"etag": '"v1"'}
    assert [i["url"] for i in state["listings"][f"{b}/feed.xml"]["items"]] == [f"{b}/a.html"]
    site.log.clear()
    digested = [f"{b}/a.html"]  # what the manifest of that run says was digested
    assert list(read_web([f"{b}/feed.xml"], ReadOptions(), FAST, tmp_path, digested)) == []
    assert site.paths() == ["/robots.txt", "/feed.xml"]
    site.routes["/feed.xml"] = rss(b, [("/a.html", "A", "x"), ("/b.html", "B", "x")])  # changed, no ETag
    site.routes["/b.html"] = html(article_page("B"))
    site.log.clear()
    items = list(read_web([f"{b}/feed.xml"], ReadOptions(), FAST, tmp_path, digested))
    assert [a.title for a in _articles(items)] == ["B"]
    assert "/a.html" not in site.paths()


def test_a_feed_answering_304_still_retries_the_items_that_failed_last_run(site, tmp_path):
    b = site.base
    feed = rss(b, [("/a.html", "A", "Tue, 01 Dec 2026 08:00:00 GMT"),
                   ("/b.html", "B", "Tue, 01 Dec 2026 09:00:00 GMT")])

    site.routes["/feed.xml"] = with_etag(feed)
    site.routes["/a.html"] = html(article_page("A"))
    site.routes["/b.html"] = (503, {}, b"down for maintenance")
    first = _read([f"{b}/feed.xml"], FetchSettings(delay=0.0, timeout=2.0, retries=0), tmp_path)
    assert [a.title for a in _articles(first)] == ["A"] and list(_problems(first)) == [f"{b}/b.html"]
    site.routes["/b.html"] = html(article_page("B"))
    site.log.clear()
    again = list(read_web([f"{b}/feed.xml"], ReadOptions(), FAST, tmp_path, [f"{b}/a.html"]))
    assert [a.title for a in _articles(again)] == ["B"]
    assert site.paths() == ["/robots.txt", "/feed.xml", "/b.html"]  # 304, then only the item that failed


def test_robots_txt_of_the_redirect_targets_host_is_obeyed(site):
    other = Site()
    server, ob = serve(other)
    try:
        other.routes["/robots.txt"] = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n")
        other.routes["/private/story.html"] = html(article_page("Secret"))
        other.routes["/open.html"] = html(article_page("Open"))
        site.routes["/go"] = (302, {"Location": f"{ob}/private/story.html"}, b"")
        site.routes["/fine"] = (301, {"Location": f"{ob}/open.html"}, b"")
        items = _read([f"{site.base}/go", f"{site.base}/fine"])
    finally:
        server.shutdown()
        server.server_close()
    assert _problems(items) == {
        f"{site.base}/go": f"disallowed by robots.txt (redirected to {ob}/private/story.html)"}
    assert [a.title for a in _articles(items)] == ["Open"]
    assert other.paths() == ["/robots.txt", "/open.html"]  # asked once, and the disallowed page never


def test_an_item_is_taken_for_read_only_once_its_article_was_digested(site, tmp_path, monkeypatch):
    from digest.api import Digester
    from digest.config import load_config

    b = site.base
    feed = rss(b, [("/a.html", "Harbour", "Tue, 01 Dec 2026 08:00:00 GMT"),
                   ("/b.html", "BOOM story", "Tue, 01 Dec 2026 09:00:00 GMT")])

    site.routes["/feed.xml"] = with_etag(feed)
    site.routes["/a.html"] = html(article_page("Harbour"))
    other = "".join(f"<p>BOOM story {n}: the rail line between the two largest cities opened on Sunday, and the "
                    f"trip now takes ninety minutes; tickets sold out within hours of the announcement.</p>"
                    for n in range(4))
    site.routes["/b.html"] = html(f"<html lang='en'><head><title>BOOM story</title></head><body><article>"
                                  f"<h1>BOOM story</h1>{other}</article></body></html>".encode())
    config = load_config(None, summary_model="extractive", targets=[], device="cpu", **{"fetch.delay": 0})
    digester = Digester(config, progress=False)
    out = tmp_path / "out"
    real = digester.summarizer.summarize
    with monkeypatch.context() as patch:  # the summarizer crashes on b: read, but not digested
        patch.setattr(digester.summarizer, "summarize", lambda texts, langs: (_ for _ in ()).throw(
            TypeError("injected bug")) if any("BOOM" in t for t in texts) else real(texts, langs))
        first = digester.run([f"{b}/feed.xml"], out)
    status = {e.source: e.status for e in first.entries}
    assert status == {f"{b}/a.html": "ok", f"{b}/b.html": "failed"}, first.entries
    site.log.clear()
    again = digester.run([f"{b}/feed.xml"], out)  # the bug fixed; the feed answers 304
    assert site.paths() == ["/robots.txt", "/feed.xml", "/b.html"]
    assert {e.source: e.status for e in again.entries} == {f"{b}/b.html": "ok"}
    manifest = {json.loads(line)["source"]: json.loads(line)["status"]
                for line in (out / "manifest.jsonl").read_text().splitlines()}
    assert manifest == {f"{b}/a.html": "ok", f"{b}/b.html": "ok"}
    site.log.clear()
    digester.run([f"{b}/feed.xml"], out, force=True)  # --force: every item of the feed is read again
    assert {"/a.html", "/b.html"} <= set(site.paths())


def test_cli_run_on_a_feed_url(site, tmp_path: Path):
    from click.testing import CliRunner

    from digest.cli import cli

    b = site.base
    site.routes["/feed.xml"] = rss(b, [("/a.html", "Sea wall repairs", "Tue, 01 Dec 2026 08:00:00 GMT")])
    site.routes["/a.html"] = html(article_page("Sea wall repairs"))
    site.routes["/gone.html"] = (404, {}, b"")
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"targets: []\nsummarizer: {{model: extractive}}\nfetch: {{delay: 0}}\n"
                   f"input: {{sources: ['{b}/gone.html']}}\n")
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["run", f"{b}/feed.xml", "-c", str(cfg), "-o", str(out), "-q"])
    assert res.exit_code == 1, res.output  # the 404 in input.sources failed; the feed's article is written
    record = json.loads((out / "articles" / "127.0.0.1-a.json").read_text())
    assert record["url"] == f"{b}/a.html" and record["summaries"]["en"]
    manifest = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert {(m["source"], m["status"]) for m in manifest} == {(f"{b}/a.html", "ok"), (f"{b}/gone.html", "failed")}
    assert (out / ".digest-web.json").is_file()


def test_a_malformed_url_is_a_one_line_usage_error(tmp_path):
    from click.testing import CliRunner

    from digest.cli import cli

    cfg = tmp_path / "c.yaml"
    cfg.write_text("targets: []\nsummarizer: {model: extractive}\n")
    res = CliRunner().invoke(cli, ["run", "http://127.0.0.1:99999x/feed", "-o", str(tmp_path / "o"), "-c", str(cfg)])
    assert res.exit_code == 2 and "malformed URL" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "o").exists()


def test_fetch_settings_do_not_change_the_run_fingerprint():
    from dataclasses import replace

    from digest.config import FetchConfig, load_config
    from digest.run.cachekeys import run_settings

    config = load_config(None, summary_model="extractive", targets=[])
    assert run_settings(config) == run_settings(replace(config, fetch=FetchConfig(delay=5.0, timeout=3.0)))


def test_fetch_section_is_validated():
    from digest.config import load_config
    from digest.errors import ConfigError

    with pytest.raises(ConfigError, match="fetch.delay"):
        load_config(None, **{"fetch.delay": -1})
    with pytest.raises(ConfigError, match="input.sources"):
        load_config(None, **{"input.sources": ["ftp://example.org/feed"]})
