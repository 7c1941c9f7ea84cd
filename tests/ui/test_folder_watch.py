"""The app polls watched folders by itself and reports what changed."""

from __future__ import annotations

from library import Library
from search import SearchQuery
from ui.folder_watch import FolderWatcher


def test_new_file_in_a_watched_folder_is_picked_up(qtbot, runner, tmp_path):
    folder = tmp_path / "share"
    folder.mkdir()
    (folder / "first.txt").write_text("Colocation basics for new reps.\n", encoding="utf-8")
    library = Library(tmp_path / "library", workers=1)
    try:
        library.add_paths([folder])
        watcher = FolderWatcher(library, runner, interval_ms=50)
        unchanged = []
        watcher.changed.connect(unchanged.append)
        watcher.start()
        for _turn in range(3):  # a few quiet turns over an unchanged folder report nothing
            with qtbot.waitSignal(watcher.rescanned, timeout=10000) as quiet:
                pass
            assert quiet.args[0].changed_ids == []
        assert unchanged == []

        (folder / "second.txt").write_text(
            "A note about the axolotl programme.\n", encoding="utf-8"
        )
        with qtbot.waitSignal(watcher.changed, timeout=30000) as blocker:
            pass
        watcher.stop()
        report = blocker.args[0]
        assert len(report.added) == 1
        hits = library.search(SearchQuery(text="axolotl", as_you_type=False)).hits
        assert [h.path for h in hits] == [str(folder / "second.txt")]
    finally:
        runner.shutdown()
        library.close()
