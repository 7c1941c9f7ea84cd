"""Showing errors to people: ``show_error(parent, exc)`` is the one way the UI reports a failure."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from library.errors import PitchpackError

log = logging.getLogger(__name__)

UNEXPECTED = "Something went wrong and the action could not be completed."


def error_message(exc: BaseException) -> str:
    """The sentence a person sees: our own errors speak for themselves, others get a summary."""
    if isinstance(exc, PitchpackError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"The file system refused the action: {exc.strerror}{where}."
    return UNEXPECTED


def error_details(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def show_error(
    parent: QWidget | None, exc: BaseException, *, title: str = "Pitchpack"
) -> QMessageBox:
    """Show ``exc`` in a window-modal message box that does not block the caller.

    Unexpected errors are logged with their traceback, which is also under "Details".
    """
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(error_message(exc))
    if not isinstance(exc, PitchpackError):
        log.error("Unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
        box.setInformativeText(f"{type(exc).__name__}: {exc}")
        box.setDetailedText(error_details(exc))
    box.setObjectName("errorBox")
    box.open()
    return box


def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """The last resort for an exception nothing caught (``sys.excepthook`` in the app).

    The traceback goes to the log; on the GUI thread the error is also shown with
    ``show_error``, so a failure in a slot is seen rather than lost in a terminal.
    """
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    log.error("Uncaught exception", exc_info=(exc_type, exc, tb))
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        return
    if exc.__traceback__ is None:
        exc = exc.with_traceback(tb)
    box = show_error(app.activeWindow(), exc)
    # Without a window to own it, nothing else holds the box: it would vanish at once.
    _uncaught.append(box)
    box.finished.connect(lambda _result: _uncaught.remove(box))


_uncaught: list[QMessageBox] = []
