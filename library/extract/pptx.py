"""PowerPoint (PPTX) text: one page per slide: shapes, groups, tables, charts, SmartArt and
speaker notes."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pptx
from lxml import etree
from pptx.exc import PackageNotFoundError

from library.errors import ExtractionError
from library.extract.drawingml import A_NS, FALLBACK, GRAPHIC_DATA, R_NS, graphic_text
from library.extract.ooxml import check_package
from library.models import Extracted, FailureReason, Page

if TYPE_CHECKING:
    from pptx.slide import Slide

_KIND = "PPTX presentation"
_PARAGRAPH, _TEXT, _BREAK, _BLIP = (f"{{{A_NS}}}{tag}" for tag in ("p", "t", "br", "blip"))
_OPEN_ERRORS = (
    PackageNotFoundError,
    KeyError,
    ValueError,
    zipfile.BadZipFile,
    etree.LxmlError,
)


def extract(path: Path, max_chars: int) -> Extracted:
    """Read a PPTX, one page per slide numbered from 1, notes after the slide's text.

    Slides past ``max_chars`` are kept with empty text so the slide count stays right.
    """
    check_package(path, main_part="ppt/presentation.xml", kind=_KIND)
    try:
        presentation = pptx.Presentation(str(path))
        pages: list[Page] = []
        budget = max_chars
        truncated = False
        first_slide_title: str | None = None
        for number, slide in enumerate(presentation.slides, start=1):
            if number == 1:
                first_slide_title = _slide_title(slide)
            if budget > 0:
                text = _slide_text(slide)
                budget -= len(text)
            else:
                text = ""
                truncated = True
            pages.append(Page(number, text))
        properties = presentation.core_properties
        title, author = properties.title, properties.author
    except _OPEN_ERRORS as exc:
        raise ExtractionError(
            FailureReason.CORRUPT, f"The file is damaged or is not a {_KIND}."
        ) from exc
    return Extracted(
        pages=pages,
        title=(title or "").strip() or first_slide_title,
        author=(author or "").strip() or None,
        paged=True,
        truncated=truncated,
    )


def _slide_text(slide: Slide) -> str:
    parts = list(_drawing_lines(slide.shapes._spTree, slide.part))
    if slide.has_notes_slide:
        notes = slide.notes_slide.notes_text_frame
        if notes is not None:
            parts.append(notes.text.replace("\v", "\n"))  # python-pptx writes breaks as \v
    return "\n".join(part for part in parts if part.strip())


def _drawing_lines(root: etree._Element, part) -> Iterator[str]:
    """Paragraph texts under root in slide order: shapes, groups and table cells, and the
    text of charts and SmartArt, which live in parts of their own; without recursion.

    The slide's XML is read rather than python-pptx's shapes, which skip shapes wrapped
    in ``mc:AlternateContent``; its fallback repeats the choice, so it is left out.
    """
    pending = [iter(root)]
    while pending:
        child = next(pending[-1], None)
        if child is None:
            pending.pop()
        elif child.tag == _PARAGRAPH:
            yield "".join(
                (node.text or "") if node.tag == _TEXT else "\n"
                for node in child.iter(_TEXT, _BREAK)
            )
        elif child.tag == FALLBACK:
            continue
        else:
            if child.tag == GRAPHIC_DATA:
                yield from graphic_text(child, part)
            pending.append(iter(child))


def _slide_title(slide: Slide) -> str | None:
    title_shape = slide.shapes.title
    if title_shape is None or not title_shape.has_text_frame:
        return None
    return title_shape.text_frame.text.strip() or None


def slide_pictures(slide: Slide) -> Iterator[bytes]:
    """The image bytes of a slide's pictures in slide order: its background, pictures
    (grouped or not) and shapes filled with a picture; each image once."""
    seen: set[str] = set()
    for blip in slide._element.iter(_BLIP):
        rel_id = blip.get(f"{{{R_NS}}}embed")
        if not rel_id or rel_id in seen:
            continue
        seen.add(rel_id)
        try:
            yield slide.part.related_part(rel_id).blob
        except (KeyError, ValueError, AttributeError):
            continue  # a linked or missing picture
