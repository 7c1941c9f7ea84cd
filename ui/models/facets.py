"""Facet counts of the current search as a two-level tree: facets, then their values."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from ui.models.roles import ActiveRole, CountRole, FacetRole, KindRole, ValueRole

SIDEBAR_FACETS: tuple[str, ...] = ("stage", "persona", "type", "industry", "product", "tag")
FACET_LABELS = {
    "stage": "Buyer stage",
    "persona": "Persona",
    "type": "Content type",
    "industry": "Industry",
    "product": "Product",
    "tag": "Tag",
    "status": "Status",
}
COLLAPSED_LIMIT = 6  # values shown per facet before "Show all"

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument


class FacetTreeModel(QAbstractItemModel):
    """Top-level rows are facets; their children are values with counts, then "Show all"."""

    def __init__(self, facets: tuple[str, ...] = SIDEBAR_FACETS, parent=None) -> None:
        super().__init__(parent)
        self._facets = facets
        self._values: dict[str, list[tuple[str, int]]] = {f: [] for f in facets}
        self._active: dict[str, set[str]] = {f: set() for f in facets}
        self._expanded: set[str] = set()
        self._labelled_expanded: set[str] = set()

    # -- filling ---------------------------------------------------------------------------

    def set_counts(self, counts: dict[str, dict[str, int]], active: dict[str, list[str]]) -> None:
        """New counts for a new result set; active filters stay listed even at zero."""
        self.beginResetModel()
        for facet in self._facets:
            values = list((counts.get(facet) or {}).items())
            on = set(active.get(facet, []))
            present = {v for v, _ in values}
            values += [(v, 0) for v in sorted(on - present)]
            self._values[facet] = values
            self._active[facet] = on
        self.endResetModel()

    def toggle_expanded(self, facet: str) -> None:
        """Show all of a facet's values, or only the first few again."""
        parent = self.index(self._facets.index(facet), 0)
        before = self._shown_values(facet)
        self._expanded ^= {facet}
        after = self._shown_values(facet)
        self._expanded ^= {facet}  # views must see the old rows until the change begins
        if after > before:
            self._relabel_more(facet, parent, before)
            self.beginInsertRows(parent, before, after - 1)
            self._expanded ^= {facet}
            self.endInsertRows()
        elif after < before:
            self.beginRemoveRows(parent, after, before - 1)
            self._expanded ^= {facet}
            self.endRemoveRows()
            self._relabel_more(facet, parent, after)
        else:
            self._expanded ^= {facet}

    def _relabel_more(self, facet: str, parent: QModelIndex, row: int) -> None:
        """The "Show all"/"Show fewer" row changes label apart from the rows moving above it."""
        self._labelled_expanded ^= {facet}
        more = self.index(row, 0, parent)
        if more.isValid():
            self.dataChanged.emit(more, more, [Qt.ItemDataRole.DisplayRole])

    def facets(self) -> tuple[str, ...]:
        return self._facets

    # -- helpers ---------------------------------------------------------------------------

    def _shown_values(self, facet: str) -> int:
        values = self._values[facet]
        if facet in self._expanded or len(values) <= COLLAPSED_LIMIT + 1:
            return len(values)
        # Active values are always visible, even when they sort below the cut.
        return max(COLLAPSED_LIMIT, self._last_active_row(facet) + 1)

    def _last_active_row(self, facet: str) -> int:
        rows = [i for i, (v, _) in enumerate(self._values[facet]) if v in self._active[facet]]
        return max(rows, default=-1)

    def _has_more_row(self, facet: str) -> bool:
        return len(self._values[facet]) > COLLAPSED_LIMIT + 1

    def _child_count(self, facet: str) -> int:
        return self._shown_values(facet) + (1 if self._has_more_row(facet) else 0)

    # -- Qt model --------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = ROOT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self._facets) else QModelIndex()
        if parent.internalId() != 0 or parent.column() != 0:
            return QModelIndex()
        facet_row = parent.row()
        if row >= self._child_count(self._facets[facet_row]):
            return QModelIndex()
        return self.createIndex(row, 0, facet_row + 1)

    def parent(self, index: Index = ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = ROOT) -> int:
        if not parent.isValid():
            return len(self._facets)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return self._child_count(self._facets[parent.row()])

    def columnCount(self, parent: Index = ROOT) -> int:
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == 0:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._facet_data(self._facets[index.row()], role)
        facet = self._facets[index.internalId() - 1]
        if index.row() >= self._shown_values(facet):
            return self._more_data(facet, role)
        value, count = self._values[facet][index.row()]
        return self._value_data(facet, value, count, role)

    def _facet_data(self, facet: str, role: int):
        return {
            Qt.ItemDataRole.DisplayRole: FACET_LABELS.get(facet, facet.title()),
            FacetRole: facet,
            KindRole: "facet",
            CountRole: len(self._values[facet]),
            ActiveRole: bool(self._active[facet]),
        }.get(role)

    def _more_data(self, facet: str, role: int):
        expanded = facet in self._labelled_expanded
        label = "Show fewer" if expanded else f"Show all {len(self._values[facet])}"
        return {
            Qt.ItemDataRole.DisplayRole: label,
            FacetRole: facet,
            KindRole: "more",
            ActiveRole: False,
        }.get(role)

    def _value_data(self, facet: str, value: str, count: int, role: int):
        active = value in self._active[facet]
        if role == Qt.ItemDataRole.DisplayRole:
            return value.capitalize() if facet in ("type", "status") else value
        if role == Qt.ItemDataRole.ToolTipRole:
            verb = "Click to remove this filter" if active else "Click to show only these"
            return f"{value}: {count} results. {verb}."
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{value}, {count} results{', filter on' if active else ''}"
        return {
            FacetRole: facet,
            ValueRole: value,
            CountRole: count,
            KindRole: "value",
            ActiveRole: active,
        }.get(role)
