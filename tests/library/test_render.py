"""Rendering PDF pages for the preview, with highlight boxes."""

from __future__ import annotations

import pytest

from library.docgen import write_pdf
from library.errors import PitchpackError
from library.render import render_page


def test_render_page_with_highlights(tmp_path):
    pdf = write_pdf(
        tmp_path / "a.pdf", ["First page", "Second page mentions the quokka twice: quokka."]
    )
    image = render_page(pdf, 2, 400, find=["quokka"])
    assert (image.page, image.page_count, image.width) == (2, 2, 400)
    assert len(image.data) == image.stride * image.height
    assert len(image.highlights) == 2
    assert all(w > 0 and h > 0 and 0 <= x < 400 for x, y, w, h in image.highlights)
    assert render_page(pdf, 99, 200).page == 2  # clamped to the document


def test_render_broken_pdf_is_a_clear_error(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n")
    with pytest.raises(PitchpackError, match="cannot be shown"):
        render_page(broken, 1, 200)
