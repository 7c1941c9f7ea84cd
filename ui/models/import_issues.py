"""Files an import could not take in, or took as duplicates, with the reason for each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from library.ingest import ImportReport
from library.settings import set_command
from ui.models.roles import PathRole
from ui.models.table import TableModel

COL_FILE, COL_REASON, COL_MESSAGE = range(3)
HEADERS = ("File", "Reason", "What to do")

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
    "link_outside": "Link out of folder",
    "no_text": "No text (kept)",
    "front_matter": "Front matter",
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
    issues += [
        ImportIssue(
            path,
            "no_text",
            "Kept: its pages are pictures. It is found by its title, "
            "file name, summary and tags, and goes into packets as it is.",
        )
        for path in report.no_text
    ]
    issues += [ImportIssue(u.path, "front_matter", u.message) for u in report.unmatched]
    issues += [ImportIssue(path, "truncated", truncated_message()) for path in report.truncated]
    return issues


def truncated_message() -> str:
    """What a file cut at the text limit means, and the command that raises the limit."""
    return (
        "The text is longer than the limit, so only its start was kept and searched. "
        f"Raise the limit with: {set_command('text.max_chars')}, then rescan."
    )


def text_notes(report: ImportReport) -> list[str]:
    """Sentences for the import summary on files read by OCR or kept without text and
    front matter that matches no term, with how to enable OCR when it is missing."""
    notes = []
    if count := len(report.ocr):
        files = "1 file was" if count == 1 else f"{count} files were"
        notes.append(f"{files} read by OCR (text in pictures).")
    if count := len(report.no_text):
        files = "1 file has" if count == 1 else f"{count} files have"
        notes.append(f"{files} no text and {'was' if count == 1 else 'were'} kept.")
    if count := len(report.unmatched):
        values = "value matches" if count == 1 else "values match"
        notes.append(f"{count} front matter {values} no term; see the list below.")
    if report.ocr_hint:
        notes.append(report.ocr_hint)
    return notes


class ImportIssueTableModel(TableModel):
    HEADERS = HEADERS

    def __init__(self, issues: list[ImportIssue] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._issues = list(issues or [])

    def set_issues(self, issues: list[ImportIssue]) -> None:
        self.beginResetModel()
        self._issues = list(issues)
        self.endResetModel()

    def _row_count(self) -> int:
        return len(self._issues)

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
