"""The rep's search pane: the search box, sort, active filter chips and the result list."""

from __future__ import annotations

import html
from urllib.parse import quote, unquote

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from search.types import SearchHit, SearchResult
from ui.delegates import ResultDelegate
from ui.icons import icon
from ui.models import item_data
from ui.models.facets import FACET_LABELS
from ui.models.results import HitRole, ResultListModel
from ui.search_session import SearchSession
from ui.widgets import EmptyState, FilterChip, FlowLayout

SORT_LABELS = {"relevance": "Best match", "newest": "Newest", "used": "Most used"}
PAGE_RESULTS, PAGE_NO_RESULTS, PAGE_EMPTY_LIBRARY = range(3)


class SearchPane(QWidget):
    """Shows the session's results; selection drives the preview through ``hit_selected``."""

    hit_selected = Signal(object)  # SearchHit, or None when nothing is selected
    preview_requested = Signal()  # Enter on a result: move into the preview
    save_search_requested = Signal()
    load_sample_requested = Signal()
    import_folder_requested = Signal()

    def __init__(self, session: SearchSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = ResultListModel(self)
        self._library_empty = False
        self._importing: str | None = None  # the title of an import under way
        self._build()
        self._connect()

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.search_box = QLineEdit(objectName="searchBox")
        self.search_box.setPlaceholderText("Search titles, text and tags")
        self.search_box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search")
        self.sort_box = QComboBox()
        for key, label in SORT_LABELS.items():
            self.sort_box.addItem(label, key)
        self.sort_box.setToolTip("Order results by")
        self.save_button = QToolButton()
        self.save_button.setIcon(icon("bookmark-add"))
        self.save_button.setToolTip("Save this search to the sidebar")
        self.save_button.setAccessibleName("Save search")

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.search_box, 1)
        top.addWidget(self.sort_box)
        top.addWidget(self.save_button)

        self.chip_bar = QWidget()
        self.chip_layout = FlowLayout(self.chip_bar)
        self.chip_bar.hide()

        self.status_label = QLabel(objectName="muted")
        self.list_view = QListView()
        self.list_view.setModel(self.model)
        self.list_view.setItemDelegate(ResultDelegate(self.list_view))
        self.list_view.setUniformItemSizes(True)
        self.list_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list_view.setMouseTracking(True)
        self.list_view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setAccessibleName("Results")
        self.similar_action = QAction(icon("copy"), "More like this", self.list_view)
        self.similar_action.setShortcut("Ctrl+M")
        self.similar_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.list_view.addAction(self.similar_action)
        self.list_view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        # Results can be dragged onto the packet panel; nothing is dropped here.
        self.list_view.setDragEnabled(True)
        self.list_view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)

        self.no_results = EmptyState("search")
        self.no_results.body.linkActivated.connect(self._link_activated)
        self.empty_library = EmptyState("library")
        self.empty_library.set_text(
            "Your content library is empty",
            "Import the folders where marketing keeps its content, or load the sample "
            "library to look around.",
        )
        self.sample_button = self.empty_library.add_action(
            "Load sample library", "sample", primary=True
        )
        self.import_button = self.empty_library.add_action("Import a folder…", "folder")
        self.empty_library.finish_actions()

        self.stack = QStackedWidget()
        for page in (self.list_view, self.no_results, self.empty_library):
            self.stack.addWidget(page)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.chip_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.stack, 1)

    def _connect(self) -> None:
        self.search_box.textChanged.connect(self.session.set_text)
        self.search_box.returnPressed.connect(self._return_in_search_box)
        self.search_box.installEventFilter(self)
        self.list_view.installEventFilter(self)
        self.sort_box.currentIndexChanged.connect(
            lambda: self.session.set_sort(self.sort_box.currentData())
        )
        self.save_button.clicked.connect(self.save_search_requested)
        self.similar_action.triggered.connect(self.show_similar)
        self.sample_button.clicked.connect(self.load_sample_requested)
        self.import_button.clicked.connect(self.import_folder_requested)
        self.list_view.selectionModel().currentChanged.connect(self._current_changed)
        self.list_view.activated.connect(lambda _: self.preview_requested.emit())
        self.model.more_requested.connect(self.session.fetch_more)
        self.model.modelReset.connect(lambda: self.hit_selected.emit(None))
        self.session.search_started.connect(self._search_started)
        self.session.search_finished.connect(self.show_result)
        self.session.more_finished.connect(self._more_arrived)
        self.session.search_failed.connect(self._search_failed)
        self.session.filters_changed.connect(self._show_filters)

    # -- public ----------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def set_text(self, text: str) -> None:
        """Show ``text`` in the box without triggering a second search."""
        self.search_box.blockSignals(True)
        self.search_box.setText(text)
        self.search_box.blockSignals(False)

    def set_sort(self, sort: str) -> None:
        index = self.sort_box.findData(sort)
        if index >= 0:
            self.sort_box.setCurrentIndex(index)

    def set_importing(self, title: str | None) -> None:
        """While files are imported, an empty list says so (``title``) rather than "No results"."""
        self._importing = title
        self._update_status()

    def set_library_empty(self, empty: bool) -> None:
        self._library_empty = empty
        self._choose_page()

    def current_hit(self) -> SearchHit | None:
        index = self.list_view.currentIndex()
        return item_data(index, HitRole) if index.isValid() else None

    def show_similar(self) -> None:
        """List the assets most like the current result ("more like this")."""
        hit = self.current_hit()
        if hit is not None:
            self.set_text("")
            self.session.show_similar(hit.id)

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        if index.isValid():
            self.list_view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.list_view.scrollTo(index)

    # -- results ---------------------------------------------------------------------------

    def show_result(self, result: SearchResult) -> None:
        previous = self.current_hit()
        self.model.set_result(result)
        self._update_status()
        self._choose_page()
        if previous is not None:
            row = self.model.row_of(previous.id)
            if row >= 0:
                self.select_row(row)

    def _more_arrived(self, result: SearchResult) -> None:
        self.model.append(result)
        self._update_status()

    def _search_started(self) -> None:
        if self.model.rowCount() == 0:
            self.status_label.setText("Searching…")

    def _search_failed(self, message: str) -> None:
        self.status_label.setText(message)

    def _update_status(self) -> None:
        total, shown = self.model.total, self.model.rowCount()
        if total == 0 and self._importing:
            text = f"{self._importing}…"
        elif total == 0:
            text = "No results"
        elif total == 1:
            text = "1 result"
        else:
            text = f"{total} results" if shown >= total else f"{total} results · showing {shown}"
        similar = self.session.similar_to
        if similar is not None:
            text = f"{total} like “{similar[1]}”" if total else f"Nothing like “{similar[1]}”"
        result = self.session.last_result
        if result is not None and result.embeddable and result.embedded < result.embeddable:
            text += " · related results still coming in"  # the status bar counts them
        self.status_label.setText(text)

    def _choose_page(self) -> None:
        if self._library_empty:
            self.stack.setCurrentIndex(PAGE_EMPTY_LIBRARY)
        elif self.model.rowCount() == 0 and self.session.last_result is not None:
            self._fill_no_results(self.session.last_result)
            self.stack.setCurrentIndex(PAGE_NO_RESULTS)
        else:
            self.stack.setCurrentIndex(PAGE_RESULTS)

    def _fill_no_results(self, result: SearchResult) -> None:
        text = result.query.text.strip()
        heading = f"No matches for “{text}”" if text else "Nothing matches these filters"
        lines = []
        if result.suggestion:
            link = f"suggest:{quote(result.suggestion)}"
            lines.append(
                f"Did you mean <a href='{link}'><b>{html.escape(result.suggestion)}</b></a>?"
            )
        active = [(f, v) for f, values in self.session.filters.items() for v in values]
        if active:
            links = ", ".join(
                f"<a href='remove:{quote(f)}:{quote(v)}'>{html.escape(v)}</a>" for f, v in active
            )
            lines.append(f"Try removing a filter: {links}")
        elif not result.suggestion:
            lines.append("Try fewer or different words.")
        self.no_results.set_text(heading, "<br><br>".join(lines))

    def _link_activated(self, link: str) -> None:
        kind, _, rest = link.partition(":")
        if kind == "suggest":
            self.search_box.setText(unquote(rest))
            self.session.run_now()
        elif kind == "remove":
            facet, _, value = rest.partition(":")
            self.session.remove_filter(unquote(facet), unquote(value))

    def _show_filters(self, filters: dict[str, list[str]]) -> None:
        self.chip_layout.clear()
        for facet, values in filters.items():
            for value in values:
                chip = FilterChip(facet, value, f"{FACET_LABELS.get(facet, facet)}: {value}")
                chip.removed.connect(self.session.remove_filter)
                self.chip_layout.addWidget(chip)
        if filters:
            clear = QPushButton("Clear all", objectName="linkButton")
            clear.clicked.connect(self.session.clear_filters)
            self.chip_layout.addWidget(clear)
        self.chip_bar.setVisible(bool(filters))
        self.chip_bar.updateGeometry()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.hit_selected.emit(item_data(current, HitRole) if current.isValid() else None)

    # -- keyboard --------------------------------------------------------------------------

    def _return_in_search_box(self) -> None:
        if self.session.pending:
            self.session.run_now()
        if self.model.rowCount():
            self.select_row(0)
            self.list_view.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress:
            return False
        key = event.key()
        if watched is self.search_box and key == Qt.Key.Key_Down and self.model.rowCount():
            row = max(self.list_view.currentIndex().row(), 0)
            self.select_row(row)
            self.list_view.setFocus()
            return True
        if watched is self.list_view:
            if key == Qt.Key.Key_Escape or (
                key == Qt.Key.Key_Up and self.list_view.currentIndex().row() <= 0
            ):
                self.search_box.setFocus()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
                if self.list_view.currentIndex().isValid():
                    self.preview_requested.emit()
                return True
        return False
