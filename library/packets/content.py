"""Reading DOCX, PPTX, HTML, Markdown and text files as pages of headings, paragraphs,
lists and tables (``library.packets.markup.Block``), so a packet can typeset them as PDF
pages. Inline text uses the same markup: ``**bold**`` and ``[label](url)``.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePath

import docx
import pptx
from docx.opc.exceptions import PackageNotFoundError as DocxPackageError
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from lxml import etree
from markdown_it import MarkdownIt
from pptx.exc import PackageNotFoundError as PptxPackageError
from pptx.shapes.group import GroupShape
from pptx.shapes.picture import Picture as PictureShape

from library.frontmatter import split_front_matter
from library.packets.markup import Block

_PAGE_MARKER = re.compile(r"^[ \t]*<!--\s*page\s*-->[ \t]*$", re.M | re.I)
_HIDDEN_HTML = frozenset({"script", "style", "template", "noscript", "head", "title"})
_HTML_BLOCKS = frozenset({"p", "div", "section", "article", "main", "header", "footer"})
_HTML_BLOCKS |= {"blockquote", "pre", "figure", "figcaption", "aside", "dd", "dt", "address"}

#: What reading a damaged DOCX or PPTX raises.
READ_ERRORS = (
    DocxPackageError,
    PptxPackageError,
    KeyError,
    ValueError,
    zipfile.BadZipFile,
    etree.LxmlError,
)


@dataclass
class Picture:
    """An image on a slide, placed as fractions of the slide's width and height."""

    data: bytes
    box: tuple[float, float, float, float] = (0.0, 0.0, 1.0, 1.0)  # left, top, width, height


@dataclass
class Content:
    """A document as pages of blocks; ``slides`` asks for landscape, presentation-sized type.

    ``pictures`` maps a page index to the images of a slide that has no text: a
    designed slide is a picture, and typesetting only its (missing) text would send
    the prospect a blank page.
    """

    pages: list[list[Block]]
    slides: bool = False
    pictures: dict[int, list[Picture]] = field(default_factory=dict)
    slide_aspect: float = 16 / 9


def read_content(name: str, data: bytes) -> Content:
    """Read a file's bytes by the suffix of its name; raises one of READ_ERRORS if damaged."""
    suffix = PurePath(name).suffix.lower()
    if suffix == ".docx":
        return Content(_docx_pages(data))
    if suffix == ".pptx":
        return _pptx_content(data)
    text = data.decode("utf-8-sig", errors="replace")
    if suffix in (".html", ".htm"):
        return Content([_html_blocks(text)])
    if suffix in (".md", ".markdown"):
        _, body = split_front_matter(text)
        return Content([_markdown_blocks(page) for page in _PAGE_MARKER.split(body)])
    return Content([_text_blocks(page) for page in text.split("\f")])


def _add(blocks: list[Block], kind: str, text: str) -> None:
    text = text.strip()
    if text:
        blocks.append(Block(kind, text))


# -- DOCX ---------------------------------------------------------------------------------


def _docx_pages(data: bytes) -> list[list[Block]]:
    def inline(paragraph) -> str:
        parts = []
        for item in paragraph.iter_inner_content():
            if isinstance(item, Hyperlink):
                parts.append(f"[{item.text}]({item.address})" if item.address else item.text)
            elif item.text.strip() and item.bold:
                parts.append(f"**{item.text}**")
            else:
                parts.append(item.text)
        return "".join(parts)

    pages: list[list[Block]] = [[]]
    for item in docx.Document(io.BytesIO(data)).iter_inner_content():
        if isinstance(item, Table):
            rows = [[cell.text.strip() for cell in row.cells] for row in item.rows]
            if rows:
                pages[-1].append(Block("table", rows=rows))
            continue
        style = (item.style.name if item.style is not None else "").lower()
        level = re.match(r"heading (\d)", style)
        kind = "h1" if style == "title" else f"h{min(int(level[1]), 3)}" if level else "para"
        kind = "bullet" if "list bullet" in style else "number" if "list number" in style else kind
        if item.paragraph_format.page_break_before and pages[-1]:
            pages.append([])
        _add(pages[-1], kind, inline(item))
        if item._p.xpath('.//w:br[@w:type="page"]') and pages[-1]:
            pages.append([])
    return [page for page in pages if page] or [[]]


# -- PPTX ---------------------------------------------------------------------------------


def _pptx_content(data: bytes) -> Content:
    deck = pptx.Presentation(io.BytesIO(data))
    size = (deck.slide_width or 1, deck.slide_height or 1)
    content = Content([], slides=True, slide_aspect=size[0] / size[1])
    for index, slide in enumerate(deck.slides):
        blocks = _slide_blocks(slide)
        content.pages.append(blocks)
        if not blocks and (pictures := _slide_pictures(slide, size)):
            content.pictures[index] = pictures
    content.pages = content.pages or [[]]
    return content


def _slide_blocks(slide) -> list[Block]:
    title_shape = slide.shapes.title
    blocks: list[Block] = []
    if title_shape is not None and title_shape.has_text_frame:
        _add(blocks, "h1", title_shape.text_frame.text)
    # Speaker notes stay out: they are the presenter's, not meant for the prospect.
    pending = [iter(slide.shapes)]
    while pending:
        shape = next(pending[-1], None)
        if shape is None:
            pending.pop()
        elif isinstance(shape, GroupShape):
            pending.append(iter(shape.shapes))
        elif title_shape is not None and shape.shape_id == title_shape.shape_id:
            continue
        elif shape.has_text_frame:
            kind = "bullet" if shape.is_placeholder else "para"
            for paragraph in shape.text_frame.paragraphs:
                _add(blocks, kind, "".join(run.text for run in paragraph.runs))
        elif getattr(shape, "has_table", False):
            rows = [[cell.text.strip() for cell in row.cells] for row in shape.table.rows]
            blocks.append(Block("table", rows=rows))
    return blocks


def _slide_pictures(slide, size: tuple[int, int]) -> list[Picture]:
    """The slide's pictures where they sit on it. Pictures inside groups or filling other
    shapes are not placed: when there is no placed picture, each image fills the slide."""
    from library.extract.pptx import slide_pictures

    width, height = size
    placed = []
    for shape in slide.shapes:
        if isinstance(shape, PictureShape):
            try:
                data = shape.image.blob
            except (KeyError, ValueError, AttributeError):
                continue  # a linked or missing picture
            box = (shape.left or 0, shape.top or 0, shape.width or width, shape.height or height)
            placed.append(
                Picture(data, (box[0] / width, box[1] / height, box[2] / width, box[3] / height))
            )
    pictures = placed or [Picture(data) for data in slide_pictures(slide)]
    return [picture for picture in pictures if _drawable(picture.data)]


def _drawable(data: bytes) -> bool:
    """Whether the image can be drawn in a PDF (not EMF or WMF, not damaged)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return False
    return True


# -- HTML ---------------------------------------------------------------------------------


class _HtmlBlocks(HTMLParser):
    """Collects headings, paragraphs, list items and tables from a page's visible body."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._kind = "para"
        self._lists: list[str] = []
        self._hidden = 0
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._href: list[str | None] = []
        self._pre = 0

    def _flush(self, next_kind: str = "para") -> None:
        text = "".join(self._text)
        if not self._pre:
            text = " ".join(text.split())
        _add(self.blocks, self._kind, text)
        self._text, self._kind = [], next_kind

    def _out(self) -> list[str]:
        return self._cell if self._cell is not None else self._text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_HTML:
            self._hidden += 1
        elif self._hidden:
            return
        elif re.fullmatch(r"h[1-6]", tag):
            self._flush(f"h{min(int(tag[1]), 3)}")
        elif tag in ("ul", "ol"):
            self._flush()
            self._lists.append("bullet" if tag == "ul" else "number")
        elif tag == "li":
            self._flush(self._lists[-1] if self._lists else "bullet")
        elif tag in _HTML_BLOCKS:
            self._flush(self._kind if self._kind in ("bullet", "number") else "para")
            self._pre += tag == "pre"
        elif tag == "table":
            self._flush()
            self.blocks.append(Block("table", rows=[]))
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "br":
            self._out().append("\n" if self._pre else " ")
        elif tag in ("strong", "b"):
            self._out().append("**")
        elif tag == "a":
            href = dict(attrs).get("href")
            self._href.append(href if href and href.startswith(("http", "mailto:")) else None)
            if self._href[-1]:
                self._out().append("[")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_HTML:
            self._hidden = max(0, self._hidden - 1)
        elif self._hidden:
            return
        elif re.fullmatch(r"h[1-6]", tag) or tag in ("li", "p") or tag in _HTML_BLOCKS:
            self._flush(self._lists[-1] if tag == "li" and self._lists else "para")
            self._pre -= tag == "pre" and self._pre > 0
        elif tag in ("ul", "ol"):
            self._flush()
            if self._lists:
                self._lists.pop()
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            tables = [b for b in self.blocks if b.kind == "table"]
            if tables and self._row:
                tables[-1].rows.append(self._row)
            self._row = None
        elif tag in ("strong", "b"):
            self._out().append("**")
        elif tag == "a" and self._href:
            href = self._href.pop()
            if href:
                self._out().append(f"]({href})")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._out().append(data)

    def close(self) -> None:
        super().close()
        self._flush()
        for block in self.blocks:
            width = max(map(len, block.rows), default=0)
            block.rows = [row + [""] * (width - len(row)) for row in block.rows]
        self.blocks = [b for b in self.blocks if b.kind != "table" or b.rows]


def _html_blocks(markup: str) -> list[Block]:
    parser = _HtmlBlocks()
    parser.feed(markup)
    parser.close()
    return parser.blocks


# -- Markdown and plain text ----------------------------------------------------------------

_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


def _markdown_inline(children) -> str:
    parts, links = [], []
    for token in children or []:
        if token.type in ("text", "code_inline", "image"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.type in ("strong_open", "strong_close"):
            parts.append("**")
        elif token.type == "link_open":
            links.append(str(token.attrs.get("href", "")))
            parts.append("[")
        elif token.type == "link_close":
            parts.append(f"]({links.pop()})")
    return "".join(parts)


def _markdown_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    kind, lists, row = "para", [], None
    for token in _MARKDOWN.parse(text):
        if token.type == "heading_open":
            kind = f"h{min(int(token.tag[1]), 3)}"
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append("bullet" if token.type == "bullet_list_open" else "number")
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "paragraph_open":
            kind = lists[-1] if lists else "para"
        elif token.type == "table_open":
            blocks.append(Block("table", rows=[]))
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            blocks[-1].rows.append(row)
            row = None
        elif token.type == "inline" and row is not None:
            row.append(_markdown_inline(token.children))
        elif token.type == "inline":
            _add(blocks, kind, _markdown_inline(token.children))
        elif token.type in ("fence", "code_block"):
            _add(blocks, "para", token.content)
    return blocks


def _text_blocks(text: str) -> list[Block]:
    """Paragraphs split at blank lines, keeping line breaks; underlined lines are headings."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line.rstrip() for line in chunk.strip("\n").splitlines()]
        para: list[str] = []
        for index, line in enumerate(lines):
            underline = lines[index + 1] if index + 1 < len(lines) else ""
            if re.fullmatch(r"[=-]{3,}", line.strip()):
                continue
            if re.fullmatch(r"[=-]{3,}", underline.strip()):
                _add(blocks, "para", "\n".join(para))
                para = []
                _add(blocks, "h1" if underline.strip()[0] == "=" else "h2", line)
            elif line.lstrip().startswith(("- ", "* ", "• ")):
                _add(blocks, "para", "\n".join(para))
                para = []
                _add(blocks, "bullet", line.lstrip()[2:])
            else:
                para.append(line)
        _add(blocks, "para", "\n".join(para))
    return blocks
