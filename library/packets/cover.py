"""The packet's cover page, drawn straight onto the canvas: who it is for, from whom, when."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from library.packets.model import Prospect
from library.packets.settings import RepSettings
from library.packets.typeset import MARGIN, fonts, styles, text
from library.packets.typography import INK, MUTED, NAVY, RULE, TEAL

log = logging.getLogger(__name__)

_PALE = "#A9C4DC"  # light blue-grey that reads well on the navy band
_BAND_TOP, _BAND_BOTTOM = 1.25 * inch, 6.0 * inch  # measured from the top of the page


@dataclass
class CoverData:
    title: str
    prospect: Prospect
    rep: RepSettings
    day: date
    logo: Path | None
    item_count: int


def cover_painter(data: CoverData) -> Callable[[Canvas, object], None]:
    """An ``onPage`` callback that draws the cover for ``data``."""

    def paint(canvas: Canvas, doc) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        _masthead(canvas, data, width, height)
        _band(canvas, data, width, height)
        _columns(canvas, data, height - _BAND_BOTTOM - 0.75 * inch, width)
        canvas.setStrokeColor(colors.HexColor(RULE))
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, 0.9 * inch, width - MARGIN, 0.9 * inch)
        canvas.setFillColor(colors.HexColor(MUTED))
        who = ", ".join(p for p in (data.prospect.full_name, data.prospect.company) if p)
        items = f"{data.item_count} item{'s' if data.item_count != 1 else ''} inside"
        room = width - 2 * MARGIN - fonts().width(items, fonts().regular, 8.5) - 24
        _line(canvas, MARGIN, 0.65 * inch, f"Prepared for {who}", 8.5, room)
        _line(canvas, width - MARGIN, 0.65 * inch, items, 8.5, right=True)
        canvas.restoreState()

    return paint


def _masthead(canvas: Canvas, data: CoverData, width: float, height: float) -> None:
    """The logo (or the rep's company as a word mark) and the date above the band."""
    middle = height - _BAND_TOP / 2
    drawn = False
    if data.logo is not None:
        try:
            image = ImageReader(str(data.logo))
            w, h = image.getSize()
            draw_h = min(0.55 * inch, h)
            draw_w = min(w * draw_h / h, 3 * inch)
            draw_h = draw_w * h / w
            canvas.drawImage(image, MARGIN, middle - draw_h / 2, draw_w, draw_h, mask="auto")
            drawn = True
        except (OSError, ValueError) as exc:
            # A cover without the logo is still a cover: fall back to the word mark.
            log.warning("Logo %s not usable on the packet cover: %s", data.logo, exc)
    if not drawn and data.rep.rep_company:
        canvas.setFillColor(colors.HexColor(NAVY))
        _line(canvas, MARGIN, middle - 5, data.rep.rep_company, 15, 3.6 * inch, bold=True)
    canvas.setFillColor(colors.HexColor(MUTED))
    _line(canvas, width - MARGIN, middle - 4, f"{data.day.day} {data.day:%B %Y}", 10, right=True)


def _band(canvas: Canvas, data: CoverData, width: float, height: float) -> None:
    top, bottom = height - _BAND_TOP, height - _BAND_BOTTOM
    canvas.setFillColor(colors.HexColor(NAVY))
    canvas.rect(0, bottom, width, top - bottom, stroke=0, fill=1)
    canvas.setFillColor(colors.HexColor(TEAL))
    canvas.rect(0, bottom - 0.08 * inch, width, 0.08 * inch, stroke=0, fill=1)
    inner = width - 2 * MARGIN
    canvas.setFillColor(colors.HexColor(_PALE))
    label = f"PREPARED FOR {data.prospect.company.upper()}" if data.prospect.company else ""
    _line(canvas, MARGIN, top - 0.75 * inch, label, 9.5, inner, bold=True)
    canvas.setFillColor(colors.HexColor(TEAL))
    canvas.rect(MARGIN, top - 0.95 * inch, 0.6 * inch, 3, stroke=0, fill=1)
    # A long subject steps down in size rather than run into the name below it.
    room = (top - 1.25 * inch) - (bottom + 1.25 * inch)
    for size in (30, 26, 22, 19, 16):
        style = ParagraphStyle(
            "cover_title", parent=styles()["cover_title"], fontSize=size, leading=size * 1.2
        )
        title = Paragraph(text(data.title), style)
        _, used = title.wrap(inner, room)
        if used <= room:
            break
    title.drawOn(canvas, MARGIN, top - 1.25 * inch - min(used, room))
    name = data.prospect.full_name
    role = ", ".join(part for part in (data.prospect.role, data.prospect.company) if part)
    canvas.setFillColor(colors.white)
    _line(canvas, MARGIN, bottom + 0.85 * inch, name, 15, inner, bold=True)
    canvas.setFillColor(colors.HexColor(_PALE))
    _line(canvas, MARGIN, bottom + 0.55 * inch, role, 11.5, inner)


def _columns(canvas: Canvas, data: CoverData, top: float, width: float) -> None:
    """Two columns under the band: the prospect's details and the rep's."""
    prospect, rep = data.prospect, data.rep
    columns = [
        ("PREPARED FOR", [prospect.full_name, prospect.role, prospect.company, prospect.email]),
        (
            "YOUR CONTACT",
            [rep.rep_name, rep.rep_title, rep.rep_company, rep.rep_email, rep.rep_phone],
        ),
    ]
    column_width = (width - 2 * MARGIN) / 2
    for index, (label, lines) in enumerate(columns):
        x = MARGIN + index * column_width
        canvas.setFillColor(colors.HexColor(TEAL))
        _line(canvas, x, top, label, 8.5, bold=True)
        y = top - 0.3 * inch
        for number, line in enumerate(line for line in lines if line):
            size = 12 if number == 0 else 10.5
            canvas.setFillColor(colors.HexColor(INK if number == 0 else MUTED))
            _line(canvas, x, y, line, size, column_width - 12, bold=number == 0)
            y -= 0.24 * inch if number == 0 else 0.2 * inch


def _line(
    canvas: Canvas,
    x: float,
    y: float,
    line: str,
    size: float,
    width: float | None = None,
    *,
    bold: bool = False,
    right: bool = False,
) -> None:
    """One line of cover text, cut to ``width``, each character in a font that has it."""
    face = fonts()
    font = face.bold if bold else face.regular
    if width is not None:
        line = face.fit(line, font, size, width)
    face.draw(canvas, x, y, line, font, size, right=right)
