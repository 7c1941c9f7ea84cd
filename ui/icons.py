"""Icons from ``assets/icons``: line drawings tinted to the palette, so they suit dark mode too."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from ui import theme
from ui.theme import ICON_DIR

_SIZES = (16, 20, 24, 32, 48)


@cache
def _svg(name: str) -> str:
    return (ICON_DIR / f"{name}.svg").read_text(encoding="utf-8")


def _pixmap(svg: str, size: int) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(svg.encode()))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


@cache
def _icon(name: str, color: str, disabled: str) -> QIcon:
    icon = QIcon()
    for mode, tint in ((QIcon.Mode.Normal, color), (QIcon.Mode.Disabled, disabled)):
        svg = _svg(name).replace("currentColor", tint)
        for size in _SIZES:
            icon.addPixmap(_pixmap(svg, size), mode)
    return icon


def icon(name: str, color: QColor | str | None = None) -> QIcon:
    """The icon ``name`` drawn in ``color`` (default: the palette's text colour)."""
    if color is None:
        color = theme.mix(
            theme.secondary_text(), QColor("black" if not theme.is_dark() else "white"), 0.25
        )
    color = QColor(color).name()
    return _icon(name, color, theme.secondary_text().lighter(120).name())


def app_icon() -> QIcon:
    icon_ = QIcon()
    for size in _SIZES + (64, 128, 256):
        icon_.addPixmap(_pixmap(_svg("app"), size))
    return icon_
