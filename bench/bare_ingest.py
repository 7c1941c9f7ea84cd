"""The bare anchors the ingestion benchmark compares Pitchpack with, each run as a process.

``python -m bench.bare_ingest add FOLDER``: read every Markdown file below FOLDER, hash it
(SHA-256) and insert it into a new SQLite FTS5 table, in one transaction.
``python -m bench.bare_ingest stat FOLDER``: stat every file below FOLDER.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import tempfile
from pathlib import Path


def files_below(folder: Path) -> list[str]:
    return [
        os.path.join(root, name)
        for root, _, names in os.walk(folder)
        for name in names
        if name.endswith(".md")
    ]


def bare_add(folder: Path) -> int:
    files = files_below(folder)
    with tempfile.TemporaryDirectory() as scratch:
        db = sqlite3.connect(Path(scratch, "bare.sqlite"))
        db.execute("CREATE TABLE files (path TEXT PRIMARY KEY, hash TEXT)")
        db.execute("CREATE VIRTUAL TABLE text USING fts5(path, body)")
        with db:
            for path in files:
                data = Path(path).read_bytes()
                db.execute(
                    "INSERT INTO files VALUES (?, ?)", (path, hashlib.sha256(data).hexdigest())
                )
                db.execute("INSERT INTO text VALUES (?, ?)", (path, data.decode("utf-8")))
        db.close()
    return len(files)


def bare_stat(folder: Path) -> int:
    files = files_below(folder)
    for path in files:
        os.stat(path)
    return len(files)


if __name__ == "__main__":
    kind, folder = sys.argv[1], Path(sys.argv[2])
    print({"add": bare_add, "stat": bare_stat}[kind](folder))
