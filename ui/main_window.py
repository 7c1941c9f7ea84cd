"""The main window: creates the panes, menus and shortcuts and wires their signals."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QSplitter,
    QTabWidget,
)

from library import Library
from ui import settings as keys
from ui.dashboard import DashboardView
from ui.embedding_status import EmbeddingStatus
from ui.facet_sidebar import FacetSidebar
from ui.folder_watch import FolderWatcher
from ui.icons import app_icon, icon
from ui.import_dialog import ImportDialog
from ui.library_view import LibraryView
from ui.packet_panel import PacketPanel
from ui.preview_pane import PreviewPane
from ui.reports import ReportsDialog
from ui.search_pane import SearchPane
from ui.search_session import SearchSession
from ui.settings import Settings
from ui.tasks import TaskRunner
from ui.taxonomy_editor import TaxonomyEditor
from ui.team_sync import TeamSync
from ui.usage_hooks import UsageHooks

TAB_SEARCH, TAB_LIBRARY = range(2)
STATUS_TIMEOUT = 4000


class MainWindow(QMainWindow):
    library_changed = Signal()
    add_to_packet_requested = Signal(list)

    def __init__(
        self,
        library: Library,
        settings: Settings,
        *,
        runner: TaskRunner | None = None,
        sample_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.library = library
        self.settings = settings
        self.sample_dir = sample_dir or library.folder / "sample"
        self.runner = runner or TaskRunner(self)
        self.runner.error_parent = self
        self.undo_stack = QUndoStack(self)
        self.session = SearchSession(library, self.runner, self)
        self.watcher = FolderWatcher(library, self.runner, self)
        self.watcher.changed.connect(self._folders_changed)
        self.team = TeamSync(library, self.runner, self)
        self.embedding = EmbeddingStatus(library, self.runner, self)
        self.setWindowTitle("Pitchpack")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)
        self.resize(1360, 860)
        self._build_panes()
        self._build_menus()
        self._wire()
        self._restore_state()

    # -- building --------------------------------------------------------------------------

    def _build_panes(self) -> None:
        self.sidebar = FacetSidebar(self.session, self.settings)
        self.search_pane = SearchPane(self.session)
        self.preview = PreviewPane(self.library, self.runner)
        self.workspace = QSplitter(Qt.Orientation.Horizontal)
        self.workspace.setChildrenCollapsible(False)
        for pane, stretch in ((self.sidebar, 0), (self.search_pane, 1), (self.preview, 1)):
            self.workspace.addWidget(pane)
            self.workspace.setStretchFactor(self.workspace.indexOf(pane), stretch)
        self.workspace.setSizes([250, 560, 550])
        self.packet_panel = PacketPanel(self.library, self.runner, self.settings)
        self.packet_panel.hide()  # until the first Add to packet, or as last time
        self.workspace.addWidget(self.packet_panel)
        self.library_view = LibraryView(self.library, self.runner, self.undo_stack)
        self.tabs = QTabWidget(documentMode=True)
        self.tabs.addTab(self.workspace, icon("search"), "Search")
        self.tabs.addTab(self.library_view, icon("library"), "Library")
        self.dashboard = DashboardView(self.library, self.runner)
        self.tabs.addTab(self.dashboard, icon("chart"), "Usage")
        self.tabs.setCornerWidget(self.packet_panel.toggle_button())
        self.setCentralWidget(self.tabs)
        self.statusBar().setSizeGripEnabled(False)
        self.statusBar().addPermanentWidget(self.team.label)
        self.statusBar().addPermanentWidget(self.embedding.label)

    def _action(self, text: str, slot, shortcut=None, icon_name: str | None = None) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcut is not None:
            action.setShortcuts(
                shortcut if isinstance(shortcut, list) else [QKeySequence(shortcut)]
            )
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.import_files_action = self._action(
            "Import &Files…", self.choose_files, "Ctrl+O", "import"
        )
        self.import_folder_action = self._action(
            "Import F&older…", self.choose_folder, "Ctrl+Shift+O", "folder"
        )
        self.rescan_action = self._action("&Rescan Library", self.rescan, "F5", "rescan")
        self.sample_action = self._action("Load &Sample Library", self.load_sample, None, "sample")
        for action in (
            self.import_files_action,
            self.import_folder_action,
            self.rescan_action,
            self.sample_action,
        ):
            file_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QKeySequence.StandardKey.Quit))

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.undo_action.setIcon(icon("undo"))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.redo_action.setIcon(icon("redo"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(
            self._action(
                "&Find",
                self.focus_search,
                [QKeySequence("Ctrl+K"), QKeySequence(QKeySequence.StandardKey.Find)],
                "search",
            )
        )

        view_menu = bar.addMenu("&View")
        view_menu.addAction(self._action("&Search", lambda: self.show_tab(TAB_SEARCH), "Ctrl+1"))
        view_menu.addAction(self._action("&Library", lambda: self.show_tab(TAB_LIBRARY), "Ctrl+2"))
        view_menu.addAction(self._action("&Usage", self.show_dashboard, "Ctrl+3"))
        view_menu.addSeparator()
        view_menu.addAction(self.packet_panel.toggle_action)

        packet_menu = bar.addMenu("&Packet")
        for action in self.packet_panel.menu_actions():
            if action is None:
                packet_menu.addSeparator()
            else:
                packet_menu.addAction(action)

        library_menu = bar.addMenu("&Library")
        library_menu.addAction(self._action("&Taxonomy…", self.edit_taxonomy, "Ctrl+T", "taxonomy"))
        library_menu.addAction(
            self._action("Tag &Hygiene Report…", self.show_reports, "Ctrl+R", "report")
        )
        library_menu.addSeparator()
        library_menu.addAction(self.team.publish_action)

    def _wire(self) -> None:
        pane, preview = self.search_pane, self.preview
        pane.hit_selected.connect(lambda hit: preview.show_hit(hit, self.session.text))
        pane.preview_requested.connect(preview.focus_preview)
        pane.save_search_requested.connect(self.save_search)
        pane.load_sample_requested.connect(self.load_sample)
        pane.import_folder_requested.connect(self.choose_folder)
        preview.status_message.connect(self.show_status)
        preview.add_to_packet_requested.connect(self.add_to_packet_requested)
        self.add_to_packet_requested.connect(self.add_to_packet)
        self.packet_panel.status_message.connect(self.show_status)
        self.library_changed.connect(self.packet_panel.refresh_terms)
        self.sidebar.saved_search_opened.connect(lambda s: pane.set_text(s.text))
        self.library_view.import_requested.connect(self.choose_folder)
        self.library_view.rescan_requested.connect(self.rescan)
        self.library_view.status_message.connect(self.show_status)
        self.library_view.assets_edited.connect(lambda _ids: self.session.run_now())
        self.library_changed.connect(self.refresh)
        self.usage_hooks = UsageHooks(self.library.usage, self.session, pane, preview, self)
        self.dashboard.asset_activated.connect(self._reveal_asset)
        self.dashboard.status_message.connect(self.show_status)
        self.library_changed.connect(self.dashboard.mark_stale)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.team.status_message.connect(self.show_status)
        self.team.asset_activated.connect(self._reveal_asset)
        self.team.changed.connect(self.library_changed)
        self.library_changed.connect(self.embedding.start)
        self.embedding.vectors_added.connect(self.session.run_now)
        self.library_view.similar_requested.connect(self.show_similar)

    # -- state -----------------------------------------------------------------------------

    def _restore_state(self) -> None:
        s = self.settings
        if not s.value(keys.WINDOW_GEOMETRY).isEmpty():
            self.restoreGeometry(s.value(keys.WINDOW_GEOMETRY))
        if not s.value(keys.WORKSPACE_SPLITTER).isEmpty():
            self.workspace.restoreState(s.value(keys.WORKSPACE_SPLITTER))
        self.library_view.restore_state(
            s.value(keys.LIBRARY_SPLITTER), s.value(keys.LIBRARY_HEADER)
        )
        tab = s.value(keys.WINDOW_TAB)
        self.tabs.setCurrentIndex(tab if 0 <= tab < self.tabs.count() else 0)
        self.search_pane.set_sort(s.value(keys.SORT))
        self.session.sort = s.value(keys.SORT) if s.value(keys.SORT) else "relevance"
        text = s.value(keys.LAST_QUERY)
        self.search_pane.set_text(text)
        self.session.text = text
        self.packet_panel.restore_state()

    def save_state(self) -> None:
        s = self.settings
        s.set_value(keys.WINDOW_GEOMETRY, self.saveGeometry())
        s.set_value(keys.WORKSPACE_SPLITTER, self.workspace.saveState())
        splitter, header = self.library_view.save_state()
        s.set_value(keys.LIBRARY_SPLITTER, splitter)
        s.set_value(keys.LIBRARY_HEADER, header)
        s.set_value(keys.WINDOW_TAB, self.tabs.currentIndex())
        s.set_value(keys.LAST_QUERY, self.session.text)
        s.set_value(keys.SORT, self.session.sort)
        s.set_value(keys.LAST_LIBRARY, str(self.library.folder))
        self.packet_panel.save_state()  # also queues the packet's unsaved edits
        s.sync()

    def start(self) -> None:
        """Bring the index in step (off the GUI thread), then show the first results."""
        self.search_pane.focus_search()
        self.show_status("Opening library…")
        library = self.library
        self.runner.run(
            lambda: library.ensure_index(),
            write=True,
            on_success=lambda rebuilt: self._index_ready(rebuilt),
        )

    def _index_ready(self, rebuilt: bool) -> None:
        self.show_status("Search index rebuilt" if rebuilt else "Ready")
        self.watcher.start()
        self.team.start()
        # Embedding, and loading its model, compete with the first search: they follow it.
        for signal in (self.session.search_finished, self.session.search_failed):
            signal.connect(self._start_embedding, Qt.ConnectionType.SingleShotConnection)
        self.refresh()

    def _start_embedding(self, _result=None) -> None:
        self.embedding.start()

    def _folders_changed(self, report) -> None:
        self.show_status(f"Watched folders changed: {report.summary()}")
        self.library_changed.emit()

    def refresh(self) -> None:
        library = self.library
        self.runner.run(
            lambda: library.assets.count(),
            on_success=lambda n: self.search_pane.set_library_empty(n == 0),
        )
        self.session.run_now()
        self.library_view.reload()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.watcher.stop()
        self.team.stop()
        self.usage_hooks.flush()
        self.save_state()
        self.runner.shutdown()
        super().closeEvent(event)

    # -- actions ---------------------------------------------------------------------------

    def show_tab(self, tab: int) -> None:
        self.tabs.setCurrentIndex(tab)
        if tab == TAB_SEARCH:
            self.search_pane.focus_search()

    def show_dashboard(self) -> None:
        self.tabs.setCurrentWidget(self.dashboard)

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.dashboard:
            self.dashboard.refresh_if_stale()

    def focus_search(self) -> None:
        self.show_tab(TAB_SEARCH)

    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_TIMEOUT)

    def add_to_packet(self, asset_ids: list[int]) -> None:
        """Add to the packet panel's packet, showing the panel if it was hidden."""
        if self.packet_panel.isHidden():
            self.packet_panel.reveal()
        self.packet_panel.add_assets(asset_ids)

    def save_search(self) -> None:
        name, ok = QInputDialog.getText(
            self, "Save Search", "Name:", text=self.sidebar.suggested_name()
        )
        if ok:
            saved = self.sidebar.save_current(name)
            self.show_status(f"Saved “{saved.name}”")

    def choose_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self,
            "Import Files",
            str(Path.home()),
            "Content (*.pdf *.docx *.pptx *.html *.htm *.md *.markdown *.txt);;All files (*)",
        )
        if files:
            self.import_paths([Path(f) for f in files])

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import Folder", str(Path.home()))
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> ImportDialog:
        library = self.library
        return self._run_import(
            "Importing",
            lambda progress, cancel: library.add_paths(paths, progress=progress, cancel=cancel),
        )

    def rescan(self) -> ImportDialog:
        library = self.library
        return self._run_import(
            "Rescanning", lambda progress, cancel: library.rescan(progress=progress, cancel=cancel)
        )

    def load_sample(self) -> ImportDialog:
        return self._run_import(
            "Loading the sample library", ImportDialog.sample_work(self.library, self.sample_dir)
        )

    def _run_import(self, title: str, work) -> ImportDialog:
        dialog = ImportDialog(self.runner, title, work, self)
        dialog.import_finished.connect(lambda _report: self.search_pane.set_importing(None))
        dialog.import_finished.connect(lambda _report: self.library_changed.emit())
        self.search_pane.set_importing(title)
        dialog.start()
        return dialog

    def edit_taxonomy(self) -> TaxonomyEditor:
        editor = TaxonomyEditor(self.library, self.runner, self)
        editor.taxonomy_changed.connect(self.library_changed)
        editor.open()
        return editor

    def show_reports(self) -> ReportsDialog:
        dialog = ReportsDialog(self.library, self.runner, self)
        dialog.asset_activated.connect(self._reveal_asset)
        dialog.open()
        return dialog

    def show_similar(self, asset_id: int) -> None:
        """ "More like this" from the library table: the search tab lists similar assets."""
        self.tabs.setCurrentIndex(TAB_SEARCH)
        self.search_pane.set_text("")
        self.session.show_similar(asset_id)

    def _reveal_asset(self, asset_id: int) -> None:
        self.show_tab(TAB_LIBRARY)
        self.library_view.select_ids([asset_id])

    # -- drag and drop ---------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)
