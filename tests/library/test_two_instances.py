"""Two instances on one library: concurrent imports, and a rebuild under an open instance,
leave a catalog and an index that agree, with nothing lost."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from library import Library
from search import SearchQuery

ROOT = Path(__file__).resolve().parents[2]


# Enough files for several import transactions each: with fewer, the two imports barely
# overlap and a locking fault would show only now and then.
def make_files(folder: Path, prefix: str, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"{prefix}-{n:03}.txt").write_text(
            f"{prefix.title()} note {n}: colocation word {prefix}{n:03}.\n", encoding="utf-8"
        )


def cli(lib_dir: Path, *argv: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--library", str(lib_dir), *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def finish(*processes: subprocess.Popen) -> list[str]:
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        outputs.append(out)
    return outputs


def check_agreement(lib_dir: Path, expected_paths: set[str]) -> Library:
    lib = Library(lib_dir, workers=1)
    ok = set(lib.assets.ids(state="ok"))
    paths = [a.path for a in lib.assets.all()]
    assert len(paths) == len(set(paths)) and set(paths) == expected_paths
    assert lib.index.ids() == ok  # the index agrees before any rebuild
    lib.ensure_index()
    assert lib.index.ids() == ok
    return lib


@pytest.fixture
def lib_dir(tmp_path: Path) -> Path:
    Library(tmp_path / "lib").close()  # the library exists, as when a second window opens
    return tmp_path / "lib"


def test_two_processes_add_different_folders(tmp_path, lib_dir) -> None:
    for prefix in ("east", "west"):
        make_files(tmp_path / prefix, prefix, 200)
    finish(cli(lib_dir, "add", str(tmp_path / "east")), cli(lib_dir, "add", str(tmp_path / "west")))
    expected = {str(p) for prefix in ("east", "west") for p in (tmp_path / prefix).iterdir()}
    with check_agreement(lib_dir, expected) as lib:
        hits = lib.search(SearchQuery(text="east199 OR west199", include_hidden=True)).hits
        assert sorted(h.title for h in hits if not h.fuzzy) == ["East 199", "West 199"]


def test_two_processes_add_the_same_folder(tmp_path, lib_dir) -> None:
    make_files(tmp_path / "shared", "shared", 150)
    outputs = finish(*(cli(lib_dir, "add", str(tmp_path / "shared")) for _ in range(2)))
    added = [int(re.match(r"(\d+) added", out)[1]) for out in outputs]
    assert sum(added) == 150  # each file added once, by one of them
    with check_agreement(lib_dir, {str(p) for p in (tmp_path / "shared").iterdir()}) as lib:
        assert all(len(lib.assets.versions(i)) == 1 for i in lib.assets.ids())


def test_an_open_instance_keeps_writing_while_another_rebuilds(tmp_path, lib_dir) -> None:
    make_files(tmp_path / "notes", "note", 30)
    with Library(lib_dir, workers=1) as open_instance:
        open_instance.add_paths([tmp_path / "notes"])
        first = open_instance.assets.ids()[0]
        finish(cli(lib_dir, "reindex"))
        # The other process rebuilt the index in place, so this instance's writes still land
        # in the file everyone reads (a deleted and recreated file would swallow them).
        open_instance.update_assets([first], title="Renamed while another rebuilt")
        assert open_instance.search(SearchQuery(text="renamed")).total == 1
    with Library(lib_dir, workers=1) as reopened:
        assert reopened.index_in_step()
        assert {h.id for h in reopened.search(SearchQuery(text="renamed")).hits} == {first}


def test_instances_opening_a_new_library_at_once(tmp_path) -> None:
    opener = "import sys; from library import Library; Library(sys.argv[1]).close()"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", opener, str(tmp_path / "new")],
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        for _ in range(3)
    ]
    for process in processes:
        _, err = process.communicate(timeout=60)
        assert process.returncode == 0, err  # none of them creates the tables a second time
    with Library(tmp_path / "new") as lib:
        assert lib.assets.count() == 0 and lib.index_in_step()
