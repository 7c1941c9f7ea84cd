"""``kill -9`` at chosen and at random moments of an import, a metadata edit loop and a
reindex, and of an extraction worker: the catalog opens intact with every committed change,
and the index is brought back in step."""

from __future__ import annotations

import functools
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hostile import stall_on_marked

import library.ingest as ingest
from library import Library
from library.extract.pool import ExtractionPool
from search import SearchQuery

pytestmark = pytest.mark.skipif(os.name != "posix", reason="kill -9 and /proc are POSIX")

ROOT = Path(__file__).resolve().parents[2]
BATCH = 10  # files per import transaction in the killed process: kills land mid-import
FILES = 25
# Runs the command line with a kill switch: SIGKILL itself at the nth time a point is hit.
# It prints each id set the index is told about, so the test knows what was committed.
KILLER = """
import os, signal, sys

def kill_on(nth, count=[0]):
    count[0] += 1
    if count[0] == nth:
        os.kill(os.getpid(), signal.SIGKILL)

def install(point, nth):
    import library.db as db
    import library.library as library
    import search.writer as writer

    real_bump, real_sync, real_insert = db.bump_generation, library.Library.sync, writer.IndexWriter._insert

    def bump(database):
        result = real_bump(database)
        if point == "in-transaction":  # the catalog's transaction is open, not committed
            kill_on(nth)
        return result

    def sync(self, ids):
        ids = list(ids)
        if point == "before-sync":  # committed; the index not yet told
            kill_on(nth)
        print("committed", *ids, flush=True)
        return real_sync(self, ids)

    def insert(self, db_, record):
        if point == "in-index-write":  # inside an index transaction
            kill_on(nth)
        return real_insert(self, db_, record)

    db.bump_generation, library.Library.sync, writer.IndexWriter._insert = bump, sync, insert

if __name__ == "__main__":
    point, nth, batch, *argv = sys.argv[1:]
    import library.ingest
    library.ingest.BATCH = int(batch)
    if point != "none":
        install(point, int(nth))
    import main
    sys.exit(main.main(argv))
"""


def env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


@pytest.fixture
def killer(tmp_path: Path) -> Path:
    script = tmp_path / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    return script


def make_files(folder: Path, count: int = FILES) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"note-{n:03}.txt").write_text(
            f"Note {n} on colocation, with the marker word mark{n:03}.\n", encoding="utf-8"
        )


def committed_ids(stdout: str) -> set[int]:
    return {
        int(word)
        for line in stdout.splitlines()
        if line.startswith("committed")
        for word in line.split()[1:]
    }


def check_library(folder: Path, committed: set[int]) -> Library:
    """The catalog is intact and holds every committed change; the index is caught up."""
    catalog = folder / "catalog.sqlite"
    with sqlite3.connect(catalog) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    db.close()
    lib = Library(folder, workers=1)
    ok = set(lib.assets.ids(state="ok"))
    assert committed <= ok
    for asset in lib.assets.get_many(ok):  # no asset half-written
        pages = lib.assets.pages(asset.id)
        assert pages and pages[0].text and lib.assets.versions(asset.id)
        assert asset.content_hash == hashlib.sha256(Path(asset.path).read_bytes()).hexdigest()
    lib.ensure_index()
    assert lib.index_in_step() and lib.index.ids() == ok
    return lib


def search_ids(lib: Library, word: str) -> set[int]:
    return {hit.id for hit in lib.search(SearchQuery(text=word, include_hidden=True)).hits}


@pytest.mark.parametrize(
    ("point", "nth", "expected"),
    [
        ("in-transaction", 2, 10),  # the second batch is rolled back
        ("before-sync", 2, 20),  # the second batch is committed but never indexed
        ("in-index-write", 15, 20),  # killed halfway through indexing the second batch
    ],
)
def test_kill_the_app_mid_import(tmp_path, killer, point, nth, expected) -> None:
    content, lib_dir = tmp_path / "content", tmp_path / "lib"
    make_files(content)
    run = subprocess.run(
        [
            sys.executable,
            str(killer),
            point,
            str(nth),
            str(BATCH),
            "--library",
            str(lib_dir),
            "add",
            str(content),
        ],
        capture_output=True,
        text=True,
        env=env(),
        timeout=120,
    )
    assert run.returncode == -signal.SIGKILL, run.stderr
    with check_library(lib_dir, committed_ids(run.stdout)) as lib:
        assert lib.assets.count() == expected
        newest = max(lib.assets.ids())
        assert search_ids(lib, Path(lib.assets.get(newest).path).stem.replace("note-", "mark"))
        # Adding again finishes the job: every file once, none twice.
        report = lib.add_paths([content])
        assert len(report.added) == FILES - expected and not report.failed
        assert lib.assets.count() == FILES and lib.index.ids() == set(lib.assets.ids())


def test_kill_the_app_at_a_random_moment_of_an_import(tmp_path, killer) -> None:
    content, lib_dir = tmp_path / "content", tmp_path / "lib"
    make_files(content, 200)
    Library(lib_dir).close()
    process = subprocess.Popen(
        [
            sys.executable,
            str(killer),
            "none",
            "0",
            str(BATCH),
            "--library",
            str(lib_dir),
            "add",
            str(content),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env(),
    )
    deadline = time.monotonic() + 60
    reader = sqlite3.connect(lib_dir / "catalog.sqlite", timeout=30)
    while reader.execute("SELECT count(*) FROM assets").fetchone()[0] == 0:
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.01)
    reader.close()
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    with check_library(lib_dir, set()) as lib:
        assert 0 < lib.assets.count() < 200
        lib.add_paths([content])
        assert lib.assets.count() == 200 and lib.index.ids() == set(lib.assets.ids())


EDIT_LOOP = """
import sys
from library import Library

if __name__ == "__main__":
    with Library(sys.argv[1], workers=1) as lib:
        asset_id = lib.assets.ids()[0]
        for n in range(100_000):
            lib.update_assets([asset_id], title=f"Revision {n} heading")
            print(n, flush=True)  # only after the edit is committed and indexed
"""


def test_kill_the_app_mid_metadata_edits(tmp_path) -> None:
    content, lib_dir = tmp_path / "content", tmp_path / "lib"
    make_files(content, 3)
    with Library(lib_dir, workers=1) as lib:
        lib.add_paths([content])
    script = tmp_path / "edits.py"
    script.write_text(EDIT_LOOP, encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script), str(lib_dir)], stdout=subprocess.PIPE, text=True, env=env()
    )
    last = -1
    for line in process.stdout:
        last = int(line)
        if last >= 40:
            break
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    process.stdout.close()
    with check_library(lib_dir, set()) as lib:
        asset = lib.assets.get(lib.assets.ids()[0])
        edited = int(asset.title.split()[1])
        assert edited >= last  # every edit reported as done is there
        hits = lib.search(SearchQuery(text="revision heading", include_hidden=True)).hits
        assert [(h.id, h.title) for h in hits] == [(asset.id, asset.title)]


def test_kill_the_app_mid_reindex(tmp_path, killer) -> None:
    content, lib_dir = tmp_path / "content", tmp_path / "lib"
    make_files(content, 120)
    with Library(lib_dir, workers=1) as lib:
        lib.add_paths([content])
    run = subprocess.run(
        [
            sys.executable,
            str(killer),
            "in-index-write",
            "60",
            "500",
            "--library",
            str(lib_dir),
            "reindex",
        ],
        capture_output=True,
        text=True,
        env=env(),
        timeout=120,
    )
    assert run.returncode == -signal.SIGKILL, run.stderr
    with Library(lib_dir) as lib:
        assert not lib.index_in_step()  # a rebuild cut short never passes for a whole one
        assert lib.index.generation == -1
    with check_library(lib_dir, set()) as lib:
        assert lib.assets.count() == 120 and search_ids(lib, "mark119")


def child_pids() -> set[int]:
    """This process's children, read from /proc (no psutil)."""
    children = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == os.getpid():
                children.add(int(entry.name))
    return children


def test_a_killed_worker_fails_only_its_file(tmp_path, monkeypatch) -> None:
    content = tmp_path / "content"
    make_files(content, 12)
    (content / "stall-deck.txt").write_text("A file whose reader is killed.\n", encoding="utf-8")
    monkeypatch.setattr(
        ingest, "ExtractionPool", functools.partial(ExtractionPool, target=stall_on_marked)
    )
    pid_file = content / "stall-deck.pid"

    def kill_the_worker() -> None:
        deadline = time.monotonic() + 60
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < deadline
            time.sleep(0.02)
        pid = int(pid_file.read_text())
        assert pid in child_pids()  # a worker process of this app, not some stranger
        os.kill(pid, signal.SIGKILL)

    killer_thread = threading.Thread(target=kill_the_worker)
    killer_thread.start()
    with Library(tmp_path / "lib", workers=1, timeout=90) as lib:
        report = lib.add_paths([content])
        killer_thread.join()
        assert [(Path(f.path).name, f.reason) for f in report.failed] == [
            ("stall-deck.txt", "corrupt")
        ]
        assert (
            report.failed[0].message
            == "The file made the reader stop unexpectedly; it may be damaged."
        )
        assert len(report.added) == 12 and lib.index.ids() == set(lib.assets.ids(state="ok"))


def test_an_index_left_behind_is_never_stamped_in_step(tmp_path) -> None:
    content, lib_dir = tmp_path / "content", tmp_path / "lib"
    make_files(content, 3)
    with Library(lib_dir, workers=1) as lib:
        lib.add_paths([content])
        first = lib.assets.ids()[0]
        lib.assets._update([first], title="Retitled before the crash")  # committed, not synced
    (content / "later.txt").write_text("A later note about cages.\n", encoding="utf-8")
    with Library(lib_dir, workers=1) as lib:
        lib.add_paths([content / "later.txt"])  # syncs its own change, and must not claim more
        assert not lib.index_in_step()
        assert lib.ensure_index()
        assert search_ids(lib, "retitled") == {first}
        assert lib.index_in_step()
