"""PDF pages as images for previews, with the boxes of the words to highlight.

Plain Python: the GUI calls it off its own thread and turns the bytes into an image.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium

from library.errors import PitchpackError

# PDFium is not thread-safe: renders from several threads must take turns.
_PDFIUM = threading.Lock()


@dataclass
class PageImage:
    """One rendered page: RGB(A) bytes row by row, and highlight boxes (x, y, w, h) in pixels."""

    width: int
    height: int
    channels: int
    stride: int
    data: bytes
    page: int
    page_count: int
    highlights: list[tuple[float, float, float, float]] = field(default_factory=list)


def render_page(path: Path | str, page: int, width: int, *, find: Iterable[str] = ()) -> PageImage:
    """Render page ``page`` (1-based, clamped to the document) ``width`` pixels wide.

    :param find: words whose occurrences on the page are returned as highlight boxes.
    :raises PitchpackError: when the file cannot be opened as a PDF.
    """
    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(str(path))
        except (pdfium.PdfiumError, OSError) as exc:
            raise PitchpackError(f"This PDF cannot be shown ({exc}).") from exc
        try:
            count = len(pdf)
            number = min(max(page, 1), count)
            pdf_page = pdf[number - 1]
            page_width, page_height = pdf_page.get_size()
            scale = max(width, 100) / page_width
            bitmap = pdf_page.render(
                scale=scale, fill_color=(255, 255, 255, 255), rev_byteorder=True
            )
            image = PageImage(
                bitmap.width,
                bitmap.height,
                bitmap.n_channels,
                bitmap.stride,
                bytes(bitmap.buffer),
                number,
                count,
            )
            image.highlights = _find_boxes(pdf_page, find, scale, page_height)
            return image
        finally:
            pdf.close()


def _find_boxes(pdf_page, words: Iterable[str], scale: float, page_height: float) -> list:
    text_page = pdf_page.get_textpage()
    boxes = []
    for word in words:
        searcher = text_page.search(word, match_case=False)
        while (found := searcher.get_next()) is not None:
            start, count = found
            for i in range(text_page.count_rects(start, count)):
                left, bottom, right, top = text_page.get_rect(i)
                boxes.append(
                    (
                        left * scale,
                        (page_height - top) * scale,
                        (right - left) * scale,
                        (top - bottom) * scale,
                    )
                )
    return boxes
