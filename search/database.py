"""The index's SQLite file: its schema, one connection per thread, and small shared helpers.

Documents are matched in ``docs_fts`` (contentless: title, summary, body, taxonomy terms),
and again by their short fields alone in ``fields_fts`` (title, summary, terms), whose
small doclists make a word's matches in those fields cheap to count and rank;
page texts live in ``pages`` (rowid = document id * PAGE_SPAN + page number) and give the
best page and the snippets, built only for the hits on screen.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import numpy as np

SCHEMA_VERSION = "4"
PAGE_SPAN = 100_000
_TOKENIZER = "unicode61 remove_diacritics 2"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY, title TEXT, path TEXT, type TEXT, status TEXT, paged INTEGER,
    updated TEXT, expires TEXT, usage INTEGER, facets TEXT, summary TEXT, terms TEXT,
    facet_ids BLOB  -- the document's facet_values ids as int32, read in bulk by snapshots
);
CREATE TABLE IF NOT EXISTS vocab (term TEXT PRIMARY KEY, df INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS facet_values (
    id INTEGER PRIMARY KEY, facet TEXT NOT NULL, value TEXT NOT NULL, UNIQUE (facet, value)
);
"""
# The documents and words each write touched, so that readers update their snapshot from
# those alone; ``info.changes_since`` is the write after which the log is complete.
_CHANGES = """
CREATE TABLE IF NOT EXISTS changes (
    write INTEGER NOT NULL, id INTEGER NOT NULL, PRIMARY KEY (write, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS term_changes (
    write INTEGER NOT NULL, term TEXT NOT NULL, PRIMARY KEY (write, term)
) WITHOUT ROWID;
"""
_SCHEMA += _CHANGES
FTS_TABLES = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5("
    f"title, summary, body, terms, content='', tokenize='{_TOKENIZER}')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS pages USING fts5(text, tokenize='{_TOKENIZER}')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS fields_fts USING fts5("
    f"title, summary, terms, content='', tokenize='{_TOKENIZER}')",
)
FTS_NAMES = ("docs_fts", "pages", "fields_fts")
_SCHEMA += "".join(f"{statement};\n" for statement in FTS_TABLES)


class IndexCorrupt(Exception):
    """The index file is missing parts, of another version, or damaged: rebuild it."""


class IndexDatabase:
    """The index file, read and written through one connection per thread.

    Opening creates the schema in a new file; raises ``IndexCorrupt`` when the file is of
    another schema version or damaged.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.write_lock = threading.Lock()
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        try:
            db = self.conn()
            version = self.info(db, "schema_version")
            if version is None:
                with self.write_lock:
                    db.executescript(_SCHEMA)
                    db.execute(
                        "INSERT OR REPLACE INTO info VALUES ('schema_version', ?)",
                        (SCHEMA_VERSION,),
                    )
            elif version != SCHEMA_VERSION:
                raise IndexCorrupt(f"index schema {version}, expected {SCHEMA_VERSION}")
            if not db.execute(
                "SELECT 1 FROM sqlite_master WHERE name = 'term_changes'"
            ).fetchone():  # an index made before snapshots were updated in place
                with self.write_lock:
                    db.executescript(_CHANGES)
                    db.execute(
                        "INSERT OR REPLACE INTO info SELECT 'changes_since', "
                        "coalesce((SELECT value FROM info WHERE key = 'write_count'), '0')"
                    )
            db.execute("SELECT count(*) FROM docs_fts WHERE docs_fts MATCH 'pitchpack'").fetchone()
            db.execute("SELECT count(*) FROM pages WHERE rowid < 0").fetchone()
            db.execute(
                "SELECT count(*) FROM fields_fts WHERE fields_fts MATCH 'pitchpack'"
            ).fetchone()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise IndexCorrupt(str(exc)) from exc

    def conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=30
            )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
            self._connections.append(db)
        return db

    def close(self) -> None:
        for db in self._connections:
            db.close()
        self._connections.clear()
        self._local = threading.local()

    @staticmethod
    def info(db: sqlite3.Connection, key: str) -> str | None:
        try:
            row = db.execute("SELECT value FROM info WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:
            return None
        return row[0] if row else None

    def write_count(self, db: sqlite3.Connection | None = None) -> int:
        """Bumped by every write: the state a snapshot belongs to."""
        return int(self.info(db or self.conn(), "write_count") or 0)

    def text_write(self, db: sqlite3.Connection) -> int:
        """The last write that changed any text (upsert, delete, clear): cached matches and
        scores belong to it."""
        return int(self.info(db, "text_write") or 0)


class transaction:
    """``with transaction(db) as db:`` an immediate (write) transaction, rolled back on error."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


def fts(db: sqlite3.Connection, sql: str, *params) -> list[tuple]:
    """Run an FTS5 query; an expression FTS5 cannot take matches nothing rather than failing."""
    try:
        return db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "syntax" in str(exc):
            return []
        raise


def match_ids(db: sqlite3.Connection, expression: str, table: str = "docs_fts") -> np.ndarray:
    """The ids of the documents matching an FTS5 expression, ascending; read as one string,
    which costs half what rows do."""
    rows = fts(
        db, f"SELECT group_concat(rowid, ' ') FROM {table} WHERE {table} MATCH ?", expression
    )
    text = rows[0][0] if rows else None
    return np.array(text.split(), dtype=np.int64) if text else np.zeros(0, dtype=np.int64)


def body(pages: list[str]) -> str:
    """A document's pages as the one ``body`` column of ``docs_fts``."""
    return "\n".join(pages)
