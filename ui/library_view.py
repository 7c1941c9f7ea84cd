"""The marketer's library view: every asset in a sortable, filterable table beside the editor."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QItemSelection, QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from library import Library
from library.models import Asset
from ui.delegates import ChipDelegate
from ui.edit_commands import AssetEditCommand, Change
from ui.edit_panel import EditPanel
from ui.icons import icon
from ui.models import asset_table as table
from ui.models import item_data
from ui.tasks import TaskRunner

COLUMN_WIDTHS = {
    table.COL_TITLE: 320,
    table.COL_TYPE: 100,
    table.COL_STATUS: 150,
    table.COL_FILE: 70,
    table.COL_STAGES: 200,
    table.COL_PERSONAS: 200,
    table.COL_UPDATED: 96,
    table.COL_EXPIRES: 96,
    table.COL_USAGE: 56,
}


class LibraryView(QWidget):
    import_requested = Signal()
    rescan_requested = Signal()
    status_message = Signal(str)
    assets_edited = Signal(list)
    similar_requested = Signal(int)  # "More like this" on an asset

    def __init__(
        self,
        library: Library,
        runner: TaskRunner,
        undo_stack: QUndoStack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.undo_stack = undo_stack
        self.model = table.AssetTableModel(self)
        self.proxy = table.AssetSortProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self._pending_select: list[int] = []
        self._order_request = 0  # only the newest request for the list of ids is applied
        self._refresh_rows = False  # a reload is asked for: fetch cached rows again too
        self._build()
        self.model.rows_requested.connect(self._fetch_rows)
        self.model.sort_requested.connect(lambda _key, _descending: self._request_order())
        self.model.modelReset.connect(self._update_count)
        self.proxy.rowsInserted.connect(self._update_count)
        self.proxy.rowsRemoved.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)

    def _build(self) -> None:
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("Filter by title, owner, tag or path")
        self.filter_box.addAction(icon("filter"), QLineEdit.ActionPosition.LeadingPosition)
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self.proxy.set_text)
        self.quick_filter = QComboBox()
        self.quick_filter.addItems(list(table.QUICK_FILTERS))
        self.quick_filter.currentTextChanged.connect(self.proxy.set_quick_filter)
        self.count_label = QLabel(objectName="muted")
        self.import_button = QPushButton(icon("import"), "Import…")
        self.import_button.clicked.connect(self.import_requested)
        self.rescan_button = QPushButton(icon("rescan"), "Rescan")
        self.rescan_button.setToolTip("Look for new, changed and missing files (F5)")
        self.rescan_button.clicked.connect(self.rescan_requested)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.filter_box, 2)
        top.addWidget(self.quick_filter)
        top.addWidget(self.count_label, 1)
        top.addWidget(self.import_button)
        top.addWidget(self.rescan_button)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(34)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setAccessibleName("Assets")
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        delegate = ChipDelegate(self.table)
        for column in table.CHIP_COLUMNS:
            self.table.setItemDelegateForColumn(column, delegate)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.similar_action = QAction(icon("copy"), "More like this", self.table)
        self.similar_action.triggered.connect(self._similar)
        self.table.addAction(self.similar_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.edit_panel = EditPanel(self.library, self.runner)
        self.edit_panel.edit_requested.connect(self.push_edit)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.edit_panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setSizes([960, 400])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 10)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Fetch the list of asset ids again (after imports and rescans)."""
        self._request_order(reload=True)
        self.edit_panel.reload_terms()

    def _request_order(self, *, reload: bool = False) -> None:
        """Fetch every asset id, in the table's sort order, off the GUI thread.

        Each answer is the whole list, so a newer request makes older ones useless.
        """
        self._order_request += 1
        self._refresh_rows |= reload
        request, order = self._order_request, self.model.sort_key()
        key, descending = order
        assets = self.library.assets
        self.runner.run(
            (lambda: assets.sorted_ids(key, descending)) if key else assets.ids,
            on_success=lambda ids: self._ids_loaded(ids, request, order),
        )

    def _ids_loaded(self, ids: list[int], request: int, order: tuple[str, bool]) -> None:
        if request != self._order_request:
            return
        if order != self.model.sort_key():  # sorted while the table was still empty
            self._request_order()
            return
        refresh, self._refresh_rows = self._refresh_rows, False
        if self.model.is_reordering(ids):
            self.model.set_order(ids)  # rows move; the selection moves with them
            if refresh:
                self.model.refresh(ids)
            return
        selected = self.selected_ids()
        self.model.set_ids(ids)
        if refresh:
            self.model.refresh(ids)
        self.select_ids(self._pending_select or selected)
        self._pending_select = []

    def _fetch_rows(self, ids: list[int]) -> None:
        assets = self.library.assets
        self.runner.run(
            lambda: assets.get_many(ids),
            on_success=self._rows_loaded,
            on_failure=lambda exc: self._rows_failed(ids, exc),
        )

    def _rows_loaded(self, assets: list[Asset]) -> None:
        self.model.set_rows(assets)
        self._update_count()

    def _rows_failed(self, ids: list[int], exc: BaseException) -> None:
        self.model.forget_requests(ids)
        self.status_message.emit(f"Some rows could not be loaded: {exc}")

    def _update_count(self, *_args) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(
            f"{total} assets" if shown == total else f"{shown} of {total} assets"
        )

    # -- selection and edits ---------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = self.table.selectionModel().selectedRows(table.COL_TITLE)
        return [
            item_data(index, table.AssetIdRole) for index in sorted(rows, key=lambda i: i.row())
        ]

    def _similar(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.similar_requested.emit(ids[0])

    def select_ids(self, ids: list[int]) -> None:
        if not ids:
            return
        selection = QItemSelection()
        for asset_id in ids:
            source_row = self.model.row_of(asset_id)
            if source_row < 0:
                continue
            index = self.proxy.mapFromSource(self.model.index(source_row, 0))
            if index.isValid():
                selection.select(index, index)
        if selection.isEmpty():
            self._pending_select = list(ids)
            return
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().select(selection, flags)
        first = selection.indexes()[0]
        self.table.selectionModel().setCurrentIndex(
            first, QItemSelectionModel.SelectionFlag.NoUpdate
        )
        self.table.scrollTo(first)

    def _selection_changed(self, *_args: QItemSelection) -> None:
        self.edit_panel.set_selection(self.selected_ids())

    def push_edit(self, text: str, ids: list[int], change: Change) -> None:
        self.undo_stack.push(
            AssetEditCommand(text, self.library, self.runner, ids, change, self._edited)
        )

    def _edited(self, ids: list[int]) -> None:
        if not ids:
            return
        self.model.refresh(ids)
        if self.model.sort_key()[0]:
            self._request_order()  # the edit may have moved the rows in this order
        self.edit_panel.refresh()
        self.assets_edited.emit(ids)

    # -- state -----------------------------------------------------------------------------

    def save_state(self) -> tuple[QByteArray, QByteArray]:
        return self.splitter.saveState(), self.table.horizontalHeader().saveState()

    def restore_state(self, splitter: QByteArray, header: QByteArray) -> None:
        if not splitter.isEmpty():
            self.splitter.restoreState(splitter)
        if not header.isEmpty():
            self.table.horizontalHeader().restoreState(header)
