"""Tables of the usage dashboard: content gaps, unused and stale assets, and the heat map."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from library.usage import ContentGap, HeatMap
from ui.models.roles import AssetIdRole, IntensityRole, SortRole, WeeksRole

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column:
    header: str
    display: Callable[[object], str]
    sort: Callable[[object], object]
    numeric: bool = False
    tip: str = ""


def _days(n: int | None) -> str:
    return "—" if n is None else f"{n:,}"


class ReportRowsModel(QAbstractTableModel):
    """Rows of one usage report (dataclasses), read-only; columns come from ``COLUMNS``."""

    COLUMNS: tuple[Column, ...] = ()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list = []

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list:
        return list(self._rows)

    def row_at(self, row: int):
        return self._rows[row]

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        column = self.COLUMNS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tip or None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.numeric else _LEFT
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item, column = self._rows[index.row()], self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, index.column())
        if role == SortRole:
            return column.sort(item)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if column.numeric else _LEFT
        if role == AssetIdRole:
            return getattr(item, "asset_id", None)
        return self._extra(item, role)

    def _tooltip(self, item, column: int) -> str | None:
        return self.COLUMNS[column].display(item) or None

    def _extra(self, item, role: int):
        return None


def _filters(gap: ContentGap) -> str:
    return " · ".join(f for f in (gap.stage, gap.persona) if f) or "—"


def _reps(gap: ContentGap) -> str:
    if len(gap.reps) <= 1:
        return "".join(gap.reps)
    return f"{gap.reps[0]} +{len(gap.reps) - 1}"


class ContentGapTableModel(ReportRowsModel):
    COL_QUERY, COL_FILTERS, COL_ZERO, COL_NOT_OPENED, COL_TREND, COL_REPS = range(6)
    COLUMNS = (
        Column("Search", lambda g: g.query or "(filters only)", lambda g: g.query),
        Column(
            "Filters", _filters, lambda g: (g.stage, g.persona), tip="Stage and persona filters"
        ),
        Column(
            "No results",
            lambda g: f"{g.zero_results:,}",
            lambda g: g.zero_results,
            True,
            "Searches that found nothing",
        ),
        Column(
            "Not opened",
            lambda g: f"{g.not_opened:,}",
            lambda g: g.not_opened,
            True,
            "Searches with results of which none was previewed or opened",
        ),
        Column("Trend", lambda g: "", lambda g: g.last_searched, tip="Searches per week"),
        Column("Reps", _reps, lambda g: len(g.reps), tip="Reps who ran these searches"),
    )

    def _extra(self, item: ContentGap, role: int):
        return item.weeks if role == WeeksRole else None

    def _tooltip(self, item: ContentGap, column: int) -> str | None:
        if column == self.COL_QUERY:
            return (
                f"{item.query or '(filters only)'}: {item.searches} searches, "
                f"{item.zero_results} with no results, {item.not_opened} with nothing opened"
            )
        if column == self.COL_TREND:
            weeks = [f"Week of {w['week']}: {w['searches']}" for w in item.weeks]
            return "\n".join([*weeks, f"Last searched {item.last_searched}"])
        if column == self.COL_REPS:
            return "\n".join(item.reps)
        return super()._tooltip(item, column)


class UnusedTableModel(ReportRowsModel):
    COL_TITLE, COL_TYPE, COL_OWNER, COL_ADDED, COL_LAST_USED, COL_DAYS = range(6)
    COLUMNS = (
        Column("Asset", lambda u: u.title, lambda u: u.title.casefold()),
        Column("Type", lambda u: u.type.capitalize(), lambda u: u.type),
        Column("Owner", lambda u: u.owner or "—", lambda u: u.owner.casefold()),
        Column("Added", lambda u: u.added, lambda u: u.added),
        Column("Last used", lambda u: u.last_used or "Never", lambda u: u.last_used or ""),
        Column(
            "Days unused",
            lambda u: _days(u.days_unused),
            lambda u: 10**9 if u.days_unused is None else u.days_unused,
            True,
        ),
    )


class StaleTableModel(ReportRowsModel):
    COL_TITLE, COL_EXPIRES, COL_DAYS_LEFT, COL_SENDS, COL_EXPORTS, COL_LAST_SENT = range(6)
    COLUMNS = (
        Column("Asset", lambda s: s.title, lambda s: s.title.casefold()),
        Column("Expires", lambda s: s.expires, lambda s: s.expires),
        Column("Status", lambda s: expiry_text(s.days_left), lambda s: s.days_left),
        Column("Sends", lambda s: f"{s.sends:,}", lambda s: s.sends, True),
        Column("Exports", lambda s: f"{s.exports:,}", lambda s: s.exports, True),
        Column("Last sent", lambda s: s.last_sent, lambda s: s.last_sent),
    )


def expiry_text(days_left: int) -> str:
    if days_left < 0:
        return f"Expired {-days_left} days ago" if days_left < -1 else "Expired yesterday"
    if days_left == 0:
        return "Expires today"
    return f"Expires in {days_left} days" if days_left > 1 else "Expires tomorrow"


class HeatMapModel(QAbstractTableModel):
    """Use score per stage (rows) and persona (columns)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._heat = HeatMap([], [], [])
        self._top = 0.0

    def set_heat_map(self, heat: HeatMap) -> None:
        self.beginResetModel()
        self._heat = heat
        self._top = max((v for row in heat.scores for v in row), default=0) or 0
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._heat.stages)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._heat.personas)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        names = (
            self._heat.personas if orientation == Qt.Orientation.Horizontal else self._heat.stages
        )
        return names[section] if 0 <= section < len(names) else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (
            0 <= index.row() < self.rowCount() and 0 <= index.column() < self.columnCount()
        ):
            return None
        value = self._heat.scores[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{value:,.0f}" if value else "·"
        if role == Qt.ItemDataRole.ToolTipRole:
            stage, persona = self._heat.stages[index.row()], self._heat.personas[index.column()]
            return f"{stage} × {persona}: use score {value:,.0f}"
        if role == IntensityRole:
            return value / self._top if self._top else 0.0
        if role == SortRole:
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        return None
