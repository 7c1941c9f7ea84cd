"""Typesetting a packet's own pages with reportlab: styles, blocks as flowables, the
contents entries, and a canvas that draws page numbers once the packet's length is known.

Body text uses ``typography``'s styles (as the sample library's PDFs do, which are merged
beside it), set in Unicode fonts with a CJK fallback (``fonts.unicode_fonts()``).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab import platypus
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from library.packets import typography
from library.packets.fonts import FontSet, unicode_fonts
from library.packets.markup import Block
from library.packets.typography import INK, MUTED, NAVY, NO_PADDING, RULE, TEAL

PORTRAIT, SLIDE = LETTER, landscape(LETTER)
MARGIN = 0.9 * inch
TOP, BOTTOM = 0.85 * inch, 1.0 * inch


@dataclass
class Layout:
    """What the build learns about pages, for the canvas and for the final assembly.

    ``starts`` maps a section key to its first page (1-based); ``numbers`` are places
    where a section's first page number is drawn; ``links`` are contents rows to link.
    """

    footers: dict[str, str] = field(default_factory=dict)  # section key -> footer text
    starts: dict[str, int] = field(default_factory=dict)
    numbers: list[tuple[int, float, float, str]] = field(default_factory=list)
    links: list[tuple[int, tuple[float, float, float, float], str]] = field(default_factory=list)
    plain: set[str] = field(default_factory=set)  # sections without header or footer
    total: int = 0

    def section_at(self, page: int) -> str | None:
        found = [(start, key) for key, start in self.starts.items() if start <= page]
        return max(found)[1] if found else None


class DeferredCanvas(Canvas):
    """Keeps every page until ``save``, when the total and each section's start are known,
    then draws footers and contents page numbers (the reportlab "page x of y" recipe)."""

    def __init__(self, *args, layout: Layout, **kwargs) -> None:
        # Every page starts in this font; the default would put Helvetica in the file.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or fonts().regular
        super().__init__(*args, **kwargs)
        self._layout = layout
        self._states: list[dict] = []

    def showPage(self) -> None:  # noqa: N802 - reportlab's name
        self._states.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        layout = self._layout
        layout.total = len(self._states)
        for state in self._states:
            self.__dict__.update(state)
            page = self._pageNumber
            section = layout.section_at(page)
            if section is not None and section not in layout.plain:
                _draw_footer(self, layout.footers.get(section, ""), page, layout.total)
            self.setFont(fonts().bold, 10.5)
            self.setFillColor(colors.HexColor(NAVY))
            for at_page, x, y, key in layout.numbers:
                if at_page == page:
                    self.drawRightString(x, y, str(layout.starts.get(key, "")))
            super().showPage()
        super().save()


def _draw_footer(canvas: Canvas, text: str, page: int, total: int) -> None:
    width, _ = canvas._pagesize
    canvas.saveState()
    canvas.setStrokeColor(colors.HexColor(RULE))
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN, 0.72 * inch, width - MARGIN, 0.72 * inch)
    canvas.setFillColor(colors.HexColor(MUTED))
    face = fonts()
    line = fit_text(text, face.regular, 8.5, width - 3.6 * inch)
    face.draw(canvas, MARGIN, 0.5 * inch, line, face.regular, 8.5)
    face.draw(
        canvas, width - MARGIN, 0.5 * inch, f"Page {page} of {total}", face.regular, 8.5, right=True
    )
    canvas.restoreState()


def draw_header(canvas: Canvas, doc) -> None:
    """The navy and teal bands across the top of every typeset page, as on the sample PDFs."""
    width, height = canvas._pagesize
    canvas.saveState()
    for color, bottom, thickness in ((NAVY, 0.22, 0.22), (TEAL, 0.27, 0.05)):
        canvas.setFillColor(colors.HexColor(color))
        canvas.rect(0, height - bottom * inch, width, thickness * inch, stroke=0, fill=1)
    canvas.restoreState()


def fonts() -> FontSet:
    """The packet's fonts (registered on first use, which takes a moment)."""
    return unicode_fonts()


def fit_text(text: str, font: str, size: float, width: float) -> str:
    """Cut text with an ellipsis so it fits a width on one line."""
    return fonts().fit(text, font, size, width)


def page_templates(draw_cover: Callable) -> list[platypus.PageTemplate]:
    """Cover, portrait page, landscape slide, and the blank stand-in for a merged PDF page."""
    portrait = platypus.Frame(
        MARGIN, BOTTOM, PORTRAIT[0] - 2 * MARGIN, PORTRAIT[1] - TOP - BOTTOM, **NO_PADDING
    )
    slide = platypus.Frame(
        MARGIN, BOTTOM, SLIDE[0] - 2 * MARGIN, SLIDE[1] - TOP - BOTTOM, **NO_PADDING
    )
    return [
        platypus.PageTemplate("cover", [portrait], onPage=draw_cover, pagesize=PORTRAIT),
        platypus.PageTemplate("page", [portrait], onPage=draw_header, pagesize=PORTRAIT),
        platypus.PageTemplate("slide", [slide], onPage=draw_header, pagesize=SLIDE),
        platypus.PageTemplate("blank", [portrait], pagesize=PORTRAIT),
    ]


# -- styles and text ------------------------------------------------------------------------


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """Every paragraph style of a packet, by name: body kinds, cover, contents and slides."""
    face = fonts()
    regular, bold = face.regular, face.bold
    result = typography.styles(face)
    specs = {
        "kicker": dict(fontName=bold, fontSize=8.5, leading=11, textColor=TEAL),
        "note": dict(fontName=regular, fontSize=11.5, leading=17.5, textColor=INK, spaceAfter=10),
        "date": dict(fontName=regular, fontSize=10, leading=14, textColor=MUTED, spaceAfter=18),
        "toc_title": dict(fontName=bold, fontSize=12, leading=15.5, textColor=INK),
        "toc_meta": dict(fontName=regular, fontSize=8.5, leading=12, textColor=MUTED),
        "toc_note": dict(fontName=face.italic, fontSize=9.5, leading=13.5, textColor=INK),
        "toc_number": dict(fontName=bold, fontSize=12, leading=15.5, textColor=TEAL),
        "muted": dict(fontName=regular, fontSize=10, leading=14, textColor=MUTED, spaceAfter=16),
        "slide_h1": dict(fontName=bold, fontSize=28, leading=34, textColor=NAVY),
        "slide_bullet": dict(fontName=regular, fontSize=17, leading=24, textColor=INK),
        "cover_title": dict(fontName=bold, fontSize=30, leading=36, textColor=colors.white),
    }
    for name, spec in specs.items():
        result[name] = ParagraphStyle(name, **spec)
    for heading in ("h1", "h2", "h3", "kicker"):
        result[heading].keepWithNext = 1  # never a heading alone at the foot of a page
    result["kicker"].spaceAfter = 6
    result["slide_h1"].spaceAfter = 22
    result["slide_bullet"].spaceAfter = 10
    result["slide_bullet"].leftIndent, result["slide_bullet"].bulletIndent = 24, 4
    result["slide_bullet"].bulletFontSize = 17
    return result


def text(value: str) -> str:
    """Plain text as Paragraph markup: escaped, each character in a font that has it."""
    return fonts().markup(value)


def inline(text: str) -> str:
    """Paragraph markup for lines of markup; line breaks are kept."""
    return "<br/>".join(typography.inline(line, fonts()) for line in text.split("\n"))


def paragraphs(text: str, style: str) -> list[platypus.Flowable]:
    """A paragraph per blank-line-separated chunk of plain text."""
    chunks = [chunk.strip("\n") for chunk in text.replace("\r\n", "\n").split("\n\n")]
    return [platypus.Paragraph(inline(c), styles()[style]) for c in chunks if c.strip()]


def type_label(content_type: str) -> str:
    """How a content type reads to a prospect ("other" is just a document)."""
    return {"other": "document", "video/link": "video"}.get(content_type, content_type)


def kicker(text: str) -> platypus.Paragraph:
    return platypus.Paragraph(fonts().markup(text.upper()), styles()["kicker"])


def block_flowables(blocks: list[Block], width: float, *, slide: bool = False) -> list:
    """Flowables for one page of blocks, in the body styles (or a slide's larger type)."""
    flowables: list = []
    number = 0
    all_styles = styles()
    for block in blocks:
        number = number + 1 if block.kind == "number" else 0
        if block.kind == "table":
            table = typography.table(block.rows, all_styles, width, fonts())
            flowables += [table, platypus.Spacer(1, 10)]
            continue
        if slide:
            style = all_styles["slide_h1" if block.kind.startswith("h") else "slide_bullet"]
            bullet = "•" if block.kind in ("bullet", "number") else None
        else:
            style = all_styles["bullet" if block.kind == "number" else block.kind]
            bullet = {"bullet": "•", "number": f"{number}."}.get(block.kind)
        flowables.append(platypus.Paragraph(inline(block.text), style, bulletText=bullet))
    return flowables


class SlidePictures(platypus.Flowable):
    """A textless slide's pictures where they sit on the slide, the slide fitted to the
    frame; what spills past the slide's edge is cut off, as in a slide show.

    :param pictures: objects with ``data`` (image bytes) and ``box`` (left, top, width,
        height as fractions of the slide).
    :param aspect: the slide's width over its height.
    """

    def __init__(self, pictures: Sequence, width: float, height: float, aspect: float) -> None:
        super().__init__()
        self.pictures, self.aspect = pictures, aspect
        self.width, self.height = width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        width, height = self.width, self.height
        if width / height > self.aspect:
            slide_w, slide_h = height * self.aspect, height
        else:
            slide_w, slide_h = width, width / self.aspect
        left, bottom = (width - slide_w) / 2, (height - slide_h) / 2
        canvas = self.canv
        canvas.saveState()
        clip = canvas.beginPath()
        clip.rect(left, bottom, slide_w, slide_h)
        canvas.clipPath(clip, stroke=0, fill=0)
        for picture in self.pictures:
            x, y, w, h = picture.box
            canvas.drawImage(
                ImageReader(io.BytesIO(picture.data)),
                left + x * slide_w,
                bottom + slide_h - (y + h) * slide_h,
                w * slide_w,
                h * slide_h,
                preserveAspectRatio=True,
                anchor="c",
                mask="auto",
            )
        canvas.restoreState()


# -- flowables that report where they landed ----------------------------------------------


class Anchor(platypus.Flowable):
    """Takes no room; records the page it lands on as the start of a section."""

    def __init__(self, layout: Layout, key: str) -> None:
        super().__init__()
        self.layout, self.key = layout, key
        self.width = self.height = 0

    def draw(self) -> None:
        self.layout.starts.setdefault(self.key, self.canv.getPageNumber())


class ContentsEntry(platypus.Flowable):
    """One row of the contents: number, title, type and pages, the rep's note, and the
    page number (drawn at the end); the whole row becomes a link."""

    NUMBER_WIDTH, PAGE_WIDTH, GAP = 0.45 * inch, 0.6 * inch, 8

    def __init__(
        self, layout: Layout, key: str, number: int, title: str, meta: str, note: str
    ) -> None:
        super().__init__()
        self.layout, self.key = layout, key
        all_styles = styles()
        self.number = platypus.Paragraph(f"{number:02d}", all_styles["toc_number"])
        self.parts = [platypus.Paragraph(text(title), all_styles["toc_title"])]
        self.parts.append(platypus.Paragraph(text(meta.upper()), all_styles["toc_meta"]))
        if note.strip():
            self.parts.append(platypus.Paragraph(inline(note.strip()), all_styles["toc_note"]))

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        text_width = available_width - self.NUMBER_WIDTH - self.PAGE_WIDTH
        self.heights = [part.wrap(text_width, available_height)[1] for part in self.parts]
        self.number.wrap(self.NUMBER_WIDTH, available_height)
        self.height = sum(self.heights) + 3 * (len(self.parts) - 1) + 2 * self.GAP + 4
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        top = self.height - self.GAP
        self.number.drawOn(canvas, 0, top - self.number.height)
        y = top
        for part, height in zip(self.parts, self.heights, strict=True):
            y -= height
            part.drawOn(canvas, self.NUMBER_WIDTH, y)
            y -= 3
        canvas.setStrokeColor(colors.HexColor(RULE))
        canvas.setLineWidth(0.5)
        canvas.line(0, 0, self.width, 0)
        page = canvas.getPageNumber()
        x, baseline = canvas.absolutePosition(self.width, top - 12)
        self.layout.numbers.append((page, x, baseline, self.key))
        x0, y0 = canvas.absolutePosition(0, 0)
        x1, y1 = canvas.absolutePosition(self.width, self.height)
        self.layout.links.append((page, (x0, y0, x1, y1), self.key))
