"""Rows of the tag-hygiene report: assets missing tags or about to expire, unused terms."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from library.models import Asset
from library.taxonomy import Term
from ui.models.roles import AssetIdRole
from ui.models.table import TableModel

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument


class ReportTableModel(TableModel):
    """A read-only table of text cells; rows may carry the asset id they are about."""

    def __init__(self, headers: tuple[str, ...], parent=None) -> None:
        super().__init__(parent)
        self.HEADERS = headers
        self._rows: list[tuple[str, ...]] = []
        self._ids: list[int | None] = []

    def set_rows(self, rows: list[tuple[str, ...]], ids: list[int | None] | None = None) -> None:
        self.beginResetModel()
        self._rows = [tuple(r) for r in rows]
        self._ids = list(ids) if ids is not None else [None] * len(rows)
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            row = self._rows[index.row()]
            return row[index.column()] if index.column() < len(row) else None
        if role == AssetIdRole:
            return self._ids[index.row()]
        return None


def missing_rows(assets: list[Asset]) -> list[tuple[str, ...]]:
    rows = []
    for asset in assets:
        missing = [
            label
            for label, names in (("stage", asset.stages), ("persona", asset.personas))
            if not names
        ]
        suggested = ", ".join(n for f in ("stage", "persona") for n in asset.suggested.get(f, []))
        rows.append(
            (asset.title, asset.content_type.capitalize(), " and ".join(missing), suggested or "—")
        )
    return rows


def expiring_rows(assets: list[Asset]) -> list[tuple[str, ...]]:
    return [(a.title, a.expires or "", a.owner or "—", a.status) for a in assets]


def unused_rows(terms: list[Term]) -> list[tuple[str, ...]]:
    return [(t.facet.capitalize(), t.name, ", ".join(t.keywords) or "—") for t in terms]
