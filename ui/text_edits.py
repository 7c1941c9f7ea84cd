"""Text editors that keep their own keys where the window has shortcuts on them."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit

_RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class NoteEdit(QPlainTextEdit):
    """Plain text where Ctrl+Enter starts a new line, as a rep writing a note expects,
    rather than firing the window's Ctrl+Enter (Add to packet)."""

    def event(self, event: QEvent) -> bool:
        # Claiming the shortcut override makes Qt deliver the key press here instead of
        # to the window's shortcut.
        if event.type() == QEvent.Type.ShortcutOverride and _ctrl_return(event):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if _ctrl_return(event) and not self.isReadOnly():
            self.textCursor().insertText("\n")
            self.ensureCursorVisible()
            return
        super().keyPressEvent(event)


def _ctrl_return(event: QKeyEvent) -> bool:
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return event.key() in _RETURN_KEYS and mods == Qt.KeyboardModifier.ControlModifier
