"""The app's team sync: the status-bar item, the marketer's Publish action, and pulls off
the GUI thread, on a shared-folder team (no servers needed)."""

from __future__ import annotations

import threading

from library import Library
from library.team import Team
from ui.team_sync import TeamSync


def test_publish_and_pull_from_the_app_show_in_the_status_item(
    qtbot, runner, tmp_path, mixed_folder
):
    share = tmp_path / "share"
    share.mkdir()
    marketer = Library(tmp_path / "marketer", workers=1)
    rep = Library(tmp_path / "rep")
    try:
        marketer.add_paths([mixed_folder])
        Team.connect(marketer, str(share), "marketer")
        Team.connect(rep, str(share), "rep")

        publisher = TeamSync(marketer, runner)
        with qtbot.waitSignal(publisher.status_changed):
            publisher.start()
        assert publisher.label.text() == "Team: not synced yet"
        assert publisher.publish_action.isEnabled()
        with qtbot.waitSignal(publisher.changed, timeout=30000):
            publisher.publish_action.trigger()
        assert publisher.label.text() == "Team v1"

        threads = []
        import ui.team_sync as team_sync

        real = team_sync._sync

        def spy(library):
            threads.append(threading.current_thread())
            return real(library)

        team_sync._sync = spy
        try:
            reader = TeamSync(rep, runner)
            with qtbot.waitSignal(reader.status_changed):
                reader.start()
            assert not reader.publish_action.isEnabled()  # reps never publish
            with qtbot.waitSignal(reader.changed, timeout=30000):
                reader.sync()
        finally:
            team_sync._sync = real
        assert threads and threads[0] is not threading.main_thread()
        # The rep's item also links to what the pull brought (tests/team/test_pull_news.py).
        assert reader.label.text().startswith("Team v1 · ")
        assert rep.assets.count() == len(marketer.assets.ids(state="ok"))
    finally:
        marketer.close()
        rep.close()


def test_a_library_on_its_own_shows_no_team_item(qtbot, runner, library):
    sync = TeamSync(library, runner)
    with qtbot.waitSignal(sync.status_changed):
        sync.start()
    assert sync.status is None and sync.label.isHidden()
    assert not sync.publish_action.isEnabled()
    sync.sync()  # nothing to do, nothing started
    assert runner.active == 0
