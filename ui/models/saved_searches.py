"""The rep's saved searches (words plus filters), listed in the sidebar."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from ui.models.roles import SavedSearchRole
from ui.settings import SavedSearch

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument


def describe(search: SavedSearch) -> str:
    parts = [f"“{search.text}”"] if search.text else []
    parts += [v for values in search.filters.values() for v in values]
    return " · ".join(parts) or "All content"


class SavedSearchListModel(QAbstractListModel):
    def __init__(self, searches: list[SavedSearch] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._searches = list(searches or [])

    def searches(self) -> list[SavedSearch]:
        return list(self._searches)

    def add(self, search: SavedSearch) -> int:
        """Add a search, replacing one with the same name; returns its row."""
        for row, existing in enumerate(self._searches):
            if existing.name.casefold() == search.name.casefold():
                self._searches[row] = search
                index = self.index(row)
                self.dataChanged.emit(index, index)
                return row
        row = len(self._searches)
        self.beginInsertRows(QModelIndex(), row, row)
        self._searches.append(search)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._searches):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._searches[row]
            self.endRemoveRows()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._searches)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._searches):
            return None
        search = self._searches[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return search.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe(search)
        if role == SavedSearchRole:
            return search
        return None
