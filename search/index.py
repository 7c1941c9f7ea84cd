"""``SearchIndex``: the full-text index, an SQLite FTS5 file of its own, rebuilt from the
catalog at will. Writing is ``search.writer``, querying ``search.searcher``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

from search.database import SCHEMA_VERSION, IndexCorrupt, IndexDatabase
from search.searcher import Searcher
from search.types import IndexRecord, SearchQuery, SearchResult
from search.vectors import VectorTable
from search.writer import IndexWriter

__all__ = ["SCHEMA_VERSION", "IndexCorrupt", "SearchIndex"]


class SearchIndex:
    """Thread-safe: each thread reads through its own connection; writes are serialised.

    :raises IndexCorrupt: on opening a file of another schema version, or a damaged one.
    """

    def __init__(self, path: Path) -> None:
        self._database = IndexDatabase(path)
        self.path = self._database.path
        self._writer = IndexWriter(self._database)
        self._searcher = Searcher(self._database)

    def close(self) -> None:
        self._database.close()

    def set_vectors(self, table: VectorTable) -> None:
        """Use these document vectors for semantic ranking (held in memory, never written)."""
        self._searcher.set_vectors(table)

    @property
    def generation(self) -> int:
        """The catalog generation the index was last brought in step with (-1: never)."""
        return int(self._database.info(self._database.conn(), "generation") or -1)

    def count(self) -> int:
        return self._database.conn().execute("SELECT count(*) FROM docs").fetchone()[0]

    def ids(self) -> set[int]:
        return {r[0] for r in self._database.conn().execute("SELECT id FROM docs")}

    def check(self) -> bool:
        """Run FTS5's own integrity check; False when the index needs rebuilding."""
        db = self._database.conn()
        try:
            db.execute("INSERT INTO pages(pages) VALUES ('integrity-check')")
            db.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError:
            return False
        return True

    # -- writing -------------------------------------------------------------------------

    def upsert(self, records: Iterable[IndexRecord], *, generation: int | None = None) -> int:
        """Add or replace documents in one transaction; returns how many were written."""
        return self._writer.upsert(records, generation=generation)

    def delete(self, ids: Iterable[int], *, generation: int | None = None) -> None:
        self._writer.delete(ids, generation=generation)

    def set_usage(self, usage: dict[int, int], *, generation: int | None = None) -> None:
        """Update usage counts, which feed the "most used" sort, without re-indexing text."""
        self._writer.set_usage(usage, generation=generation)

    def clear(self, *, generation: int | None = None) -> None:
        """Empty the index in place, in one transaction.

        The file itself stays: another process may have it open, and deleting an open
        SQLite file would leave that process writing to a file nobody reads. The FTS
        tables are dropped and made again, which is far quicker than deleting their rows.
        """
        self._writer.clear(generation=generation)
        self._searcher.forget()

    def optimize(self) -> None:
        """Merge the index's segments into one; run after a rebuild or many updates."""
        self._writer.optimize()

    def set_generation(self, generation: int) -> None:
        """Say the index is in step with this catalog generation, as a finished rebuild does."""
        self._writer.set_generation(generation)

    def needs_optimize(self) -> bool:
        return self._writer.needs_optimize()

    # -- reading -------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        """Run a query: matching, filters, facet counts, sorting, then snippets for one page."""
        return self._searcher.search(query)
