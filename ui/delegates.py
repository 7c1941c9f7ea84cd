"""Item delegates that draw result cards, chips and facet rows: no widgets inside cells."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui import theme
from ui.models import facets as facet_roles
from ui.models import item_data
from ui.models import results as result_roles
from ui.models.asset_table import ChipsRole

Index = QModelIndex | QPersistentModelIndex
CHIP_HEIGHT = 20
CHIP_GAP = 5


def chip_font(base: QFont) -> QFont:
    font = QFont(base)
    font.setPointSizeF(max(7.5, base.pointSizeF() * 0.82))
    font.setWeight(QFont.Weight.DemiBold)
    return font


def paint_chips(
    painter: QPainter, rect: QRect, chips: list[tuple[str, str]], palette: QPalette, font: QFont
) -> int:
    """Draw (kind, label) chips left to right inside ``rect``; returns the x after the last.

    Chips that do not fit are summarised as "+N".
    """
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    small = chip_font(font)
    painter.setFont(small)
    metrics = QFontMetrics(small)
    x = rect.left()
    top = rect.top() + (rect.height() - CHIP_HEIGHT) // 2
    for n, (kind, label) in enumerate(chips):
        width = metrics.horizontalAdvance(label) + 16
        rest = len(chips) - n - 1
        reserve = metrics.horizontalAdvance(f"+{rest}") + 18 if rest else 0
        if x + width + reserve > rect.right():
            x = (
                _chip(
                    painter,
                    x,
                    top,
                    f"+{len(chips) - n}",
                    theme.chip_style("neutral", palette),
                    metrics,
                )
                if x + reserve <= rect.right() + 4
                else x
            )
            break
        x = _chip(painter, x, top, label, theme.chip_style(kind, palette), metrics)
    painter.restore()
    return x


def _chip(
    painter: QPainter, x: int, top: int, label: str, style: theme.ChipStyle, metrics: QFontMetrics
) -> int:
    width = metrics.horizontalAdvance(label) + 16
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(style.background)
    painter.drawRoundedRect(QRectF(x, top, width, CHIP_HEIGHT), CHIP_HEIGHT / 2, CHIP_HEIGHT / 2)
    painter.setPen(style.foreground)
    painter.drawText(QRect(x, top, width, CHIP_HEIGHT), Qt.AlignmentFlag.AlignCenter, label)
    return x + width + CHIP_GAP


def _selection_colors(option: QStyleOptionViewItem) -> tuple[QColor | None, bool]:
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
    base = option.palette.color(QPalette.ColorRole.Base)
    acc = theme.accent(option.palette)
    if selected:
        return theme.mix(base, acc, 0.13), True
    if hovered:
        return theme.mix(base, option.palette.color(QPalette.ColorRole.Text), 0.04), False
    return None, False


class ResultDelegate(QStyledItemDelegate):
    """A result card: title and page, type and stage/persona chips, a highlighted snippet."""

    HEIGHT = 112
    PAD = 14

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(320, self.HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = option.palette
        rect = option.rect.adjusted(6, 3, -6, -3)
        fill, selected = _selection_colors(option)
        if fill is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(QRectF(rect), 8, 8)
        if selected:
            painter.setBrush(theme.accent(palette))
            painter.drawRoundedRect(
                QRectF(rect.left(), rect.top() + 10, 3, rect.height() - 20), 1.5, 1.5
            )
        inner = rect.adjusted(self.PAD, 10, -self.PAD, -8)

        # Title line, with the best page as a chip on the right.
        page = result_roles.page_label(item_data(index, result_roles.PageRole))
        title_font = QFont(option.font)
        title_font.setPointSizeF(option.font.pointSizeF() * 1.12)
        title_font.setWeight(QFont.Weight.DemiBold)
        metrics = QFontMetrics(title_font)
        right = inner.right()
        if page:
            small = QFontMetrics(chip_font(option.font))
            width = small.horizontalAdvance(page) + 16
            paint_chips(
                painter,
                QRect(right - width, inner.top(), width + 1, metrics.height()),
                [("stage", page)],
                palette,
                option.font,
            )
            right -= width + 8
        painter.setFont(title_font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        title = metrics.elidedText(
            item_data(index, Qt.ItemDataRole.DisplayRole) or "",
            Qt.TextElideMode.ElideRight,
            right - inner.left(),
        )
        painter.drawText(
            QRect(inner.left(), inner.top(), right - inner.left(), metrics.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,
        )

        # Type, then chips.
        y = inner.top() + metrics.height() + 5
        type_font = QFont(option.font)
        type_font.setPointSizeF(option.font.pointSizeF() * 0.88)
        painter.setFont(type_font)
        painter.setPen(theme.secondary_text(palette))
        type_text = (item_data(index, result_roles.TypeRole) or "").capitalize()
        type_width = QFontMetrics(type_font).horizontalAdvance(type_text)
        painter.drawText(
            QRect(inner.left(), y, type_width + 2, CHIP_HEIGHT),
            Qt.AlignmentFlag.AlignVCenter,
            type_text,
        )
        paint_chips(
            painter,
            QRect(inner.left() + type_width + 12, y, inner.width() - type_width - 12, CHIP_HEIGHT),
            item_data(index, result_roles.ChipsRole) or [],
            palette,
            option.font,
        )

        # Snippet, two lines at most, matched words highlighted.
        y += CHIP_HEIGHT + 6
        doc = self._snippet_document(
            item_data(index, result_roles.SnippetRole) or "", option, inner.width()
        )
        painter.translate(inner.left() - 4, y - 4)
        clip = QRectF(0, 0, inner.width() + 8, inner.bottom() - y + 8)
        painter.setClipRect(clip)
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(
            QPalette.ColorRole.Text,
            theme.mix(
                palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.18
            ),
        )
        context.clip = clip
        doc.documentLayout().draw(painter, context)
        painter.restore()

    @staticmethod
    def _snippet_document(snippet: str, option: QStyleOptionViewItem, width: int) -> QTextDocument:
        doc = QTextDocument()
        font = QFont(option.font)
        font.setPointSizeF(option.font.pointSizeF() * 0.94)
        doc.setDefaultFont(font)
        mark = theme.chip_style("suggested", option.palette).background.name()
        text = theme.mix(
            option.palette.color(QPalette.ColorRole.Text),
            option.palette.color(QPalette.ColorRole.Base),
            0.0,
        ).name()
        doc.setDefaultStyleSheet(f"b {{ background-color: {mark}; color: {text}; }}")
        doc.setHtml(snippet)
        doc.setTextWidth(width + 4)
        return doc


class ChipDelegate(QStyledItemDelegate):
    """Table cells whose ``ChipsRole`` holds (kind, label) pairs are drawn as chips."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        chips = item_data(index, ChipsRole)
        if not chips:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        paint_chips(painter, option.rect.adjusted(6, 0, -4, 0), chips, option.palette, option.font)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 16, max(size.height(), CHIP_HEIGHT + 10))


class FacetDelegate(QStyledItemDelegate):
    """Facet headings, values with counts (active ones ticked), and "Show all" links."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        kind = item_data(index, facet_roles.KindRole)
        return QSize(option.rect.width(), {"facet": 38, "more": 26}.get(kind, 28))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        kind = item_data(index, facet_roles.KindRole)
        palette = QGuiApplication.palette()  # the tree's own is transparent
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect
        # Children are indented by the view; draw from the viewport's left so rows line up.
        left = 10
        if kind == "facet":
            font = QFont(option.font)
            font.setPointSizeF(option.font.pointSizeF() * 0.8)
            font.setWeight(QFont.Weight.Bold)
            font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
            painter.setFont(font)
            painter.setPen(theme.secondary_text(palette))
            painter.drawText(
                QRect(left, rect.top() + 12, rect.right() - left, rect.height() - 12),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                (item_data(index) or "").upper(),
            )
        elif kind == "more":
            painter.setPen(theme.accent(palette))
            painter.setFont(option.font)
            painter.drawText(
                QRect(left + 26, rect.top(), rect.width(), rect.height()),
                Qt.AlignmentFlag.AlignVCenter,
                item_data(index) or "",
            )
        else:
            self._paint_value(painter, option, index, left)
        painter.restore()

    def _paint_value(
        self, painter: QPainter, option: QStyleOptionViewItem, index: Index, left: int
    ) -> None:
        palette = QGuiApplication.palette()  # the tree's own is transparent
        rect = option.rect
        active = bool(item_data(index, facet_roles.ActiveRole))
        count = item_data(index, facet_roles.CountRole) or 0
        acc = theme.accent(palette)
        row = QRectF(left - 4, rect.top() + 1, rect.right() - left, rect.height() - 2)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        if active or hovered:
            painter.setPen(Qt.PenStyle.NoPen)
            base = palette.color(QPalette.ColorRole.Window)
            painter.setBrush(
                theme.mix(base, acc, 0.14)
                if active
                else theme.mix(base, palette.color(QPalette.ColorRole.Text), 0.05)
            )
            painter.drawRoundedRect(row, 6, 6)
        box = QRectF(left + 3, rect.center().y() - 7, 14, 14)
        painter.setBrush(acc if active else Qt.BrushStyle.NoBrush)
        painter.setPen(
            acc
            if active
            else theme.mix(
                palette.color(QPalette.ColorRole.Window),
                palette.color(QPalette.ColorRole.Text),
                0.35,
            )
        )
        painter.drawRoundedRect(box, 4, 4)
        if active:
            painter.setPen(QColor("white"))
            painter.drawLine(
                QPointF(box.left() + 3.5, box.center().y()),
                QPointF(box.left() + 6, box.bottom() - 3.5),
            )
            painter.drawLine(
                QPointF(box.left() + 6, box.bottom() - 3.5), QPointF(box.right() - 3, box.top() + 4)
            )
        font = QFont(option.font)
        if active:
            font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        count_text = str(count)
        count_width = metrics.horizontalAdvance(count_text) + 14
        text_rect = QRect(
            left + 26, rect.top(), rect.right() - left - 26 - count_width, rect.height()
        )
        painter.setPen(acc if active else palette.color(QPalette.ColorRole.Text))
        if count == 0 and not active:
            painter.setPen(theme.secondary_text(palette))
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(
                item_data(index) or "", Qt.TextElideMode.ElideRight, text_rect.width()
            ),
        )
        painter.setPen(theme.secondary_text(palette))
        painter.drawText(
            QRect(rect.right() - count_width - 4, rect.top(), count_width, rect.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            count_text,
        )
