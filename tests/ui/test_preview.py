"""The preview: a PDF opens at its matching page; text formats show their hits marked."""

from __future__ import annotations

from PySide6.QtCore import Qt

from library.models import Page
from ui.main_window import MainWindow
from ui.preview_content import matching_pages, pages_html, search_terms


def search(qtbot, win: MainWindow, text: str) -> None:
    before = win.session.last_result
    win.search_pane.search_box.setText(text)
    qtbot.waitUntil(
        lambda: (
            win.session.last_result is not before and win.session.last_result.query.text == text
        ),
        timeout=5000,
    )


def select_first(qtbot, win: MainWindow, test) -> int:
    model = win.search_pane.model
    row = next(r for r in range(model.rowCount()) if test(model.hit(r)))
    win.search_pane.select_row(row)
    return row


def test_pdf_opens_at_the_matching_page(qtbot, window):
    search(qtbot, window, "pricing")
    row = select_first(qtbot, window, lambda h: h.path.endswith(".pdf") and (h.page or 0) > 1)
    hit = window.search_pane.model.hit(row)
    preview = window.preview
    qtbot.waitUntil(
        lambda: preview.data is not None and not preview.page_view.pixmap().isNull(), timeout=10000
    )
    assert preview.data.is_pdf
    assert preview.page == hit.page
    assert preview.page_label.text() == f"Page {hit.page} of {preview.page_count}"
    assert preview.title.text() == hit.title
    assert preview._image.highlights, "the matched words are outlined on the page"
    assert hit.page in preview.data.hit_pages


def test_pdf_page_and_hit_navigation(qtbot, window):
    search(qtbot, window, "colocation")
    select_first(qtbot, window, lambda h: h.path.endswith(".pdf"))
    preview = window.preview
    qtbot.waitUntil(lambda: preview._image is not None, timeout=10000)
    start = preview.page
    if start < preview.page_count:
        qtbot.mouseClick(preview.next_page, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: preview._image.page == start + 1, timeout=10000)
    hits = preview.data.hit_pages
    assert hits
    before = preview.page
    expected = min((p for p in hits if p > before), default=hits[0])  # wraps to the first
    preview.step_hit(1)
    qtbot.waitUntil(lambda: preview._image.page == expected, timeout=10000)
    assert preview.page == expected


def test_text_formats_show_highlighted_text(qtbot, window):
    search(qtbot, window, "pricing")
    select_first(qtbot, window, lambda h: h.path.endswith((".docx", ".md", ".html", ".txt")))
    preview = window.preview
    qtbot.waitUntil(lambda: preview.data is not None, timeout=10000)
    assert not preview.data.is_pdf
    assert preview.body.currentWidget() is preview.text_view
    count = preview.data.hit_count
    assert count >= 2, "the test needs a text preview with two matches to step between"
    assert preview.data.html.count("class='hit'") == count
    assert preview.hit_label.text() == f"Match 1 of {count}"
    preview.step_hit(1)
    assert preview.hit_label.text() == f"Match 2 of {count}"
    preview.step_hit(count - 1)
    assert preview.hit_label.text() == f"Match 1 of {count}"  # round to the first again


def test_add_to_packet_and_copy_path(qtbot, window):
    search(qtbot, window, "pricing")
    window.search_pane.select_row(0)
    hit = window.search_pane.model.hit(0)
    qtbot.waitUntil(lambda: window.preview.data is not None, timeout=10000)
    with qtbot.waitSignal(window.add_to_packet_requested) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == [[hit.id]]
    assert "packet" in window.statusBar().currentMessage()
    window.preview.copy_path()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == hit.path


def test_search_terms_leave_out_syntax_and_take_matched_forms():
    assert search_terms('type:"case study" -draft "power usage" pricing', "…<b>priced</b>…") == [
        "power",
        "usage",
        "pricing",
        "priced",
    ]


def test_matching_pages_need_every_query_word_when_possible():
    pages = [
        Page(1, "Colocation overview"),
        Page(2, "Colocation prices and pricing"),
        Page(3, "Priced per kW"),
    ]
    assert matching_pages(pages, ["colocation", "pricing"], ["colocation", "pricing"]) == [2]
    assert matching_pages(pages, ["kw"], ["kw"]) == [3]


def test_pages_html_marks_hits_and_escapes_text():
    html, count = pages_html(
        [Page(1, "Costs & pricing\n\nPricing is per <cabinet>.")], ["pricing"], paged=False
    )
    assert count == 2
    assert "&amp;" in html and "&lt;cabinet&gt;" in html
    assert "<a name='hit-2'>" in html
