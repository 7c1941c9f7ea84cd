"""Opening the catalog database: pragmas, migrations and the change generation."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from library.schema import migrations


def open_catalog(path: Path) -> Database:
    """Open (creating if needed) and migrate the catalog at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
    db = Database(conn)
    db.enable_wal()
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    migrations.apply(db)
    return db


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def generation(db: Database) -> int:
    return int(db.execute("SELECT value FROM info WHERE key = 'generation'").fetchone()[0])


def bump_generation(db: Database) -> int:
    """Count one more change that the search index must follow; call inside the change's transaction."""
    db.execute("UPDATE info SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    return generation(db)


@contextmanager
def changing(db: Database):
    """One transaction that changes what the index shows; yields a list to fill with asset ids.

    The generation is bumped inside the transaction, so the catalog and its count of
    changes can never disagree after a crash.
    """
    changed: list[int] = []
    with db.atomic():
        yield changed
        bump_generation(db)
