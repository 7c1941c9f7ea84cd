"""The one way the UI runs core work off the GUI thread: ``TaskRunner.run``.

Be careful never to touch a widget, model or any other QObject inside the callable you
pass: it runs on a worker thread. Do the work there and return plain data; the runner
hands the result (or the exception) to ``on_success`` / ``on_failure`` on the GUI thread.
Failures go to ``show_error`` unless you pass your own ``on_failure``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QWidget

from library.progress import Progress
from ui.errors import show_error

log = logging.getLogger(__name__)

PROGRESS_INTERVAL = 0.04  # seconds between progress updates sent to the GUI thread
_DEFAULT = object()


class Pool(Protocol):
    def start(self, runnable: QRunnable) -> None: ...


class Task(QObject):
    """One background call. ``report`` and ``cancel_event`` are its plain-Python hooks."""

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(object)
    finished = Signal()
    _done = Signal(bool, object)  # emitted on the worker thread, delivered on the GUI thread
    _progress = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.cancel_event = threading.Event()
        self.is_finished = False
        self._last_report = 0.0
        self._last_phase: str | None = None
        self._done.connect(self._deliver)
        self._progress.connect(self._deliver_progress)

    def report(self, progress: Progress) -> None:
        """Progress hook for the core; thread-safe and throttled so a fast loop cannot flood."""
        now = time.monotonic()
        final = progress.total is not None and progress.done >= progress.total
        if (
            final
            or progress.phase != self._last_phase
            or now - self._last_report >= PROGRESS_INTERVAL
        ):
            self._last_report, self._last_phase = now, progress.phase
            self._progress.emit(progress)

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()

    @Slot(bool, object)
    def _deliver(self, ok: bool, value: object) -> None:
        self.is_finished = True
        (self.succeeded if ok else self.failed).emit(value)
        self.finished.emit()

    @Slot(object)
    def _deliver_progress(self, progress: object) -> None:
        if not self.is_finished:
            self.progressed.emit(progress)


class _Job(QRunnable):
    def __init__(self, task: Task, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.task = task
        self.fn = fn

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed to the GUI thread, which shows or handles it
            self.task._done.emit(False, exc)
        else:
            self.task._done.emit(True, result)


class TaskRunner(QObject):
    """Runs callables on a read pool (parallel) or the write pool (one at a time, in order).

    Catalog writes are serialised on the write pool so that edits, undo and imports apply
    in the order they were asked for.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        reads: Pool | None = None,
        writes: Pool | None = None,
    ) -> None:
        super().__init__(parent)
        self.error_parent = parent
        self._own_pools: list[QThreadPool] = []
        self.reads = reads or self._pool(4)
        self.writes = writes or self._pool(1)
        self._active: set[Task] = set()
        self._closed = False

    def _pool(self, threads: int) -> QThreadPool:
        pool = QThreadPool(self)
        pool.setMaxThreadCount(threads)
        self._own_pools.append(pool)
        return pool

    def run(
        self,
        fn: Callable[..., Any],
        *,
        on_success: Callable[[Any], None] | None = None,
        on_failure: Callable[[BaseException], None] | None | object = _DEFAULT,
        on_progress: Callable[[Progress], None] | None = None,
        hooks: bool = False,
        write: bool = False,
    ) -> Task:
        """Run ``fn()`` off the GUI thread (``fn(progress, cancel)`` when ``hooks``).

        ``on_failure=None`` ignores failures; the default shows them with ``show_error``.
        """
        task = Task()
        if self._closed:
            # Shutting down: timers and late deliveries may still ask; nothing more starts.
            task.is_finished = True
            return task
        if on_success is not None:
            task.succeeded.connect(on_success)
        if on_failure is _DEFAULT:
            task.failed.connect(self._show_failure)
        elif on_failure is not None:
            task.failed.connect(on_failure)
        if on_progress is not None:
            task.progressed.connect(on_progress)
        self._active.add(task)
        task.finished.connect(lambda: self._active.discard(task))
        call = (lambda: fn(task.report, task.cancel_event)) if hooks else fn
        (self.writes if write else self.reads).start(_Job(task, call))
        return task

    def _show_failure(self, exc: BaseException) -> None:
        parent = self.error_parent
        show_error(parent if parent is not None and shiboken6.isValid(parent) else None, exc)

    @property
    def active(self) -> int:
        return len(self._active)

    def cancel_all(self) -> None:
        for task in list(self._active):
            task.cancel()

    def shutdown(self, msecs: int = 10000) -> bool:
        """Cancel what runs, wait for it, and start nothing more; True if all finished."""
        self._closed = True
        self.cancel_all()
        return self.wait(msecs)

    def wait(self, msecs: int = -1) -> bool:
        """Wait for this runner's own pools to finish (at shutdown); True if they did."""
        return all(pool.waitForDone(msecs) for pool in self._own_pools)
