"""Writers of real PDF, DOCX, PPTX and HTML documents from Pitchpack's line-based markup
(``library.packets.markup``), in the packets' look (``library.packets.typography``).

Used to render the sample library and to build test fixtures with known words on known pages.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import docx
import pptx
from docx.shared import Pt
from docx.shared import RGBColor as DocxColor
from markdown_it import MarkdownIt
from pptx.dml.color import RGBColor as PptxColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Inches
from pptx.util import Pt as PptxPt
from reportlab import platypus
from reportlab.lib import colors
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch

from library.packets import typography
from library.packets.fonts import HELVETICA
from library.packets.markup import Block, parse_markup, plain_text, runs

__all__ = ["Block", "Slide", "markdown_to_html", "parse_markup", "plain_text"]
__all__ += ["write_docx", "write_html", "write_pdf", "write_pptx"]

# Fixed timestamps keep generated files byte-identical from run to run, so content hashes hold.
_FIXED_TIME = datetime(2026, 1, 5, 9, 0, 0)
_ZIP_TIME = (2026, 1, 5, 9, 0, 0)

_NAVY, _TEAL, _INK, _MUTED = typography.NAVY, typography.TEAL, typography.INK, typography.MUTED
_RULE, _STRIPE = typography.RULE, typography.STRIPE


@dataclass
class Slide:
    """One slide: a title, its bullet lines and optional speaker notes."""

    title: str
    bullets: list[str]
    notes: str = ""


def _pdf_page(text: str, styles: dict[str, ParagraphStyle], width: float) -> list:
    flowables = []
    number = 0
    for block in parse_markup(text):
        number = number + 1 if block.kind == "number" else 0
        if block.kind == "table":
            table = typography.table(block.rows, styles, width, HELVETICA)
            flowables += [table, platypus.Spacer(1, 10)]
            continue
        style = styles["bullet" if block.kind == "number" else block.kind]
        bullet = {"bullet": "•", "number": f"{number}."}.get(block.kind)
        text = typography.inline(block.text, HELVETICA)
        flowables.append(platypus.Paragraph(text, style, bulletText=bullet))
    return flowables or [platypus.Spacer(1, 1)]


def _pdf_decorator(title: str | None, total: int) -> Callable:
    def draw(canvas, doc) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        for color, bottom, thickness in ((_NAVY, 0.22, 0.22), (_TEAL, 0.27, 0.05)):
            canvas.setFillColor(colors.HexColor(color))
            canvas.rect(0, height - bottom * inch, width, thickness * inch, stroke=0, fill=1)
        canvas.setStrokeColor(colors.HexColor(_RULE))
        canvas.setLineWidth(0.6)
        canvas.line(doc.leftMargin, 0.72 * inch, width - doc.rightMargin, 0.72 * inch)
        canvas.setFont(HELVETICA.regular, 8.5)
        canvas.setFillColor(colors.HexColor(_MUTED))
        if title:
            canvas.drawString(doc.leftMargin, 0.5 * inch, title[:90])
        canvas.drawRightString(width - doc.rightMargin, 0.5 * inch, f"Page {doc.page} of {total}")
        canvas.restoreState()

    return draw


def write_pdf(
    path: Path,
    pages: list[str],
    *,
    title: str | None = None,
    author: str | None = None,
    user_password: str | None = None,
    owner_password: str | None = None,
) -> Path:
    """Write a PDF with exactly one page per string of mini-markup.

    A page whose text is too long is scaled down to fit, so nothing moves to another page.
    With only `owner_password` the file is encrypted but opens without a password.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    encrypt = None
    if owner := owner_password or user_password:
        encrypt = StandardEncryption(user_password or "", ownerPassword=owner, strength=128)
    info = {"title": title or "", "author": author or "", "subject": "", "creator": ""}
    layout = typography.PAGE_LAYOUT
    doc = platypus.BaseDocTemplate(str(path), encrypt=encrypt, **info, **layout)
    frame = platypus.Frame(
        doc.leftMargin, doc.bottomMargin, doc.width, doc.height, **typography.NO_PADDING
    )
    decorate = _pdf_decorator(title, max(len(pages), 1))
    doc.addPageTemplates([platypus.PageTemplate("page", [frame], onPage=decorate)])
    styles = typography.styles(HELVETICA)
    story = []
    for index, text in enumerate(pages or [""]):
        if index:
            story.append(platypus.PageBreak())
        # The 2pt slack keeps rounding from spilling a full page onto a blank next one.
        content = _pdf_page(text, styles, doc.width)
        story.append(platypus.KeepInFrame(doc.width, doc.height - 2, content, mode="shrink"))
    doc.build(story)
    return path


def _freeze_zip(data: bytes, path: Path) -> None:
    """Rewrite an OOXML package with fixed entry times so equal content gives equal bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(item.filename))


def _save_package(package, path: Path, title: str | None, author: str | None) -> None:
    """Set core properties and save a python-docx or python-pptx package reproducibly."""
    props = package.core_properties
    props.title, props.author, props.last_modified_by = title or "", author or "", author or ""
    props.comments, props.revision = "", 1
    props.created = props.modified = _FIXED_TIME
    buffer = io.BytesIO()
    package.save(buffer)
    _freeze_zip(buffer.getvalue(), path)


def _docx_paragraph(paragraph, text: str) -> None:
    for run_text, bold, _ in runs(text):
        paragraph.add_run(run_text).bold = bold or None


def write_docx(
    path: Path,
    blocks: list[str],
    *,
    title: str | None = None,
    author: str | None = None,
    header_text: str | None = None,
) -> Path:
    """Write a DOCX with one page-broken section of mini-markup per block of text."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(11)
    for level in (1, 2, 3):
        document.styles[f"Heading {level}"].font.color.rgb = DocxColor.from_string(_NAVY[1:])
    for index, text in enumerate(blocks):
        if index:
            document.add_page_break()
        for block in parse_markup(text):
            if block.kind.startswith("h"):
                document.add_heading(plain_text(block.text), level=int(block.kind[1]))
            elif block.kind == "table":
                shape = len(block.rows), len(block.rows[0])
                table = document.add_table(*shape, style=document.styles["Light Grid Accent 1"])
                for cells, row in zip((r.cells for r in table.rows), block.rows, strict=True):
                    for cell, value in zip(cells, row, strict=True):
                        _docx_paragraph(cell.paragraphs[0], value)
                document.add_paragraph()
            else:
                style = {"bullet": "List Bullet", "number": "List Number"}.get(block.kind)
                _docx_paragraph(document.add_paragraph(style=style), block.text)
    if header_text:
        document.sections[0].header.paragraphs[0].text = header_text
    _save_package(document, path, title, author)
    return path


def _place(shape, *inches: float) -> None:
    shape.left, shape.top, shape.width, shape.height = (Inches(value) for value in inches)


def _pptx_run(paragraph, text: str, size: int, color: str, *, bold: bool = False) -> None:
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold = PptxPt(size), bold
    run.font.color.rgb = PptxColor.from_string(color[1:])


def write_pptx(
    path: Path,
    slides: list[Slide],
    *,
    title: str | None = None,
    author: str | None = None,
) -> Path:
    """Write a 16:9 PPTX with one title-and-bullets slide per `Slide`, notes included."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    presentation = pptx.Presentation()
    presentation.slide_width = slide_width = Inches(13.333)
    presentation.slide_height = Inches(7.5)
    layout = presentation.slide_layouts[1]
    for spec in slides:
        slide = presentation.slides.add_slide(layout)
        bar = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, slide_width, Inches(0.18))
        bar.fill.solid()
        bar.fill.fore_color.rgb = PptxColor.from_string(_TEAL[1:])
        bar.line.fill.background()
        _place(slide.shapes.title, 0.7, 0.45, 11.9, 1.1)
        _pptx_run(slide.shapes.title.text_frame.paragraphs[0], spec.title, 34, _NAVY, bold=True)
        body = slide.placeholders[1]
        if spec.bullets:
            _place(body, 0.7, 1.75, 11.9, 5.2)
            for index, bullet in enumerate(spec.bullets):
                frame = body.text_frame
                paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
                _pptx_run(paragraph, plain_text(bullet), 20, _INK)
        else:
            # An empty placeholder would show its "Click to add text" prompt when edited.
            body.element.getparent().remove(body.element)
        if spec.notes:
            slide.notes_slide.notes_text_frame.text = spec.notes
    _save_package(presentation, path, title, author)
    return path


_HTML_STYLE = f"""<style>
body {{ margin: 0; background: #f6f8fa; color: {_INK}; font: 16px/1.6 Helvetica, sans-serif; }}
main {{ max-width: 46rem; margin: 0 auto; padding: 2.5rem 1.5rem; background: #fff;
  border-top: 6px solid {_TEAL}; }}
h1, h2, h3 {{ color: {_NAVY}; line-height: 1.25; }} a {{ color: {_TEAL}; }}
table {{ border-collapse: collapse; width: 100%; margin: 1rem 0; }} td {{ vertical-align: top; }}
th, td {{ padding: .45rem .6rem; border-bottom: 1px solid {_RULE}; text-align: left; }}
th {{ background: {_NAVY}; color: #fff; }} tr:nth-child(even) td {{ background: {_STRIPE}; }}
blockquote {{ margin: 1rem 0; padding: 0 1rem; border-left: 4px solid {_TEAL}; color: {_MUTED}; }}
</style>"""


def write_html(path: Path, title: str, body_html: str, *, extra_head: str = "") -> Path:
    """Write a complete HTML5 page; `body_html` and `extra_head` are inserted unescaped."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    page = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n{_HTML_STYLE}\n{extra_head}</head>\n"
        f"<body>\n<main>\n{body_html}\n</main>\n</body>\n</html>\n"
    )
    path.write_text(page, encoding="utf-8")
    return path


_PAGE_MARKER = re.compile(r"^\s*<!--\s*page\s*-->\s*$", re.MULTILINE)
# Raw HTML stays off: Markdown files come from anyone, and their HTML could carry scripts.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def markdown_to_html(md: str) -> str:
    """Render Markdown (CommonMark plus tables) to an HTML fragment; page markers are dropped."""
    return _MARKDOWN.render(_PAGE_MARKER.sub("", md))
