"""Progress and cancellation hooks shared by long core operations, the CLI and the GUI."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Progress:
    phase: str  # "scanning", "reading", "indexing"
    done: int
    total: int | None = None
    item: str | None = None  # the file or asset being worked on


ProgressHook = Callable[[Progress], None] | None


def report(
    hook: ProgressHook, phase: str, done: int, total: int | None = None, item: str | None = None
) -> None:
    if hook is not None:
        hook(Progress(phase, done, total, item))


def cancelled(cancel: threading.Event | None) -> bool:
    return cancel is not None and cancel.is_set()


class ProgressRate:
    """Items per second and seconds left in the current phase, from successive reports.

    The rate is taken over the phase so far; a new phase starts the count again.
    ``clock`` is for tests.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._phase: str | None = None
        self._start = 0.0
        self._first = 0

    def update(self, progress: Progress) -> tuple[float | None, float | None]:
        """Returns ``(per_second, seconds_left)``; either is None until it can be told."""
        now = self._clock()
        if progress.phase != self._phase:
            self._phase, self._start, self._first = progress.phase, now, progress.done
            return None, None
        elapsed, done = now - self._start, progress.done - self._first
        if elapsed < 0.5 or done <= 0:
            return None, None
        rate = done / elapsed
        left = (progress.total - progress.done) / rate if progress.total else None
        return rate, left


def describe_rate(rate: float | None, left: float | None, unit: str = "files") -> str:
    """``"450 files/s, about 12 s left"``; empty until the rate is known."""
    if rate is None:
        return ""
    text = f"{rate:,.0f} {unit}/s" if rate >= 10 else f"{rate:.1f} {unit}/s"
    if left is not None:
        minutes, seconds = divmod(round(left), 60)
        text += (
            f", about {minutes} min {seconds} s left" if minutes else f", about {seconds} s left"
        )
    return text
