"""Web sources: feeds, sitemaps, home pages and article URLs read politely into Articles."""

from .fetch import fetch_settings
from .web import check_url, is_url, read_web

__all__ = ["check_url", "fetch_settings", "is_url", "read_web"]
