"""Text outside plain paragraphs: charts, tables, groups, SmartArt and text boxes are read
and found by search."""

from __future__ import annotations

import pytest
from rich_documents import DECK_WORDS, DOCX_WORDS, write_rich_docx, write_rich_pptx

from library.extract import extract_file
from search import SearchQuery


@pytest.fixture(scope="module")
def rich_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rich")
    return {
        "pptx": write_rich_pptx(folder / "rich-deck.pptx"),
        "docx": write_rich_docx(folder / "rich-report.docx"),
    }


CASES = [("pptx", place, word) for place, word in DECK_WORDS.items()] + [
    ("docx", place, word) for place, word in DOCX_WORDS.items()
]


@pytest.mark.parametrize(("kind", "place", "word"), CASES, ids=[f"{k}-{p}" for k, p, _ in CASES])
def test_text_in_every_object_is_read_once(rich_files, kind, place, word):
    text = extract_file(rich_files[kind]).text.casefold()
    # Once: a text box's VML fallback and an AlternateContent's fallback repeat the text.
    assert text.count(word) == 1, (place, text)


def test_chart_numbers_are_not_text(rich_files):
    text = extract_file(rich_files["pptx"]).text
    assert "7.5" not in text and "4.0" not in text


def test_smartart_is_on_its_slide(rich_files):
    pages = extract_file(rich_files["pptx"]).pages
    assert DECK_WORDS["smartart"] in pages[1].text.casefold()
    assert DECK_WORDS["chart title"] in pages[0].text.casefold()


def test_rich_files_are_found_by_search(library, rich_files):
    report = library.add_paths(list(rich_files.values()))
    assert not report.failed and len(report.added) == 2
    for kind, words in (("pptx", DECK_WORDS), ("docx", DOCX_WORDS)):
        for place, word in words.items():
            hits = library.search(SearchQuery(word, as_you_type=False)).hits
            assert str(rich_files[kind]) in [h.path for h in hits], (kind, place)
