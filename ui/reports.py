"""The tag hygiene report: assets missing a stage or persona, unused terms, expiring soon."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from library import Library
from library.models import Asset
from library.taxonomy import Term
from ui.models import item_data
from ui.models.report_tables import (
    AssetIdRole,
    ReportTableModel,
    expiring_rows,
    missing_rows,
    unused_rows,
)
from ui.tasks import TaskRunner

EXPIRING_DAYS = 30


@dataclass
class HygieneReport:
    missing: list[Asset]
    unused: list[Term]
    expiring: list[Asset]


def build_report(library: Library, days: int = EXPIRING_DAYS) -> HygieneReport:
    """Runs off the GUI thread: the three checks, straight from the core."""
    return HygieneReport(
        missing=library.assets.missing_taxonomy(),
        unused=library.taxonomy.unused(),
        expiring=library.assets.expiring(days),
    )


class ReportsDialog(QDialog):
    asset_activated = Signal(int)

    def __init__(self, library: Library, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.setWindowTitle("Tag Hygiene")
        self.resize(760, 500)
        self.missing_model = ReportTableModel(("Asset", "Type", "Missing", "Suggested"), self)
        self.unused_model = ReportTableModel(("Facet", "Term", "Keywords"), self)
        self.expiring_model = ReportTableModel(("Asset", "Expires", "Owner", "Status"), self)
        self.summary = QLabel("Checking the library…", objectName="muted", wordWrap=True)
        self.tabs = QTabWidget(documentMode=True)
        self.views = {}
        for key, model, label in (
            ("missing", self.missing_model, "Missing stage or persona"),
            ("unused", self.unused_model, "Unused terms"),
            ("expiring", self.expiring_model, f"Expiring in {EXPIRING_DAYS} days"),
        ):
            view = self._table(model)
            self.views[key] = view
            self.tabs.addTab(view, label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        heading = QLabel("Tag hygiene", objectName="heading")
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.reload()

    def _table(self, model: ReportTableModel) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.verticalHeader().hide()
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setShowGrid(False)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.verticalHeader().setDefaultSectionSize(30)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        view.doubleClicked.connect(self._activated)
        return view

    def reload(self) -> None:
        library = self.library
        self.runner.run(lambda: build_report(library), on_success=self.show_report)

    def show_report(self, report: HygieneReport) -> None:
        self.missing_model.set_rows(missing_rows(report.missing), [a.id for a in report.missing])
        self.unused_model.set_rows(unused_rows(report.unused))
        self.expiring_model.set_rows(
            expiring_rows(report.expiring), [a.id for a in report.expiring]
        )
        counts = (len(report.missing), len(report.unused), len(report.expiring))
        for tab, count in enumerate(counts):
            self.tabs.setTabText(tab, f"{self.tabs.tabText(tab).split('  (')[0]}  ({count})")
        first = next((tab for tab, count in enumerate(counts) if count), 0)
        self.tabs.setCurrentIndex(first)
        if not any(counts):
            self.summary.setText(
                "All clear: every asset has a stage and a persona, every term "
                "is used, and nothing expires in the next month."
            )
        else:
            self.summary.setText("Double-click an asset to open it in the library and fix it.")

    def _activated(self, index: QModelIndex) -> None:
        asset_id = item_data(index, AssetIdRole)
        if asset_id is not None:
            self.asset_activated.emit(asset_id)
