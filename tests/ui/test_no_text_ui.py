"""Files without text in the GUI: the import summary says how to enable OCR, the library
table marks them, and the preview shows a deck's slide pictures."""

from __future__ import annotations

import pytest
from rich_documents import write_image_pptx

from library.extract import ocr
from ui.models import item_data
from ui.models.asset_table import COL_FILE, QUICK_FILTERS, AssetRow, AssetTableModel
from ui.models.import_issues import COL_MESSAGE, COL_REASON


@pytest.fixture
def without_ocr(monkeypatch):
    monkeypatch.setenv("PITCHPACK_TESSERACT", "/nonexistent/tesseract")
    ocr.available.cache_clear()
    yield
    monkeypatch.delenv("PITCHPACK_TESSERACT")
    ocr.available.cache_clear()


def test_import_keeps_a_picture_deck_and_previews_its_slides(qtbot, window, tmp_path, without_ocr):
    deck = write_image_pptx(tmp_path / "osprey-keynote.pptx", ["Walrus saffron", "Tundra lychee"])
    dialog = window.import_paths([deck])
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.import_finished, timeout=60000):
        pass
    assert dialog.count_labels["added"].text() == "1"
    assert dialog.count_labels["failed"].text() == "0"
    summary = dialog.summary_text.text()
    assert summary.count("tesseract-ocr") == 1 and "1 file has no text and was kept" in summary
    reasons = [
        item_data(dialog.issue_model.index(r, COL_REASON))
        for r in range(dialog.issue_model.rowCount())
    ]
    assert reasons == ["No text (kept)"]

    asset = next(a for a in window.library.assets.all() if a.path == str(deck))
    row = AssetRow.from_asset(asset, "2026-01-01")
    assert AssetTableModel._chips(row, COL_FILE) == [("neutral", "no text")]
    assert not row.hidden
    assert QUICK_FILTERS["Without text (pictures only)"](row)

    window.search_pane.search_box.setText("osprey")
    qtbot.waitUntil(
        lambda: (
            window.session.last_result.query.text == "osprey"
            and window.search_pane.model.total == 1
        ),
        timeout=10000,
    )
    window.search_pane.select_row(0)
    preview = window.preview
    qtbot.waitUntil(
        lambda: preview.data is not None and preview.data.asset.id == asset.id, timeout=10000
    )
    assert "No text" in preview.meta.text()
    images = preview.data.slide_images
    assert len(images) == 2 and all(not image.isNull() and image.width() > 100 for image in images)
    html = preview.text_view.toHtml()
    assert "slide-1.png" in html and "slide-2.png" in html


def test_import_summary_lists_front_matter_that_matches_no_term(qtbot, window, tmp_path):
    guide = tmp_path / "guide.md"
    guide.write_text("---\nstage: Discovery\npersona: Operations\n---\n# Guide\n\nText.\n")
    dialog = window.import_paths([guide])
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.import_finished, timeout=60000):
        pass
    assert "1 front matter value matches no term" in dialog.summary_text.text()
    rows = [
        (
            item_data(dialog.issue_model.index(r, COL_REASON)),
            item_data(dialog.issue_model.index(r, COL_MESSAGE)),
        )
        for r in range(dialog.issue_model.rowCount())
    ]
    assert len(rows) == 1 and rows[0][0] == "Front matter"
    assert rows[0][1].startswith("stage 'Discovery' matches no stage of this library")
