"""The dashboard's tables: content gaps, unused assets and stale content, each to CSV."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from library.usage import Period, UsageReport
from library.usage.transfer import write_report_rows
from ui.icons import icon
from ui.models import item_data
from ui.models.usage_tables import (
    AssetIdRole,
    ContentGapTableModel,
    ReportRowsModel,
    SortRole,
    StaleTableModel,
    UnusedTableModel,
)
from ui.tasks import TaskRunner
from ui.usage_delegates import SparklineDelegate

TABLES = (
    ("gaps", "Content gaps", "content-gaps"),
    ("unused", "Unused", "unused-assets"),
    ("stale", "Stale, still sent", "stale-content"),
)


class UsageTablesPane(QWidget):
    asset_activated = Signal(int)
    status_message = Signal(str)
    exported = Signal(str)  # the path written

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.models: dict[str, ReportRowsModel] = {
            "gaps": ContentGapTableModel(self),
            "unused": UnusedTableModel(self),
            "stale": StaleTableModel(self),
        }
        self.views: dict[str, QTableView] = {}
        self.tabs = QTabWidget(documentMode=True)
        self.sparklines = SparklineDelegate(self)
        for key, label, _file in TABLES:
            view = self._table(self.models[key])
            self.views[key] = view
            self.tabs.addTab(view, label)
        self.views["gaps"].setItemDelegateForColumn(ContentGapTableModel.COL_TREND, self.sparklines)
        gaps = self.views["gaps"].horizontalHeader()
        for column, width in (
            (ContentGapTableModel.COL_FILTERS, 130),
            (ContentGapTableModel.COL_TREND, 84),
            (ContentGapTableModel.COL_REPS, 120),
        ):
            gaps.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            gaps.resizeSection(column, width)
        self.export_button = QPushButton(icon("export"), "Export CSV…")
        self.export_button.setToolTip("Save the table shown as a spreadsheet (CSV)")
        self.export_button.clicked.connect(lambda: self.export_current())
        self.tabs.setCornerWidget(self.export_button, Qt.Corner.TopRightCorner)
        self.as_of = date.today()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _table(self, model: ReportRowsModel) -> QTableView:
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(model)
        proxy.setSortRole(SortRole)
        view = QTableView()
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        view.verticalHeader().hide()
        view.verticalHeader().setDefaultSectionSize(30)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setShowGrid(False)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        view.doubleClicked.connect(self._activated)
        return view

    def show_report(self, report: UsageReport, period: Period, as_of: date) -> None:
        self.as_of = as_of
        first = period.since or min(
            (date.fromisoformat(w.week) for w in report.trend), default=None
        )
        last = period.until or as_of
        self.sparklines.set_weeks(
            first - timedelta(days=first.weekday()) if first else None,
            last - timedelta(days=last.weekday()),
        )
        rows = {"gaps": report.content_gaps, "unused": report.unused, "stale": report.stale}
        for n, (key, label, _file) in enumerate(TABLES):
            self.models[key].set_rows(rows[key])
            self.tabs.setTabText(n, f"{label}  ({len(rows[key])})")

    def current_key(self) -> str:
        return TABLES[self.tabs.currentIndex()][0]

    def _activated(self, index: QModelIndex) -> None:
        asset_id = item_data(index, AssetIdRole)
        if asset_id is not None:
            self.asset_activated.emit(asset_id)

    # -- export ------------------------------------------------------------------------------

    def export_current(self, path: Path | None = None) -> None:
        """Write the table shown to CSV (asking where, unless ``path`` is given)."""
        key = self.current_key()
        if path is None:
            name = dict((k, f) for k, _l, f in TABLES)[key]
            chosen, _ = QFileDialog.getSaveFileName(
                self,
                "Export Table",
                str(Path.home() / f"{name}-{self.as_of.isoformat()}.csv"),
                "CSV spreadsheet (*.csv)",
            )
            if not chosen:
                return
            path = Path(chosen) if chosen.lower().endswith(".csv") else Path(chosen + ".csv")
        rows = self.models[key].rows()
        self.runner.run(
            lambda: write_report_rows(path, rows),
            on_success=lambda count: self._exported(path, count),
        )

    def _exported(self, path: Path, count: int) -> None:
        self.status_message.emit(f"Saved {count} rows to {path.name}")
        self.exported.emit(str(path))
