"""Every asset in the library as a table: ids up front, rows fetched lazily in chunks.

The model never reads the catalog itself. When the view asks for a row it does not have,
the model asks its owner (``rows_requested``) for that row's chunk; the owner fetches
the assets off the GUI thread and hands them back with ``set_rows``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont

from library.models import Asset, Facet, FileState, Status
from ui import theme
from ui.models import item_data

COL_TITLE, COL_TYPE, COL_STATUS, COL_FILE, COL_STAGES, COL_PERSONAS = range(6)
COL_UPDATED, COL_EXPIRES, COL_USAGE, COL_ERROR = range(6, 10)
HEADERS = (
    "Title",
    "Type",
    "Status",
    "File",
    "Stages",
    "Personas",
    "Updated",
    "Expires",
    "Used",
    "Problem",
)
CHIP_COLUMNS = (COL_STATUS, COL_FILE, COL_STAGES, COL_PERSONAS)

AssetIdRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2
ChipsRole = Qt.ItemDataRole.UserRole + 3
RowRole = Qt.ItemDataRole.UserRole + 4
FilterTextRole = Qt.ItemDataRole.UserRole + 5

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument
LOADING = "Loading…"


@dataclass(frozen=True)
class AssetRow:
    """What the table shows of one asset: plain strings, built once per fetch."""

    id: int
    title: str
    type: str
    status: str
    file_state: str
    stages: tuple[str, ...]
    personas: tuple[str, ...]
    tags: tuple[str, ...]
    updated: str
    expires: str
    usage: int
    problem: str
    owner: str
    path: str
    suggested: int
    expired: bool

    @classmethod
    def from_asset(cls, asset: Asset, today: str) -> AssetRow:
        terms = asset.terms
        return cls(
            id=asset.id,
            title=asset.title,
            type=asset.content_type,
            status=asset.status,
            file_state=asset.file_state,
            stages=tuple(asset.stages),
            personas=tuple(asset.personas),
            tags=tuple(terms.get(Facet.TAG, [])),
            updated=(asset.updated or "")[:10],
            expires=asset.expires or "",
            usage=asset.usage_count,
            problem=asset.error
            or ("File not found" if asset.file_state == FileState.MISSING else ""),
            owner=asset.owner,
            path=asset.path,
            suggested=sum(len(v) for v in asset.suggested.values()),
            expired=bool(asset.expires) and asset.expires < today,
        )

    @property
    def hidden(self) -> bool:
        """Reps do not see it: archived, expired, or no readable file."""
        return self.status == Status.ARCHIVED or self.expired or self.file_state != FileState.OK


class AssetTableModel(QAbstractTableModel):
    """Ids plus a row cache; ``rows_requested(ids)`` asks for rows the view needs."""

    rows_requested = Signal(list)
    CHUNK = 250

    def __init__(self, parent=None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._today = (today or date.today()).isoformat()
        self._ids: list[int] = []
        self._row_of: dict[int, int] = {}
        self._cache: dict[int, AssetRow] = {}
        self._in_flight: set[int] = set()
        self._wanted_chunks: set[int] = set()
        self._flush = QTimer(self, singleShot=True, interval=0)
        self._flush.timeout.connect(self._request_wanted)

    # -- filling ---------------------------------------------------------------------------

    def set_ids(self, ids: list[int]) -> None:
        """A new list of assets; cached rows of ids still present are kept until refreshed."""
        self.beginResetModel()
        self._ids = list(ids)
        self._row_of = {asset_id: row for row, asset_id in enumerate(self._ids)}
        self._cache = {i: r for i, r in self._cache.items() if i in self._row_of}
        self._in_flight &= set(self._row_of)
        self._wanted_chunks.clear()
        self.endResetModel()

    def set_rows(self, assets: list[Asset]) -> None:
        rows = []
        for asset in assets:
            self._in_flight.discard(asset.id)
            if asset.id in self._row_of:
                self._cache[asset.id] = AssetRow.from_asset(asset, self._today)
                rows.append(self._row_of[asset.id])
        for first, last in _runs(sorted(rows)):
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(HEADERS) - 1))

    def refresh(self, ids: list[int]) -> None:
        """Ask again for rows that changed; the old values show until the new ones arrive."""
        wanted = [i for i in ids if i in self._row_of and i not in self._in_flight]
        if wanted:
            self._in_flight.update(wanted)
            self.rows_requested.emit(wanted)

    def forget_requests(self, ids: list[int]) -> None:
        """A fetch failed: let those rows be asked for again."""
        self._in_flight.difference_update(ids)
        for asset_id in ids:
            row = self._row_of.get(asset_id)
            if row is not None:
                self._wanted_chunks.discard(row // self.CHUNK)

    def ids(self) -> list[int]:
        return list(self._ids)

    def row_of(self, asset_id: int) -> int:
        return self._row_of.get(asset_id, -1)

    def asset_row(self, row: int) -> AssetRow | None:
        if not 0 <= row < len(self._ids):
            return None
        return self._cache.get(self._ids[row])

    def loaded(self) -> int:
        return len(self._cache)

    def _want(self, row: int) -> None:
        chunk = row // self.CHUNK
        if chunk not in self._wanted_chunks:
            self._wanted_chunks.add(chunk)
            self._flush.start()

    def _request_wanted(self) -> None:
        # Deferred to the event loop so that data() never re-enters the model.
        for chunk in sorted(self._wanted_chunks):
            ids = [
                i
                for i in self._ids[chunk * self.CHUNK : (chunk + 1) * self.CHUNK]
                if i not in self._cache and i not in self._in_flight
            ]
            if ids:
                self._in_flight.update(ids)
                self.rows_requested.emit(ids)

    # -- Qt model --------------------------------------------------------------------------

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        asset_id = self._ids[index.row()]
        if role == AssetIdRole:
            return asset_id
        row = self._cache.get(asset_id)
        if row is None:
            self._want(index.row())
            is_title = role == Qt.ItemDataRole.DisplayRole and index.column() == COL_TITLE
            return LOADING if is_title else None
        handler = {
            Qt.ItemDataRole.DisplayRole: self._display,
            Qt.ItemDataRole.ToolTipRole: self._tooltip,
            Qt.ItemDataRole.ForegroundRole: self._foreground,
            Qt.ItemDataRole.FontRole: self._font,
            Qt.ItemDataRole.TextAlignmentRole: self._alignment,
            SortRole: self._sort,
            ChipsRole: self._chips,
            FilterTextRole: lambda r, c: self._filter_text(r),
            RowRole: lambda r, c: r,
        }.get(role)
        return handler(row, index.column()) if handler else None

    @staticmethod
    def _display(row: AssetRow, column: int):
        if column == COL_FILE and row.file_state == FileState.OK:
            return "OK"
        if column in CHIP_COLUMNS:
            return ", ".join(label for _, label in AssetTableModel._chips(row, column))
        return {
            COL_TITLE: row.title,
            COL_TYPE: row.type.capitalize(),
            COL_UPDATED: row.updated,
            COL_EXPIRES: row.expires,
            COL_USAGE: str(row.usage),
            COL_ERROR: row.problem,
        }.get(column)

    @staticmethod
    def _tooltip(row: AssetRow, column: int):
        if column == COL_TITLE:
            extra = f"\n{row.suggested} suggested tags to review" if row.suggested else ""
            return f"{row.path}{extra}"
        if column == COL_EXPIRES and row.expired:
            return "Expired: reps no longer see this asset in search."
        if column == COL_ERROR and row.problem:
            return row.problem
        return None

    @staticmethod
    def _foreground(row: AssetRow, column: int):
        if column == COL_EXPIRES and row.expired or column == COL_ERROR:
            return theme.warning_color()
        if row.status == Status.ARCHIVED or row.file_state == FileState.MISSING:
            return theme.secondary_text()
        return None

    @staticmethod
    def _font(row: AssetRow, column: int):
        if row.status == Status.ARCHIVED or (column == COL_EXPIRES and row.expired):
            font = QFont()
            font.setItalic(row.status == Status.ARCHIVED)
            font.setBold(column == COL_EXPIRES and row.expired)
            return font
        return None

    @staticmethod
    def _alignment(row: AssetRow, column: int):
        if column == COL_USAGE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _sort(row: AssetRow, column: int):
        return {
            COL_TITLE: row.title.casefold(),
            COL_TYPE: row.type,
            COL_STATUS: row.status,
            COL_FILE: row.file_state,
            COL_STAGES: ", ".join(row.stages).casefold(),
            COL_PERSONAS: ", ".join(row.personas).casefold(),
            COL_UPDATED: row.updated,
            COL_EXPIRES: row.expires or "9999",
            COL_USAGE: row.usage,
            COL_ERROR: row.problem,
        }.get(column)

    @staticmethod
    def _chips(row: AssetRow, column: int) -> list[tuple[str, str]]:
        if column == COL_STAGES:
            return [("stage", s) for s in row.stages]
        if column == COL_PERSONAS:
            return [("persona", p) for p in row.personas]
        if column == COL_STATUS:
            chips = [("neutral" if row.status != Status.DRAFT else "suggested", row.status)]
            return chips + ([("warning", "expired")] if row.expired else [])
        if column == COL_FILE and row.file_state != FileState.OK:
            return [("warning", row.file_state)]
        return []

    @staticmethod
    def _filter_text(row: AssetRow) -> str:
        return " ".join(
            (
                row.title,
                row.type,
                row.status,
                row.owner,
                row.path,
                *row.stages,
                *row.personas,
                *row.tags,
            )
        ).casefold()


# Quick filters offered above the table: name -> test on a loaded row.
QUICK_FILTERS = {
    "All assets": lambda r: True,
    "Visible to reps": lambda r: not r.hidden,
    "Needs review (suggested tags)": lambda r: r.suggested > 0,
    "Missing stage or persona": lambda r: not r.stages or not r.personas,
    "Expired": lambda r: r.expired,
    "Archived": lambda r: r.status == Status.ARCHIVED,
    "Drafts": lambda r: r.status == Status.DRAFT,
    "Failed or missing files": lambda r: r.file_state != FileState.OK,
}


class AssetSortProxyModel(QSortFilterProxyModel):
    """Local sorting on ``SortRole`` and the quick filters; search itself is the core's job."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SortRole)
        self.setDynamicSortFilter(True)
        self._text = ""
        self._quick = "All assets"

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_quick_filter(self, name: str) -> None:
        self.beginFilterChange()
        self._quick = name if name in QUICK_FILTERS else "All assets"
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._text and self._quick == "All assets":
            return True
        index = self.sourceModel().index(source_row, COL_TITLE, source_parent)
        row = item_data(index, RowRole)
        if row is None:
            return False  # shown once its row arrives and the filter runs again
        if self._text and not all(
            w in item_data(index, FilterTextRole) for w in self._text.split()
        ):
            return False
        return QUICK_FILTERS[self._quick](row)

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = item_data(left, SortRole), item_data(right, SortRole)
        if a is None or b is None:
            return a is not None  # rows not loaded yet sort last
        return a < b


def _runs(rows: list[int]):
    """Consecutive runs in sorted row numbers, as (first, last) pairs."""
    start = prev = None
    for row in rows:
        if start is None:
            start = prev = row
        elif row == prev + 1:
            prev = row
        else:
            yield start, prev
            start = prev = row
    if start is not None:
        yield start, prev
