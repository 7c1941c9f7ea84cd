"""Writers of real PDF, DOCX, PPTX and HTML documents from a small line-based markup.

Used to render the sample library and to build test fixtures with known words on known pages.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

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
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch

# Fixed timestamps keep generated files byte-identical from run to run, so content hashes hold.
_FIXED_TIME = datetime(2026, 1, 5, 9, 0, 0)
_ZIP_TIME = (2026, 1, 5, 9, 0, 0)

_NAVY, _TEAL, _INK, _MUTED = "#12355B", "#1C8C82", "#25303B", "#6B7785"
_RULE, _STRIPE = "#C9D3DC", "#F1F5F8"

_PDF_LAYOUT = {"leftMargin": 0.9 * inch, "rightMargin": 0.9 * inch, "topMargin": 0.85 * inch}
_PDF_LAYOUT |= {"bottomMargin": inch, "pagesize": LETTER, "invariant": 1}
_NO_PADDING = dict.fromkeys(("leftPadding", "rightPadding", "topPadding", "bottomPadding"), 0)

_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_NUMBERED = re.compile(r"^\d+[.)]\s+(.*)$")
_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_INLINE = re.compile(r"\*\*(.+?)\*\*|\[([^\]]+)\]\(([^)\s]+)\)")


@dataclass
class Slide:
    """One slide: a title, its bullet lines and optional speaker notes."""

    title: str
    bullets: list[str]
    notes: str = ""


@dataclass
class Block:
    """One unit of mini-markup: a heading, paragraph, list item or table."""

    kind: str  # h1, h2, h3, para, bullet, number, table
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


def _line_kind(line: str) -> tuple[str, str]:
    if heading := _HEADING.match(line):
        return f"h{len(heading.group(1))}", heading.group(2).strip()
    if line.startswith(("- ", "* ")):
        return "bullet", line[2:].strip()
    if numbered := _NUMBERED.match(line):
        return "number", numbered.group(1).strip()
    return "para", line


def parse_markup(text: str) -> list[Block]:
    """Split one page of mini-markup into headings, paragraphs, list items and tables."""
    blocks: list[Block] = []
    open_kind = None  # the kind of block the next line may continue: "para" or "table"
    for raw in text.splitlines():
        line = raw.strip()
        if open_kind == "table" and _SEPARATOR.match(line):
            continue
        if " | " in line or (len(line) > 1 and line[0] == line[-1] == "|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if open_kind == "table":
                blocks[-1].rows.append(cells)
            else:
                blocks.append(Block("table", rows=[cells]))
            open_kind = "table"
            continue
        kind, content = _line_kind(line)
        if line and kind == "para" and open_kind == "para":
            blocks[-1].text += " " + content
        elif line:
            blocks.append(Block(kind, content))
        open_kind = kind if line and kind == "para" else None
    for block in blocks:
        width = max(map(len, block.rows), default=0)
        block.rows = [row + [""] * (width - len(row)) for row in block.rows]
    return blocks


def _runs(text: str) -> list[tuple[str, bool, str | None]]:
    """Cut text into (text, bold, link) runs for **bold** and [label](url)."""
    parts = _INLINE.split(text)  # text, then bold, label, url and text again, repeating
    runs = [(parts[0], False, None)] if parts[0] else []
    for index in range(1, len(parts), 4):
        bold, label, url, after = parts[index : index + 4]
        runs.append((bold, True, None) if bold is not None else (label, False, url))
        if after:
            runs.append((after, False, None))
    return runs


def plain_text(text: str) -> str:
    """Text of one markup line with its inline markers removed."""
    return "".join(run for run, _, _ in _runs(text))


def _pdf_inline(text: str) -> str:
    parts = []
    for run, bold, link in _runs(text):
        run = escape(run)
        if bold:
            run = f"<b>{run}</b>"
        if link:
            href = escape(link, {'"': "&quot;"})
            run = f'<link href="{href}" color="{_TEAL}">{run}</link>'
        parts.append(run)
    return "".join(parts)


def _pdf_styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "para", fontName="Helvetica", fontSize=10.5, leading=15, textColor=_INK, spaceAfter=7
    )
    bold = {"parent": body, "fontName": "Helvetica-Bold"}
    specs = {
        "h1": dict(bold, fontSize=21, leading=26, textColor=_NAVY, spaceAfter=12),
        "h2": dict(bold, fontSize=14, leading=18, textColor=_NAVY, spaceBefore=10, spaceAfter=6),
        "h3": dict(bold, fontSize=11.5, leading=15, textColor=_TEAL, spaceBefore=6, spaceAfter=4),
        "bullet": {"parent": body, "leftIndent": 16, "bulletIndent": 4, "spaceAfter": 4},
        "cell": {"parent": body, "fontSize": 9.5, "leading": 12.5, "spaceAfter": 0},
        "head": dict(bold, fontSize=9.5, leading=12.5, textColor=colors.white, spaceAfter=0),
    }
    return {"para": body} | {name: ParagraphStyle(name, **spec) for name, spec in specs.items()}


def _pdf_table(
    rows: list[list[str]], styles: dict[str, ParagraphStyle], width: float
) -> platypus.Table:
    kinds = ["head"] + ["cell"] * (len(rows) - 1)
    data = [
        [platypus.Paragraph(_pdf_inline(cell), styles[kind]) for cell in row]
        for kind, row in zip(kinds, rows, strict=True)
    ]
    # Columns share the width by their longest cell, capped so one long cell cannot starve
    # the others, which keeps label columns narrow and prose columns wide.
    columns = range(len(rows[0]))
    weights = [min(max(len(plain_text(row[c])) for row in rows), 48) + 6 for c in columns]
    widths = [width * weight / sum(weights) for weight in weights]
    table = platypus.Table(data, colWidths=widths, repeatRows=1)
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(_NAVY)),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor(_RULE)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]
    for r in range(2, len(rows), 2):
        commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor(_STRIPE)))
    table.setStyle(platypus.TableStyle(commands))
    return table


def _pdf_page(text: str, styles: dict[str, ParagraphStyle], width: float) -> list:
    flowables = []
    number = 0
    for block in parse_markup(text):
        number = number + 1 if block.kind == "number" else 0
        if block.kind == "table":
            flowables += [_pdf_table(block.rows, styles, width), platypus.Spacer(1, 10)]
            continue
        style = styles["bullet" if block.kind == "number" else block.kind]
        bullet = {"bullet": "•", "number": f"{number}."}.get(block.kind)
        flowables.append(platypus.Paragraph(_pdf_inline(block.text), style, bulletText=bullet))
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
        canvas.setFont("Helvetica", 8.5)
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
    doc = platypus.BaseDocTemplate(str(path), encrypt=encrypt, **info, **_PDF_LAYOUT)
    frame = platypus.Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, **_NO_PADDING)
    decorate = _pdf_decorator(title, max(len(pages), 1))
    doc.addPageTemplates([platypus.PageTemplate("page", [frame], onPage=decorate)])
    styles = _pdf_styles()
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
    for run_text, bold, _ in _runs(text):
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
