"""Text of image-only PDF pages and slides, read by Tesseract OCR when it is installed.

Runs inside the extraction worker (library/extract/pool.py), so a page that makes
Tesseract hang or grow is bounded by the worker's time and memory limits; within them,
OCR stops at a time budget of its own, so a long scan keeps the pages read so far instead
of timing out as a whole.
"""

from __future__ import annotations

import functools
import io
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from library.models import Extracted, Page, TextSource

if TYPE_CHECKING:
    from PIL.Image import Image

log = logging.getLogger(__name__)

ENABLE_HINT = (
    "Text in images is not read because Tesseract OCR is not installed; install it "
    "(Debian/Ubuntu: sudo apt install tesseract-ocr; macOS: brew install tesseract; "
    "Windows: the UB Mannheim installer) and rescan to search those files' words."
)
RENDER_DPI = 200
MIN_IMAGE_SIDE = 48  # icons and bullets hold no words worth the time
MAX_IMAGE_SIDE = 4000  # larger pictures are scaled down: OCR time grows with pixels
# A share of the worker's time limit; the rest is left for reading and returning.
BUDGET_SHARE = 0.8
DEFAULT_TIME_LIMIT = 60.0

_time_limit = DEFAULT_TIME_LIMIT


def set_time_limit(seconds: float) -> None:
    """Set the worker's time limit per file, of which OCR takes at most ``BUDGET_SHARE``."""
    global _time_limit
    _time_limit = seconds


@functools.cache
def available() -> bool:
    """Whether Tesseract and its Python wrapper are installed. ``PITCHPACK_TESSERACT``
    names the program where it is not on the PATH (e.g. ``C:\\Program Files\\...``)."""
    try:
        import pytesseract
    except ImportError:
        return False
    command = os.environ.get("PITCHPACK_TESSERACT") or "tesseract"
    if shutil.which(command) is None:
        return False
    pytesseract.pytesseract.tesseract_cmd = command
    try:
        pytesseract.get_tesseract_version()
    except (pytesseract.TesseractNotFoundError, OSError, RuntimeError):
        return False
    return True


def fill_textless(path: Path, suffix: str, extracted: Extracted, started: float) -> Extracted:
    """OCR the pages (PDF) or slides (PPTX) of ``extracted`` that have no text, and set its
    ``text_source``: "ocr" when OCR added text, "none" or "no_ocr" when the file has no
    text at all. Other formats, and files with text on every page, are returned as they are.

    :param started: ``time.monotonic()`` when reading the file began; OCR stops at the budget.
    """
    readers: dict[str, Callable[[Path, list[int], float], Iterator[tuple[int, str]]]] = {
        ".pdf": _pdf_pages,
        ".pptx": _pptx_slides,
    }
    reader = readers.get(suffix)
    if reader is None:
        return extracted
    textless = [page.number for page in extracted.pages if not page.text.strip()]
    if not textless:
        return extracted
    if available():
        deadline = started + BUDGET_SHARE * _time_limit
        found = dict(reader(path, textless, deadline))
        if any(text.strip() for text in found.values()):
            extracted.pages = [
                Page(page.number, found.get(page.number, page.text)) for page in extracted.pages
            ]
            extracted.text_source = TextSource.OCR.value
    if not extracted.text.strip():
        extracted.text_source = (TextSource.NONE if available() else TextSource.NO_OCR).value
    return extracted


def _read(image: Image, deadline: float) -> str | None:
    """One image's words, or None once the budget is spent."""
    import pytesseract

    remaining = deadline - time.monotonic()
    if remaining <= 1:
        return None
    image = image.convert("L")
    if max(image.size) > MAX_IMAGE_SIDE:
        image.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
    # One thread: extraction already runs one worker per core.
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        text = pytesseract.image_to_string(image, timeout=remaining)
    except pytesseract.TesseractError as exc:  # before RuntimeError, its base class
        log.warning("Tesseract could not read an image: %s", exc)
        return ""
    except RuntimeError as exc:  # pytesseract's "Tesseract process timeout"
        log.info("OCR stopped at the time budget: %s", exc)
        return None
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _pdf_pages(path: Path, numbers: list[int], deadline: float) -> Iterator[tuple[int, str]]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        for number in numbers:
            try:
                page = pdf[number - 1]
                try:
                    # A poster-sized page at full resolution would not fit in memory.
                    scale = min(RENDER_DPI / 72, MAX_IMAGE_SIDE / max(*page.get_size(), 1))
                    image = page.render(scale=scale, grayscale=True).to_pil()
                finally:
                    page.close()
            except pdfium.PdfiumError:
                continue
            text = _read(image, deadline)
            if text is None:
                return
            yield number, text
    finally:
        pdf.close()


def _pptx_slides(path: Path, numbers: list[int], deadline: float) -> Iterator[tuple[int, str]]:
    """Words in the pictures of textless slides; slides are not rendered (no renderer is
    at hand), but a designed slide is one picture or a few."""
    import pptx

    from library.extract.pptx import slide_pictures

    presentation = pptx.Presentation(str(path))
    wanted = set(numbers)
    for number, slide in enumerate(presentation.slides, start=1):
        if number not in wanted:
            continue
        texts = []
        for blob in slide_pictures(slide):
            image = _image(blob)
            if image is None:
                continue
            text = _read(image, deadline)
            if text is None:
                if texts:
                    yield number, "\n".join(texts)
                return
            texts.append(text)
        yield number, "\n".join(t for t in texts if t)


def _image(blob: bytes) -> Image | None:
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(io.BytesIO(blob))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None  # EMF, WMF and damaged pictures
    if min(image.size) < MIN_IMAGE_SIDE:
        return None
    return image
