"""Background embedding of the library for related results, with its progress in the status bar."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from library import Library
from library.progress import Progress
from ui.tasks import Task, TaskRunner

REFRESH_EVERY = 2.0  # seconds between re-runs of the current search while vectors arrive


class EmbeddingStatus(QObject):
    """Runs ``library.embeddings.run`` off the GUI thread whenever the library changes.

    ``vectors_added`` is emitted now and then while it runs and once at its end, so the
    current search can be run again and related results join as they become available.
    ``label`` is a permanent status-bar widget, empty when nothing is being embedded.
    """

    vectors_added = Signal()

    def __init__(self, library: Library, runner: TaskRunner, parent=None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.label = QLabel(objectName="muted")
        self.label.setAccessibleName("Embedding progress")
        self.label.setContentsMargins(12, 0, 8, 0)  # apart from the team status beside it
        self._task: Task | None = None
        self._again = False
        self._last_refresh = 0.0

    @property
    def running(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        """Embed what is pending; if a run is under way, run once more after it."""
        if self._task is not None:
            self._again = True
            return
        embeddings = self.library.embeddings
        task = self.runner.run(
            lambda progress, cancel: embeddings.run(progress=progress, cancel=cancel),
            hooks=True,
            on_success=self._finished,
            on_failure=lambda _exc: self._finished(0),
            on_progress=self._progressed,
        )
        self._task = None if task.is_finished else task  # an inline pool finishes at once

    def _progressed(self, progress: Progress) -> None:
        self.label.setText(f"Related results: reading {progress.done} of {progress.total}")
        self.label.setToolTip(
            "Pitchpack is reading each asset for its meaning, so that a search also lists "
            "results close to what you typed. They join as the reading goes."
        )
        now = time.monotonic()
        if progress.done and now - self._last_refresh >= REFRESH_EVERY:
            self._last_refresh = now
            self.vectors_added.emit()

    def _finished(self, embedded: int) -> None:
        self._task = None
        self.label.clear()
        self.label.setToolTip("")
        if self.library.embeddings.unavailable:
            self.label.setText("Related results are off")
            self.label.setToolTip(self.library.embeddings.unavailable)
        if embedded:
            self.vectors_added.emit()
        else:
            self._warm()
        if self._again:
            self._again = False
            self.start()

    def _warm(self) -> None:
        # Loading holds Python's lock for about 0.1 s in one call, a stall wherever it falls:
        # better just after the first results than at the first question typed.
        self.runner.run(self.library.embeddings.warm)
