"""Taxonomy terms of one facet, in order, with their suggestion keywords, for the editor."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

from library.taxonomy import Term
from ui import theme
from ui.models.roles import TermRole
from ui.models.table import TableModel

COL_NAME, COL_KEYWORDS, COL_USE = range(3)
HEADERS = ("Name", "Suggestion keywords", "In use")

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument


def parse_keywords(text: str) -> list[str]:
    return [k.strip() for k in text.split(",") if k.strip()]


class TermTableModel(TableModel):
    """Edits are not applied here: they are announced for the editor to run through the core."""

    HEADERS = HEADERS
    rename_requested = Signal(str, str)  # old name, new name
    keywords_edited = Signal(int, list)  # term id, keywords

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._terms: list[Term] = []
        self._unused: set[int] = set()

    def set_terms(self, terms: list[Term], unused: set[int]) -> None:
        self.beginResetModel()
        self._terms = list(terms)
        self._unused = set(unused)
        self.endResetModel()

    def term(self, row: int) -> Term | None:
        return self._terms[row] if 0 <= row < len(self._terms) else None

    def names(self) -> list[str]:
        return [t.name for t in self._terms]

    def row_of(self, name: str) -> int:
        for row, term in enumerate(self._terms):
            if term.name.casefold() == name.casefold():
                return row
        return -1

    def _row_count(self) -> int:
        return len(self._terms)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() in (COL_NAME, COL_KEYWORDS):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._terms):
            return None
        term = self._terms[index.row()]
        unused = term.id in self._unused
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == COL_NAME:
                return term.name
            if column == COL_KEYWORDS:
                return ", ".join(term.keywords)
            if column == COL_USE:
                return "Unused" if unused else "Yes"
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_USE and unused:
            return theme.warning_color()
        if role == Qt.ItemDataRole.ToolTipRole and column == COL_KEYWORDS:
            return "Words that, found in a file's text, suggest this term. Separate with commas."
        if role == TermRole:
            return term
        return None

    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        term = self._terms[index.row()]
        text = str(value).strip()
        if index.column() == COL_NAME and text and text != term.name:
            self.rename_requested.emit(term.name, text)
            return True
        if index.column() == COL_KEYWORDS:
            keywords = parse_keywords(text)
            if keywords != term.keywords:
                term.keywords = keywords
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
                self.keywords_edited.emit(term.id, keywords)
            return True
        return False
