"""PDF text, page by page, with PDFium (much faster than pure-Python readers)."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from library.errors import ExtractionError
from library.extract import UNREADABLE_MESSAGE
from library.models import Extracted, FailureReason, Page

_ENCRYPTED = "The PDF is password-protected; save an unprotected copy and add it again."
_CORRUPT = "The file is damaged and could not be read as a PDF."


def extract(path: Path, max_chars: int) -> Extracted:
    """Read every page's text and the Title/Author metadata of a PDF.

    Pages past ``max_chars`` are kept with empty text so the page count stays right.
    """
    pdf = _open(path)
    try:
        page_count = len(pdf)
        if page_count == 0:
            # Every real PDF has a page; PDFium opens some damaged files as empty ones.
            raise ExtractionError(FailureReason.CORRUPT, _CORRUPT)
        metadata = pdf.get_metadata_dict(skip_empty=True)
        pages: list[Page] = []
        budget = max_chars
        truncated = False
        for index in range(page_count):
            if budget > 0:
                text = _page_text(pdf, index)
                budget -= len(text)
            else:
                text = ""
                truncated = True
            pages.append(Page(index + 1, text))
    finally:
        pdf.close()
    return Extracted(
        pages=pages,
        title=_clean(metadata.get("Title")),
        author=_clean(metadata.get("Author")),
        paged=True,
        truncated=truncated,
    )


def _open(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ExtractionError(FailureReason.ENCRYPTED, _ENCRYPTED) from exc
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise ExtractionError(
                FailureReason.ENCRYPTED,
                "The PDF uses a kind of protection that cannot be opened; "
                "save an unprotected copy and add it again.",
            ) from exc
        if exc.err_code == pdfium_c.FPDF_ERR_FILE:
            raise ExtractionError(FailureReason.UNREADABLE, UNREADABLE_MESSAGE) from exc
        raise ExtractionError(FailureReason.CORRUPT, _CORRUPT) from exc


def _page_text(pdf: pdfium.PdfDocument, index: int) -> str:
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        # One broken page should not cost the text of all the others.
        return ""
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_range()
        finally:
            textpage.close()
    except pdfium.PdfiumError:
        return ""
    finally:
        page.close()
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _clean(value: str | None) -> str | None:
    value = (value or "").replace("\x00", "").strip()
    return value or None
