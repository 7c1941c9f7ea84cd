"""Word (DOCX) text: body paragraphs and tables, text boxes, charts and SmartArt, headers
and footers, title and author."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from library.errors import ExtractionError
from library.extract.drawingml import FALLBACK, GRAPHIC_DATA, MC_NS, graphic_text
from library.extract.ooxml import check_package
from library.models import Extracted, FailureReason, Page

if TYPE_CHECKING:
    from docx.document import Document

_KIND = "DOCX document"
_PARAGRAPH = qn("w:p")
_TEXT_BOX = qn("w:txbxContent")
# Where a paragraph's text boxes, charts and diagrams sit; most paragraphs have none.
_ANCHORS = (qn("w:drawing"), qn("w:pict"), qn("w:object"), f"{{{MC_NS}}}AlternateContent")
# Elements whose children may hold paragraphs: tables, rows, cells, content controls.
_CONTAINERS = frozenset(
    qn(tag) for tag in ("w:tbl", "w:tr", "w:tc", "w:sdt", "w:sdtContent", "w:customXml")
)
_OPEN_ERRORS = (
    PackageNotFoundError,
    KeyError,
    ValueError,
    zipfile.BadZipFile,
    etree.LxmlError,
)


def extract(path: Path, max_chars: int) -> Extracted:
    """Read a DOCX as one page: body, then headers and footers."""
    check_package(path, main_part="word/document.xml", kind=_KIND)
    try:
        document = docx.Document(str(path))
        lines = list(_story_lines(document.element.body, document.part))
        lines.extend(_header_footer_lines(document))
        properties = document.core_properties
        title, author = properties.title, properties.author
    except _OPEN_ERRORS as exc:
        raise ExtractionError(
            FailureReason.CORRUPT, f"The file is damaged or is not a {_KIND}."
        ) from exc
    text = "\n".join(line for line in lines if line.strip())
    return Extracted(
        pages=[Page(1, text)],
        title=(title or "").strip() or None,
        author=(author or "").strip() or None,
        paged=False,
    )


def _story_lines(root: etree._Element, part) -> Iterator[str]:
    """Paragraph texts under root in document order, tables included, without recursion;
    after each paragraph, the text boxes, charts and SmartArt anchored in it."""
    pending = [iter(root)]
    while pending:
        child = next(pending[-1], None)
        if child is None:
            pending.pop()
        elif isinstance(child, str):
            yield child
        elif child.tag == _PARAGRAPH:
            yield child.text
            pending.append(_anchored(child, part))
        elif child.tag in _CONTAINERS or child.tag == _TEXT_BOX:
            pending.append(iter(child))


def _anchored(paragraph: etree._Element, part) -> Iterator[etree._Element | str]:
    """What a paragraph's drawings hold: the text boxes' elements, for ``_story_lines`` to
    read as stories, and the lines of charts and SmartArt.

    A text box is written twice, as a DrawingML shape and as a VML fallback for old
    readers; only the first is read.
    """
    if next(paragraph.iter(*_ANCHORS), None) is None:
        return
    pending = [iter(paragraph)]
    while pending:
        child = next(pending[-1], None)
        if child is None:
            pending.pop()
        elif child.tag == _TEXT_BOX:
            yield child
        elif child.tag == GRAPHIC_DATA:
            yield from graphic_text(child, part)
            pending.append(iter(child))
        elif child.tag != FALLBACK and child.tag != _PARAGRAPH:
            pending.append(iter(child))


def _header_footer_lines(document: Document) -> Iterator[str]:
    seen: set[str] = set()
    for section in document.sections:
        for story in (
            section.header,
            section.first_page_header,
            section.even_page_header,
            section.footer,
            section.first_page_footer,
            section.even_page_footer,
        ):
            # A linked header repeats the previous section's; reading it would also add
            # a definition to the document.
            if story.is_linked_to_previous:
                continue
            text = "\n".join(_story_lines(story.part.element, story.part))
            if text.strip() and text not in seen:
                seen.add(text)
                yield text
