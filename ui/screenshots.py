"""Rendering each main screen to a PNG, offscreen: for the README, reviews and release notes."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from library import Library
from ui.import_dialog import ImportDialog
from ui.main_window import TAB_LIBRARY, TAB_SEARCH, MainWindow
from ui.models import item_data
from ui.models.asset_table import AssetIdRole
from ui.settings import Settings

SIZE = (1440, 900)
QUERY = "colocation pricing"


def _wait_until(condition: Callable[[], bool], timeout_ms: int = 15000) -> bool:
    """Run the event loop until ``condition()`` holds (background tasks deliver meanwhile)."""
    if condition():
        return True
    loop = QEventLoop()
    poll = QTimer(interval=25)
    poll.timeout.connect(lambda: condition() and loop.quit())
    QTimer.singleShot(timeout_ms, loop.quit)
    poll.start()
    loop.exec()
    poll.stop()
    return condition()


def _save(widget: QWidget, path: Path, shots: list[Path]) -> None:
    _wait_until(lambda: False, 150)  # let pending paints and layouts settle
    widget.grab().save(str(path))
    shots.append(path)


def render_screenshots(
    library: Library, outdir: Path, *, query: str = QUERY, dark: bool | None = None
) -> list[Path]:
    """Save workspace, preview, library, import summary, taxonomy editor and report PNGs.

    Uses the offscreen platform when no QApplication exists yet, and throwaway settings so
    the user's own window state is left alone. The import summary comes from a real rescan.
    """
    from ui.app import create_application

    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    create_application([], dark=dark)
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(
            QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        )
        window = MainWindow(library, settings)
        window.resize(*SIZE)
        window.show()
        try:
            _shoot_workspace(window, query, outdir, shots)
            _shoot_library(window, outdir, shots)
            _shoot_dialogs(window, outdir, shots)
        finally:
            window.close()
            window.deleteLater()
    return shots


def _shoot_workspace(window: MainWindow, query: str, outdir: Path, shots: list[Path]) -> None:
    session, pane, preview = window.session, window.search_pane, window.preview
    window.start()
    _wait_until(lambda: session.last_result is not None)
    window.show_tab(TAB_SEARCH)
    before = session.last_result
    pane.search_box.setText(query)
    _wait_until(lambda: session.last_result is not before and not session.pending)
    hits = [pane.model.hit(row) for row in range(pane.model.rowCount())]
    # Prefer a PDF whose best page is not the first, to show the preview opening there.
    row = next(
        (i for i, h in enumerate(hits) if h.path.lower().endswith(".pdf") and (h.page or 0) > 1),
        next((i for i, h in enumerate(hits) if h.path.lower().endswith(".pdf")), 0),
    )
    if hits:
        pane.select_row(row)
        _wait_until(
            lambda: (
                preview.data is not None
                and (not preview.data.is_pdf or not preview.page_view.pixmap().isNull())
            )
        )
    _save(window, outdir / "workspace.png", shots)
    _save(preview, outdir / "preview.png", shots)


def _shoot_library(window: MainWindow, outdir: Path, shots: list[Path]) -> None:
    view = window.library_view
    window.show_tab(TAB_LIBRARY)
    _wait_until(
        lambda: view.model.rowCount() > 0 and view.model.loaded() >= min(view.model.rowCount(), 20)
    )
    rows = min(3, view.proxy.rowCount())
    ids = [item_data(view.proxy.index(r, 0), AssetIdRole) for r in range(rows)]
    view.select_ids([i for i in ids if i is not None])
    _wait_until(lambda: bool(view.edit_panel.assets))
    _save(window, outdir / "library.png", shots)


def _shoot_dialogs(window: MainWindow, outdir: Path, shots: list[Path]) -> None:
    dialog: ImportDialog = window.rescan()
    _wait_until(lambda: dialog.report is not None or dialog.pages.currentIndex() == 1, 120000)
    _save(dialog, outdir / "import-summary.png", shots)
    dialog.accept()
    editor = window.edit_taxonomy()
    _wait_until(lambda: editor.model.rowCount() > 0)
    editor.view.selectRow(1)
    _save(editor, outdir / "taxonomy-editor.png", shots)
    editor.reject()
    reports = window.show_reports()
    _wait_until(lambda: "(" in reports.tabs.tabText(0))
    _save(reports, outdir / "tag-hygiene.png", shots)
    reports.reject()
