"""Pictures of a deck's slides for the preview, for decks whose slides have no text.

Plain Python: the GUI calls it off its own thread and shows the PNG bytes.
"""

from __future__ import annotations

import io
from pathlib import Path

MAX_SLIDES = 40  # a preview, not a slide show: the rest is a click on "Open" away


def slide_images(path: Path | str, width: int = 900, *, limit: int = MAX_SLIDES) -> list[bytes]:
    """PNG images of each slide's largest picture, ``width`` pixels wide at most, in slide
    order; a slide without a picture that can be drawn gives an empty entry.

    :returns: an empty list when the file cannot be read as a deck.
    """
    # Imported on first use, so that the app starts without the readers' libraries.
    import pptx
    from PIL import Image, UnidentifiedImageError

    from library.extract.pptx import slide_pictures
    from library.packets.content import READ_ERRORS

    try:
        deck = pptx.Presentation(str(path))
        slides = list(deck.slides)[:limit]
    except (*READ_ERRORS, OSError):
        return []
    images = []
    for slide in slides:
        best: Image.Image | None = None
        for blob in slide_pictures(slide):
            try:
                image = Image.open(io.BytesIO(blob))
                image.load()
            except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
                continue  # EMF, WMF and damaged pictures
            if best is None or image.width * image.height > best.width * best.height:
                best = image
        if best is None:
            images.append(b"")
            continue
        best.thumbnail((width, width * 4))
        buffer = io.BytesIO()
        best.convert("RGBA" if "A" in best.getbands() else "RGB").save(buffer, "PNG")
        images.append(buffer.getvalue())
    return images
