"""Every packet of the library, most recently changed first, for the packet history."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from library.packets import PacketStatus, PacketSummary
from ui.models.roles import ChipsRole, PacketIdRole, SortRole, SummaryRole
from ui.models.table import TableModel

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()

STATUS_LABELS = {
    PacketStatus.DRAFT.value: "Draft",
    PacketStatus.EXPORTED.value: "Exported",
    PacketStatus.SENT.value: "Sent",
}
STATUS_CHIP_KINDS = {
    PacketStatus.DRAFT.value: "neutral",
    PacketStatus.EXPORTED.value: "stage",
    PacketStatus.SENT.value: "persona",
}


def status_chips(status: str, outdated: int = 0) -> list[tuple[str, str]]:
    chips = [(STATUS_CHIP_KINDS.get(status, "neutral"), STATUS_LABELS.get(status, status))]
    if outdated:
        chips.append(("warning", f"{outdated} outdated"))
    return chips


def prospect_label(summary: PacketSummary) -> str:
    return summary.prospect.full_name or summary.prospect.email or "No prospect yet"


class PacketHistoryTableModel(TableModel):
    """One row per packet (``PacketSummary``); the status column carries chips."""

    COL_PROSPECT = 0
    COL_COMPANY = 1
    COL_SUBJECT = 2
    COL_ASSETS = 3
    COL_STATUS = 4
    COL_UPDATED = 5
    HEADERS = ("Prospect", "Company", "Subject", "Assets", "Status", "Changed")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[PacketSummary] = []

    def set_summaries(self, summaries: Iterable[PacketSummary]) -> None:
        self.beginResetModel()
        self._rows = list(summaries)
        self.endResetModel()

    def summary(self, row: int) -> PacketSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, packet_id: int) -> int:
        return next((r for r, s in enumerate(self._rows) if s.id == packet_id), -1)

    def _row_count(self) -> int:
        return len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        summary = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(summary, index.column())
        if role == SortRole:
            return self._sort(summary, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(summary)
        if role == ChipsRole and index.column() == self.COL_STATUS:
            return status_chips(summary.status, summary.outdated)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == self.COL_ASSETS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == PacketIdRole:
            return summary.id
        if role == SummaryRole:
            return summary
        return None

    def _display(self, summary: PacketSummary, column: int) -> str | None:
        if column == self.COL_PROSPECT:
            return prospect_label(summary)
        if column == self.COL_COMPANY:
            return summary.prospect.company
        if column == self.COL_SUBJECT:
            return summary.subject
        if column == self.COL_ASSETS:
            return str(summary.item_count)
        if column == self.COL_STATUS:
            return STATUS_LABELS.get(summary.status, summary.status)
        if column == self.COL_UPDATED:
            return (summary.sent or summary.updated or "")[:10]
        return None

    def _sort(self, summary: PacketSummary, column: int):
        if column == self.COL_ASSETS:
            return summary.item_count
        if column == self.COL_UPDATED:
            return summary.sent or summary.updated or ""
        return (self._display(summary, column) or "").casefold()

    @staticmethod
    def _tooltip(summary: PacketSummary) -> str:
        when = f"sent {summary.sent[:10]}" if summary.sent else f"changed {summary.updated[:10]}"
        lines = [f"{prospect_label(summary)}: {summary.subject}", f"Packet {summary.id}, {when}"]
        if summary.outdated:
            lines.append(f"{summary.outdated} asset(s) changed since it was sent")
        return "\n".join(lines)
