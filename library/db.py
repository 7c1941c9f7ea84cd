"""Opening the catalog database: pragmas, migrations and the change generation."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from library.schema import migrations


class _WritingDatabase(Database):
    """A ``Database`` whose outermost ``atomic()`` takes the write lock at once.

    A deferred transaction that reads before it writes cannot wait for another
    process's write: in WAL mode SQLite fails it at once with "database is locked", so two
    instances on one library broke each other's imports. ``BEGIN IMMEDIATE`` waits (up to
    the busy timeout) for the lock instead. Nested blocks stay savepoints.
    """

    @contextmanager
    def atomic(self):
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise


def _connect(path: Path) -> Database:
    conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
    db = _WritingDatabase(conn)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


class CatalogDatabase:
    """The catalog as a sqlite-utils ``Database``, with one connection per thread.

    Threads never share a connection, so one thread's open transaction is never seen or
    joined by another (WAL lets readers run beside the single writer SQLite allows).
    Attribute access goes to the calling thread's ``Database``.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[Database] = []
        self._lock = threading.Lock()

    def _db(self) -> Database:
        db = getattr(self._local, "db", None)
        if db is None:
            db = _connect(self.path)
            self._local.db = db
            with self._lock:
                self._all.append(db)
        return db

    def __getattr__(self, name: str):
        return getattr(self._db(), name)

    def __getitem__(self, name: str):
        return self._db()[name]

    def close(self) -> None:
        with self._lock:
            for db in self._all:
                db.close()
            self._all.clear()
        self._local = threading.local()


def open_catalog(path: Path) -> CatalogDatabase:
    """Open (creating if needed) and migrate the catalog at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog = CatalogDatabase(path)
    catalog.enable_wal()
    db = catalog._db()
    if migrations.pending(db):
        # Under the write lock: a second instance opening a new library at the same moment
        # waits, then finds the migrations applied instead of creating the tables again.
        with db.atomic():
            migrations.apply(db)
    return catalog


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

    The generation is bumped, and the changed ids queued for the index, inside the
    transaction, so the catalog and what the index still owes can never disagree after
    a crash.
    """
    changed: list[int] = []
    with db.atomic():
        yield changed
        gen = bump_generation(db)
        db.conn.executemany(
            "INSERT OR REPLACE INTO index_pending (asset_id, generation) VALUES (?, ?)",
            [(asset_id, gen) for asset_id in set(changed)],
        )
