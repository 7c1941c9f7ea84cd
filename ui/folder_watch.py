"""Polling watched folders from the app: a quiet rescan now and then, off the GUI thread.

Polling, not file-system notifications, because marketing's folders often live on
network shares, which deliver none. A rescan of an unchanged library only reads file
sizes and times (half a second for 10,000 files).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from library import Library
from library.ingest import ImportReport
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

POLL_INTERVAL_MS = 120_000


class FolderWatcher(QObject):
    """Rescans the library every ``interval_ms``; ``changed`` carries reports that changed something."""

    changed = Signal(object)  # ImportReport
    rescanned = Signal(object)  # ImportReport of every finished turn, changed or not

    def __init__(
        self,
        library: Library,
        runner: TaskRunner,
        parent: QObject | None = None,
        *,
        interval_ms: int = POLL_INTERVAL_MS,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self._busy = False
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def poll(self) -> None:
        if self._busy:
            return  # the last rescan is still running (a slow share): skip this turn
        self._busy = True
        library = self.library
        self.runner.run(
            lambda: library.rescan(),
            write=True,  # in order with edits and imports
            on_success=self._finished,
            on_failure=self._failed,
        )

    def _finished(self, report: ImportReport) -> None:
        self._busy = False
        self.rescanned.emit(report)
        if report.changed_ids or report.failed or report.duplicates:
            self.changed.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        log.warning("Background rescan failed: %s", exc)  # the next turn tries again
