"""Importing through the dialog: progress, a working Cancel, and the summary with reasons."""

from __future__ import annotations

import threading

from documents import add_bad_files
from PySide6.QtCore import Qt

from library.import_report import LINK_LEAVES_FOLDER, Failure
from library.ingest import ImportReport
from library.progress import Progress, ProgressRate
from ui.import_dialog import ImportDialog
from ui.models import item_data
from ui.models.import_issues import COL_REASON


def test_import_a_folder_shows_the_summary(qtbot, window, mixed_folder):
    add_bad_files(mixed_folder)
    dialog = window.import_paths([mixed_folder])
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.import_finished, timeout=60000):
        pass
    report = dialog.report
    assert len(report.added) == 6
    assert dialog.count_labels["added"].text() == "6"
    assert dialog.count_labels["failed"].text() == str(len(report.failed)) != "0"
    assert dialog.pages.currentIndex() == 1
    reasons = {
        item_data(dialog.issue_model.index(r, COL_REASON))
        for r in range(dialog.issue_model.rowCount())
    }
    assert {"Damaged", "Password-protected"} <= reasons
    # The window refreshes: new assets are searchable and listed.
    total = window.library.assets.count()  # failed files are kept too, with their reason
    qtbot.waitUntil(lambda: window.library_view.model.rowCount() == total, timeout=10000)
    window.search_pane.search_box.setText("quokka")
    qtbot.waitUntil(
        lambda: (
            window.session.last_result.query.text == "quokka"
            and window.search_pane.model.total == 1
        ),
        timeout=10000,
    )
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_rescan_with_nothing_changed(qtbot, window):
    dialog = window.rescan()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.import_finished, timeout=60000):
        pass
    assert dialog.report.unchanged == window.library.assets.count()
    assert dialog.count_labels["added"].text() == "0"
    assert not dialog.issue_view.isVisibleTo(dialog)


def test_cancel_sets_the_event_the_core_watches(qtbot, inline_runner, runner):
    started = threading.Event()

    def work(progress, cancel: threading.Event) -> ImportReport:
        progress(Progress("reading", 3, 10, "/content/deck.pptx"))
        started.set()
        cancel.wait(10)
        return ImportReport(unchanged=3, cancelled=cancel.is_set())

    dialog = ImportDialog(runner, "Importing", work)
    qtbot.addWidget(dialog)
    dialog.start()
    assert started.wait(5)
    qtbot.waitUntil(lambda: dialog.bar.maximum() == 10)
    assert dialog.bar.value() == 3
    with qtbot.waitSignal(dialog.import_finished, timeout=5000) as blocker:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].cancelled
    assert dialog.summary_heading.text() == "Import cancelled"


def test_a_failed_import_says_why(qtbot, inline_runner):
    def work(progress, cancel):
        raise PermissionError(13, "Permission denied", "/content")

    dialog = ImportDialog(inline_runner, "Importing", work)
    qtbot.addWidget(dialog)
    dialog.start()
    assert dialog.summary_heading.text() == "The import stopped"
    assert "Permission denied" in dialog.summary_text.text()


def test_progress_shows_files_per_second_and_time_left(qtbot, inline_runner) -> None:
    clock = [0.0]
    dialog = ImportDialog(inline_runner, "Importing", lambda progress, cancel: ImportReport())
    qtbot.addWidget(dialog)
    dialog.rate = ProgressRate(lambda: clock[0])
    dialog._progressed(Progress("reading", 0, 10_000, "/content/a.md"))
    assert dialog.rate_label.text() == ""
    clock[0] = 4.0
    dialog._progressed(Progress("reading", 2_000, 10_000, "/content/b.md"))
    assert dialog.phase_label.text() == "Reading text… 2,000 of 10,000"
    assert dialog.rate_label.text() == "500 files/s, about 16 s left"


def test_links_out_of_the_folder_are_listed_apart_from_unsupported_files(qtbot, inline_runner):
    report = ImportReport(
        unchanged=1,
        skipped=[
            Failure("/content/sheet.xlsx", "unsupported", "Files of type '.xlsx' ..."),
            Failure("/content/key.txt", LINK_LEAVES_FOLDER, "This is a link to /home/.ssh/x."),
        ],
    )
    dialog = ImportDialog(inline_runner, "Importing", lambda progress, cancel: report)
    qtbot.addWidget(dialog)
    dialog.start()
    text = dialog.summary_text.text()
    assert "1 files were skipped as unsupported." in text
    assert "1 links out of the folder were not followed." in text
    model = dialog.issue_model
    reasons = {
        item_data(model.index(row, 0)): item_data(model.index(row, COL_REASON))
        for row in range(model.rowCount())
    }
    assert reasons == {
        "sheet.xlsx": "Unsupported",
        "key.txt": "Link out of folder",
    }
