"""The front page: the stories of the last hours, the most covered first, never a near-empty or an endless page.

OUT/digest.<lang>.* and OUT/feed.<lang>.atom show the stories of the last `hours` (default 24) before the build,
at least `min_stories` when OUT holds that many (the newest fill the page), at most `max_stories`. A story that
more outlets carry (its `cluster`'s sources) ranks higher; then the newest. The editions are read newest first,
only until the page is full, so the front page costs what the new stories cost, not what OUT holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .items import DigestItem, ranked
from .render import items_for


@dataclass(frozen=True)
class Front:
    """How the front page is cut (the config's `output.front`)."""

    hours: float = 24
    min_stories: int = 20
    max_stories: int = 100

    def __post_init__(self) -> None:
        if self.hours <= 0 or self.min_stories < 0 or self.max_stories < 1:
            raise ValueError("output.front: hours must be above 0, min_stories at least 0, max_stories at least 1")

    def enough(self, records: list[dict], now: datetime) -> bool:
        """Whether the records read so far (editions newest first) hold every story an older edition could
        displace: at least `min_stories` and some older than the window (so older editions are older still)."""
        from .items import record_when

        if len(records) < self.min_stories:
            return False
        cutoff = now - timedelta(hours=self.hours)
        return any(record_when(r)[0] < cutoff for r in records)


def front_items(records: Iterable[dict], lang: str, now: datetime, front: Front) -> list[DigestItem]:
    """The front page's stories in `lang`: those of the last `front.hours`, topped up with the newest to
    `min_stories`, cut at `max_stories`, ranked by coverage then recency."""
    items = items_for(list(records), lang)  # stories (clusters merged), newest first
    cutoff = now - timedelta(hours=front.hours)
    recent = [i for i in items if i.when >= cutoff]
    if len(recent) < front.min_stories:
        recent = items[: max(front.min_stories, len(recent))]
    return ranked(recent)[: front.max_stories]
