"""Small shared widgets: a wrapping layout, removable filter chips and empty-state panels."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWidgetItem,
)

from ui import theme
from ui.icons import icon


class FlowLayout(QLayout):
    """Lays widgets out left to right, wrapping onto new lines (as Qt's flowlayout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def clear(self) -> None:
        while self._items:
            item = self._items.pop()
            if isinstance(item, QWidgetItem) and item.widget() is not None:
                item.widget().deleteLater()

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() and line > 0:
                x, y, line = rect.x(), y + line + self._spacing, 0
            if apply:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()


class FilterChip(QPushButton):
    """An active filter shown as a chip; clicking it removes the filter."""

    removed = Signal(str, str)

    def __init__(self, facet: str, value: str, label: str, parent: QWidget | None = None) -> None:
        super().__init__(label, parent)
        self.facet, self.value = facet, value
        self.setObjectName("chip")
        self.setIcon(icon("close", self.palette().color(self.palette().ColorRole.Highlight)))
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"Remove the filter {label}")
        self.setAccessibleName(f"Remove filter {label}")
        self.clicked.connect(lambda: self.removed.emit(self.facet, self.value))


class EmptyState(QWidget):
    """A centred message with a heading, a sentence and optional action buttons."""

    def __init__(self, icon_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        self.picture = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.picture.setPixmap(icon(icon_name).pixmap(48, 48))
        self.heading = QLabel(objectName="heading", alignment=Qt.AlignmentFlag.AlignCenter)
        self.body = QLabel(objectName="muted", alignment=Qt.AlignmentFlag.AlignCenter)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setOpenExternalLinks(False)
        self.actions = QHBoxLayout()
        self.actions.addStretch()
        for widget in (self.picture, self.heading, self.body):
            layout.addWidget(widget)
        layout.addSpacing(10)
        layout.addLayout(self.actions)
        layout.addStretch(3)

    def set_text(self, heading: str, body: str) -> None:
        self.heading.setText(heading)
        self.body.setText(body)

    def add_action(
        self, text: str, icon_name: str | None = None, *, primary: bool = False
    ) -> QPushButton:
        button = QPushButton(text)
        if icon_name:
            button.setIcon(icon(icon_name, "white" if primary else None))
        button.setProperty("primary", primary)
        button.setMinimumHeight(34)
        self.actions.insertWidget(self.actions.count(), button)
        return button

    def finish_actions(self) -> None:
        self.actions.addStretch()


class ChipLabel(QLabel):
    def __init__(self, text: str, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        style = theme.chip_style(kind, self.palette())
        self.setStyleSheet(
            f"background: {style.background.name()}; color: {style.foreground.name()};"
            "border-radius: 10px; padding: 2px 9px; font-size: 11px; font-weight: 600;"
        )
