"""The search sidebar: saved searches, then facet values with counts for the current query."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListView,
    QMenu,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from search.types import SearchResult
from ui.delegates import FacetDelegate
from ui.models import item_data
from ui.models.facets import FacetRole, FacetTreeModel, KindRole, ValueRole
from ui.models.saved_searches import SavedSearchListModel, SavedSearchRole
from ui.search_session import SearchSession
from ui.settings import SavedSearch, Settings


class FacetSidebar(QFrame):
    saved_search_opened = Signal(object)  # SavedSearch

    def __init__(
        self, session: SearchSession, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, objectName="sidebar")
        self.session = session
        self.settings = settings
        self.facet_model = FacetTreeModel(parent=self)
        self.saved_model = SavedSearchListModel(settings.saved_searches(), self)
        self._build()
        self.session.search_finished.connect(self.show_counts)
        self.saved_model.rowsInserted.connect(self._store_saved)
        self.saved_model.rowsRemoved.connect(self._store_saved)
        self.saved_model.dataChanged.connect(self._store_saved)

    def _build(self) -> None:
        saved_title = QLabel("SAVED SEARCHES", objectName="sectionTitle")
        self.saved_view = QListView(objectName="savedSearches")
        self.saved_view.setModel(self.saved_model)
        self.saved_view.setCursor(Qt.CursorShape.PointingHandCursor)
        self.saved_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.saved_view.customContextMenuRequested.connect(self._saved_menu)
        self.saved_view.clicked.connect(self._open_saved)
        self.saved_view.activated.connect(self._open_saved)
        self.saved_view.setAccessibleName("Saved searches")
        self.saved_hint = QLabel(
            "Save a search with the bookmark button to rerun it in one click.",
            objectName="muted",
            wordWrap=True,
        )

        self.tree = QTreeView(objectName="facetTree")
        self.tree.setModel(self.facet_model)
        self.tree.setItemDelegate(FacetDelegate(self.tree))
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(0)
        self.tree.setItemsExpandable(False)
        self.tree.setExpandsOnDoubleClick(False)
        self.tree.setMouseTracking(True)
        self.tree.setUniformRowHeights(False)
        self.tree.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setCursor(Qt.CursorShape.PointingHandCursor)
        self.tree.setAccessibleName("Filters")
        self.tree.clicked.connect(self._clicked)
        self.tree.activated.connect(self._clicked)
        self.facet_model.modelReset.connect(self._after_reset)
        self.facet_model.rowsInserted.connect(lambda *_: self.tree.expandAll())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 18, 10, 10)
        layout.setSpacing(6)
        layout.addWidget(saved_title)
        layout.addWidget(self.saved_view)
        layout.addWidget(self.saved_hint)
        layout.addSpacing(4)
        layout.addWidget(self.tree, 1)
        self._fit_saved()
        self.setMinimumWidth(220)

    # -- facets ----------------------------------------------------------------------------

    def show_counts(self, result: SearchResult) -> None:
        self.facet_model.set_counts(result.facets, self.session.filters)

    def _after_reset(self) -> None:
        model = self.facet_model
        for row in range(model.rowCount()):
            # A facet with nothing to offer for this search is left out altogether.
            self.tree.setRowHidden(row, QModelIndex(), model.rowCount(model.index(row, 0)) == 0)
        self.tree.expandAll()

    def _clicked(self, index: QModelIndex) -> None:
        kind = item_data(index, KindRole)
        if kind == "value":
            self.session.toggle_filter(item_data(index, FacetRole), item_data(index, ValueRole))
        elif kind == "more":
            self.facet_model.toggle_expanded(item_data(index, FacetRole))

    # -- saved searches --------------------------------------------------------------------

    def save_current(self, name: str) -> SavedSearch:
        search = SavedSearch(
            name.strip() or "Untitled search",
            self.session.text.strip(),
            {f: list(v) for f, v in self.session.filters.items()},
        )
        self.saved_model.add(search)
        return search

    def suggested_name(self) -> str:
        words = self.session.text.strip()
        values = [v for vs in self.session.filters.values() for v in vs]
        return " · ".join(([words] if words else []) + values[:2]) or "All content"

    def _open_saved(self, index: QModelIndex) -> None:
        search = item_data(index, SavedSearchRole)
        if search is not None:
            self.session.restore(search.text, search.filters)
            self.saved_search_opened.emit(search)

    def _saved_menu(self, pos: QPoint) -> None:
        index = self.saved_view.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self)
        menu.addAction("Run", lambda: self._open_saved(index))
        menu.addAction("Remove", lambda: self.saved_model.remove(index.row()))
        menu.popup(self.saved_view.viewport().mapToGlobal(pos))

    def _store_saved(self, *_args) -> None:
        self.settings.set_saved_searches(self.saved_model.searches())
        self._fit_saved()

    def _fit_saved(self) -> None:
        rows = self.saved_model.rowCount()
        self.saved_view.setVisible(rows > 0)
        self.saved_hint.setVisible(rows == 0)
        self.saved_view.setFixedHeight(
            min(rows, 6) * max(self.saved_view.sizeHintForRow(0), 24) + 4
        )
