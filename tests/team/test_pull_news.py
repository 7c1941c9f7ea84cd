"""What a pull brought: new and updated assets counted, kept until a pull brings more,
listed by ``team news`` and in the app (a status message and the status item's link)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import run_cli

from library import Library
from library.team import Team
from ui.team_sync import TeamSync


def test_pull_counts_new_and_updated_and_keeps_them_until_a_pull_brings_more(
    team, marketer, tmp_path
):
    with Library(marketer, workers=1) as lib:
        team.connect_lib(lib, "marketer1", "marketer").publish()
        ids = lib.assets.ids(state="ok")
    rep = tmp_path / "rep"
    team.connect(rep, "rep1", "rep")
    out = run_cli(rep, "team", "pull").stdout
    assert f"({len(ids)} new, 0 updated)" in out
    news = json.loads(run_cli(rep, "team", "news", "--json").stdout)
    assert sorted(news["new"]) == sorted(ids) and news["updated"] == [] and news["pulled_at"]

    edited, removed = ids[0], ids[1]
    with Library(marketer, workers=1) as lib:
        lib.update_assets([edited], title="Colocation pricing, 2026 edition")
        lib.remove_assets([removed])
        assert Team(lib).publish().version == 2
    out = run_cli(rep, "team", "pull").stdout
    assert "(0 new, 1 updated), 1 removed" in out
    text = run_cli(rep, "team", "news").stdout
    assert text.startswith("Pulled: 0 new, 1 updated")
    assert f"updated  {edited:>6}  Colocation pricing, 2026 edition" in text
    # A pull that brings nothing keeps the list: the rep still sees what arrived.
    assert "(0 new, 0 updated)" in run_cli(rep, "team", "pull").stdout
    assert json.loads(run_cli(rep, "team", "news", "--json").stdout)["updated"] == [edited]


def test_the_app_says_what_a_pull_brought_and_lists_it(qtbot, runner, team, marketer, tmp_path):
    with Library(marketer, workers=1) as lib:
        team.connect_lib(lib, "marketer1", "marketer").publish()
        ids = lib.assets.ids(state="ok")
    rep = tmp_path / "rep"
    team.connect(rep, "rep1", "rep")
    with Library(rep, workers=1) as lib:
        sync = TeamSync(lib, runner)
        with qtbot.waitSignal(sync.status_changed):
            sync.start()
        assert sync.label.text() == "Team: not synced yet"
        messages: list[str] = []
        sync.status_message.connect(messages.append)
        with qtbot.waitSignal(sync.changed, timeout=60000):
            sync.sync()
        assert messages == [f"Pulled: {len(ids)} new, 0 updated"]
        assert f">{len(ids)} new or updated</a>" in sync.label.text()

        with qtbot.waitSignal(sync.label.linkActivated):  # the status item's link
            sync.label.linkActivated.emit("news")
        qtbot.waitUntil(lambda: sync.news_dialog is not None and sync.news_dialog.isVisible())
        dialog = sync.news_dialog
        assert dialog.tree.topLevelItemCount() == len(ids)
        titles = {a.title for a in lib.assets.get_many(ids)}
        rows = [dialog.tree.topLevelItem(n) for n in range(len(ids))]
        assert {r.text(1) for r in rows} == titles and {r.text(0) for r in rows} == {"New"}
        if os.environ.get("PITCHPACK_SHOT"):
            dialog.grab().save(str(Path(os.environ["PITCHPACK_SHOT"])))
        with qtbot.waitSignal(sync.asset_activated) as chosen:
            dialog.tree.itemActivated.emit(rows[0], 1)
        assert chosen.args == [rows[0].data(0, 256)]
        dialog.close()
