"""The hostile corpus through the import dialog: it finishes, and says for every file that
could not be taken in why, in a word and a sentence."""

from __future__ import annotations

from pathlib import Path

from hostile import FAILED, HOSTILE_MAX_CHARS, INDEXED, hazards, make_hostile_corpus
from hostile import remove_big_file as remove_big

from library import Library
from ui.import_dialog import ImportDialog
from ui.models import item_data
from ui.models.import_issues import COL_FILE, COL_MESSAGE, COL_REASON, PathRole

REASON_LABELS = {
    "corrupt": "Damaged",
    "encrypted": "Password-protected",
    "empty": "No text",
    "too_large": "Too large",
    "unsupported": "Unsupported",
    "unreadable": "Unreadable",
}


def test_import_dialog_on_the_hostile_corpus(qtbot, runner, tmp_path: Path, monkeypatch) -> None:
    folder = tmp_path / "hostile"
    expected = make_hostile_corpus(folder)
    hazards(monkeypatch, folder)
    library = Library(tmp_path / "lib", workers=2, timeout=30, max_chars=HOSTILE_MAX_CHARS)
    try:
        dialog = ImportDialog(
            runner,
            "Importing",
            lambda progress, cancel: library.add_paths([folder], progress=progress, cancel=cancel),
        )
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.import_finished, timeout=90_000):
            dialog.start()
        report = dialog.report
        assert report is not None and dialog.pages.currentIndex() == 1
        indexed = [n for n, e in expected.items() if e.outcome == INDEXED]
        failed = {n: e for n, e in expected.items() if e.outcome == FAILED}
        assert dialog.count_labels["added"].text() == str(len(indexed))
        assert dialog.count_labels["failed"].text() == str(len(failed))

        model = dialog.issue_model
        rows = {
            Path(item_data(model.index(r, COL_FILE), PathRole)).relative_to(folder).as_posix(): r
            for r in range(model.rowCount())
        }
        for name, expect in failed.items():
            row = rows[name]
            assert item_data(model.index(row, COL_REASON)) == REASON_LABELS[expect.reason], name
            message = item_data(model.index(row, COL_MESSAGE))
            assert message.endswith(".") and "\n" not in message, name
            assert item_data(model.index(row, COL_FILE))  # even a name that is not valid text
        truncated = {Path(p).relative_to(folder).as_posix() for p in report.truncated}
        assert truncated == {"big.txt"}  # listed with the command that raises the limit
        assert item_data(model.index(rows["big.txt"], COL_REASON)) == "Text cut"
        skipped = {n for n, e in expected.items() if e.outcome == "skipped"}
        assert skipped == {"sheet.xlsx", "zero.txt"}
        assert rows.keys() == failed.keys() | skipped | truncated
        assert item_data(model.index(rows["zero.txt"], COL_REASON)) == "Link out of folder"
        assert dialog.issue_view.isVisibleTo(dialog)
        # Through Qt too: the name that is not valid text is shown, not raised.
        bad_row = rows[next(n for n in failed if n.startswith("caf"))]
        assert model.index(bad_row, COL_FILE).data().startswith("caf")
        qtbot.waitExposed(dialog)
        dialog.issue_view.viewport().repaint()
    finally:
        library.close()
        remove_big(folder)
