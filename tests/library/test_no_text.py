"""PDFs and decks without text: kept as assets, found by what is known of them, packetable,
and read by OCR when Tesseract is installed."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from rich_documents import write_image_pdf, write_image_pptx

from library.extract import extract_inline, ocr
from library.models import FileState, TextSource
from library.packets import Prospect, RepSettings
from search import SearchQuery

OCR_MISSING = "Tesseract OCR is not installed (Debian: apt-get install tesseract-ocr)"
needs_ocr = pytest.mark.skipif(not ocr.available(), reason=OCR_MISSING)
JANE = Prospect("Jane", "Doe", "jane@acme.example", "Acme Corp", "CFO", "CFO", "Decision")


@pytest.fixture
def without_ocr(monkeypatch):
    """Tesseract out of reach, here and in the extraction workers (which inherit the
    environment), whether or not it is installed."""
    monkeypatch.setenv("PITCHPACK_TESSERACT", "/nonexistent/tesseract")
    ocr.available.cache_clear()
    yield
    monkeypatch.delenv("PITCHPACK_TESSERACT")
    ocr.available.cache_clear()


@pytest.fixture
def image_files(tmp_path) -> dict[str, Path]:
    folder = tmp_path / "designed"
    folder.mkdir()
    return {
        "pdf": write_image_pdf(folder / "falcon_brochure.pdf", ["Zebra quartz", "Mango fjord"]),
        "pptx": write_image_pptx(
            folder / "heron-deck.pptx", ["Walrus saffron", "Tundra lychee"], title="Keynote"
        ),
    }


def search_paths(lib, text: str) -> list[str]:
    return [hit.path for hit in lib.search(SearchQuery(text, as_you_type=False)).hits]


def test_files_without_text_are_kept_and_found(library, image_files, without_ocr):
    report = library.add_paths(list(image_files.values()))
    assert not report.failed and len(report.added) == 2
    assert sorted(report.no_text) == sorted(str(p) for p in image_files.values())
    assert report.ocr_hint == ocr.ENABLE_HINT and "tesseract-ocr" in report.ocr_hint
    assert "2 kept without text" in report.summary()
    assets = {Path(a.path).suffix: a for a in library.assets.all()}
    for asset in assets.values():
        assert asset.file_state == FileState.OK and asset.text_source == TextSource.NO_OCR
        assert asset.page_count == 2
    deck, pdf = assets[".pptx"], assets[".pdf"]
    # By title, by a word of the file name, by summary and by a taxonomy term.
    assert search_paths(library, "keynote") == [deck.path]
    assert search_paths(library, "falcon") == [pdf.path]
    library.update_assets([pdf.id], summary="Printed for the harbour expo")
    library.tag_assets([deck.id], "industry", ["Healthcare"])
    assert search_paths(library, "expo") == [pdf.path]
    assert search_paths(library, "healthcare") == [deck.path]
    # Two picture-only files are not "near duplicates" for having the same (no) text.
    assert not report.duplicates


def test_files_without_text_go_into_a_packet(library, image_files, without_ocr, tmp_path):
    library.add_paths(list(image_files.values()))
    ids = [a.id for a in library.assets.all()]
    library.save_rep_settings(RepSettings(rep_name="Priya Raman", rep_company="Harborline"))
    packet = library.create_packet(JANE, template="general", asset_ids=ids)
    result = library.export_packet_pdf(packet.id, tmp_path / "packet.pdf")
    reader = PdfReader(result.path)
    items = {item.title: item for item in result.items}
    for title, item in items.items():
        assert item.page_count == 2, title
        for number in range(item.first_page, item.first_page + item.page_count):
            # The scan's pages are merged as they are; the deck's slides become its pictures.
            assert len(reader.pages[number - 1].images) == 1, (title, number)


def test_the_hint_is_given_only_when_ocr_is_missing(library, image_files, without_ocr):
    pdf = image_files["pdf"]
    assert extract_inline(pdf).text_source == TextSource.NO_OCR
    report = library.add_paths([pdf.parent / "nothing-here.pdf"])
    assert report.ocr_hint is None


@needs_ocr
def test_ocr_reads_image_only_pages_and_slides(library, image_files):
    report = library.add_paths(list(image_files.values()))
    assert sorted(report.ocr) == sorted(str(p) for p in image_files.values())
    assert not report.no_text and report.ocr_hint is None
    for word, path, page in (
        ("zebra", image_files["pdf"], 1),
        ("fjord", image_files["pdf"], 2),
        ("walrus", image_files["pptx"], 1),
        ("lychee", image_files["pptx"], 2),
    ):
        hits = library.search(SearchQuery(word, as_you_type=False)).hits
        assert [(h.path, h.page) for h in hits] == [(str(path), page)], word
    assert {a.text_source for a in library.assets.all()} == {TextSource.OCR}


@needs_ocr
def test_rescan_reads_again_once_ocr_is_installed(library, image_files, monkeypatch):
    monkeypatch.setenv("PITCHPACK_TESSERACT", "/nonexistent/tesseract")
    ocr.available.cache_clear()
    library.add_paths([image_files["pptx"]])
    assert search_paths(library, "saffron") == []
    monkeypatch.delenv("PITCHPACK_TESSERACT")
    ocr.available.cache_clear()
    report = library.rescan()
    assert report.ocr == [str(image_files["pptx"])]
    assert search_paths(library, "saffron") == [str(image_files["pptx"])]
    assert library.rescan().ocr == []  # read once, not at every rescan


@needs_ocr
def test_ocr_keeps_to_its_time_budget(image_files, monkeypatch):
    monkeypatch.setattr(ocr, "_time_limit", 0.5)
    extracted = extract_inline(image_files["pdf"])
    assert extracted.text_source == TextSource.NONE and extracted.text.strip() == ""


def test_files_failed_as_empty_before_are_read_again_after_upgrade(tmp_path, image_files):
    from library import Library

    folder = tmp_path / "old-library"
    with Library(folder, workers=1) as lib:
        lib.add_paths([image_files["pdf"]])
        # The catalog as the previous version left it: no text_source, the file failed.
        lib.db.execute("DELETE FROM _sqlite_migrations WHERE name = 'm006_text_source'")
        lib.db.execute("ALTER TABLE assets DROP COLUMN text_source")
        lib.db.execute(
            "UPDATE assets SET file_state = 'failed', failure_reason = 'empty', "
            "error = 'No text was found in the file (is it a scanned image?).', content_hash = ''"
        )
    with Library(folder, workers=1) as lib:
        assert lib.assets.all()[0].file_state == FileState.FAILED
        report = lib.rescan()
        assert len(report.updated) == 1 and not report.failed
        asset = lib.assets.all()[0]
        assert asset.file_state == FileState.OK and asset.error is None
        assert asset.text_source in (TextSource.OCR, TextSource.NO_OCR)
