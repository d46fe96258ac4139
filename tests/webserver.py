"""A loopback HTTP server for the web-source tests: routes of canned answers, a log of requests with times."""

from __future__ import annotations

import contextlib
import gzip
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Site:
    routes: dict[str, Answer | Callable[[BaseHTTPRequestHandler], Answer]] = field(default_factory=dict)
    log: list[tuple[str, float, dict[str, str]]] = field(default_factory=list)
    max_requests: int = 200  # a bound: a runaway client gets 500s, the test fails instead of hanging

    def paths(self) -> list[str]:
        return [path for path, _, _ in self.log]


def serve(site: Site) -> tuple[ThreadingHTTPServer, str]:
    """Start serving `site` on 127.0.0.1 at a free port; returns the server and its base URL."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout, limit)
                self._answer()

        def _answer(self) -> None:
            site.log.append((self.path, time.monotonic(), dict(self.headers)))
            answer = site.routes.get(self.path)
            if len(site.log) > site.max_requests:
                answer = (500, {}, b"too many requests in a test")
            if callable(answer):
                answer = answer(self)
            if answer is None:
                answer = (404, {}, b"not found")
            status, headers, body = answer
            if headers.pop("X-Gzip", None) and "gzip" in (self.headers.get("Accept-Encoding") or ""):
                body = gzip.compress(body)
                headers = {**headers, "Content-Encoding": "gzip"}
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if "Transfer-Encoding" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if headers.get("Transfer-Encoding") == "chunked":
                for start in range(0, len(body), 4096):
                    piece = body[start:start + 4096]
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


WORDS = ("The council met on Tuesday evening to discuss the new budget for the harbour district. "
         "Members argued for two hours about the cost of repairing the old sea wall. "
         "The mayor said the city would ask the regional government for help with the repairs. "
         "Residents who attended the meeting welcomed the plan but asked for a faster timetable. ")


def article_page(title: str, *, paragraphs: int = 4, date: str | None = None, lang: str = "en") -> bytes:
    """A plausible article page: a headline, paragraphs of prose, some navigation around it."""
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{title} is the subject. {WORDS}</p>" for _ in range(paragraphs))
    return (f'<!doctype html><html lang="{lang}"><head><title>{title}</title>{meta}</head><body>'
            f'<nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>{title}</h1>{body}</article>'
            f"<footer>Contact us</footer></body></html>").encode()


def html(body: bytes) -> Answer:
    return (200, {"Content-Type": "text/html; charset=utf-8"}, body)


def with_etag(answer: Answer, etag: str = '"v1"'):
    """A route that serves `answer` with an ETag, and 304 Not Modified to a request that sends it back."""
    status, headers, body = answer

    def route(handler):
        if handler.headers.get("If-None-Match") == etag:
            return (304, {"ETag": etag}, b"")
        return (status, {**headers, "ETag": etag}, body)

    return route


def rss(base: str, items: list[tuple[str, str, str]]) -> Answer:
    """An RSS 2.0 feed of (path, title, RFC 822 date) items."""
    entries = "".join(f"<item><title>{t}</title><link>{base}{p}</link><pubDate>{d}</pubDate>"
                      f"<author>jane@example.org (Jane Roe)</author></item>" for p, t, d in items)
    body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour News</title><link>{base}/</link>'
            f"<language>en</language>{entries}</channel></rss>").encode()
    return (200, {"Content-Type": "application/rss+xml"}, body)
