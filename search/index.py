"""The full-text index: an SQLite FTS5 database of its own, rebuilt from the catalog at will.

Documents are matched in ``docs_fts`` (contentless: title, summary, body, taxonomy terms);
page texts live in ``pages`` (rowid = document id * PAGE_SPAN + page number) and give the
best page and the snippets, built only for the hits on screen.
"""

from __future__ import annotations

import html
import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterable
from datetime import date
from itertools import chain
from pathlib import Path

import numpy as np

from search.hybrid import HybridSearch, wants_related
from search.query import Compiler, parse
from search.snapshot import Snapshot
from search.types import FACETS, IndexRecord, SearchHit, SearchQuery, SearchResult
from search.vocabulary import Vocabulary, count_words

SCHEMA_VERSION = "3"
PAGE_SPAN = 100_000
FUZZY_BELOW = 3  # exact matches below this many bring in typo- and substring-tolerant ones
OPTIMIZE_EVERY = 2_000
MATCH_CACHE = 16  # recent match results kept, per index state
PAGES_PER_HIT = 40  # matching pages looked at to pick a hit's best page  # changed documents between merges of the index's segments
_TOKENIZER = "unicode61 remove_diacritics 2"
_WEIGHTS = "10.0, 4.0, 1.0, 3.0"  # bm25 weights of title, summary, body, terms
_HIT, _END = "\x02", "\x03"

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
_FTS_TABLES = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS docs_fts USING fts5("
    f"title, summary, body, terms, content='', tokenize='{_TOKENIZER}')",
    f"CREATE VIRTUAL TABLE IF NOT EXISTS pages USING fts5(text, tokenize='{_TOKENIZER}')",
)
_SCHEMA += "".join(f"{statement};\n" for statement in _FTS_TABLES)


class IndexCorrupt(Exception):
    """The index file is missing parts, of another version, or damaged: rebuild it."""


class SearchIndex(HybridSearch):
    """Thread-safe: each thread reads through its own connection; writes are serialised."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._snapshot: Snapshot | None = None
        self._snapshot_lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._match_cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._init_vectors()
        try:
            db = self._db()
            version = self._info(db, "schema_version")
            if version is None:
                with self._write_lock:
                    db.executescript(_SCHEMA)
                    db.execute(
                        "INSERT OR REPLACE INTO info VALUES ('schema_version', ?)",
                        (SCHEMA_VERSION,),
                    )
            elif version != SCHEMA_VERSION:
                raise IndexCorrupt(f"index schema {version}, expected {SCHEMA_VERSION}")
            db.execute("SELECT count(*) FROM docs_fts WHERE docs_fts MATCH 'pitchpack'").fetchone()
            db.execute("SELECT count(*) FROM pages WHERE rowid < 0").fetchone()
        except sqlite3.DatabaseError as exc:
            self.close()
            raise IndexCorrupt(str(exc)) from exc

    # -- connections -------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
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
    def _info(db: sqlite3.Connection, key: str) -> str | None:
        try:
            row = db.execute("SELECT value FROM info WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError:
            return None
        return row[0] if row else None

    @property
    def generation(self) -> int:
        """The catalog generation the index was last brought in step with (-1: never)."""
        return int(self._info(self._db(), "generation") or -1)

    def count(self) -> int:
        return self._db().execute("SELECT count(*) FROM docs").fetchone()[0]

    def ids(self) -> set[int]:
        return {r[0] for r in self._db().execute("SELECT id FROM docs")}

    def check(self) -> bool:
        """Run FTS5's own integrity check; False when the index needs rebuilding."""
        db = self._db()
        try:
            db.execute("INSERT INTO pages(pages) VALUES ('integrity-check')")
            db.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError:
            return False
        return True

    # -- writing -------------------------------------------------------------------------

    def upsert(self, records: Iterable[IndexRecord], *, generation: int | None = None) -> int:
        """Add or replace documents in one transaction; returns how many were written."""
        records = list(records)
        with self._write_lock, _transaction(self._db()) as db:
            removed = self._remove(db, [r.id for r in records])
            added: Counter[str] = count_words([_texts(r) for r in records])
            for record in records:
                self._insert(db, record)
            self._update_vocab(db, added, removed)
            self._finish_write(db, len(records), generation)
        return len(records)

    def delete(self, ids: Iterable[int], *, generation: int | None = None) -> None:
        ids = list(ids)
        with self._write_lock, _transaction(self._db()) as db:
            removed = self._remove(db, ids)
            self._update_vocab(db, Counter(), removed)
            self._finish_write(db, len(ids), generation)

    def set_usage(self, usage: dict[int, int], *, generation: int | None = None) -> None:
        """Update usage counts, which feed the "most used" sort, without re-indexing text."""
        with self._write_lock, _transaction(self._db()) as db:
            db.executemany(
                "UPDATE docs SET usage = ? WHERE id = ?", [(u, i) for i, u in usage.items()]
            )
            self._finish_write(db, 0, generation)

    def clear(self, *, generation: int | None = None) -> None:
        """Empty the index in place, in one transaction.

        The file itself stays: another process may have it open, and deleting an open
        SQLite file would leave that process writing to a file nobody reads. The FTS
        tables are dropped and made again, which is far quicker than deleting their rows.
        """
        with self._write_lock, _transaction(self._db()) as db:
            for table in ("docs", "vocab", "facet_values"):
                db.execute(f"DELETE FROM {table}")
            for table in ("docs_fts", "pages"):
                db.execute(f"DROP TABLE {table}")
            for statement in _FTS_TABLES:
                db.execute(statement)
            self._match_cache.clear()
            self._finish_write(db, 0, generation)

    def optimize(self) -> None:
        """Merge the index's segments into one; run after a rebuild or many updates."""
        with self._write_lock:
            db = self._db()
            db.execute("INSERT INTO docs_fts(docs_fts) VALUES ('optimize')")
            db.execute("INSERT INTO pages(pages) VALUES ('optimize')")
            db.execute("INSERT OR REPLACE INTO info VALUES ('changes_since_optimize', '0')")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

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
            (r.id, r.title, r.summary, _body(r.pages), terms),
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
                (doc_id, row[0], row[1], _body(pages), row[2]),
            )
            db.execute(
                "DELETE FROM pages WHERE rowid BETWEEN ? AND ?",
                (doc_id * PAGE_SPAN, doc_id * PAGE_SPAN + PAGE_SPAN - 1),
            )
            db.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
            removed.update(count_words([[row[0], row[1], row[2], *pages]]))
        return removed

    @staticmethod
    def _update_vocab(db: sqlite3.Connection, added: Counter, removed: Counter) -> None:
        delta = Counter(added)
        delta.subtract(removed)
        db.executemany(
            "INSERT INTO vocab VALUES (?, ?) ON CONFLICT(term) DO UPDATE SET df = df + excluded.df",
            [(term, n) for term, n in delta.items() if n],
        )
        if removed:
            db.execute("DELETE FROM vocab WHERE df <= 0")

    def _finish_write(self, db: sqlite3.Connection, changed: int, generation: int | None) -> None:
        writes = int(self._info(db, "write_count") or 0) + 1
        pending = int(self._info(db, "changes_since_optimize") or 0) + changed
        db.executemany(
            "INSERT OR REPLACE INTO info VALUES (?, ?)",
            [("write_count", str(writes)), ("changes_since_optimize", str(pending))],
        )
        if generation is not None:
            # -1 marks a rebuild under way, perhaps in another process: only its end
            # (`set_generation`) may say the index is in step again.
            db.execute(
                "INSERT INTO info VALUES ('generation', ?) ON CONFLICT(key) DO UPDATE "
                "SET value = excluded.value WHERE info.value != '-1'",
                (str(generation),),
            )

    def set_generation(self, generation: int) -> None:
        """Say the index is in step with this catalog generation, as a finished rebuild does."""
        with self._write_lock, _transaction(self._db()) as db:
            db.execute("INSERT OR REPLACE INTO info VALUES ('generation', ?)", (str(generation),))
            self._finish_write(db, 0, None)

    def needs_optimize(self) -> bool:
        return int(self._info(self._db(), "changes_since_optimize") or 0) >= OPTIMIZE_EVERY

    # -- reading -------------------------------------------------------------------------

    def _current_snapshot(self) -> Snapshot:
        db = self._db()
        writes = int(self._info(db, "write_count") or 0)
        snap = self._snapshot
        if snap is not None and snap.write_count == writes:
            return snap
        with self._snapshot_lock:
            if self._snapshot is None or self._snapshot.write_count != writes:
                db.execute("BEGIN")
                try:
                    docs = db.execute(
                        "SELECT id, paged, coalesce(strftime('%s', updated), 0), expires, usage, "
                        "status = 'archived', facet_ids FROM docs ORDER BY id"
                    ).fetchall()
                    values = db.execute("SELECT id, facet, value FROM facet_values").fetchall()
                    writes = int(self._info(db, "write_count") or 0)
                finally:
                    db.execute("COMMIT")
                self._snapshot = Snapshot(docs, values, self._load_vocabulary, writes)
            return self._snapshot

    def _load_vocabulary(self) -> Vocabulary:
        return Vocabulary(dict(self._db().execute("SELECT term, df FROM vocab")))

    def search(self, query: SearchQuery) -> SearchResult:
        """Run a query: matching, filters, facet counts, sorting, then snippets for one page."""
        snap = self._current_snapshot()
        parsed = parse(query.text, as_you_type=query.as_you_type)
        filters = {f: list(v) for f, v in query.filters.items() if v}
        for facet, values in parsed.filters.items():
            filters.setdefault(facet, []).extend(values)
        today = query.today or date.today().isoformat()
        show_all = query.include_hidden or "status" in filters
        base = np.ones(len(snap), dtype=bool) if show_all else snap.visible(today)

        has_text = not parsed.is_empty or bool(parsed.negative)
        scores = np.zeros(len(snap))
        matched = np.ones(len(snap), dtype=bool)
        fuzzy = np.zeros(len(snap), dtype=bool)
        suggestion = None
        exact = 0
        compiler = loose_compiler = Compiler(snap.vocabulary)
        ranked = query.limit > 0 and query.sort in ("relevance", "used")
        if has_text:
            matched, scores = self._match(snap, parsed, compiler, ranked)
            filter_mask = base.copy()
            for facet, values in filters.items():
                filter_mask &= snap.filter_mask(facet, values)
            exact = int((matched & filter_mask).sum())
            words = parsed.words()
            if exact < FUZZY_BELOW and words and len(words) <= 3:
                loose_compiler = Compiler(snap.vocabulary, fuzzy=True)
                loose, loose_scores = self._match(snap, parsed, loose_compiler, ranked)
                fuzzy = loose & ~matched
                # Loose matches rank after every exact one, in their own order.
                floor = scores[matched].min() if matched.any() else 0.0
                scores = np.where(
                    fuzzy, floor - 1.0 + loose_scores / (1.0 + abs(loose_scores).max()), scores
                )
                matched = matched | fuzzy
            if exact == 0:
                suggestion = _suggest(query.text, snap.vocabulary)

        facet_masks = {f: snap.filter_mask(f, v) for f, v in filters.items()}
        related = np.zeros(len(snap), dtype=bool)
        if wants_related(query, has_text and not parsed.is_empty, exact, len(parsed.words())):
            if not has_text:  # "more like this": a vector and no words
                matched, fuzzy = np.zeros(len(snap), dtype=bool), np.zeros(len(snap), dtype=bool)
            matched, scores, related = self._blend(
                snap, query, parsed, compiler, matched, scores, fuzzy, base
            )
        selected = base & matched
        for mask in facet_masks.values():
            selected = selected & mask
        facets: dict[str, dict[str, int]] = {}
        for facet in FACETS:
            mask = base & matched
            for other, other_mask in facet_masks.items():
                if other != facet:  # a facet's own filter does not narrow its counts
                    mask = mask & other_mask
            facets[facet] = snap.counts(facet, mask)

        positions = np.flatnonzero(selected)
        order = _order(
            snap,
            positions,
            scores,
            query.sort
            if has_text or related.any()
            else ("newest" if query.sort == "relevance" else query.sort),
        )
        page = positions[order[query.offset : query.offset + query.limit]]
        exact_words = compiler.any_word(parsed) if has_text else None
        loose_words = loose_compiler.any_word(parsed) if fuzzy.any() else None
        hits = [
            self._hit(
                snap,
                int(p),
                float(scores[p]),
                loose_words if fuzzy[p] else exact_words,
                bool(fuzzy[p]),
                "related" if related[p] else "text",
            )
            for p in page
        ]
        hits = [hit for hit in hits if hit is not None]
        return SearchResult(
            query=query, total=int(len(positions)), hits=hits, facets=facets, suggestion=suggestion
        )

    def _match(
        self, snap: Snapshot, parsed, compiler: Compiler, ranked: bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """Matching documents as a mask over the snapshot, with bm25 scores when ``ranked``.

        Facet clicks, sorting and paging repeat the same text, so recent results are cached
        per index state; bm25 is skipped when nothing is ordered by it (it is most of the cost).
        """
        positive = None if parsed.is_empty else compiler.compile(parsed.positive)
        negative = [compiler.compile(node) for node in parsed.negative]
        key = (snap.write_count, positive, tuple(negative), ranked)
        cached = self._match_cache.get(key)
        if cached is not None:
            return cached
        db = self._db()
        n = len(snap)
        matched = np.zeros(n, dtype=bool)
        scores = np.zeros(n)
        if positive is None:
            matched[:] = True
        else:
            column = f"bm25(docs_fts, {_WEIGHTS})" if ranked else "0"
            sql = f"SELECT rowid, {column} FROM docs_fts WHERE docs_fts MATCH ?"
            rows = _fts(db, sql, positive)
            data = np.fromiter(chain.from_iterable(rows), np.float64, 2 * len(rows)).reshape(-1, 2)
            ids = data[:, 0].astype(np.int64)
            pos = np.searchsorted(snap.ids, ids).clip(0, max(n - 1, 0))
            keep = snap.ids[pos] == ids if n else np.zeros(len(ids), bool)
            matched[pos[keep]] = True
            scores[pos[keep]] = -data[keep, 1]  # bm25 is lower-is-better
        for expr in negative:
            rows = _fts(db, "SELECT rowid FROM docs_fts WHERE docs_fts MATCH ?", expr)
            matched[snap.positions(np.array([r[0] for r in rows], dtype=np.int64))] = False
        if len(self._match_cache) >= MATCH_CACHE:
            self._match_cache.pop(next(iter(self._match_cache)))
        self._match_cache[key] = (matched, scores)
        return matched, scores

    def _hit(
        self,
        snap: Snapshot,
        pos: int,
        score: float,
        any_word: str | None,
        fuzzy: bool,
        match: str = "text",
    ) -> SearchHit | None:
        doc_id = int(snap.ids[pos])
        page, snippet = None, ""
        if any_word:
            # Ranking pages with bm25 would recount every word over the whole index once per
            # hit; within one document, the page showing the most matches is as good a pick.
            rows = _fts(
                self._db(),
                f"SELECT rowid, snippet(pages, 0, '{_HIT}', '{_END}', '…', 24) FROM pages "
                "WHERE pages MATCH ? AND rowid BETWEEN ? AND ? LIMIT ?",
                any_word,
                doc_id * PAGE_SPAN,
                doc_id * PAGE_SPAN + PAGE_SPAN - 1,
                PAGES_PER_HIT,
            )
            if rows:
                rowid, best = max(rows, key=lambda r: (r[1].count(_HIT), -r[0]))
                page = rowid - doc_id * PAGE_SPAN if snap.paged[pos] else None
                snippet = _markup(best)
        row = self._db().execute(
            "SELECT title, path, type, status, expires, summary, facets FROM docs WHERE id = ?",
            (doc_id,),
        )
        row = row.fetchone()
        if row is None:  # deleted since the snapshot was taken
            return None
        title, path, type_, status, expires, summary, facets_json = row
        if not snippet:
            snippet = html.escape(_shorten(summary or ""), quote=False)
        facets = json.loads(facets_json)
        return SearchHit(
            id=doc_id,
            title=title,
            path=path,
            type=type_,
            status=status,
            stages=facets.get("stage", []),
            personas=facets.get("persona", []),
            page=page,
            snippet=snippet,
            score=round(score, 4),
            expires=expires,
            fuzzy=fuzzy,
            match=match,
        )


class _transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, exc, tb) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


def _fts(db: sqlite3.Connection, sql: str, *params) -> list[tuple]:
    try:
        return db.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if "fts5" in str(exc) or "syntax" in str(exc):
            return []  # an expression FTS5 cannot take matches nothing rather than failing
        raise


def _order(snap: Snapshot, positions: np.ndarray, scores: np.ndarray, sort: str) -> np.ndarray:
    if sort == "newest":
        return np.argsort(snap.newest_rank[positions], kind="stable")
    if sort == "used":
        return np.lexsort((-scores[positions], -snap.usage[positions]))
    return np.lexsort((snap.newest_rank[positions], -scores[positions]))


def _suggest(text: str, vocabulary: Vocabulary) -> str | None:
    changed = False
    words = []
    for word in text.split():
        fixed = vocabulary.correction(word.casefold()) if word.isalpha() else None
        changed |= bool(fixed)
        words.append(fixed or word)
    return " ".join(words) if changed else None


def _texts(r: IndexRecord) -> list[str]:
    facets = {facet: r.facet_values(facet) for facet in FACETS}
    return [r.title, r.summary, _terms_text(facets), *r.pages]


def _terms_text(facets: dict[str, list[str]]) -> str:
    return " ; ".join(
        v
        for facet in ("stage", "persona", "industry", "product", "tag", "type")
        for v in facets.get(facet, [])
    )


def _body(pages: list[str]) -> str:
    return "\n".join(pages)


def _markup(snippet: str) -> str:
    return (
        html.escape(" ".join(snippet.split()), quote=False)
        .replace(_HIT, "<b>")
        .replace(_END, "</b>")
    )


def _shorten(text: str, width: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"
