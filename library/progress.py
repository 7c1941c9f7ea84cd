"""Progress and cancellation hooks shared by long core operations, the CLI and the GUI."""

from __future__ import annotations

import threading
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
