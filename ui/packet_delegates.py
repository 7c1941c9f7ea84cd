"""Delegates of the packet panel: packet items with their notes, and suggestions."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import QLineEdit, QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from ui import theme
from ui.delegates import chip_font, paint_chips
from ui.models import item_data
from ui.models import packet_items as item_roles
from ui.models import packet_suggestions as suggestion_roles

Index = QModelIndex | QPersistentModelIndex
NOTE_PLACEHOLDER = "Add why this matters to them…"


def _background(painter: QPainter, option: QStyleOptionViewItem, rect: QRect) -> bool:
    """Hover and selection fills as the result cards draw them; True when selected."""
    palette = option.palette
    base = palette.color(QPalette.ColorRole.Base)
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
    if selected or hovered:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(
            theme.mix(base, theme.accent(palette), 0.12)
            if selected
            else theme.mix(base, palette.color(QPalette.ColorRole.Text), 0.04)
        )
        painter.drawRoundedRect(QRectF(rect), 8, 8)
    return selected


def _scaled(font: QFont, factor: float, weight: QFont.Weight | None = None) -> QFont:
    scaled = QFont(font)
    scaled.setPointSizeF(max(7.0, font.pointSizeF() * factor))
    if weight is not None:
        scaled.setWeight(weight)
    return scaled


class PacketItemDelegate(QStyledItemDelegate):
    """A packet item: drag grip, number, title and type, and the "why this matters" note.

    The note is edited in place (double-click, F2 or Enter); ``remove_requested`` fires
    when the × shown on hover is clicked.
    """

    remove_requested = QtSignal(int)  # asset id
    HEIGHT = 62
    PAD = 10

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(260, self.HEIGHT)

    def _rects(self, rect: QRect) -> dict[str, QRect]:
        inner = rect.adjusted(4, 3, -4, -3)
        left = inner.left() + 48
        return {
            "card": inner,
            "grip": QRect(inner.left() + 8, inner.top(), 10, inner.height()),
            "number": QRect(inner.left() + 20, inner.top() + 10, 22, 22),
            "title": QRect(left, inner.top() + 8, inner.right() - left - 8, 22),
            "note": QRect(left - 4, inner.top() + 31, inner.right() - left - 6, 24),
            "remove": QRect(inner.right() - 26, inner.top() + 8, 20, 20),
        }

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette, font = option.palette, option.font
        rects = self._rects(option.rect)
        _background(painter, option, rects["card"])
        read_only = not bool(index.flags() & Qt.ItemFlag.ItemIsEditable)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        muted = theme.secondary_text(palette)
        acc = theme.accent(palette)

        if not read_only:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.mix(muted, palette.color(QPalette.ColorRole.Base), 0.35))
            grip = rects["grip"]
            for row in range(3):
                for col in range(2):
                    center_y = grip.center().y() - 6 + row * 6
                    painter.drawEllipse(QRectF(grip.left() + col * 5, center_y - 1.2, 2.6, 2.6))

        number = rects["number"]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.mix(palette.color(QPalette.ColorRole.Base), acc, 0.14))
        painter.drawEllipse(QRectF(number))
        painter.setPen(acc)
        painter.setFont(_scaled(font, 0.85, QFont.Weight.Bold))
        painter.drawText(
            number, Qt.AlignmentFlag.AlignCenter, str(item_data(index, item_roles.NumberRole))
        )

        # Title, with the content type (or what changed since sending) on the right.
        title_rect = QRect(rects["title"])
        if hovered and not read_only:
            title_rect.setRight(rects["remove"].left() - 6)
        outdated = item_data(index, item_roles.OutdatedRole) or ""
        kind = (item_data(index, item_roles.TypeRole) or "").capitalize()
        kind = "" if kind == "Other" else kind
        chip = ("warning", "Changed since sent") if outdated else ("neutral", kind)
        if chip[1]:
            metrics = QFontMetrics(chip_font(font))
            width = metrics.horizontalAdvance(chip[1]) + 16
            paint_chips(
                painter,
                QRect(title_rect.right() - width, title_rect.top(), width + 1, title_rect.height()),
                [chip],
                palette,
                font,
            )
            title_rect.setRight(title_rect.right() - width - 8)
        title_font = _scaled(font, 1.02, QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(
            title_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(title_font).elidedText(
                item_data(index) or "", Qt.TextElideMode.ElideRight, title_rect.width()
            ),
        )

        note = item_data(index, item_roles.NoteRole) or ""
        note_rect = rects["note"].adjusted(4, 0, 0, 0)
        note_font = _scaled(font, 0.94)
        note_font.setItalic(True)
        painter.setFont(note_font)
        if outdated:
            painter.setPen(theme.warning_color(palette))
            text = outdated
        elif note:
            painter.setPen(theme.mix(palette.color(QPalette.ColorRole.Text), muted, 0.35))
            text = f"“{note}”"
        else:
            painter.setPen(theme.mix(muted, palette.color(QPalette.ColorRole.Base), 0.25))
            text = "" if read_only else NOTE_PLACEHOLDER
        painter.drawText(
            note_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(note_font).elidedText(
                text, Qt.TextElideMode.ElideRight, note_rect.width()
            ),
        )

        if hovered and not read_only:
            self._paint_remove(painter, rects["remove"], muted)
        painter.restore()

    @staticmethod
    def _paint_remove(painter: QPainter, rect: QRect, color: QColor) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.mix(color, QColor("white"), 0.8))
        painter.drawEllipse(QRectF(rect))
        pen = painter.pen()
        pen.setStyle(Qt.PenStyle.SolidLine)
        pen.setColor(color)
        pen.setWidthF(1.6)
        painter.setPen(pen)
        box = QRectF(rect).adjusted(6.5, 6.5, -6.5, -6.5)
        painter.drawLine(box.topLeft(), box.bottomRight())
        painter.drawLine(box.topRight(), box.bottomLeft())

    def editorEvent(self, event: QEvent, model, option: QStyleOptionViewItem, index: Index) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and bool(index.flags() & Qt.ItemFlag.ItemIsEditable)
            and self._rects(option.rect)["remove"].contains(event.position().toPoint())
        ):
            self.remove_requested.emit(item_data(index, item_roles.AssetIdRole))
            return True
        return super().editorEvent(event, model, option, index)

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent, objectName="itemNoteEditor")
        editor.setPlaceholderText(NOTE_PLACEHOLDER)
        editor.setAccessibleName("Note on this asset")
        editor.setToolTip("Merge fields such as {first_name} and {company} work here too.")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        editor.setText(item_data(index, item_roles.NoteRole) or "")

    def setModelData(self, editor: QWidget, model, index: Index) -> None:
        model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self, editor: QWidget, option: QStyleOptionViewItem, index: Index
    ) -> None:
        editor.setGeometry(self._rects(option.rect)["note"])


class SuggestionDelegate(QStyledItemDelegate):
    """A suggested asset: title, the reason it fits, and an "Add" pill (the row adds it)."""

    HEIGHT = 52

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(240, self.HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette, font = option.palette, option.font
        rect = option.rect.adjusted(4, 2, -4, -2)
        _background(painter, option, rect)
        acc = theme.accent(palette)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)

        pill_font = _scaled(font, 0.85, QFont.Weight.DemiBold)
        pill_text = "+ Add"
        pill_width = QFontMetrics(pill_font).horizontalAdvance(pill_text) + 18
        pill = QRectF(rect.right() - pill_width - 6, rect.center().y() - 11, pill_width, 22)
        painter.setPen(Qt.PenStyle.NoPen)
        soft = theme.mix(palette.color(QPalette.ColorRole.Base), acc, 0.28 if hovered else 0.12)
        painter.setBrush(acc if hovered else soft)
        painter.drawRoundedRect(pill, 11, 11)
        painter.setPen(QColor("white") if hovered else acc)
        painter.setFont(pill_font)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, pill_text)

        text_left, text_right = rect.left() + 10, int(pill.left()) - 10
        title_font = _scaled(font, 0.98, QFont.Weight.DemiBold)
        painter.setFont(title_font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        title = QRect(text_left, rect.top() + 6, text_right - text_left, 20)
        painter.drawText(
            title,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(title_font).elidedText(
                item_data(index) or "", Qt.TextElideMode.ElideRight, title.width()
            ),
        )
        reason_font = _scaled(font, 0.86)
        painter.setFont(reason_font)
        painter.setPen(theme.secondary_text(palette))
        reason = QRect(text_left, rect.top() + 26, text_right - text_left, 18)
        kind = (item_data(index, suggestion_roles.TypeRole) or "").capitalize()
        kind = "" if kind == "Other" else kind
        text = " · ".join(
            part for part in (kind, item_data(index, suggestion_roles.ReasonRole) or "") if part
        )
        painter.drawText(
            reason,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(reason_font).elidedText(text, Qt.TextElideMode.ElideRight, reason.width()),
        )
        painter.restore()
