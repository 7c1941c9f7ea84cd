"""Property: after any sequence of adds, edits, moves and deletes, each followed by a rescan,
the catalog says exactly what the folder holds."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import library.ingest as ingest
from library import Library
from library.errors import ExtractionError
from library.extract import extract_file

NAMES = ("a.txt", "b.txt", "c.md", "sub/d.txt", "sub/e.md")
WORDS = ("alpha", "gamma", "delta", "kappa", "", " ")  # same-length words: same-size edits

contents = st.lists(st.sampled_from(WORDS), max_size=3).map(" ".join)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.sampled_from(NAMES), contents),  # add or modify
        st.tuples(st.just("move"), st.sampled_from(NAMES), st.sampled_from(NAMES)),
        st.tuples(st.just("delete"), st.sampled_from(NAMES), st.none()),
    ),
    min_size=1,
    max_size=8,
)


class InlinePool:
    """Extracts in this process: the property is about bookkeeping, not about readers."""

    def __init__(self, *, max_chars: int, **_options) -> None:
        self.max_chars = max_chars

    def __enter__(self) -> InlinePool:
        return self

    def __exit__(self, *exc) -> None:
        pass

    def map(self, paths):
        for path in paths:
            try:
                yield path, extract_file(path, max_chars=self.max_chars)
            except ExtractionError as exc:
                yield path, exc


def apply(folder: Path, operation: tuple) -> None:
    kind, name, arg = operation
    path = folder / name
    path.parent.mkdir(exist_ok=True)
    if kind == "write":
        path.write_text(arg, encoding="utf-8")
    elif kind == "move" and path.exists():
        (folder / arg).parent.mkdir(exist_ok=True)
        os.replace(path, folder / arg)
    elif kind == "delete":
        path.unlink(missing_ok=True)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def check_catalog_equals_folder(lib: Library, folder: Path) -> None:
    files = {str(p): sha(p) for p in folder.rglob("*") if p.is_file()}
    assets = {
        path: (asset_id, digest, state)
        for asset_id, path, digest, state in lib.db.execute(
            "SELECT id, path, content_hash, file_state FROM assets"
        )
    }
    by_id = {v[0]: (k, v[1], v[2]) for k, v in assets.items()}
    duplicates = dict(
        lib.db.execute("SELECT path, asset_id FROM duplicates WHERE kind = 'exact'").fetchall()
    )
    for path, digest in files.items():
        if path in assets:
            _, stored, state = assets[path]
            if Path(path).read_text(encoding="utf-8").strip():
                assert (state, stored) == ("ok", digest), path
            else:
                assert state == "failed", path  # a file without text is kept, with its reason
        else:
            # Not an asset of its own: an exact copy of one that is there, with these bytes.
            original, stored, state = by_id[duplicates[path]]
            assert (state, stored) == ("ok", digest) and files.get(original) == digest, path
    for path, (_, _, state) in assets.items():
        assert (path in files) == (state != "missing"), path
    for path in duplicates:  # no note about a copy that is gone, or that is an asset now
        assert path in files and path not in assets, path
    assert lib.index.ids() == set(lib.assets.ids(state="ok"))
    assert lib.index_in_step()


@settings(max_examples=60, deadline=None, database=None)
@given(operations)
def test_rescan_leaves_the_catalog_equal_to_the_folder(steps) -> None:
    with tempfile.TemporaryDirectory() as scratch, pytest.MonkeyPatch.context() as patch:
        patch.setattr(ingest, "ExtractionPool", InlinePool)
        folder = Path(scratch, "content")
        folder.mkdir()
        with Library(Path(scratch, "lib"), workers=1) as lib:
            lib.add_paths([folder])
            for step in steps:
                apply(folder, step)
                lib.rescan()
                check_catalog_equals_folder(lib, folder)


def test_an_edit_within_one_timestamp_tick_is_still_seen(tmp_path, monkeypatch) -> None:
    # On file systems with coarse timestamps (FAT: 2 s, many shares: 1 s) a quick edit that
    # keeps the size leaves size and time as they were; the scan must compare hashes then.
    monkeypatch.setattr(ingest, "ExtractionPool", InlinePool)
    note = tmp_path / "content" / "note.txt"
    note.parent.mkdir()
    note.write_text("alpha", encoding="utf-8")
    stamp = note.stat().st_mtime_ns
    with Library(tmp_path / "lib", workers=1) as lib:
        lib.add_paths([note.parent])
        note.write_text("gamma", encoding="utf-8")
        os.utime(note, ns=(stamp, stamp))  # the tick had not moved on
        assert len(lib.rescan().updated) == 1
        check_catalog_equals_folder(lib, note.parent)
        assert len(lib.rescan().updated) == 0  # and a file left alone is not read again
