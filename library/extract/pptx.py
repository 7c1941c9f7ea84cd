"""PowerPoint (PPTX) text: one page per slide, shapes, groups, tables and speaker notes."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pptx
from lxml import etree
from pptx.exc import PackageNotFoundError
from pptx.shapes.group import GroupShape

from library.errors import ExtractionError
from library.extract.ooxml import check_package
from library.models import Extracted, FailureReason, Page

if TYPE_CHECKING:
    from pptx.shapes.base import BaseShape
    from pptx.slide import Slide

_KIND = "PPTX presentation"
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
    parts = list(_shapes_text(slide.shapes))
    if slide.has_notes_slide:
        notes = slide.notes_slide.notes_text_frame
        if notes is not None:
            parts.append(notes.text)
    return "\n".join(part for part in parts if part.strip())


def _shapes_text(shapes: Iterable[BaseShape]) -> Iterator[str]:
    """Texts of shapes in slide order, descending into groups without recursion."""
    pending = [iter(shapes)]
    while pending:
        shape = next(pending[-1], None)
        if shape is None:
            pending.pop()
        elif isinstance(shape, GroupShape):
            pending.append(iter(shape.shapes))
        elif shape.has_text_frame:
            yield shape.text_frame.text
        elif shape.has_table:
            for cell in shape.table.iter_cells():
                yield cell.text


def _slide_title(slide: Slide) -> str | None:
    title_shape = slide.shapes.title
    if title_shape is None or not title_shape.has_text_frame:
        return None
    return title_shape.text_frame.text.strip() or None
