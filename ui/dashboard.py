"""The marketer's usage dashboard: a period picker, figures, charts and the report tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from library import Library
from library.usage import HeatMap, Period, UsageReport, Weights
from ui.cards import Card, StatCard
from ui.icons import icon
from ui.models.usage_tables import HeatMapModel
from ui.tasks import TaskRunner
from ui.usage_charts import TopAssetsChart, TrendChart
from ui.usage_delegates import HeatMapDelegate
from ui.usage_tables_pane import UsageTablesPane
from ui.usage_weights import UsageWeightsDialog
from ui.widgets import EmptyState

PRESETS = (
    ("Last 7 days", 7),
    ("Last 30 days", 30),
    ("Last 90 days", 90),
    ("Last 12 months", 365),
    ("All time", None),
    ("Custom…", -1),
)
DEFAULT_PRESET = 2
TOP_ASSETS = 20
GAPS = 200


@dataclass
class DashboardData:
    period: Period
    as_of: date
    report: UsageReport
    heat: HeatMap
    events: int
    team_role: str | None = None  # the role this library has in a team, None on its own
    team: bool = False  # the reports ran on the team's pooled events
    pooled: int = 0  # pooled events taken from the team for this load


SCOPES = ("This library", "Team")


def load_dashboard(
    library: Library, period: Period, as_of: date, *, team: bool = False
) -> DashboardData:
    """Runs off the GUI thread: stores what is still queued, then every report. With
    ``team`` (a marketer's library), the team's pooled events not here yet are taken first,
    each once, so the reports run on the whole team's usage, as ``stats --team`` does."""
    from library.team import Team, team_role

    role = team_role(library)
    pooled = 0
    if team and role == "marketer":
        pooled = Team(library).pool_events()
    usage = library.usage
    usage.flush()
    return DashboardData(
        period,
        as_of,
        usage.report(period, as_of=as_of, top=TOP_ASSETS, gaps=GAPS),
        usage.heat_map(period),
        usage.count(),
        role,
        team and role == "marketer",
        pooled,
    )


class DashboardView(QWidget):
    asset_activated = Signal(int)
    status_message = Signal(str)
    data_shown = Signal()

    def __init__(
        self,
        library: Library,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.library = library
        self.runner = runner
        self.today = today
        self.data: DashboardData | None = None
        self._sequence = 0
        self._stale = True
        self._reload_timer = QTimer(self, singleShot=True, interval=300)
        self._reload_timer.timeout.connect(self.reload)
        self._build()

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        heading = QLabel("Usage", objectName="heading")
        self.summary = QLabel(objectName="muted")
        self.period_box = QComboBox()
        for label, _days in PRESETS:
            self.period_box.addItem(label)
        self.period_box.setCurrentIndex(DEFAULT_PRESET)
        self.period_box.setAccessibleName("Period")
        self.scope_box = QComboBox()
        self.scope_box.addItems(SCOPES)
        self.scope_box.setAccessibleName("Scope")
        self.scope_box.setToolTip("Team: the reports on every rep's pooled usage")
        self.scope_box.hide()  # shown once a load finds a marketer's team connection
        self.since_edit, self.until_edit = (
            QDateEdit(calendarPopup=True),
            QDateEdit(calendarPopup=True),
        )
        for edit in (self.since_edit, self.until_edit):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.hide()
            edit.dateChanged.connect(lambda _d: self._reload_timer.start())
        self.import_button = QPushButton(icon("import"), "Import events…")
        self.import_button.setToolTip("Merge a rep's exported events (CSV or JSON lines)")
        self.weights_button = QPushButton("Weights…")
        self.weights_button.setToolTip("What one send, export, add, open or preview scores")
        self.refresh_button = QPushButton(icon("rescan"), "Refresh")
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(heading)
        top.addSpacing(6)
        top.addWidget(self.summary, 1, Qt.AlignmentFlag.AlignBottom)
        for widget in (self.scope_box, self.period_box, self.since_edit, self.until_edit):
            top.addWidget(widget)
        top.addWidget(self.import_button)
        top.addWidget(self.weights_button)
        top.addWidget(self.refresh_button)

        self.stats = {
            key: StatCard(caption)
            for key, caption in (
                ("searches", "Searches"),
                ("used", "Assets used"),
                ("sent", "Packets sent"),
                ("reps", "Active reps"),
                ("unused", "Unused assets"),
            )
        }
        figures = QHBoxLayout()
        figures.setSpacing(12)
        for card in self.stats.values():
            figures.addWidget(card, 1)

        self.top_chart = TopAssetsChart()
        self.trend_chart = TrendChart()
        self.top_card = Card("Most used assets", self.top_chart)
        self.trend_card = Card("Week by week", self.trend_chart)
        self.heat_model = HeatMapModel(self)
        self.heat_view = self._heat_view()
        self.heat_card = Card("Use by stage and persona", self.heat_view)
        self.tables = UsageTablesPane(self.runner)
        self.tables_card = Card("Gaps and clean-up", self.tables)

        grid = QGridLayout()
        grid.setSpacing(12)
        grid.addLayout(figures, 0, 0, 1, 2)
        grid.addWidget(self.top_card, 1, 0)
        grid.addWidget(self.trend_card, 1, 1)
        grid.addWidget(self.heat_card, 2, 0)
        grid.addWidget(self.tables_card, 2, 1)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 6)
        grid.setRowStretch(1, 4)
        grid.setRowStretch(2, 5)
        content = QWidget(objectName="dashboardContent")
        content.setLayout(grid)
        content.setMinimumHeight(720)
        self.scroll = QScrollArea(objectName="dashboardScroll")
        self.scroll.setWidget(content)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll.setStyleSheet(
            "QScrollArea#dashboardScroll, QWidget#dashboardContent { background: transparent; }"
        )

        self.empty = EmptyState("chart")
        self.empty.set_text(
            "No usage recorded yet",
            "Figures appear here as reps search, preview, open and send content. "
            "To see a team's usage, import the events each rep exports.",
        )
        self.empty_import = self.empty.add_action("Import events…", "import", primary=True)
        self.empty.finish_actions()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.scroll)
        self.pages.addWidget(self.empty)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 10)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)

        self.period_box.currentIndexChanged.connect(self._preset_chosen)
        self.scope_box.currentIndexChanged.connect(lambda _i: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        self.import_button.clicked.connect(self.choose_import)
        self.weights_button.clicked.connect(self.edit_weights)
        self.empty_import.clicked.connect(self.choose_import)
        self.top_chart.asset_clicked.connect(self.asset_activated)
        self.tables.asset_activated.connect(self.asset_activated)
        self.tables.status_message.connect(self.status_message)

    def _heat_view(self) -> QTableView:
        view = QTableView()
        view.setModel(self.heat_model)
        view.setItemDelegate(HeatMapDelegate(view))
        view.setShowGrid(False)
        view.setCornerButtonEnabled(False)
        view.setStyleSheet(
            "QTableView { border: none; background: transparent; }"
            "QHeaderView, QHeaderView::section, QTableCornerButton::section"
            " { background: transparent; border: none; }"
            "QHeaderView::section { font-size: 11px; padding: 2px 3px; }"
        )
        view.setAccessibleName("Use by stage and persona")
        for header in (view.horizontalHeader(), view.verticalHeader()):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            header.setHighlightSections(False)
        view.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
        )
        view.horizontalHeader().setMinimumHeight(44)
        view.setSelectionMode(QTableView.SelectionMode.NoSelection)
        view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        view.verticalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        view.verticalHeader().setMinimumWidth(96)
        return view

    # -- period ----------------------------------------------------------------------------

    def as_of(self) -> date:
        return self.today or date.today()

    def period(self) -> Period:
        days = PRESETS[self.period_box.currentIndex()][1]
        if days == -1:
            return Period(self.since_edit.date().toPython(), self.until_edit.date().toPython())
        if days is None:
            return Period(None, self.as_of())
        return Period(self.as_of() - timedelta(days=days - 1), self.as_of())

    def team_scope(self) -> bool:
        return self.scope_box.isVisible() and self.scope_box.currentIndex() == 1

    def set_team_scope(self, team: bool) -> None:
        self.scope_box.setCurrentIndex(1 if team else 0)

    def set_preset(self, index: int) -> None:
        self.period_box.setCurrentIndex(index)

    def set_custom_period(self, since: date, until: date) -> None:
        self.period_box.blockSignals(True)
        self.period_box.setCurrentIndex(len(PRESETS) - 1)
        self.period_box.blockSignals(False)
        self._set_dates(since, until)
        self.since_edit.show()
        self.until_edit.show()
        self.reload()

    def _set_dates(self, since: date, until: date) -> None:
        for edit, value in ((self.since_edit, since), (self.until_edit, until)):
            edit.blockSignals(True)
            edit.setDate(QDate(value.year, value.month, value.day))
            edit.blockSignals(False)

    def _preset_chosen(self, index: int) -> None:
        custom = PRESETS[index][1] == -1
        if custom:  # start from the period shown
            shown = self.data.period if self.data is not None else Period()
            since = shown.since or self.as_of() - timedelta(days=89)
            self._set_dates(since, shown.until or self.as_of())
        self.since_edit.setVisible(custom)
        self.until_edit.setVisible(custom)
        self.reload()

    # -- loading ---------------------------------------------------------------------------

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.reload()

    def refresh_if_stale(self) -> None:
        if self._stale:
            self.reload()

    def reload(self) -> None:
        try:
            period = self.period()
        except ValueError:  # a custom period that ends before it starts
            self.summary.setText("The period ends before it starts.")
            return
        self._stale = False
        self._sequence += 1
        # Unused and stale are judged as of the end of the period shown.
        sequence, library, as_of = self._sequence, self.library, period.until or self.as_of()
        team = self.team_scope()
        self.summary.setText("Taking the team's usage…" if team else "Loading…")
        # The team scope stores the pooled events it takes: a write, queued with the others.
        self.runner.run(
            lambda: load_dashboard(library, period, as_of, team=team),
            on_success=lambda data: self._loaded(sequence, data),
            write=team,
        )

    def _loaded(self, sequence: int, data: DashboardData) -> None:
        if sequence != self._sequence:
            return  # an older period finished after a newer one was asked for
        self.show_data(data)

    def show_data(self, data: DashboardData) -> None:
        self.data = data
        report = data.report
        self.pages.setCurrentWidget(self.scroll if data.events else self.empty)
        since = data.period.since.isoformat() if data.period.since else "the first event"
        until = data.period.until.isoformat() if data.period.until else "today"
        self.scope_box.setVisible(data.team_role == "marketer")
        scope = "Team  ·  " if data.team else ""
        self.summary.setText(
            f"{scope}{since} to {until}  ·  {data.events:,} events recorded in all"
            + (f"  ·  {data.pooled:,} new from the team" if data.pooled else "")
        )
        self._show_figures(report)
        self.top_chart.set_assets(report.top_assets)
        self.top_card.set_note("Click a bar to open the asset")
        self.trend_chart.set_weeks(report.trend)
        self.heat_model.set_heat_map(data.heat)
        self.tables.show_report(report, data.period, data.as_of)
        self.data_shown.emit()

    def _show_figures(self, report: UsageReport) -> None:
        reps = report.by_rep
        searches = sum(r.searches for r in reps)
        zero = sum(r.zero_result_searches for r in reps)
        share = f" ({zero / searches:.0%})" if searches else ""
        self.stats["searches"].set(f"{searches:,}", f"{zero:,} found nothing{share}")
        used = sum(t.assets for t in report.by_type)
        uses = sum(t.uses for t in report.by_type)
        self.stats["used"].set(f"{used:,}", f"{uses:,} uses in all")
        sends = sum(r.sends for r in reps)
        exports = sum(r.exports for r in reps)
        self.stats["sent"].set(f"{sends:,}", f"{exports:,} exported as PDF")
        lead = f"Most active: {reps[0].rep}" if reps else "No rep was active"
        self.stats["reps"].set(f"{len(reps):,}", lead)
        never = sum(1 for u in report.unused if u.last_used is None)
        self.stats["unused"].set(f"{len(report.unused):,}", f"Not used in 90 days; {never:,} never")

    # -- weights -----------------------------------------------------------------------------

    def edit_weights(self) -> UsageWeightsDialog:
        dialog = UsageWeightsDialog(self.library.usage.weights, self)
        dialog.accepted.connect(lambda: self.save_weights(dialog.weights()))
        dialog.open()
        return dialog

    def save_weights(self, weights: Weights) -> None:
        """Store the weights in the library's settings (off the GUI thread), then reload."""
        library = self.library
        self.runner.run(
            lambda: library.change_settings({"usage.weights": weights}),
            write=True,
            on_success=lambda _stored: self.reload(),
        )

    # -- importing ---------------------------------------------------------------------------

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import Events", str(Path.home()), "Usage events (*.csv *.jsonl);;All files (*)"
        )
        if path:
            self.import_events(Path(path))

    def import_events(self, path: Path) -> None:
        library = self.library
        self.runner.run(
            lambda: library.import_usage(path),
            write=True,
            on_success=self._imported,
        )

    def _imported(self, summary) -> None:
        self.status_message.emit(summary.summary())
        self.reload()
