"""Every asset in the library as a table: ids up front, rows fetched lazily in chunks.

The model never reads the catalog itself. When the view asks for a row it does not have,
the model asks its owner (``rows_requested``) for that row's chunk; the owner fetches
the assets off the GUI thread and hands them back with ``set_rows``. Sorting works the
same way: the model owns the order, asks for it (``sort_requested``) and applies the
ids it is given with ``set_order``, so no row needs to be loaded to sort.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont

from library.models import Asset, Facet, FileState, Status, TextSource
from ui import theme
from ui.models.roles import AssetIdRole, ChipsRole, FilterTextRole, RowRole, SortRole
from ui.models.table import TableModel

COL_TITLE, COL_TYPE, COL_STATUS, COL_FILE, COL_STAGES, COL_PERSONAS = range(6)
COL_UPDATED, COL_EXPIRES, COL_USAGE, COL_ERROR = range(6, 10)
# Each column's header and the name it sorts by in ``AssetManager.sorted_ids``.
COLUMNS = (
    ("Title", "title"),
    ("Type", "type"),
    ("Status", "status"),
    ("File", "file"),
    ("Stages", "stages"),
    ("Personas", "personas"),
    ("Updated", "updated"),
    ("Expires", "expires"),
    ("Used", "usage"),
    ("Problem", "problem"),
)
HEADERS = tuple(header for header, _ in COLUMNS)
SORT_KEYS = tuple(key for _, key in COLUMNS)
CHIP_COLUMNS = (COL_STATUS, COL_FILE, COL_STAGES, COL_PERSONAS)

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument
LOADING = "Loading…"
# Looked up once: data() runs for several roles of every cell painted, and reading an
# enum member costs more than the comparison it is read for.
_DISPLAY_ROLE = Qt.ItemDataRole.DisplayRole
_ARCHIVED, _DRAFT = Status.ARCHIVED.value, Status.DRAFT.value
_FILE_OK, _FILE_MISSING = FileState.OK.value, FileState.MISSING.value
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


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
    text_marker: str = ""  # "no text" or "text from OCR"; empty for text read from the file

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
            text_marker=TextSource(asset.text_source).label,
        )

    @property
    def hidden(self) -> bool:
        """Reps do not see it: archived, expired, or no readable file."""
        return self.status == Status.ARCHIVED or self.expired or self.file_state != FileState.OK

    @cached_property
    def filter_text(self) -> str:
        """What the filters look in: the row's words casefolded, then a tag for each quick
        filter the row passes."""
        words = (self.title, self.type, self.status, self.owner, self.path)
        text = " ".join((*words, *self.stages, *self.personas, *self.tags)).casefold()
        return text + "".join(tag for name, tag in _QUICK_TAGS.items() if QUICK_FILTERS[name](self))


class AssetTableModel(TableModel):
    """Ids plus a row cache; ``rows_requested(ids)`` asks for rows the view needs.

    ``sort()`` asks for the ids in a column's order with ``sort_requested(key,
    descending)``, ``key`` being one of ``SORT_KEYS`` or "" for the catalog's order. The
    owner loads ids in the order ``sort_key()`` gives.
    """

    HEADERS = HEADERS
    rows_requested = Signal(list)
    sort_requested = Signal(str, bool)
    CHUNK = 250

    def __init__(self, parent=None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._today = (today or date.today()).isoformat()
        self._ids: list[int] = []
        self._row_of: dict[int, int] = {}
        self._cache: dict[int, AssetRow] = {}
        self._in_flight: set[int] = set()
        self._wanted_chunks: set[int] = set()
        self._sort_column = -1
        self._descending = False
        self._flush = QTimer(self, singleShot=True, interval=0)
        self._flush.timeout.connect(self._request_wanted)
        # A header click can call sort() twice in a row; ask for the order once.
        self._sort_timer = QTimer(self, singleShot=True, interval=0)
        self._sort_timer.timeout.connect(self._request_sort)

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

    def set_order(self, ids: list[int]) -> None:
        """The same assets in a new order: rows move and persistent indexes follow them.

        The selection survives, and cached rows stay. A list that is not a reordering of
        the current one replaces it, as ``set_ids`` does.
        """
        if not self.is_reordering(ids):
            self.set_ids(ids)
            return
        if ids == self._ids:
            return
        self.layoutAboutToBeChanged.emit()
        old_ids = self._ids
        self._ids = list(ids)
        self._row_of = {asset_id: row for row, asset_id in enumerate(self._ids)}
        before = self.persistentIndexList()
        after = [self.index(self._row_of[old_ids[i.row()]], i.column()) for i in before]
        self.changePersistentIndexList(before, after)
        self._wanted_chunks.clear()  # chunk numbers now stand for other rows
        self.layoutChanged.emit()

    def is_reordering(self, ids: list[int]) -> bool:
        """Whether ``ids`` holds the model's ids, each once, in any order."""
        return len(ids) == len(self._ids) and self._row_of.keys() == set(ids)

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
        """Ask again for cached rows that changed; the old values show until the new arrive.

        Rows not cached are fetched when the view needs them, as always.
        """
        wanted = [i for i in ids if i in self._cache and i not in self._in_flight]
        self._in_flight.update(wanted)
        for start in range(0, len(wanted), self.CHUNK):
            self.rows_requested.emit(wanted[start : start + self.CHUNK])

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

    def sort_key(self) -> tuple[str, bool]:
        """The order asked for last: a ``SORT_KEYS`` name ("" for none), and descending."""
        key = SORT_KEYS[self._sort_column] if self._sort_column >= 0 else ""
        return key, self._descending

    def _request_sort(self) -> None:
        if self._ids:  # an empty table has nothing to order: its owner sorts the ids it loads
            self.sort_requested.emit(*self.sort_key())

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

    def _row_count(self) -> int:
        return len(self._ids)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Ask for the ids in this order; rows move when ``set_order`` brings them."""
        self._sort_column = column if 0 <= column < len(HEADERS) else -1
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._sort_timer.start()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        row_number = index.row()  # -1 for an invalid index
        if not 0 <= row_number < len(self._ids):
            return None
        asset_id = self._ids[row_number]
        if role == AssetIdRole:
            return asset_id
        row = self._cache.get(asset_id)
        if row is None:
            self._want(row_number)
            is_title = role == _DISPLAY_ROLE and index.column() == COL_TITLE
            return LOADING if is_title else None
        handler = self._HANDLERS.get(role)
        return handler(row, index.column()) if handler is not None else None

    @staticmethod
    def _display(row: AssetRow, column: int):
        if column in CHIP_COLUMNS:
            if column == COL_FILE and row.file_state == _FILE_OK and not row.text_marker:
                return "OK"
            return ", ".join(label for _, label in AssetTableModel._chips(row, column))
        text = _TEXT.get(column)
        return text(row) if text is not None else None

    @staticmethod
    def _tooltip(row: AssetRow, column: int):
        if column == COL_TITLE:
            extra = f"\n{row.suggested} suggested tags to review" if row.suggested else ""
            return f"{row.path}{extra}"
        if column == COL_EXPIRES and row.expired:
            return "Expired: reps no longer see this asset in search."
        if column == COL_ERROR and row.problem:
            return row.problem
        if column == COL_FILE and row.text_marker:
            return _MARKER_TIPS.get(row.text_marker)
        return None

    @staticmethod
    def _foreground(row: AssetRow, column: int):
        if column == COL_EXPIRES and row.expired or column == COL_ERROR:
            return theme.warning_color()
        if row.status == _ARCHIVED or row.file_state == _FILE_MISSING:
            return theme.secondary_text()
        return None

    @staticmethod
    def _font(row: AssetRow, column: int):
        if row.status == _ARCHIVED or (column == COL_EXPIRES and row.expired):
            font = QFont()
            font.setItalic(row.status == _ARCHIVED)
            font.setBold(column == COL_EXPIRES and row.expired)
            return font
        return None

    @staticmethod
    def _alignment(row: AssetRow, column: int):
        return _RIGHT_ALIGNED if column == COL_USAGE else None

    @staticmethod
    def _sort(row: AssetRow, column: int):
        """The value the catalog orders this column by, where the row holds it.

        Stages and personas sort by the taxonomy's order, which rows do not hold: None.
        """
        key = _SORT_VALUE.get(column)
        return key(row) if key is not None else None

    @staticmethod
    def _chips(row: AssetRow, column: int) -> list[tuple[str, str]]:
        if column == COL_STAGES:
            return [("stage", s) for s in row.stages]
        if column == COL_PERSONAS:
            return [("persona", p) for p in row.personas]
        if column == COL_STATUS:
            chips = [("neutral" if row.status != _DRAFT else "suggested", row.status)]
            return chips + ([("warning", "expired")] if row.expired else [])
        if column == COL_FILE and row.file_state != _FILE_OK:
            return [("warning", row.file_state)]
        if column == COL_FILE and row.text_marker:
            return [("neutral", row.text_marker)]
        return []

    # Built once: data() runs for every cell the view paints, several roles each.
    _HANDLERS = {
        Qt.ItemDataRole.DisplayRole: _display,
        Qt.ItemDataRole.ToolTipRole: _tooltip,
        Qt.ItemDataRole.ForegroundRole: _foreground,
        Qt.ItemDataRole.FontRole: _font,
        Qt.ItemDataRole.TextAlignmentRole: _alignment,
        SortRole: _sort,
        ChipsRole: _chips,
        FilterTextRole: lambda row, _column: row.filter_text,
        RowRole: lambda row, _column: row,
    }


_TEXT = {
    COL_TITLE: lambda r: r.title,
    COL_TYPE: lambda r: r.type.capitalize(),
    COL_UPDATED: lambda r: r.updated,
    COL_EXPIRES: lambda r: r.expires,
    COL_USAGE: lambda r: str(r.usage),
    COL_ERROR: lambda r: r.problem,
}
# As ``AssetManager.SORT_KEYS`` has them (``updated`` there to the second).
_SORT_VALUE = {
    COL_TITLE: lambda r: r.title.casefold(),
    COL_TYPE: lambda r: r.type,
    COL_STATUS: lambda r: r.status,
    COL_FILE: lambda r: r.file_state,
    COL_UPDATED: lambda r: r.updated,
    COL_EXPIRES: lambda r: r.expires or "9999",
    COL_USAGE: lambda r: r.usage,
    COL_ERROR: lambda r: r.problem,
}

_MARKER_TIPS = {
    TextSource.NONE.label: "No text was found in this file (its pages are pictures); it is "
    "found by its title, file name, summary and tags.",
    TextSource.OCR.label: "Some of this file's text was read from its pictures by OCR, "
    "so a few words may be misread.",
}

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
    "Without text (pictures only)": lambda r: r.text_marker == TextSource.NONE.label,
}
_QUICK_TAGS = {name: f"\x1fquick{n}\x1f" for n, name in enumerate(QUICK_FILTERS) if n}


class AssetSortProxyModel(QSortFilterProxyModel):
    """The quick filters over an ``AssetTableModel``; sorting is passed on to the model.

    The proxy never sorts itself: comparing 10,000 rows in Python blocked the GUI for
    seconds, and needed every row loaded. ``sort()`` hands the column to the source
    model, which gets the order from the catalog; the proxy keeps it.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        # With no sort column of its own there is nothing to re-sort; what stays dynamic
        # is filtering, so rows that arrive or change after a filter is set are tested.
        self.setDynamicSortFilter(True)
        self.setFilterRole(FilterTextRole)
        self._words: list[str] = []
        self._quick = "All assets"

    def set_text(self, text: str) -> None:
        self._words = text.casefold().split()
        self._refilter()

    def set_quick_filter(self, name: str) -> None:
        self._quick = name if name in QUICK_FILTERS else "All assets"
        self._refilter()

    def _refilter(self) -> None:
        # Filtering is Qt's own, a regular expression over FilterTextRole with a lookahead
        # for each word and quick filter, rather than a Python filterAcceptsRow(): with no
        # filter set no row reaches Python, where 10,000 calls took ~15 ms of every
        # reorder. A row not loaded yet has no text, so it shows once it arrives.
        tests = list(self._words)
        if self._quick in _QUICK_TAGS:
            tests.append(_QUICK_TAGS[self._quick])
        pattern = "".join(f"(?=.*{QRegularExpression.escape(t)})" for t in tests)
        self.setFilterRegularExpression(QRegularExpression(f"^{pattern}" if tests else ""))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if source is not None:
            source.sort(column, order)


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
