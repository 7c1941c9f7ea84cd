"""Dashboard building blocks: a titled card around a widget, and a card with one big figure."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget


class Card(QFrame):
    """A rounded panel with a small-caps title, an optional note, and a body widget."""

    def __init__(self, title: str, body: QWidget | None = None, parent: QWidget | None = None):
        super().__init__(parent, objectName="card")
        self.title = QLabel(title.upper(), objectName="sectionTitle")
        self.note = QLabel(objectName="muted")
        self.note.hide()
        self.header = QHBoxLayout()
        self.header.setSpacing(8)
        self.header.addWidget(self.title)
        self.header.addStretch()
        self.header.addWidget(self.note)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(16, 12, 16, 14)
        self.layout_.setSpacing(8)
        self.layout_.addLayout(self.header)
        if body is not None:
            self.layout_.addWidget(body, 1)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))


class StatCard(QFrame):
    """One figure of the period: a caption, the number, and a line of context."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, objectName="card")
        self.caption = QLabel(caption.upper(), objectName="sectionTitle")
        self.value = QLabel("—", objectName="bigNumber")
        self.detail = QLabel(objectName="muted")
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(2)
        layout.addWidget(self.caption)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)
        layout.addStretch()

    def set(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.setAccessibleName(f"{self.caption.text().capitalize()}: {value}. {detail}")
