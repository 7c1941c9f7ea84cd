"""The taxonomy editor: stages in buyer-journey order, personas, industries, products, tags."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from library import Library
from ui.icons import icon
from ui.models.terms import COL_KEYWORDS, COL_NAME, TermTableModel
from ui.tasks import TaskRunner

FACET_TABS = (
    ("stage", "Buyer stages"),
    ("persona", "Personas"),
    ("industry", "Industries"),
    ("product", "Products"),
    ("tag", "Tags"),
)
HINTS = {
    "stage": "Stages are shown in this order everywhere, as the buyer's journey runs.",
    "tag": "Keywords found in a file's text suggest a term; suggestions wait for review.",
}


class TaxonomyEditor(QDialog):
    taxonomy_changed = Signal()

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.facet = FACET_TABS[0][0]
        self.model = TermTableModel(self)
        self._select_after_load: str | None = None
        self.setWindowTitle("Taxonomy")
        self.resize(720, 520)
        self._build()
        self.model.rename_requested.connect(self.rename_term)
        self.model.keywords_edited.connect(self.set_keywords)
        self.reload()

    def _build(self) -> None:
        self.tabs = QTabBar()
        self.tabs.setDocumentMode(True)
        for _facet, label in FACET_TABS:
            self.tabs.addTab(label)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.hint = QLabel(objectName="muted", wordWrap=True)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setDefaultSectionSize(32)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_KEYWORDS, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        self.add_button = QPushButton(icon("plus"), "Add…")
        self.rename_button = QPushButton(icon("edit"), "Rename or merge…")
        self.delete_button = QPushButton(icon("trash"), "Delete")
        self.up_button = QPushButton(icon("arrow-up"), "Move up")
        self.down_button = QPushButton(icon("arrow-down"), "Move down")
        self.add_button.clicked.connect(self._ask_add)
        self.rename_button.clicked.connect(self._ask_rename)
        self.delete_button.clicked.connect(self._ask_delete)
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        buttons = QVBoxLayout()
        for button in (self.add_button, self.rename_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addSpacing(12)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch()
        body = QHBoxLayout()
        body.addWidget(self.view, 1)
        body.addLayout(buttons)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(self.tabs)
        layout.addWidget(self.hint)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_hint()

    # -- loading ---------------------------------------------------------------------------

    def reload(self) -> None:
        facet, taxonomy = self.facet, self.library.taxonomy
        self.runner.run(
            lambda: (facet, taxonomy.terms(facet), {t.id for t in taxonomy.unused()}),
            on_success=self._loaded,
        )

    def _loaded(self, loaded) -> None:
        facet, terms, unused = loaded
        if facet != self.facet:
            return
        self.model.set_terms(terms, unused)
        name = self._select_after_load
        self._select_after_load = None
        if name is not None and self.model.row_of(name) >= 0:
            self.view.selectRow(self.model.row_of(name))

    def _tab_changed(self, index: int) -> None:
        self.facet = FACET_TABS[index][0]
        self._update_hint()
        self.reload()

    def _update_hint(self) -> None:
        self.hint.setText(HINTS.get(self.facet, HINTS["tag"]))

    def selected_name(self) -> str | None:
        rows = self.view.selectionModel().selectedRows()
        term = self.model.term(rows[0].row()) if rows else None
        return term.name if term else None

    def _update_buttons(self, *_args) -> None:
        has = self.selected_name() is not None
        row = self.model.row_of(self.selected_name() or "")
        for button in (self.rename_button, self.delete_button):
            button.setEnabled(has)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < self.model.rowCount() - 1)

    # -- changes (run through the core, then reloaded) --------------------------------------

    def _change(self, work, select: str | None = None) -> None:
        self._select_after_load = select
        self.runner.run(work, write=True, on_success=lambda _: self._changed())

    def _changed(self) -> None:
        self.reload()
        self.taxonomy_changed.emit()

    def add_term(self, name: str) -> None:
        facet, library = self.facet, self.library
        self._change(lambda: library.add_term(facet, name), select=name)

    def rename_term(self, old: str, new: str) -> None:
        """Rename everywhere; onto an existing name, the two terms merge."""
        facet, library = self.facet, self.library
        self._change(lambda: library.rename_term(facet, old, new), select=new)

    def delete_term(self, name: str) -> None:
        facet, library = self.facet, self.library
        self._change(lambda: library.delete_term(facet, name))

    def set_keywords(self, term_id: int, keywords: list[str]) -> None:
        library = self.library
        self._change(lambda: library.set_term_keywords(term_id, keywords))

    def move_selected(self, step: int) -> None:
        name = self.selected_name()
        names = self.model.names()
        if name is None:
            return
        row = names.index(name)
        target = row + step
        if not 0 <= target < len(names):
            return
        names[row], names[target] = names[target], names[row]
        facet, library = self.facet, self.library
        self._change(lambda: library.reorder_terms(facet, names), select=name)

    # -- asking ----------------------------------------------------------------------------

    def _label(self) -> str:
        return dict(FACET_TABS)[self.facet].rstrip("s").lower()

    def _ask_add(self) -> None:
        name, ok = QInputDialog.getText(self, "Add Term", f"New {self._label()}:")
        if ok and name.strip():
            self.add_term(name.strip())

    def _ask_rename(self) -> None:
        old = self.selected_name()
        if old is None:
            return
        new, ok = QInputDialog.getText(self, "Rename or Merge", f"Rename “{old}” to:", text=old)
        new = new.strip()
        if not ok or not new or new == old:
            return
        if self.model.row_of(new) >= 0 and new.casefold() != old.casefold():
            answer = QMessageBox.question(
                self,
                "Merge Terms",
                f"“{new}” already exists. Merge “{old}” into it? Every asset tagged “{old}” "
                f"will be tagged “{new}”.",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.rename_term(old, new)

    def _ask_delete(self) -> None:
        name = self.selected_name()
        if name is None:
            return
        answer = QMessageBox.question(
            self, "Delete Term", f"Delete “{name}”? It is removed from every asset tagged with it."
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_term(name)
