"""The look of Pitchpack's PDF pages: colours, margins, paragraph styles, and markup lines
and tables as reportlab flowables, in the fonts of a ``FontSet``.

Packets set their pages in Unicode fonts (``fonts.unicode_fonts()``); the sample library
and test fixtures (``library.docgen``) use the same look in the PDF base fonts.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab import platypus
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch

from library.packets.fonts import FontSet
from library.packets.markup import plain_text, runs

NAVY, TEAL, INK, MUTED = "#12355B", "#1C8C82", "#25303B", "#6B7785"
RULE, STRIPE = "#C9D3DC", "#F1F5F8"

#: Letter pages with Pitchpack's margins, for ``platypus.BaseDocTemplate``.
PAGE_LAYOUT = {"leftMargin": 0.9 * inch, "rightMargin": 0.9 * inch, "topMargin": 0.85 * inch}
PAGE_LAYOUT |= {"bottomMargin": inch, "pagesize": LETTER, "invariant": 1}
NO_PADDING = dict.fromkeys(("leftPadding", "rightPadding", "topPadding", "bottomPadding"), 0)


def inline(text: str, fonts: FontSet) -> str:
    """Paragraph markup for one markup line: ``**bold**`` and ``[label](url)`` become bold
    and links; every character is escaped and set in a font that has it."""
    parts = []
    for run, bold, link in runs(text):
        run = fonts.markup(run)
        if bold:
            run = f"<b>{run}</b>"
        if link:
            href = escape(link, {'"': "&quot;"})
            run = f'<link href="{href}" color="{TEAL}">{run}</link>'
        parts.append(run)
    return "".join(parts)


def styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    """Body, heading, list, and table cell and header styles, by block kind."""
    body = ParagraphStyle(
        "para", fontName=fonts.regular, fontSize=10.5, leading=15, textColor=INK, spaceAfter=7
    )
    body.bulletFontName = fonts.regular
    bold = {"parent": body, "fontName": fonts.bold}
    specs = {
        "h1": dict(bold, fontSize=21, leading=26, textColor=NAVY, spaceAfter=12),
        "h2": dict(bold, fontSize=14, leading=18, textColor=NAVY, spaceBefore=10, spaceAfter=6),
        "h3": dict(bold, fontSize=11.5, leading=15, textColor=TEAL, spaceBefore=6, spaceAfter=4),
        "bullet": {"parent": body, "leftIndent": 16, "bulletIndent": 4, "spaceAfter": 4},
        "cell": {"parent": body, "fontSize": 9.5, "leading": 12.5, "spaceAfter": 0},
        "head": dict(bold, fontSize=9.5, leading=12.5, textColor=colors.white, spaceAfter=0),
    }
    return {"para": body} | {name: ParagraphStyle(name, **spec) for name, spec in specs.items()}


def table(
    rows: list[list[str]], styles: dict[str, ParagraphStyle], width: float, fonts: FontSet
) -> platypus.Table:
    """A table of markup cells across ``width``: a navy header row, then striped rows."""
    kinds = ["head"] + ["cell"] * (len(rows) - 1)
    data = [
        [platypus.Paragraph(inline(cell, fonts), styles[kind]) for cell in row]
        for kind, row in zip(kinds, rows, strict=True)
    ]
    # Columns share the width by their longest cell, capped so one long cell cannot starve
    # the others, which keeps label columns narrow and prose columns wide.
    columns = range(len(rows[0]))
    weights = [min(max(len(plain_text(row[c])) for row in rows), 48) + 6 for c in columns]
    widths = [width * weight / sum(weights) for weight in weights]
    result = platypus.Table(data, colWidths=widths, repeatRows=1)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(NAVY)),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor(RULE)),
        ("FONT", (0, 0), (-1, -1), fonts.regular),  # the cells' own, under their paragraphs
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]
    for r in range(2, len(rows), 2):
        commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor(STRIPE)))
    result.setStyle(platypus.TableStyle(commands))
    return result
