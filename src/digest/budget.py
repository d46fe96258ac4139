"""A time budget per article for the model-free stages (reading and cleaning, the checks): `input.max_seconds`.

Why a deadline the passes look at, not a signal or a timer: a signal reaches only the main thread, and articles
are read and checked in worker threads (the local executor) and in other processes (Ray actors); Python cannot
stop a thread from outside. So each pass that loops over an article's text (lines, paragraphs, tokens, sentences,
alignment rows) calls `check()` as it goes: one clock read, and `TimeBudgetExceeded` once the article's deadline
has passed. The deadline is a context variable, so every thread sees only its own article's, and code outside
`budget()` (the API's own helpers, tests) sees none and is never stopped.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: seconds an article may spend in one model-free stage unless the config says otherwise
DEFAULT_MAX_SECONDS = 120.0

_DEADLINE: ContextVar[tuple[float, float, str] | None] = ContextVar("digest_deadline", default=None)


class TimeBudgetExceeded(ValueError):
    """An article took longer than `input.max_seconds` in one stage: it fails alone, with this one line.

    A ValueError, so every guard reports it as the article's own failure (exit 1), never as a bug in digest."""

    def __init__(self, seconds: float, stage: str) -> None:
        super().__init__(f"took longer than {seconds:g} s in {stage}")
        self.seconds, self.stage = seconds, stage


@contextmanager
def budget(seconds: float | None, stage: str) -> Iterator[None]:
    """Run the block under a deadline `seconds` from now (None or 0: no deadline); `stage` names it in the error."""
    if not seconds or seconds <= 0:
        yield
        return
    token = _DEADLINE.set((time.monotonic() + seconds, seconds, stage))
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check() -> None:
    """Raise TimeBudgetExceeded when the current article's deadline has passed; nothing outside `budget()`."""
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline[0]:
        raise TimeBudgetExceeded(deadline[1], deadline[2])
