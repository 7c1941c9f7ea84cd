"""Writing the index: documents in and out in one transaction each, with the word list.

Every write bumps ``write_count``, which tells readers in this and other processes that
their snapshot and cached matches are out of date.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable

import numpy as np

from search.database import FTS_NAMES, FTS_TABLES, PAGE_SPAN, IndexDatabase, body, transaction
from search.types import FACETS, IndexRecord
from search.vocabulary import count_words

OPTIMIZE_EVERY = 2_000  # changed documents between merges of the index's segments
LOG_WRITES = 200  # writes whose changed ids are kept for readers to catch up
LOG_LIMIT = 20_000  # more ids and words than this in one write make readers start over


class IndexWriter:
    """All writes to one index file, serialised by the database's write lock."""

    def __init__(self, database: IndexDatabase) -> None:
        self.database = database

    def upsert(self, records: Iterable[IndexRecord], *, generation: int | None = None) -> int:
        records = list(records)
        with self.database.write_lock, transaction(self.database.conn()) as db:
            removed = self._remove(db, [r.id for r in records])
            added: Counter[str] = count_words([_texts(r) for r in records])
            for record in records:
                self._insert(db, record)
            terms = self._update_vocab(db, added, removed)
            self._finish_write(db, [r.id for r in records], generation, terms=terms)
        return len(records)

    def delete(self, ids: Iterable[int], *, generation: int | None = None) -> None:
        ids = list(ids)
        with self.database.write_lock, transaction(self.database.conn()) as db:
            removed = self._remove(db, ids)
            terms = self._update_vocab(db, Counter(), removed)
            self._finish_write(db, ids, generation, terms=terms)

    def set_usage(self, usage: dict[int, int], *, generation: int | None = None) -> None:
        with self.database.write_lock, transaction(self.database.conn()) as db:
            db.executemany(
                "UPDATE docs SET usage = ? WHERE id = ?", [(u, i) for i, u in usage.items()]
            )
            self._finish_write(db, list(usage), generation, reindexed=0)

    def clear(self, *, generation: int | None = None) -> None:
        with self.database.write_lock, transaction(self.database.conn()) as db:
            for table in ("docs", "vocab", "facet_values"):
                db.execute(f"DELETE FROM {table}")
            for table in FTS_NAMES:
                db.execute(f"DROP TABLE {table}")
            for statement in FTS_TABLES:
                db.execute(statement)
            self._finish_write(db, None, generation, terms=None)

    def optimize(self) -> None:
        with self.database.write_lock:
            db = self.database.conn()
            for table in FTS_NAMES:
                db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
            db.execute("INSERT OR REPLACE INTO info VALUES ('changes_since_optimize', '0')")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def set_generation(self, generation: int) -> None:
        with self.database.write_lock, transaction(self.database.conn()) as db:
            db.execute("INSERT OR REPLACE INTO info VALUES ('generation', ?)", (str(generation),))
            self._finish_write(db, [], None)

    def needs_optimize(self) -> bool:
        pending = self.database.info(self.database.conn(), "changes_since_optimize")
        return int(pending or 0) >= OPTIMIZE_EVERY

    def _insert(self, db: sqlite3.Connection, r: IndexRecord) -> None:
        facets = {facet: r.facet_values(facet) for facet in FACETS}
        terms = _terms_text(facets)
        pairs = [(facet, value) for facet, values in facets.items() for value in values]
        db.executemany("INSERT OR IGNORE INTO facet_values (facet, value) VALUES (?, ?)", pairs)
        value_ids = [
            db.execute(
                "SELECT id FROM facet_values WHERE facet = ? AND value = ?", pair
            ).fetchone()[0]
            for pair in pairs
        ]
        db.execute(
            "INSERT INTO docs VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                r.id,
                r.title,
                r.path,
                r.type,
                r.status,
                int(r.paged),
                r.updated,
                r.expires,
                r.usage,
                json.dumps(facets),
                r.summary,
                terms,
                np.array(value_ids, dtype=np.int32).tobytes(),
            ),
        )
        db.execute(
            "INSERT INTO docs_fts(rowid, title, summary, body, terms) VALUES (?,?,?,?,?)",
            (r.id, r.title, r.summary, body(r.pages), terms),
        )
        db.execute(
            "INSERT INTO fields_fts(rowid, title, summary, terms) VALUES (?,?,?,?)",
            (r.id, r.title, r.summary, terms),
        )
        db.executemany(
            "INSERT INTO pages(rowid, text) VALUES (?, ?)",
            [(r.id * PAGE_SPAN + n, text) for n, text in enumerate(r.pages[: PAGE_SPAN - 1], 1)],
        )

    def _remove(self, db: sqlite3.Connection, ids: list[int]) -> Counter[str]:
        """Delete documents; returns the document frequencies they took away."""
        removed: Counter[str] = Counter()
        for doc_id in ids:
            row = db.execute(
                "SELECT title, summary, terms FROM docs WHERE id = ?", (doc_id,)
            ).fetchone()
            if row is None:
                continue
            pages = [
                t
                for (t,) in db.execute(
                    "SELECT text FROM pages WHERE rowid BETWEEN ? AND ? ORDER BY rowid",
                    (doc_id * PAGE_SPAN, doc_id * PAGE_SPAN + PAGE_SPAN - 1),
                )
            ]
            # A contentless FTS5 table forgets text: deleting needs the exact values inserted.
            db.execute(
                "INSERT INTO docs_fts(docs_fts, rowid, title, summary, body, terms) "
                "VALUES ('delete', ?, ?, ?, ?, ?)",
                (doc_id, row[0], row[1], body(pages), row[2]),
            )
            db.execute(
                "INSERT INTO fields_fts(fields_fts, rowid, title, summary, terms) "
                "VALUES ('delete', ?, ?, ?, ?)",
                (doc_id, row[0], row[1], row[2]),
            )
            db.execute(
                "DELETE FROM pages WHERE rowid BETWEEN ? AND ?",
                (doc_id * PAGE_SPAN, doc_id * PAGE_SPAN + PAGE_SPAN - 1),
            )
            db.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
            removed.update(count_words([[row[0], row[1], row[2], *pages]]))
        return removed

    @staticmethod
    def _update_vocab(db: sqlite3.Connection, added: Counter, removed: Counter) -> list[str]:
        """Apply document frequency changes; returns the words whose frequency changed."""
        delta = Counter(added)
        delta.subtract(removed)
        changed = [(term, n) for term, n in delta.items() if n]
        db.executemany(
            "INSERT INTO vocab VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            changed,
        )
        if removed:
            db.execute("DELETE FROM vocab WHERE df <= 0")
        return [term for term, _n in changed]

    def _finish_write(
        self,
        db: sqlite3.Connection,
        changed: list[int] | None,
        generation: int | None,
        *,
        terms: list[str] | None = (),
        reindexed: int | None = None,
    ) -> None:
        """Bump the write count and log the ids written (None: every document).

        :param terms: words whose document frequency changed (None: any word may have);
            any value but ``()`` means text changed, which stales cached matches.
        :param reindexed: documents whose text was written (default: all ``changed``), which
            counts towards the next ``optimize``.
        """
        info = self.database.info
        writes = self.database.write_count(db) + 1
        if reindexed is None:
            reindexed = len(changed or [])
        pending = int(info(db, "changes_since_optimize") or 0) + reindexed
        since = info(db, "changes_since")
        since = writes - 1 if since is None else int(since)
        if changed is None or terms is None or len(changed) + len(terms) > LOG_LIMIT:
            since = writes  # readers older than this write take a whole new snapshot
        else:
            db.executemany(
                "INSERT OR IGNORE INTO changes VALUES (?, ?)", [(writes, i) for i in changed]
            )
            db.executemany(
                "INSERT OR IGNORE INTO term_changes VALUES (?, ?)", [(writes, t) for t in terms]
            )
            since = max(since, writes - LOG_WRITES)
        for table in ("changes", "term_changes"):
            db.execute(f"DELETE FROM {table} WHERE write <= ?", (since,))
        state = [
            ("write_count", str(writes)),
            ("changes_since_optimize", str(pending)),
            ("changes_since", str(since)),
        ]
        if terms != ():
            state.append(("text_write", str(writes)))
        db.executemany("INSERT OR REPLACE INTO info VALUES (?, ?)", state)
        if generation is not None:
            # -1 marks a rebuild under way, perhaps in another process: only its end
            # (`set_generation`) may say the index is in step again.
            db.execute(
                "INSERT INTO info VALUES ('generation', ?) ON CONFLICT(key) DO UPDATE "
                "SET value = excluded.value WHERE info.value != '-1'",
                (str(generation),),
            )


def _texts(r: IndexRecord) -> list[str]:
    facets = {facet: r.facet_values(facet) for facet in FACETS}
    return [r.title, r.summary, _terms_text(facets), *r.pages]


def _terms_text(facets: dict[str, list[str]]) -> str:
    return " ; ".join(
        v
        for facet in ("stage", "persona", "industry", "product", "tag", "type")
        for v in facets.get(facet, [])
    )
