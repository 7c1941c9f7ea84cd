"""Item delegates that draw result cards, chips and facet rows: no widgets inside cells.

Painting runs for every visible cell on every repaint, so what does not change between
paints (fonts and their metrics, chips, laid-out snippets) is built once and cached.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import NamedTuple, TypeVar

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QPainter,
    QPalette,
    QPixmap,
    QTextDocument,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from ui import theme
from ui.models import facets as facet_roles
from ui.models import item_data
from ui.models import results as result_roles
from ui.models.roles import ChipsRole

Index = QModelIndex | QPersistentModelIndex
CHIP_HEIGHT = 20
CHIP_GAP = 5
RELATED_MARK = " · related"
T = TypeVar("T")


class LruCache:
    """A small least-recently-used cache: ``get(key, make)`` calls ``make()`` on a miss."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, object] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        try:
            self._items.move_to_end(key)
        except KeyError:
            self._items[key] = make()
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return self._items[key]  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self._items)


class _Fonts(NamedTuple):
    font: QFont
    metrics: QFontMetrics


class _Chip(NamedTuple):
    pixmap: QPixmap
    width: int  # in device-independent pixels


# Fonts derived from a view's font, and drawn chips. Keys hold everything the value
# depends on (font, palette, screen scale), so a theme change simply misses.
_FONTS = LruCache(64)
_CHIPS = LruCache(512)


def _derived_font(
    base: QFont, scale: float, weight: QFont.Weight, minimum: float = 0.0, spacing: float = 0.0
) -> _Fonts:
    """``base`` scaled, of this weight (and letter spacing in percent), with its metrics."""

    def make() -> _Fonts:
        font = QFont(base)
        if scale != 1.0:
            font.setPointSizeF(max(minimum, base.pointSizeF() * scale))
        font.setWeight(weight)
        if spacing:
            font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, spacing)
        return _Fonts(font, QFontMetrics(font))

    return _FONTS.get((base.key(), scale, weight, minimum, spacing), make)


def chip_font(base: QFont) -> QFont:
    return QFont(_chip_fonts(base).font)


def _chip_fonts(base: QFont) -> _Fonts:
    return _derived_font(base, 0.82, QFont.Weight.DemiBold, 7.5)


def _chip(kind: str, label: str, palette: QPalette, font: QFont, looks: tuple) -> _Chip:
    """A chip drawn once into a pixmap, then reused; ``looks`` is from ``_chip_looks``."""

    def make() -> _Chip:
        small = _chip_fonts(font)
        width = small.metrics.horizontalAdvance(label) + 16
        style = theme.chip_style(kind, palette)
        dpr = looks[-1]
        pixmap = QPixmap(math.ceil(width * dpr), math.ceil(CHIP_HEIGHT * dpr))
        pixmap.setDevicePixelRatio(dpr)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(style.background)
        radius = CHIP_HEIGHT / 2
        painter.drawRoundedRect(QRectF(0, 0, width, CHIP_HEIGHT), radius, radius)
        painter.setFont(small.font)
        painter.setPen(style.foreground)
        painter.drawText(QRect(0, 0, width, CHIP_HEIGHT), Qt.AlignmentFlag.AlignCenter, label)
        painter.end()
        return _Chip(pixmap, width)

    return _CHIPS.get((kind, label, *looks), make)


def _chip_looks(painter: QPainter, palette: QPalette, font: QFont) -> tuple:
    """What a chip's pixels depend on besides its kind and label."""
    return palette.cacheKey(), font.key(), painter.device().devicePixelRatio()


def chip_width(label: str, font: QFont) -> int:
    """The width ``paint_chips`` gives a chip with this label."""
    return _chip_fonts(font).metrics.horizontalAdvance(label) + 16


def paint_chips(
    painter: QPainter, rect: QRect, chips: list[tuple[str, str]], palette: QPalette, font: QFont
) -> int:
    """Draw (kind, label) chips left to right inside ``rect``; returns the x after the last.

    Chips that do not fit are summarised as "+N".
    """
    looks = _chip_looks(painter, palette, font)
    x = rect.left()
    top = rect.top() + (rect.height() - CHIP_HEIGHT) // 2
    for n, (kind, label) in enumerate(chips):
        chip = _chip(kind, label, palette, font, looks)
        rest = len(chips) - n - 1
        reserve = _chip("neutral", f"+{rest}", palette, font, looks).width + 2 if rest else 0
        if x + chip.width + reserve > rect.right():
            if x + reserve <= rect.right() + 4:
                more = _chip("neutral", f"+{len(chips) - n}", palette, font, looks)
                painter.drawPixmap(QPoint(x, top), more.pixmap)
                x += more.width + CHIP_GAP
            break
        painter.drawPixmap(QPoint(x, top), chip.pixmap)
        x += chip.width + CHIP_GAP
    return x


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


def whole_lines_height(doc: QTextDocument, limit: float) -> float:
    """The height from the document's top to the bottom of its last line ending within ``limit``."""
    doc.documentLayout()  # lays the document out if it was not yet
    bottom = 0.0
    block = doc.begin()
    while block.isValid():
        layout = block.layout()
        top = layout.position().y()
        for n in range(layout.lineCount()):
            line = layout.lineAt(n)
            end = top + line.y() + line.height()
            if end > limit:
                return bottom
            bottom = end
        block = block.next()
    return bottom


class ResultDelegate(QStyledItemDelegate):
    """A result card: title and page, type and stage/persona chips, a highlighted snippet."""

    HEIGHT = 112
    PAD = 14

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        # Laying out a snippet's HTML took ~2.7 ms a card, on every repaint and scroll.
        self._documents = LruCache(128)

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
        hit = item_data(index, result_roles.HitRole)
        page = result_roles.page_label(hit.page, hit.section) if hit is not None else ""
        title_font, metrics = _derived_font(option.font, 1.12, QFont.Weight.DemiBold)
        right = inner.right()
        if page:
            width = chip_width(page, option.font)
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
        type_font, type_metrics = _derived_font(option.font, 0.88, option.font.weight())
        painter.setFont(type_font)
        painter.setPen(theme.secondary_text(palette))
        type_text = (item_data(index, result_roles.TypeRole) or "").capitalize()
        if item_data(index, result_roles.MatchRole) == "related":
            type_text += RELATED_MARK  # quiet: found by meaning, not by the words typed
        type_width = type_metrics.horizontalAdvance(type_text)
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
        snippet = item_data(index, result_roles.SnippetRole) or ""
        key = (
            item_data(index, result_roles.AssetIdRole),
            snippet,
            inner.width(),
            option.font.key(),
            palette.cacheKey(),
        )
        doc = self._documents.get(
            key, lambda: self._snippet_document(snippet, option, inner.width())
        )
        painter.translate(inner.left() - 4, y - 4)
        # Cut after the last line that fits whole, never through a line of text.
        clip = QRectF(0, 0, inner.width() + 8, whole_lines_height(doc, inner.bottom() - y + 8))
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
    """Table cells whose ``ChipsRole`` holds (kind, label) pairs are drawn as chips; other
    cells as usual. ``extra_width`` is added to the cell's size hint for the chips' padding
    (more where a wider chip such as "N outdated" may join the text's)."""

    def __init__(self, parent=None, *, extra_width: int = 16, extra_height: int = 10) -> None:
        super().__init__(parent)
        self.extra_width, self.extra_height = extra_width, extra_height

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        chips = item_data(index, ChipsRole)
        if not chips:
            super().paint(painter, option, index)
            return
        # The background, selection and focus as the style draws them for an empty cell.
        # initStyleOption() is skipped: it reads seven roles through Qt for a text that
        # is not drawn, and was a third of the table's paint time.
        opt = QStyleOptionViewItem(option)
        opt.index = index
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        paint_chips(painter, option.rect.adjusted(6, 0, -4, 0), chips, option.palette, option.font)

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(
            size.width() + self.extra_width, max(size.height(), CHIP_HEIGHT + self.extra_height)
        )


class FacetDelegate(QStyledItemDelegate):
    """Facet headings, values with counts (active ones ticked), and "Show all" links."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        kind = item_data(index, facet_roles.KindRole)
        return QSize(option.rect.width(), {"facet": 38, "more": 26}.get(kind, 28))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        kind = item_data(index, facet_roles.KindRole)
        colors = _facet_colors(QGuiApplication.palette())  # the tree's own is transparent
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect
        # Children are indented by the view; draw from the viewport's left so rows line up.
        left = 10
        if kind == "facet":
            painter.setFont(_derived_font(option.font, 0.8, QFont.Weight.Bold, spacing=108).font)
            painter.setPen(colors.secondary)
            painter.drawText(
                QRect(left, rect.top() + 12, rect.right() - left, rect.height() - 12),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                (item_data(index) or "").upper(),
            )
        elif kind == "more":
            painter.setPen(colors.accent)
            painter.setFont(option.font)
            painter.drawText(
                QRect(left + 26, rect.top(), rect.width(), rect.height()),
                Qt.AlignmentFlag.AlignVCenter,
                item_data(index) or "",
            )
        else:
            self._paint_value(painter, option, index, left, colors)
        painter.restore()

    def _paint_value(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: Index,
        left: int,
        colors: _FacetColors,
    ) -> None:
        rect = option.rect
        active = bool(item_data(index, facet_roles.ActiveRole))
        count = item_data(index, facet_roles.CountRole) or 0
        acc = colors.accent
        row = QRectF(left - 4, rect.top() + 1, rect.right() - left, rect.height() - 2)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        if active or hovered:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colors.active_fill if active else colors.hover_fill)
            painter.drawRoundedRect(row, 6, 6)
        box = QRectF(left + 3, rect.center().y() - 7, 14, 14)
        painter.setBrush(acc if active else Qt.BrushStyle.NoBrush)
        painter.setPen(acc if active else colors.box)
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
        weight = QFont.Weight.DemiBold if active else option.font.weight()
        font, metrics = _derived_font(option.font, 1.0, weight)
        painter.setFont(font)
        count_text = str(count)
        count_width = metrics.horizontalAdvance(count_text) + 14
        text_rect = QRect(
            left + 26, rect.top(), rect.right() - left - 26 - count_width, rect.height()
        )
        painter.setPen(acc if active else colors.text)
        if count == 0 and not active:
            painter.setPen(colors.secondary)
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(
                item_data(index) or "", Qt.TextElideMode.ElideRight, text_rect.width()
            ),
        )
        painter.setPen(colors.secondary)
        painter.drawText(
            QRect(rect.right() - count_width - 4, rect.top(), count_width, rect.height()),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            count_text,
        )


class _FacetColors(NamedTuple):
    accent: QColor
    text: QColor
    secondary: QColor
    active_fill: QColor
    hover_fill: QColor
    box: QColor


_FACET_COLORS = LruCache(8)


def _facet_colors(palette: QPalette) -> _FacetColors:
    def make() -> _FacetColors:
        window = palette.color(QPalette.ColorRole.Window)
        text = palette.color(QPalette.ColorRole.Text)
        acc = theme.accent(palette)
        return _FacetColors(
            accent=acc,
            text=text,
            secondary=theme.secondary_text(palette),
            active_fill=theme.mix(window, acc, 0.14),
            hover_fill=theme.mix(window, text, 0.05),
            box=theme.mix(window, text, 0.35),
        )

    return _FACET_COLORS.get(palette.cacheKey(), make)
