"""Rendering each main screen to a PNG, offscreen: for the README, reviews and release notes.

A documentation tool, not part of the app: it drives the real window from the outside and
waits on the GUI thread, which the app itself never does.
"""

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
from ui.models.roles import AssetIdRole
from ui.settings import Settings

SIZE = (1440, 900)
QUERY = "colocation pricing"
QUESTION = "hospital worried about outages"  # plain words none of the assets hold together
USAGE_EVENTS = 500  # fewer than this, and the dashboard shot gets a generated history


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
    """Save workspace, preview, related results, packet, library, import summary, taxonomy editor, report and
    usage dashboard PNGs.

    Uses the offscreen platform when no QApplication exists yet, and throwaway settings so
    the user's own window state is left alone. The import summary comes from a real import of a few
    new, duplicate, damaged and protected files, so render into a throwaway library.
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
            _shoot_related(window, outdir, shots)
            _shoot_packet(window, outdir, shots)
            _shoot_library(window, outdir, shots)
            _shoot_dialogs(window, outdir, shots, Path(scratch))
            _shoot_dashboard(library, settings, outdir, shots, Path(scratch))
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


def _shoot_related(window: MainWindow, outdir: Path, shots: list[Path]) -> None:
    """A question in plain words, answered by related results once the library is embedded."""
    session, pane = window.session, window.search_pane
    _wait_until(lambda: not window.embedding.running, 120_000)
    before = session.last_result
    pane.search_box.setText(QUESTION)
    _wait_until(lambda: session.last_result is not before and not session.pending)
    if pane.model.rowCount():
        pane.select_row(0)
        _wait_until(lambda: window.preview.data is not None)
    _save(window, outdir / "related.png", shots)
    before = session.last_result
    pane.search_box.setText(QUERY)  # the packet shot uses these results
    _wait_until(lambda: session.last_result is not before and not session.pending)


def _shoot_packet(window: MainWindow, outdir: Path, shots: list[Path]) -> None:
    """A packet for a sample prospect: four of the results, a note on the first, and the
    note's preview. Stores the rep's sample details if the library has none."""
    from library.packets import Prospect, RepSettings

    library, panel, pane = window.library, window.packet_panel, window.search_pane
    if not library.packets.settings.load().rep_name:
        library.save_rep_settings(
            RepSettings(
                rep_name="Priya Raman",
                rep_title="Senior Account Executive",
                rep_email="priya.raman@harborline.example",
                rep_company="Harborline Data",
            )
        )
    hits = [pane.model.hit(row) for row in range(pane.model.rowCount())]
    ids = [hit.id for hit in hits if not hit.path.lower().endswith(".txt")][:4]
    window.add_to_packet(ids)
    session = panel.session
    _wait_until(lambda: session.model.rowCount() == len(ids) and not session.saving)
    prospect = Prospect("Jane", "Doe", "jane@acme.example", "Acme Corp", "Head of Finance")
    prospect.persona, prospect.stage = "CFO/Finance", "Decision"
    panel.form.set_prospect(prospect)
    session.set_prospect(prospect)
    _wait_until(lambda: session.packet.template == "decision-finance")
    session.model.setData(
        session.model.index(0), "The five-year model {company} asked for, ready for your figures."
    )
    panel.prospect.set_unfolded(False)
    panel.prospect.show_summary(prospect)
    _wait_until(lambda: session.rendered is not None and "Acme" in session.rendered.subject)
    _wait_until(lambda: not session.saving and panel.suggestions.model.rowCount() > 0, 5000)
    _save(window, outdir / "packet.png", shots)


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


def _incoming_folder(folder: Path, library: Library) -> Path:
    """What a marketer might drop in: new content, a copy, a damaged and a protected file."""
    from library.docgen import write_pdf

    folder.mkdir(parents=True, exist_ok=True)
    write_pdf(
        folder / "q3-pricing-update.pdf",
        ["# Q3 pricing update\n\nNew rates for colocation."],
        title="Q3 Pricing Update",
    )
    existing = next(a for a in library.assets.all() if a.path.endswith(".pdf"))
    (folder / "copy-of-datasheet.pdf").write_bytes(Path(existing.path).read_bytes())
    (folder / "board-deck-final.pdf").write_bytes(b"%PDF-1.7\n%damaged in transfer\n")
    write_pdf(folder / "partner-rates-locked.pdf", ["Confidential"], user_password="secret")
    (folder / "empty-brief.docx").write_bytes(b"")
    return folder


def _shoot_dialogs(window: MainWindow, outdir: Path, shots: list[Path], scratch: Path) -> None:
    dialog: ImportDialog = window.import_paths(
        [_incoming_folder(scratch / "incoming", window.library)]
    )
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


def _shoot_dashboard(
    library: Library, settings: Settings, outdir: Path, shots: list[Path], scratch: Path
) -> None:
    """The Usage tab, on a copy of the library; one with little usage is given six months
    of generated history first (the library itself is left as it was)."""
    from datetime import date

    from library.backup import backup, restore
    from library.usage.sample import generate_history, sample_assets

    backup(library, scratch / "usage.zip")
    restore(scratch / "usage.zip", scratch / "usage")
    with Library(scratch / "usage") as copy:
        if copy.usage.count() < USAGE_EVENTS:
            history = generate_history(sample_assets(copy), end=date.today(), seed=3)
            copy.add_usage_events(history)
        window = MainWindow(copy, settings)
        window.resize(*SIZE)
        window.show()
        try:
            window.show_dashboard()
            _wait_until(lambda: window.dashboard.data is not None, 60000)
            _save(window, outdir / "dashboard.png", shots)
        finally:
            window.close()
            window.deleteLater()
