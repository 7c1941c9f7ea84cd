"""Polling watched folders for changes: works on network shares, where file-system
notifications are not delivered."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from library.ingest import ImportReport
    from library.library import Library


def watch(
    library: Library,
    interval: float,
    stop: threading.Event,
    on_report: Callable[[ImportReport], None],
) -> None:
    """Rescan every ``interval`` seconds until ``stop`` is set; reports only scans that
    changed something. A scan of an unchanged library only reads file sizes and times."""
    while not stop.is_set():
        report = library.rescan(cancel=stop)
        if report.changed_ids or report.failed or report.duplicates:
            on_report(report)
        stop.wait(interval)
