"""The Usage tab's Team scope on a real PostgreSQL: shown only to a marketer, it takes the
reps' pooled events (off the GUI thread) and runs the same reports on them."""

from __future__ import annotations

import os
from datetime import date

from library import Library
from library.usage import UsageEvent
from ui.dashboard import DashboardView

TODAY = date(2026, 2, 28)


def _view(qtbot, lib, runner) -> DashboardView:
    view = DashboardView(lib, runner, today=TODAY)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    with qtbot.waitSignal(view.data_shown, timeout=30000):
        view.reload()
    return view


def test_team_scope_reports_the_reps_pooled_events(qtbot, team, marketer, tmp_path, runner):
    with Library(marketer, rep="dana", workers=1) as lib:
        team.connect_lib(lib, "marketer1", "marketer")
        asset = lib.assets.ids(state="ok")[0]
        reps = ("ana", "ben", "cy")
        events = [
            UsageEvent(
                "open", time=f"2026-02-{10 + n:02d}T09:00:00+00:00", rep=rep, asset_ids=[asset]
            ).to_dict()
            for n, rep in enumerate(reps)
            for _ in range(4)
        ]
        with team.server("rep1") as server:
            server.push_events(events)

        view = _view(qtbot, lib, runner)
        assert view.scope_box.isVisible()  # a marketer's library
        assert not view.data.team
        assert not {r.rep for r in view.data.report.by_rep} & set(reps)
        before = view.data.events
        with qtbot.waitSignal(view.data_shown, timeout=30000):
            view.set_team_scope(True)  # runs the reports again, on the team's usage
        data = view.data
        assert data.team and data.pooled == len(events)
        assert {r.rep for r in data.report.by_rep} == set(reps)
        assert view.stats["reps"].value.text() == str(len(data.report.by_rep))
        assert "Team" in view.summary.text() and "12 new from the team" in view.summary.text()
        if os.environ.get("PITCHPACK_SHOT"):  # to look at the Team scope
            view.grab().save(os.environ["PITCHPACK_SHOT"])
        # The same keys as ``stats --json``: the dashboard's report is the core's report.
        assert (
            data.report.to_json()
            == lib.usage.report(data.period, as_of=data.as_of, top=20, gaps=200).to_json()
        )
        # Again: nothing new, each event was taken once.
        with qtbot.waitSignal(view.data_shown, timeout=30000):
            view.reload()
        assert view.data.pooled == 0 and lib.usage.count() == before + len(events)


def test_scope_hidden_for_a_rep_and_a_library_on_its_own(qtbot, team, marketer, tmp_path, runner):
    with Library(marketer, workers=1) as lib:
        view = _view(qtbot, lib, runner)
        assert not view.scope_box.isVisible() and view.data.team_role is None
        view.close()
    rep = tmp_path / "rep"
    team.connect(rep, "rep1", "rep")
    with Library(rep, workers=1) as lib:
        view = _view(qtbot, lib, runner)
        assert view.data.team_role == "rep" and not view.scope_box.isVisible()
        assert not view.team_scope()
