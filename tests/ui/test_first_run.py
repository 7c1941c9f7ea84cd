"""What a new rep meets: the name asked at the first export, Ctrl+Enter in the note, files
cut at the text limit in the import summary, the Usage tab kept, and font warnings."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from library import Library
from library.settings import Settings
from ui import settings as keys
from ui.import_dialog import ImportDialog
from ui.main_window import MainWindow
from ui.models import item_data
from ui.models.import_issues import COL_MESSAGE, COL_REASON
from ui.rep_name import RepNameDialog

TIMEOUT = 60000
JANE = {"first_name": "Jane", "last_name": "Doe", "company": "Acme Corp", "role": "CFO"}


def start_packet(qtbot, window: MainWindow) -> None:
    """A packet with the first result in it and Jane as the prospect."""
    model = window.search_pane.model
    row = next(r for r in range(model.rowCount()) if model.hit(r).path.endswith(".pdf"))
    window.search_pane.select_row(row)
    qtbot.waitUntil(lambda: window.preview.hit is not None)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    panel = window.packet_panel
    qtbot.waitUntil(lambda: panel.session.model.rowCount() == 1, timeout=TIMEOUT)
    panel.prospect.set_unfolded(True)
    for name, value in JANE.items():
        panel.form.edits[name].clear()
        qtbot.keyClicks(panel.form.edits[name], value)


def exported(qtbot, window: MainWindow, start) -> None:
    """Run ``start`` and wait for the delivery to end; fail with the error box's text."""
    delivery = window.packet_panel.delivery
    with qtbot.waitSignal(delivery.delivery_finished, timeout=TIMEOUT) as blocker:
        start()
    errors = [box.text() for box in window.findChildren(QMessageBox, "errorBox")]
    assert blocker.args == [True], errors


def open_dialog(window: MainWindow) -> RepNameDialog | None:
    found = [d for d in window.findChildren(RepNameDialog) if d.isVisible()]
    return found[0] if found else None


def test_first_export_asks_for_the_rep_name_then_goes_on(qtbot, window, tmp_path):
    assert Settings(window.library.folder).get("rep.name") == ""
    start_packet(qtbot, window)
    delivery = window.packet_panel.delivery
    path = tmp_path / "packet.pdf"

    window.packet_panel.export_pdf(path)
    qtbot.waitUntil(lambda: open_dialog(window) is not None, timeout=TIMEOUT)
    dialog = open_dialog(window)
    assert not dialog.ok_button.isEnabled()
    dialog.reject()  # Cancel: nothing is exported, nothing is saved
    qtbot.wait(50)
    assert not path.exists() and not delivery.delivering

    window.packet_panel.export_pdf(path)
    qtbot.waitUntil(lambda: open_dialog(window) is not None, timeout=TIMEOUT)
    dialog = open_dialog(window)
    qtbot.keyClicks(dialog.name_edit, "Ana Lima")
    exported(qtbot, window, lambda: qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton))
    assert Settings(window.library.folder).get("rep.name") == "Ana Lima"
    assert "Ana Lima" in PdfReader(path).pages[0].extract_text()
    assert window.library.usage.rep == "Ana Lima"

    path.unlink()
    exported(qtbot, window, lambda: window.packet_panel.export_pdf(path))  # asked once only
    assert open_dialog(window) is None


def test_export_warns_about_characters_no_font_has(qtbot, window, tmp_path):
    window.library.change_settings({"rep.name": "Ana Lima"})
    start_packet(qtbot, window)
    panel = window.packet_panel
    panel.note.show_page(panel.note.EDIT)
    panel.note_edit.setPlainText("Dear {first_name}, \U00013000 is a man.")
    exported(qtbot, window, lambda: panel.export_pdf(tmp_path / "packet.pdf"))
    warning = panel.delivery.warning
    assert warning is not None and warning.isVisible()
    assert "U+13000" in warning.text()


def test_ctrl_enter_in_the_note_inserts_a_line(qtbot, window):
    window.library.change_settings({"rep.name": "Ana Lima"})
    start_packet(qtbot, window)
    panel = window.packet_panel
    panel.note.show_page(panel.note.EDIT)
    editor = panel.note_edit
    editor.setPlainText("")
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    window.search_pane.select_row(1)  # a result the window's Ctrl+Enter would add
    qtbot.waitUntil(lambda: window.preview.hit is not None and window.preview.hit.id not in
                    panel.session.model.asset_ids())  # fmt: skip
    editor.setFocus()
    qtbot.waitUntil(editor.hasFocus)
    qtbot.keyClicks(editor, "Hello")
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Enter, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(editor, "World")
    assert editor.toPlainText() == "Hello\n\nWorld"
    qtbot.wait(100)
    assert panel.session.model.rowCount() == 1, "Ctrl+Enter in the note added an asset"


def test_the_usage_tab_is_restored(qtbot, window, settings, runner):
    window.show_dashboard()
    window.save_state()
    assert settings.value(keys.WINDOW_TAB) == window.tabs.indexOf(window.dashboard)
    again = MainWindow(window.library, settings, runner=runner)
    qtbot.addWidget(again)
    assert again.tabs.currentWidget() is again.dashboard


def test_the_import_summary_lists_files_cut_at_the_text_limit(qtbot, tmp_path, inline_runner):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "long.txt").write_text("Pricing and onboarding notes. " * 400, encoding="utf-8")
    (folder / "short.txt").write_text("A short note on pricing.", encoding="utf-8")
    with Library(tmp_path / "library", workers=1, max_chars=1000) as lib:
        dialog = ImportDialog(
            inline_runner,
            "Importing",
            lambda progress, cancel: lib.ingest.add_paths(
                [folder], progress=progress, cancel=cancel
            ),
        )
        qtbot.addWidget(dialog)
        dialog.start()
        qtbot.waitUntil(lambda: dialog.report is not None, timeout=TIMEOUT)
    assert dialog.report.truncated == [str(folder / "long.txt")]
    model = dialog.issue_model
    rows = {item_data(model.index(r, 0)): r for r in range(model.rowCount())}
    assert set(rows) == {"long.txt"}
    assert item_data(model.index(rows["long.txt"], COL_REASON)) == "Text cut"
    message = item_data(model.index(rows["long.txt"], COL_MESSAGE))
    assert "pitchpack settings set text.max_chars" in message
    assert "1 files were cut at the text limit" in dialog.summary_text.text()
    assert dialog.issue_view.isVisibleTo(dialog)
