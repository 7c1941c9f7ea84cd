"""Assets suggested for the prospect's stage and persona, each with the reason in words."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from library.packets import Suggestion
from ui.models.roles import AssetIdRole, ReasonRole, ScoreRole, TypeRole

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()


class SuggestionListModel(QAbstractListModel):
    """Suggestions as the core ranked them; added ones are removed with ``remove``."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._suggestions: list[Suggestion] = []

    def set_suggestions(self, suggestions: Iterable[Suggestion]) -> None:
        self.beginResetModel()
        self._suggestions = list(suggestions)
        self.endResetModel()

    def remove(self, asset_ids: Iterable[int]) -> None:
        """Drop suggestions that were just added to the packet."""
        gone = set(asset_ids)
        for row in reversed(range(len(self._suggestions))):
            if self._suggestions[row].asset.id in gone:
                self.beginRemoveRows(ROOT, row, row)
                del self._suggestions[row]
                self.endRemoveRows()

    def suggestion(self, row: int) -> Suggestion | None:
        return self._suggestions[row] if 0 <= row < len(self._suggestions) else None

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._suggestions)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._suggestions):
            return None
        suggestion = self._suggestions[index.row()]
        handler = {
            Qt.ItemDataRole.DisplayRole: lambda s: s.asset.title,
            Qt.ItemDataRole.ToolTipRole: lambda s: f"{s.reason}\nClick to add it to the packet.",
            Qt.ItemDataRole.AccessibleTextRole: lambda s: f"Add {s.asset.title}: {s.reason}",
            AssetIdRole: lambda s: s.asset.id,
            ReasonRole: lambda s: s.reason,
            TypeRole: lambda s: s.asset.content_type,
            ScoreRole: lambda s: s.score,
        }.get(role)
        return handler(suggestion) if handler else None
