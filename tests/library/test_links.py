"""Links inside an added or watched folder: those that lead out of it are not followed
unless the ``follow_links`` setting says so; links within it are read as usual."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from library.import_report import LINK_LEAVES_FOLDER
from library.packets.errors import SettingsError
from library.settings import SETTINGS_FILE, Settings
from search import SearchQuery


@pytest.fixture
def linked(tmp_path: Path) -> Path:
    """content/ with a note, a link to that note, and links out to a secret file and folder."""
    outside = tmp_path / "home"
    (outside / ".ssh").mkdir(parents=True)
    (outside / ".ssh" / "id_note.txt").write_text("Privatekeyword material.\n", encoding="utf-8")
    (outside / "elsewhere").mkdir()
    (outside / "elsewhere" / "far.md").write_text("# Far\n\nFarawayword text.\n", encoding="utf-8")
    content = tmp_path / "content"
    (content / "sub").mkdir(parents=True)
    (content / "sub" / "note.md").write_text("# Note\n\nInsideword text.\n", encoding="utf-8")
    os.symlink(content / "sub" / "note.md", content / "same-note.md")
    os.symlink(outside / ".ssh" / "id_note.txt", content / "key.txt")
    os.symlink(outside / "elsewhere", content / "elsewhere")
    return content


def found(lib, word: str) -> int:
    return lib.search(SearchQuery(text=word, as_you_type=False)).total


def follow_links(lib, value) -> None:
    path = lib.folder / SETTINGS_FILE
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    path.write_text(json.dumps({**data, "follow_links": value}), encoding="utf-8")


def test_links_out_of_the_folder_are_skipped_with_the_reason(library, linked) -> None:
    report = library.add_paths([linked])
    skipped = {Path(s.path).name: s for s in report.skipped}
    assert set(skipped) == {"key.txt", "elsewhere"}
    assert {s.reason for s in skipped.values()} == {LINK_LEAVES_FOLDER}
    assert str(linked.parent / "home" / ".ssh" / "id_note.txt") in skipped["key.txt"].message
    assert "follow_links" in skipped["key.txt"].message
    assert "2 links out of the folder skipped" in report.summary()
    # The link that stays inside the folder is read like any file.
    assert sorted(Path(a.path).name for a in library.assets.all()) == ["note.md", "same-note.md"]
    assert found(library, "privatekeyword") == 0 and found(library, "farawayword") == 0
    assert found(library, "insideword") == 2
    again = library.rescan()
    assert {Path(s.path).name for s in again.skipped} == {"key.txt", "elsewhere"}
    assert not again.added and found(library, "privatekeyword") == 0


def test_the_setting_turns_following_on(library, linked) -> None:
    library.add_paths([linked])
    follow_links(library, True)
    report = library.rescan()
    assert not report.skipped
    assert sorted(Path(library.assets.get(i).path).name for i in report.added) == [
        "far.md",
        "key.txt",
    ]
    assert found(library, "privatekeyword") == 1 and found(library, "farawayword") == 1


def test_following_links_never_loops(library, tmp_path) -> None:
    content = tmp_path / "loop"
    (content / "inner").mkdir(parents=True)
    (content / "inner" / "a.txt").write_text("Loopword once.\n", encoding="utf-8")
    os.symlink("..", content / "inner" / "up")  # a folder that contains itself
    os.symlink(content, content / "again")
    follow_links(library, True)
    report = library.add_paths([content])
    assert len(report.added) == 1 and found(library, "loopword") == 1


@pytest.mark.parametrize(
    ("value", "expected"), [(True, True), ("yes", True), ("off", False), (False, False)]
)
def test_follow_links_is_a_validated_setting(tmp_path, value, expected) -> None:
    (tmp_path / SETTINGS_FILE).write_text(json.dumps({"follow_links": value}), encoding="utf-8")
    assert Settings(tmp_path).get("watch.follow_links") is expected


def test_a_follow_links_value_that_is_not_yes_or_no_is_refused(tmp_path) -> None:
    (tmp_path / SETTINGS_FILE).write_text(json.dumps({"follow_links": "maybe"}), encoding="utf-8")
    with pytest.raises(SettingsError, match="follow_links.*on or off"):
        Settings(tmp_path).get("watch.follow_links")
