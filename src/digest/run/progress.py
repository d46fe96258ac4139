"""Progress bars: one per stage, shown only on a terminal and never under --quiet."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

T = TypeVar("T")


class Progress:
    """A `summarize` and a `translate` bar (tqdm); executors and the batch processor advance them."""

    def __init__(self, total: int, targets: int, *, enabled: bool) -> None:
        from tqdm import tqdm

        disable = not enabled or total == 0
        self.summarize = tqdm(total=total, desc="summarize", unit="art", disable=disable, leave=False)
        self.translate = tqdm(total=total * targets, desc="translate", unit="art", disable=disable, leave=False)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.summarize.close()
        self.translate.close()


def reading(items: Iterable[T], *, enabled: bool) -> Iterable[T]:
    """A `read` bar over the inputs as they are read (their count is unknown until the end): 360 pages take
    half a minute, which must not look like a hang."""
    from tqdm import tqdm

    return tqdm(items, desc="read", unit="input", disable=not enabled, leave=False)
