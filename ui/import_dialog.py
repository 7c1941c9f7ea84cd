"""The import dialog: progress with a working Cancel, then a summary of what happened."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from library import Library
from library.import_report import LINK_LEAVES_FOLDER
from library.ingest import ImportReport
from library.progress import Progress, ProgressHook, ProgressRate, describe_rate
from library.sample import load_sample_library
from ui.errors import error_message
from ui.models.import_issues import ImportIssueTableModel, issues_from_report, text_notes
from ui.tasks import Task, TaskRunner

ImportWork = Callable[[ProgressHook, threading.Event], ImportReport]

PHASES = {"scanning": "Looking at files", "reading": "Reading text", "indexing": "Indexing"}


class ImportDialog(QDialog):
    import_finished = Signal(object)  # ImportReport

    def __init__(
        self, runner: TaskRunner, title: str, work: ImportWork, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.work = work
        self.task: Task | None = None
        self.report: ImportReport | None = None
        self.rate = ProgressRate()
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self._title = title
        self.issue_model = ImportIssueTableModel(parent=self)
        self._build()

    @staticmethod
    def sample_work(library: Library, dest: Path) -> ImportWork:
        """Load the sample library (see ``library.sample.load_sample_library``)."""

        def work(progress: ProgressHook, cancel: threading.Event) -> ImportReport:
            return load_sample_library(library, dest, progress=progress, cancel=cancel)

        return work

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.phase_label = QLabel("Starting…", objectName="heading")
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setRange(0, 0)
        self.rate_label = QLabel(objectName="muted")
        self.item_label = QLabel(objectName="muted")
        self.item_label.setMinimumWidth(480)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        progress_page = QWidget()
        progress = QVBoxLayout(progress_page)
        progress.addWidget(self.phase_label)
        progress.addSpacing(6)
        progress.addWidget(self.bar)
        progress.addWidget(self.rate_label)
        progress.addWidget(self.item_label)
        progress.addStretch()
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.cancel_button)
        progress.addLayout(row)

        self.summary_heading = QLabel(objectName="heading")
        self.summary_text = QLabel(objectName="muted", wordWrap=True)
        self.numbers = QGridLayout()
        self.numbers.setHorizontalSpacing(10)
        self.count_labels: dict[str, QLabel] = {}
        for column, (key, label) in enumerate(
            (
                ("added", "Added"),
                ("updated", "Updated"),
                ("unchanged", "Unchanged"),
                ("duplicates", "Duplicates"),
                ("failed", "Failed"),
            )
        ):
            card = QFrame(objectName="card")
            inner = QVBoxLayout(card)
            inner.setContentsMargins(12, 8, 12, 8)
            number = QLabel("0", objectName="bigNumber")
            inner.addWidget(number)
            inner.addWidget(QLabel(label, objectName="muted"))
            self.count_labels[key] = number
            self.numbers.addWidget(card, 0, column)
        self.issues_title = QLabel("NEEDS ATTENTION", objectName="sectionTitle")
        self.issue_view = QTableView()
        self.issue_view.setModel(self.issue_model)
        self.issue_view.verticalHeader().hide()
        self.issue_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issue_view.setWordWrap(False)
        header = self.issue_view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.close_button = QPushButton("Done")
        self.close_button.setProperty("primary", True)
        self.close_button.clicked.connect(self.accept)
        summary_page = QWidget()
        summary = QVBoxLayout(summary_page)
        summary.addWidget(self.summary_heading)
        summary.addWidget(self.summary_text)
        summary.addSpacing(6)
        summary.addLayout(self.numbers)
        summary.addSpacing(6)
        summary.addWidget(self.issues_title)
        summary.addWidget(self.issue_view, 1)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(self.close_button)
        summary.addLayout(row)

        self.pages = QStackedWidget()
        self.pages.addWidget(progress_page)
        self.pages.addWidget(summary_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.addWidget(self.pages)

    # -- running ---------------------------------------------------------------------------

    def start(self) -> Task:
        self.open()
        self.task = self.runner.run(
            self.work,
            hooks=True,
            write=True,
            on_success=self._finished,
            on_failure=self._failed,
            on_progress=self._progressed,
        )
        return self.task

    def cancel(self) -> None:
        if self.task is not None and not self.task.is_finished:
            self.task.cancel()
            self.cancel_button.setEnabled(False)
            self.phase_label.setText("Cancelling…")

    def reject(self) -> None:
        # Escape or closing the window while working cancels rather than hiding the work.
        if self.task is not None and not self.task.is_finished:
            self.cancel()
            return
        super().reject()

    def _progressed(self, progress: Progress) -> None:
        if self.task is not None and self.task.cancelled:
            return
        phase = PHASES.get(progress.phase, progress.phase.capitalize())
        self.rate_label.setText(describe_rate(*self.rate.update(progress)))
        if progress.total:
            self.bar.setRange(0, progress.total)
            self.bar.setValue(progress.done)
            self.phase_label.setText(f"{phase}… {progress.done:,} of {progress.total:,}")
        else:
            self.bar.setRange(0, 0)
            self.phase_label.setText(f"{phase}…")
        if progress.item:
            metrics = self.item_label.fontMetrics()
            self.item_label.setText(
                metrics.elidedText(
                    progress.item, Qt.TextElideMode.ElideMiddle, self.item_label.width()
                )
            )

    def _finished(self, report: ImportReport) -> None:
        self.report = report
        counts = {
            "added": len(report.added),
            "updated": len(report.updated),
            "unchanged": report.unchanged,
            "duplicates": len(report.duplicates),
            "failed": len(report.failed),
        }
        for key, value in counts.items():
            self.count_labels[key].setText(str(value))
        done = "Import cancelled" if report.cancelled else f"{self._title} finished"
        self.summary_heading.setText(done)
        extra = []
        if report.moved:
            extra.append(f"{len(report.moved)} files were recognised as moved.")
        if report.missing:
            extra.append(f"{len(report.missing)} files are missing from disk.")
        links = [s for s in report.skipped if s.reason == LINK_LEAVES_FOLDER]
        if unsupported := len(report.skipped) - len(links):
            extra.append(f"{unsupported} files were skipped as unsupported.")
        if links:
            extra.append(f"{len(links)} links out of the folder were not followed.")
        extra += text_notes(report)
        if report.truncated:
            extra.append(f"{len(report.truncated)} files were cut at the text limit.")
        self.summary_text.setText(" ".join(extra) or report.summary().capitalize() + ".")
        issues = issues_from_report(report)
        self.issue_model.set_issues(issues)
        self.issues_title.setVisible(bool(issues))
        self.issue_view.setVisible(bool(issues))
        self.pages.setCurrentIndex(1)
        self.adjustSize()
        self.import_finished.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.summary_heading.setText("The import stopped")
        self.summary_text.setText(error_message(exc))
        for label in self.count_labels.values():
            label.parent().hide()
        self.issues_title.hide()
        self.issue_view.hide()
        self.pages.setCurrentIndex(1)
        self.import_finished.emit(None)  # part of the work may have been saved before the error
