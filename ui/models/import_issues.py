"""Files an import could not take in, or took as duplicates, with the reason for each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from library.ingest import ImportReport
from library.settings import set_command

COL_FILE, COL_REASON, COL_MESSAGE = range(3)
HEADERS = ("File", "Reason", "What to do")
PathRole = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex
ROOT = QModelIndex()  # the invisible root, as a default argument

_REASONS = {
    "corrupt": "Damaged",
    "encrypted": "Password-protected",
    "empty": "No text",
    "too_large": "Too large",
    "unsupported": "Unsupported",
    "timed_out": "Took too long",
    "unreadable": "Unreadable",
    "exact": "Duplicate",
    "near": "Near-duplicate",
    "truncated": "Text cut",
}


@dataclass(frozen=True)
class ImportIssue:
    path: str
    reason: str
    message: str


def issues_from_report(report: ImportReport) -> list[ImportIssue]:
    issues = [ImportIssue(f.path, str(f.reason), f.message) for f in report.failed]
    issues += [
        ImportIssue(
            d.path,
            d.kind,
            "Same content as an asset already in the library; it was not added again.",
        )
        for d in report.duplicates
    ]
    issues += [
        ImportIssue(f.path, str(f.reason), f.message) for f in getattr(report, "skipped", [])
    ]
    issues += [ImportIssue(path, "truncated", truncated_message()) for path in report.truncated]
    return issues


def truncated_message() -> str:
    """What a file cut at the text limit means, and the command that raises the limit."""
    return (
        "The text is longer than the limit, so only its start was kept and searched. "
        f"Raise the limit with: {set_command('text.max_chars')}, then rescan."
    )


class ImportIssueTableModel(QAbstractTableModel):
    def __init__(self, issues: list[ImportIssue] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._issues = list(issues or [])

    def set_issues(self, issues: list[ImportIssue]) -> None:
        self.beginResetModel()
        self._issues = list(issues)
        self.endResetModel()

    def rowCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(self._issues)

    def columnCount(self, parent: Index = ROOT) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if 0 <= section < len(HEADERS) else None
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._issues):
            return None
        issue = self._issues[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(issue, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return issue.path if index.column() == COL_FILE else issue.message
        if role == PathRole:
            return issue.path
        return None

    @staticmethod
    def _display(issue: ImportIssue, column: int) -> str | None:
        if column == COL_FILE:
            return Path(issue.path).name
        if column == COL_REASON:
            return _REASONS.get(issue.reason, issue.reason.replace("_", " ").capitalize())
        if column == COL_MESSAGE:
            return issue.message
        return None
