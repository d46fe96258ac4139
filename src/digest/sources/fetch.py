"""Polite HTTP: robots.txt per host, one request at a time per host with a delay, bounded size, time and
redirects, 429/503 retried honouring Retry-After, and conditional GET state kept between runs."""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import urllib3

from ..safeio import OutDir

if TYPE_CHECKING:
    from ..config import FetchConfig


try:
    __version__ = _version("digest")
except PackageNotFoundError:  # a source checkout run without install
    __version__ = "0.1.0"

#: the project publishes no web address of its own yet, so the default names the tool and its version; a newsroom
#: sets `fetch.user_agent` to add its contact page, e.g. "digest/0.1 (+https://newsroom.example/bot)"
USER_AGENT = f"digest/{__version__}"


class FetchError(Exception):
    """One URL that could not be read; the message is the one-line reason."""


@dataclass(frozen=True)
class Response:
    url: str
    status: int  # 200, or 304 when the server says the copy of the last run is still current
    body: bytes
    content_type: str
    redirect: str | None = None  # where a 3xx answer points (only between Fetcher.get and Fetcher._get)
    validators: dict[str, str] = field(default_factory=dict)  # ETag / Last-Modified of this answer


@dataclass
class FetchSettings:
    """The `fetch:` section as the fetcher needs it (kept apart so this module does not import config)."""

    delay: float = 1.0
    timeout: float = 20.0
    max_redirects: int = 5
    retries: int = 3
    max_bytes: int = 5_000_000
    robots: bool = True
    user_agent: str = USER_AGENT


@dataclass
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: float = 0.0
    robots: urllib.robotparser.RobotFileParser | None = None
    robots_read: bool = False


class Fetcher:
    """Fetches URLs; safe to call from several threads (hosts go in parallel, each host one at a time)."""

    def __init__(self, settings: FetchSettings, state_file: Path | None = None) -> None:
        self.settings = settings
        retries = urllib3.Retry(total=settings.retries + settings.max_redirects, redirect=settings.max_redirects,
                                status=settings.retries, connect=0, read=0, backoff_factor=settings.delay or 0.5,
                                status_forcelist=(429, 503), allowed_methods=None,
                                respect_retry_after_header=True, raise_on_status=False, raise_on_redirect=True)
        self._http = urllib3.PoolManager(retries=retries, timeout=urllib3.Timeout(settings.timeout))
        self._headers = {"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"}
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._state_file = state_file
        self.state: dict = {"validators": {}, "listings": {}}
        if state_file is not None:  # only a regular file is read back, never through a link
            with contextlib.suppress(OSError, ValueError):  # a damaged state file only costs one full re-read
                self.state.update(json.loads(OutDir(state_file.parent).read_text(state_file.name)))
        self.state.pop("items", None)  # older runs marked items read here; the manifest says it now
        self._state_lock = threading.Lock()

    def get(self, url: str, *, conditional: bool = False) -> Response:
        """The body of `url` (decompressed), or FetchError with one line naming the problem.

        Redirects are followed here, one hop at a time, so that every host on the way is asked as politely as
        the first: its robots.txt read and obeyed, its requests one at a time with the delay between them."""
        target = url
        for hop in range(self.settings.max_redirects + 1):
            host = self._host(target)
            with host.lock:
                if self.settings.robots and not self._allowed(host, target):
                    raise FetchError("disallowed by robots.txt" + (f" (redirected to {target})" if hop else ""))
                resp = self._get(host, target, conditional, validators_of=url)
            if resp.redirect is None:
                if conditional and resp.validators:
                    with self._state_lock:
                        self.state["validators"][url] = resp.validators
                return resp
            target = resp.redirect
        raise FetchError("too many redirects")

    def _get(self, host: _Host, url: str, conditional: bool, *, validators_of: str | None = None,
             follow: bool = False) -> Response:
        """One request to `url` (a redirect answered as a Response with `redirect` set, unless `follow`)."""
        headers = dict(self._headers)
        known = self.state["validators"].get(validators_of or url, {}) if conditional else {}
        if known.get("etag"):
            headers["If-None-Match"] = known["etag"]
        if known.get("last_modified"):
            headers["If-Modified-Since"] = known["last_modified"]
        wait = host.last + self.settings.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            resp = self._http.request("GET", url, headers=headers, preload_content=False, decode_content=True,
                                      redirect=follow)
        except urllib3.exceptions.MaxRetryError as exc:
            raise FetchError(_reason(exc.reason)) from None
        except urllib3.exceptions.HTTPError as exc:
            raise FetchError(_reason(exc)) from None
        finally:
            host.last = time.monotonic()
        try:
            if resp.status == 304:
                return Response(url, 304, b"", "")
            if resp.status in (301, 302, 303, 307, 308) and resp.headers.get("Location"):
                return Response(url, resp.status, b"", "", redirect=urljoin(url, resp.headers["Location"]))
            if resp.status >= 400:
                raise FetchError(f"HTTP {resp.status} {resp.reason or ''}".strip())
            if resp.status >= 300 and not follow:
                raise FetchError(f"HTTP {resp.status} without a Location to follow")
            body = bytearray()
            try:
                for chunk in resp.stream(64 * 1024):
                    body += chunk
                    if len(body) > self.settings.max_bytes:
                        limit = self.settings.max_bytes
                        raise FetchError(f"response is over the {limit} byte limit (input.max_bytes)")
            except urllib3.exceptions.HTTPError as exc:
                raise FetchError(_reason(exc)) from None
            finally:
                host.last = time.monotonic()
            validators = {k: v for k, v in (("etag", resp.headers.get("ETag")),
                                            ("last_modified", resp.headers.get("Last-Modified"))) if v}
            final = urljoin(url, resp.geturl() or url)
            return Response(final, resp.status, bytes(body), resp.headers.get("Content-Type", ""),
                            validators=validators)
        finally:  # an unread body (an error page, a body over the limit) must not poison the pooled connection
            remaining = resp.length_remaining
            if remaining is not None and remaining <= 65536:
                resp.drain_conn()
            else:
                resp.close()
            resp.release_conn()

    def _host(self, url: str) -> _Host:
        key = urlsplit(url)._replace(path="", query="", fragment="").geturl()
        with self._hosts_lock:
            return self._hosts.setdefault(key, _Host())

    def _allowed(self, host: _Host, url: str) -> bool:
        """robots.txt, read once per host; a missing one (4xx) allows everything, an unreachable one too."""
        if not host.robots_read:
            host.robots_read = True
            parts = urlsplit(url)
            robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
            parser = urllib.robotparser.RobotFileParser(robots_url)
            try:
                resp = self._get(host, robots_url, conditional=False, follow=True)  # RFC 9309: redirects followed
                parser.parse(resp.body.decode("utf-8", "replace").splitlines())
                host.robots = parser
            except FetchError:
                host.robots = None
        return host.robots is None or host.robots.can_fetch(self.settings.user_agent, url)

    def listed(self, url: str) -> tuple[str, list[dict]] | None:
        """What the listing at `url` held when it was last read in full: (kind, items), or None."""
        known = self.state["listings"].get(url)
        if not isinstance(known, dict) or not isinstance(known.get("items"), list):
            return None
        return str(known.get("kind")), [i for i in known["items"] if isinstance(i, dict) and i.get("url")]

    def remember(self, url: str, kind: str, items: list[dict]) -> None:
        """Keep a listing's items, so that a 304 next run still knows which of them to retry."""
        with self._state_lock:
            self.state["listings"][url] = {"kind": kind, "items": items}

    def save(self) -> None:
        """Write the conditional-GET and seen-items state atomically."""
        if self._state_file is None:
            return
        OutDir(self._state_file.parent).write(self._state_file.name, json.dumps(self.state, indent=1, default=str))


def _reason(exc: BaseException | None) -> str:
    """One line for a network failure: refused, timed out, too many redirects, name not resolved."""
    if isinstance(exc, urllib3.exceptions.ResponseError) and "redirect" in str(exc).lower():
        return "too many redirects"
    if isinstance(exc, urllib3.exceptions.NameResolutionError):
        return "host name not found"
    if isinstance(exc, urllib3.exceptions.NewConnectionError):  # a subclass of the timeout error: first
        return "cannot connect (" + str(exc).rsplit(":", 1)[-1].strip().lower() + ")"
    if isinstance(exc, urllib3.exceptions.TimeoutError):
        return "timed out"
    text = " ".join(str(exc).split()) if exc is not None else "request failed"
    return text[:200] or type(exc).__name__


def fetch_settings(config: FetchConfig, max_bytes: int) -> FetchSettings:
    """FetchSettings from the `fetch:` config section and `input.max_bytes`."""
    return FetchSettings(delay=config.delay, timeout=config.timeout, max_redirects=config.max_redirects,
                         retries=config.retries, max_bytes=max_bytes, robots=config.robots,
                         user_agent=config.user_agent or USER_AGENT)
