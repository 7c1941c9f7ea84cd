"""Tests of the document writers: each file is read back with the library that reads it."""

from __future__ import annotations

from pathlib import Path

import docx
import pptx
import pypdf
import pypdfium2 as pdfium
import pytest

from library.docgen import (
    Slide,
    markdown_to_html,
    parse_markup,
    plain_text,
    write_docx,
    write_html,
    write_pdf,
    write_pptx,
)


def page_texts(path: Path, password: str | None = None) -> list[str]:
    document = pdfium.PdfDocument(path, password=password)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


def seven_pages() -> list[str]:
    pages = [f"# Section {n}\n\nColocation pricing notes for part {n}." for n in range(1, 8)]
    pages[4] += "\n\nThe quetzal clause lives on the fifth page only."
    return pages


def test_pdf_has_one_page_per_string_and_words_stay_on_their_page(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "guide.pdf", seven_pages(), title="Guide", author="Dana")

    texts = page_texts(path)

    assert len(texts) == 7
    assert "quetzal" in pdfium.PdfDocument(path)[4].get_textpage().get_text_range()
    assert [n for n, text in enumerate(texts, 1) if "quetzal" in text] == [5]
    assert "Page 5 of 7" in texts[4]


def test_pdf_metadata_holds_title_and_author(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "meta.pdf", ["Hello"], title="Rack Pricing", author="Priya Raman")

    info = pypdf.PdfReader(path).metadata

    assert info.title == "Rack Pricing"
    assert info.author == "Priya Raman"


def test_pdf_renders_markup_without_its_markers(tmp_path: Path) -> None:
    page = (
        "# Heading one\n\n## Heading two\n\nA paragraph with **bold** words\n"
        "that continues here.\n\n- first bullet\n- second bullet\n\n1. numbered step\n\n"
        "| Tier | Price |\n|---|---|\n| Gold | $1,200 |\n| Silver | $900 |"
    )
    text = page_texts(write_pdf(tmp_path / "markup.pdf", [page]))[0]

    for words in ("Heading one", "Heading two", "bold", "second bullet", "Gold", "$1,200"):
        assert words in text
    assert "**" not in text and "|" not in text and "##" not in text


def test_pdf_escapes_characters_that_look_like_markup(tmp_path: Path) -> None:
    text = page_texts(write_pdf(tmp_path / "esc.pdf", ["R&D costs <under> 5% & falling"]))[0]

    assert "R&D costs <under> 5% & falling" in text


def test_pdf_shrinks_an_overlong_page_instead_of_adding_pages(tmp_path: Path) -> None:
    long_page = "# Long\n\n" + "colocation capacity planning " * 900 + "\n\nfinalword"
    texts = page_texts(write_pdf(tmp_path / "long.pdf", [long_page, "second page"]))

    assert len(texts) == 2
    assert "finalword" in texts[0]
    assert "second page" in texts[1]


@pytest.mark.parametrize("pages", [["first", "", "third"], [""], []], ids=["blank", "one", "none"])
def test_pdf_keeps_blank_pages(tmp_path: Path, pages: list[str]) -> None:
    assert len(page_texts(write_pdf(tmp_path / "blank.pdf", pages))) == max(len(pages), 1)


def test_pdf_with_user_password_needs_it(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "locked.pdf", ["Secret"], user_password="open", owner_password="o")

    reader = pypdf.PdfReader(path)
    assert reader.is_encrypted
    assert not reader.decrypt("wrong")
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(path)
    assert "Secret" in page_texts(path, password="open")[0]


def test_pdf_with_only_owner_password_opens_without_one(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "owner.pdf", ["Readable by all"], owner_password="owner")

    assert pypdf.PdfReader(path).is_encrypted
    assert "Readable by all" in page_texts(path)[0]


def test_docx_reads_back_headings_lists_table_header_and_properties(tmp_path: Path) -> None:
    blocks = [
        "# Security overview\n\nIntro with **strong** claims.\n\n## Controls\n\n"
        "- Biometric access\n- Video retention\n\n| Framework | Scope |\n|---|---|\n"
        "| SOC 2 | All sites |\n| ISO 27001 | ISMS |",
        "Second page words.",
    ]
    path = write_docx(
        tmp_path / "out" / "one-pager.docx",
        blocks,
        title="Security Overview",
        author="Elena Sorensen",
        header_text="Harborline Data | Confidential",
    )

    document = docx.Document(path)
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert ("Heading 1", "Security overview") in styled
    assert ("Heading 2", "Controls") in styled
    assert ("List Bullet", "Video retention") in styled
    assert ("Normal", "Intro with strong claims.") in styled
    assert styled[-1] == ("Normal", "Second page words.")
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert bold == ["strong"]
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows == [["Framework", "Scope"], ["SOC 2", "All sites"], ["ISO 27001", "ISMS"]]
    assert document.sections[0].header.paragraphs[0].text == "Harborline Data | Confidential"
    assert document.core_properties.title == "Security Overview"
    assert document.core_properties.author == "Elena Sorensen"
    assert document.element.body.xml.count('w:type="page"') == 1


def test_pptx_reads_back_slides_bullets_and_notes(tmp_path: Path) -> None:
    slides = [
        Slide(
            "Why colocation", ["Lower cost", "Higher **availability**"], notes="Ask about power."
        ),
        Slide("Questions", []),
    ]
    path = write_pptx(tmp_path / "deck.pptx", slides, title="Pitch", author="Priya Raman")

    deck = pptx.Presentation(path)
    assert len(deck.slides) == 2
    first, second = deck.slides
    assert first.shapes.title.text == "Why colocation"
    body = [shape for shape in first.placeholders if shape.placeholder_format.idx == 1][0]
    assert [p.text for p in body.text_frame.paragraphs] == ["Lower cost", "Higher availability"]
    assert first.notes_slide.notes_text_frame.text == "Ask about power."
    assert second.shapes.title.text == "Questions"
    assert not second.has_notes_slide
    assert deck.core_properties.title == "Pitch"
    assert deck.core_properties.author == "Priya Raman"
    assert deck.core_properties.last_modified_by == "Priya Raman"


def test_html_is_a_complete_document(tmp_path: Path) -> None:
    path = write_html(
        tmp_path / "web" / "post.html",
        "Colo & Cloud <2026>",
        "<h1>Colo</h1><p>Body text</p>",
        extra_head='<meta name="author" content="Dana">',
    )

    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert "<title>Colo &amp; Cloud &lt;2026&gt;</title>" in page
    assert '<meta name="author" content="Dana">' in page
    assert "<p>Body text</p>" in page
    assert page.rstrip().endswith("</html>")


def test_markdown_to_html_renders_tables_and_drops_page_markers() -> None:
    html = markdown_to_html(
        "# Title\n\n<!-- page -->\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n<script>x</script>"
    )

    assert "<h1>Title</h1>" in html
    assert "<table>" in html and "<td>2</td>" in html
    assert "page -->" not in html
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Title", [("h1", "Title")]),
        ("### Small", [("h3", "Small")]),
        ("one\ntwo\n\nthree", [("para", "one two"), ("para", "three")]),
        ("- a\n* b", [("bullet", "a"), ("bullet", "b")]),
        ("1. first\n2) second", [("number", "first"), ("number", "second")]),
        ("", []),
    ],
)
def test_parse_markup_kinds(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(block.kind, block.text) for block in parse_markup(text)] == expected


def test_parse_markup_tables_skip_separators_and_pad_short_rows() -> None:
    (block,) = parse_markup("| A | B | C |\n|:--|---|--:|\n| 1 | 2 |")

    assert block.kind == "table"
    assert block.rows == [["A", "B", "C"], ["1", "2", ""]]


def test_plain_text_drops_inline_markers() -> None:
    assert plain_text("See **this** [guide](https://x.example/a)") == "See this guide"


@pytest.mark.parametrize("kind", ["pdf", "docx", "pptx"])
def test_writers_are_deterministic(tmp_path: Path, kind: str) -> None:
    def write(name: str) -> bytes:
        path = tmp_path / f"{name}.{kind}"
        if kind == "pdf":
            write_pdf(path, seven_pages(), title="T", author="A", owner_password="o")
        elif kind == "docx":
            write_docx(path, seven_pages(), title="T", author="A", header_text="H")
        else:
            write_pptx(path, [Slide("S", ["b"], "n")], title="T", author="A")
        return path.read_bytes()

    assert write("first") == write("second")
