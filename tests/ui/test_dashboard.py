"""The usage dashboard on a generated history: charts, tables, period picker, CSV export,
asset links; its models under Qt's model tester; and the hooks that record what reps do."""

from __future__ import annotations

import csv
import shutil
from datetime import timedelta

import pytest
import usage_oracle as oracle
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QDesktopServices
from usage_oracle import END

from library import Library
from library.usage import Period
from ui.dashboard import DashboardView
from ui.models import item_data
from ui.models.usage_tables import (
    AssetIdRole,
    ContentGapTableModel,
    HeatMapModel,
    IntensityRole,
    SortRole,
    StaleTableModel,
    UnusedTableModel,
    WeeksRole,
)
from ui.usage_charts import TOP_BARS, TREND_SERIES

LAST_7, LAST_90, ALL_TIME = 0, 2, 4


@pytest.fixture(scope="module")
def history_template(usage_history):
    return usage_history(21)


@pytest.fixture
def history(tmp_path, history_template):
    folder, events = history_template
    copy = tmp_path / "history"
    shutil.copytree(folder, copy)
    lib = Library(copy, rep="tester", workers=1)
    yield lib, events
    lib.close()


@pytest.fixture
def dashboard(qtbot, history, runner):
    lib, _events = history
    view = DashboardView(lib, runner, today=END)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    with qtbot.waitSignal(view.data_shown, timeout=20000):
        view.reload()
    yield view
    runner.shutdown()


def _sum(rows, field):
    return sum(r[field] for r in rows)


def test_dashboard_shows_charts_and_tables(dashboard, history):
    lib, events = history
    report = dashboard.data.report
    since = END - timedelta(days=89)
    assert dashboard.data.period == Period(since, END)

    chart = dashboard.top_chart.chart()
    (series,) = chart.series()
    bars = series.barSets()[0]
    top = oracle.top_assets(events, {a.id: a for a in lib.assets.all()}, since, END)
    assert [bars.at(i) for i in range(bars.count())] == [
        float(r["score"]) for r in reversed(top[:TOP_BARS])
    ]
    assert dashboard.top_chart.asset_ids == [r["asset_id"] for r in reversed(top[:TOP_BARS])]

    weeks = oracle.trend(events, since, END)
    lines = dashboard.trend_chart.series
    assert list(lines) == [label for label, _value, _colour in TREND_SERIES]
    assert [p.y() for p in lines["Searches"].points()] == [w["searches"] for w in weeks]
    assert [p.y() for p in lines["Packets sent"].points()] == [w["sends"] for w in weeks]

    assert dashboard.heat_model.rowCount() == len(lib.taxonomy.names("stage"))
    assert dashboard.heat_model.columnCount() == len(lib.taxonomy.names("persona"))
    tables = dashboard.tables
    assert tables.models["gaps"].rowCount() == len(report.content_gaps) > 0
    assert tables.models["unused"].rowCount() == len(report.unused) > 0
    assert tables.models["stale"].rowCount() == len(report.stale) > 0
    assert tables.tabs.tabText(0).endswith(f"({len(report.content_gaps)})")

    searches = _sum(oracle.by_rep(events, since, END), "searches")
    assert dashboard.stats["searches"].value.text() == f"{searches:,}"
    assert dashboard.pages.currentWidget() is dashboard.scroll


def test_period_picker_changes_the_figures(qtbot, dashboard, history):
    _lib, events = history
    before = dashboard.stats["searches"].value.text()
    with qtbot.waitSignal(dashboard.data_shown, timeout=20000):
        dashboard.set_preset(LAST_7)
    week = oracle.by_rep(events, END - timedelta(days=6), END)
    assert dashboard.stats["searches"].value.text() == f"{_sum(week, 'searches'):,}" != before
    assert len(dashboard.trend_chart.series["Searches"].points()) <= 2

    with qtbot.waitSignal(dashboard.data_shown, timeout=20000):
        dashboard.set_preset(ALL_TIME)
    assert dashboard.data.period.since is None
    assert (
        dashboard.stats["searches"].value.text() == f"{_sum(oracle.by_rep(events), 'searches'):,}"
    )

    since, until = END - timedelta(days=40), END - timedelta(days=20)
    with qtbot.waitSignal(dashboard.data_shown, timeout=20000):
        dashboard.set_custom_period(since, until)
    assert dashboard.since_edit.isVisible() and dashboard.until_edit.isVisible()
    expected = _sum(oracle.by_rep(events, since, until), "sends")
    assert dashboard.stats["sent"].value.text() == f"{expected:,}"


def test_tables_export_to_csv(qtbot, dashboard, tmp_path):
    tables = dashboard.tables
    for tab, key in enumerate(("gaps", "unused", "stale")):
        tables.tabs.setCurrentIndex(tab)
        path = tmp_path / f"{key}.csv"
        with qtbot.waitSignal(tables.exported, timeout=10000):
            tables.export_current(path)
        with open(path, newline="", encoding="utf-8") as file:
            rows = list(csv.DictReader(file))
        report_rows = tables.models[key].rows()
        assert len(rows) == len(report_rows)
        assert not list(tmp_path.glob(".*.tmp"))  # written through a temporary file
    assert rows[0]["asset_id"] == str(report_rows[0].asset_id)


def test_assets_open_from_chart_and_tables(qtbot, dashboard):
    with qtbot.waitSignal(dashboard.asset_activated) as signal:
        dashboard.top_chart.chart().series()[0].barSets()[0].clicked.emit(TOP_BARS - 1)
    assert signal.args == [dashboard.top_chart.asset_ids[-1]]

    view = dashboard.tables.views["unused"]
    index = view.model().index(0, 0)
    expected = item_data(index, AssetIdRole)
    with qtbot.waitSignal(dashboard.asset_activated) as signal:
        view.doubleClicked.emit(index)
    assert signal.args == [expected] and expected is not None


def test_main_window_reveals_a_dashboard_asset_in_the_library(qtbot, window):
    window.show_dashboard()
    qtbot.waitUntil(lambda: window.dashboard.data is not None, timeout=20000)
    assert window.dashboard.pages.currentWidget() is window.dashboard.empty  # no usage yet
    asset_id = window.library.assets.ids()[3]
    window.dashboard.asset_activated.emit(asset_id)
    assert window.tabs.currentWidget() is window.library_view
    qtbot.waitUntil(lambda: window.library_view.selected_ids() == [asset_id], timeout=10000)


def test_models_pass_the_model_tester(qtmodeltester, history):
    lib, _events = history
    report = lib.usage.report(as_of=END, top=None, gaps=None)
    for model_type, rows in (
        (ContentGapTableModel, report.content_gaps),
        (UnusedTableModel, report.unused),
        (StaleTableModel, report.stale),
    ):
        model = model_type()
        model.set_rows(rows)
        qtmodeltester.check(model)
    heat = HeatMapModel()
    heat.set_heat_map(lib.usage.heat_map())
    qtmodeltester.check(heat)


def test_model_data_without_a_widget(history):
    lib, _events = history
    report = lib.usage.report(as_of=END, top=None, gaps=None)
    gaps = ContentGapTableModel()
    gaps.set_rows(report.content_gaps)
    first = report.content_gaps[0]
    index = gaps.index(0, ContentGapTableModel.COL_QUERY)
    assert gaps.data(index) == (first.query or "(filters only)")
    assert gaps.data(gaps.index(0, ContentGapTableModel.COL_ZERO), SortRole) == first.zero_results
    assert gaps.data(index, WeeksRole) == first.weeks
    assert gaps.data(index, AssetIdRole) is None
    assert gaps.data(QModelIndex()) is None
    assert gaps.headerData(0, Qt.Orientation.Horizontal) == "Search"

    unused = UnusedTableModel()
    unused.set_rows(report.unused)
    never = next(i for i, u in enumerate(report.unused) if u.last_used is None)
    assert unused.data(unused.index(never, UnusedTableModel.COL_LAST_USED)) == "Never"
    assert unused.data(unused.index(never, 0), AssetIdRole) == report.unused[never].asset_id

    stale = StaleTableModel()
    stale.set_rows(report.stale)
    expired = next(i for i, s in enumerate(report.stale) if s.days_left < 0)
    text = stale.data(stale.index(expired, StaleTableModel.COL_DAYS_LEFT))
    assert text.startswith("Expired") and text.endswith("days ago")

    heat = HeatMapModel()
    heat.set_heat_map(lib.usage.heat_map())
    values = [
        heat.data(heat.index(r, c), IntensityRole)
        for r in range(heat.rowCount())
        for c in range(heat.columnCount())
    ]
    assert max(values) == 1.0 and min(values) >= 0.0


def test_empty_history_shows_the_empty_state(qtbot, library, inline_runner):
    view = DashboardView(library, inline_runner, today=END)
    qtbot.addWidget(view)
    view.reload()  # the inline runner delivers before reload() returns
    assert view.data is not None and view.data.events == 0
    assert view.pages.currentWidget() is view.empty
    assert view.tables.models["gaps"].rowCount() == 0


def test_importing_events_from_the_dashboard(qtbot, library, inline_runner, history, tmp_path):
    lib, events = history
    lib.usage.export(tmp_path / "team.jsonl")
    view = DashboardView(library, inline_runner, today=END)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.status_message) as message:
        view.import_events(tmp_path / "team.jsonl")
    assert message.args == [
        f"Imported {len(events)} events (0 already present) of {len(events)} read."
    ]
    assert view.data.events == len(events)


# -- recording in the workspace ----------------------------------------------------------


@pytest.fixture
def hooks(window, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    hooks = window.usage_hooks
    hooks._settle.setInterval(50)
    hooks._dwell.setInterval(50)
    hooks.opened_urls = opened
    return hooks


def test_settled_searches_previews_and_opens_are_recorded(qtbot, window, hooks):
    usage, pane, session = window.library.usage, window.search_pane, window.session
    for partial in ("colo", "colocation", "colocation pricing"):
        pane.search_box.setText(partial)
        session.run_now()  # as if each pause had been long enough to search
    qtbot.waitUntil(lambda: not hooks._settle.isActive() and bool(hooks._search_id), timeout=5000)
    qtbot.waitUntil(lambda: pane.model.rowCount() > 0, timeout=5000)
    pane.select_row(0)
    hit = pane.current_hit()
    qtbot.waitUntil(lambda: hit.id in hooks._previewed, timeout=5000)
    qtbot.waitUntil(lambda: window.preview.data is not None, timeout=10000)
    window.preview.open_original()
    assert hooks.opened_urls
    usage.flush()
    events = list(usage.events())
    kinds = [e.kind for e in events]
    assert kinds == ["search", "preview", "open"]  # only the query the rep settled on
    search, preview, opened = events
    assert search.query == "colocation pricing" and search.result_count == pane.model.total
    assert search.opened  # a result was previewed
    assert preview.asset_ids == [hit.id] and preview.search_id == search.id
    assert opened.asset_ids == [hit.id] and opened.search_id == search.id


def test_browsing_and_skimming_record_nothing(qtbot, window, hooks):
    usage, pane, session = window.library.usage, window.search_pane, window.session
    pane.search_box.setText("")
    session.run_now()
    qtbot.waitUntil(lambda: pane.model.rowCount() > 3, timeout=5000)
    hooks._dwell.setInterval(10_000)  # the rep arrows through results without stopping
    for row in range(4):
        pane.select_row(row)
    usage.flush()
    assert usage.count() == 0
    window.close()  # closing records what was still pending: the last result looked at
    usage.flush()
    assert [e.kind for e in usage.events()] == ["preview"]


def test_weights_change_the_scores_and_are_kept(qtbot, dashboard, history):
    from library.settings import Settings
    from library.usage import Weights

    lib, events = history
    dialog = dashboard.edit_weights()
    qtbot.addWidget(dialog)
    assert dialog.boxes["packet_send"].value() == 8
    for name, box in dialog.boxes.items():
        box.setValue(100 if name == "preview" else 0)
    with qtbot.waitSignal(dashboard.data_shown, timeout=20000):
        dialog.accept()
    chosen = Weights(packet_send=0, packet_export=0, packet_add=0, open=0, preview=100)
    assert lib.usage.weights == chosen
    assert Settings(lib.folder).get("usage.weights") == chosen
    top = dashboard.data.report.top_assets
    assert top and all(row.score % 100 == 0 for row in top)
    assert [row.score for row in top] == [100 * row.previews for row in top]
    with Library(lib.folder) as again:
        assert again.usage.weights == chosen
