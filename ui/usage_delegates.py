"""Delegates of the usage dashboard: heat map cells and weekly sparklines, painted in place."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui import theme
from ui.models import item_data
from ui.models.usage_tables import IntensityRole, WeeksRole

Index = QModelIndex | QPersistentModelIndex


class HeatMapDelegate(QStyledItemDelegate):
    """A rounded tile tinted by the cell's intensity, its score on top."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        intensity = float(item_data(index, IntensityRole) or 0.0)
        palette = QGuiApplication.palette()  # the view's is transparent under its style sheet
        base = palette.color(QPalette.ColorRole.Base)
        hot = theme.accent(palette)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        tile = QRectF(option.rect).adjusted(2, 2, -2, -2)
        fill = (
            theme.mix(base, hot, 0.06 + 0.84 * intensity)
            if intensity
            else theme.mix(base, palette.color(QPalette.ColorRole.Text), 0.03)
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(tile, 5, 5)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.setPen(QPen(hot, 1.5))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(tile.adjusted(0.75, 0.75, -0.75, -0.75), 5, 5)
        text = palette.color(QPalette.ColorRole.Text)
        strong = base if theme.is_dark(palette) else QColor("white")  # against a deep tile
        painter.setPen(strong if intensity > 0.5 else text)
        font = option.font
        font.setWeight(font.Weight.DemiBold if intensity > 0.25 else font.Weight.Normal)
        painter.setFont(font)
        painter.drawText(tile, Qt.AlignmentFlag.AlignCenter, str(index.data() or ""))
        painter.restore()


class SparklineDelegate(QStyledItemDelegate):
    """A gap's searches per week as a small line over the weeks of the period shown."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.first_week: date | None = None
        self.last_week: date | None = None

    def set_weeks(self, first: date | None, last: date | None) -> None:
        self.first_week, self.last_week = first, last

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        weeks = item_data(index, WeeksRole) or []
        if not weeks:
            return
        counts = {date.fromisoformat(w["week"]): w["searches"] for w in weeks}
        first = self.first_week or min(counts)
        last = self.last_week or max(counts)
        span = max((last - first).days // 7, 1)
        values = [counts.get(first + timedelta(weeks=i), 0) for i in range(span + 1)]
        top = max(values) or 1
        area = QRectF(option.rect).adjusted(6, 7, -6, -7)
        path = QPainterPath()
        for i, value in enumerate(values):
            point = QPointF(
                area.left() + area.width() * i / max(len(values) - 1, 1),
                area.bottom() - area.height() * value / top,
            )
            path.moveTo(point) if i == 0 else path.lineTo(point)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = theme.warning_color(QGuiApplication.palette())
        painter.setPen(QPen(colour, 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawPath(path)
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(path.currentPosition(), 2.2, 2.2)
        painter.restore()
