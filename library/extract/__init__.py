"""Text extraction: one entry point, `extract_file`, dispatching to one module per format."""

from __future__ import annotations

import importlib
import time
from pathlib import Path

from library.errors import ExtractionError, UnsupportedFormat
from library.extract.sections import sectioned
from library.models import Extracted, FailureReason, Page

__all__ = ["SUPPORTED_SUFFIXES", "extract_file", "extract_inline"]

DEFAULT_MAX_CHARS = 2_000_000
UNREADABLE_MESSAGE = "The file could not be opened; check that it exists and that you may read it."

# Suffix -> module in this package; each module has `extract(path, max_chars) -> Extracted`.
_MODULES: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".pptx": "pptx",
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
}

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_MODULES)


def extract_file(path: Path, *, max_chars: int = DEFAULT_MAX_CHARS) -> Extracted:
    """Read the text, title and author of one file.

    :param path: the file; its suffix (any case) picks the reader.
    :param max_chars: cap on the total text kept; longer text is cut and
        ``Extracted.truncated`` is set.
    :returns: what was read. PDF pages and PPTX slides without text are read by OCR when
        Tesseract is installed (``Extracted.text_source`` is then "ocr"); a PDF or PPTX
        with no text at all has ``text_source`` "none" or "no_ocr" and keeps its page
        count. Other files without text are returned with empty text ("file"), so the
        caller decides what to do with them. Unpaged text is cut into sections of a few
        thousand characters (`sections.cut_sections`), which stand for its pages.
    :raises UnsupportedFormat: for a suffix not in ``SUPPORTED_SUFFIXES``.
    :raises ExtractionError: with a ``FailureReason`` value and a sentence for users when
        the file is empty, damaged, protected, too large or cannot be opened.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    module_name = _MODULES.get(suffix)
    if module_name is None:
        raise UnsupportedFormat(suffix)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ExtractionError(
            FailureReason.UNREADABLE, "The file is no longer there; it may have been moved."
        ) from None
    except OSError as exc:
        raise _unreadable() from exc
    if size == 0:
        raise ExtractionError(FailureReason.EMPTY, "The file is empty.")
    started = time.monotonic()
    # Imported on first use so that the app starts without loading every format's library.
    module = importlib.import_module(f"{__name__}.{module_name}")
    ocr = importlib.import_module(f"{__name__}.ocr")
    try:
        extracted: Extracted = module.extract(path, max_chars)
        if not extracted.truncated:
            extracted = ocr.fill_textless(path, suffix, extracted, started)
    except OSError as exc:
        raise _unreadable() from exc
    return sectioned(_capped(extracted, max_chars))


def extract_inline(path: Path, *, max_chars: int = DEFAULT_MAX_CHARS) -> Extracted:
    """Extract in this process; for tests and small jobs (see `pool.ExtractionPool`)."""
    return extract_file(path, max_chars=max_chars)


def _unreadable() -> ExtractionError:
    return ExtractionError(FailureReason.UNREADABLE, UNREADABLE_MESSAGE)


def _capped(extracted: Extracted, max_chars: int) -> Extracted:
    """Cut the text to max_chars in total, keeping every page so page counts stay right."""
    budget = max_chars
    pages: list[Page] = []
    for page in extracted.pages:
        if len(page.text) > budget:
            extracted.truncated = True
            pages.append(Page(page.number, page.text[:budget]))
        else:
            pages.append(page)
        budget -= len(pages[-1].text)
    extracted.pages = pages
    return extracted
