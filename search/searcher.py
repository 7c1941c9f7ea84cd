"""Reading the index: matching, filters, facet counts, ordering, and the hits on screen.

Facet columns and the word list come from a ``Snapshot`` taken at one ``write_count``;
FTS5 only has to say which documents match.
"""

from __future__ import annotations

import html
import json
import re
import threading
from datetime import date

import numpy as np

from search.database import PAGE_SPAN, IndexDatabase, fts, match_ids
from search.hybrid import HybridSearch, wants_related
from search.matcher import PhraseScores
from search.query import Compiler, parse
from search.snapshot import DOC_COLUMNS, Snapshot
from search.types import FACETS, SearchHit, SearchQuery, SearchResult
from search.vocabulary import Vocabulary

FUZZY_BELOW = 3  # exact matches below this many bring in typo- and substring-tolerant ones
MATCH_CACHE = 16  # recent match results kept, per index state
PAGES_PER_HIT = 40  # matching pages looked at to pick a hit's best page
INCREMENTAL_MIN = 1_000  # a snapshot is updated from up to this many changed documents,
INCREMENTAL_SHARE = 0.25  # or this share of the documents; else it is read again
ROWS_AT_ONCE = 500  # ids per query for the rows of the hits (SQLite bounds parameters)
TOP_K_BELOW = 4  # a page this many times smaller than the results is picked, not sorted
_HIT, _END = "\x02", "\x03"
_RULE = re.compile(r"([=\-_*#~+])\1{2,}")  # "=====" under a plain-text heading, "-----" rules


class Searcher(HybridSearch):
    """Runs queries against one index file; thread-safe (one connection per thread)."""

    def __init__(self, database: IndexDatabase) -> None:
        self.database = database
        self._snapshot: Snapshot | None = None
        self._snapshot_lock = threading.Lock()
        self._match_cache: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._phrases = PhraseScores()
        self._init_vectors()

    def forget(self) -> None:
        """Drop cached matches (after the index was emptied)."""
        self._match_cache.clear()

    def _current_snapshot(self) -> Snapshot:
        db = self.database.conn()
        writes = self.database.write_count(db)
        snap = self._snapshot
        if snap is not None and snap.write_count == writes:
            return snap
        with self._snapshot_lock:
            snap = self._snapshot
            if snap is None or snap.write_count != writes:
                db.execute("BEGIN")
                try:
                    snap = self._read_snapshot(db, snap)
                finally:
                    db.execute("COMMIT")
                self._snapshot = snap
            return snap

    def _read_snapshot(self, db, old: Snapshot | None) -> Snapshot:
        """The current snapshot, made from ``old`` and the documents written since when the
        change log reaches back to it and they are few."""
        info = self.database.info
        writes = self.database.write_count(db)
        text_write = self.database.text_write(db)
        since = info(db, "changes_since")
        if old is not None and since is not None and old.write_count >= int(since):
            (changed,) = db.execute(
                "SELECT count(DISTINCT id) FROM changes WHERE write > ?", (old.write_count,)
            ).fetchone()
            if changed <= max(INCREMENTAL_MIN, len(old) * INCREMENTAL_SHARE):
                ids = [
                    r[0]
                    for r in db.execute(
                        "SELECT DISTINCT id FROM changes WHERE write > ?", (old.write_count,)
                    )
                ]
                docs = db.execute(
                    f"SELECT {DOC_COLUMNS} FROM docs WHERE id IN "
                    "(SELECT id FROM changes WHERE write > ?) ORDER BY id",
                    (old.write_count,),
                ).fetchall()
                values = db.execute(
                    "SELECT id, facet, value FROM facet_values WHERE id >= ?", (old.known_values,)
                ).fetchall()
                terms = None
                if old.has_vocabulary:
                    terms = dict(
                        db.execute(
                            "SELECT c.term, coalesce(v.df, 0) FROM (SELECT DISTINCT term "
                            "FROM term_changes WHERE write > ?) c LEFT JOIN vocab v USING (term)",
                            (old.write_count,),
                        )
                    )
                return old.updated(
                    np.array(ids, dtype=np.int64), docs, values, writes, text_write, terms
                )
        docs = db.execute(f"SELECT {DOC_COLUMNS} FROM docs ORDER BY id").fetchall()
        values = db.execute("SELECT id, facet, value FROM facet_values").fetchall()
        return Snapshot(docs, values, self._load_vocabulary, writes, text_write)

    def _load_vocabulary(self) -> Vocabulary:
        return Vocabulary(dict(self.database.conn().execute("SELECT term, df FROM vocab")))

    def search(self, query: SearchQuery) -> SearchResult:
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
        compiler = loose_compiler = Compiler(snap.vocabulary) if has_text else None
        facet_masks = {f: snap.filter_mask(f, v) for f, v in filters.items()}
        filter_mask = base.copy()
        for mask in facet_masks.values():
            filter_mask &= mask
        # Scores order what is listed: none are needed when filters leave one or no document.
        ranked = (
            query.limit > 0
            and query.sort in ("relevance", "used")
            and np.count_nonzero(filter_mask) > 1
        )
        if has_text:
            matched, scores = self._match(snap, parsed, compiler, ranked)
            exact = int((matched & filter_mask).sum())
            words = parsed.words()
            if exact < FUZZY_BELOW and words and len(words) <= 3:
                loose_compiler = Compiler(snap.vocabulary, fuzzy=True)
                loose, loose_scores = self._match(snap, parsed, loose_compiler, ranked)
                fuzzy = loose & ~matched
                # Loose matches rank after every exact one, in their own order.
                floor = scores[matched].min() if matched.any() else 0.0
                scores = np.where(
                    fuzzy,
                    floor - 1.0 + loose_scores / (1.0 + np.abs(loose_scores).max(initial=0.0)),
                    scores,
                )
                matched = matched | fuzzy
            if exact == 0:
                suggestion = _suggest(query.text, snap.vocabulary)

        related = np.zeros(len(snap), dtype=bool)
        if wants_related(query, has_text and not parsed.is_empty, exact, len(parsed.words())):
            if not has_text:  # "more like this": a vector and no words
                matched, fuzzy = np.zeros(len(snap), dtype=bool), np.zeros(len(snap), dtype=bool)
                compiler = Compiler(snap.vocabulary)
            matched, scores, related = self._blend(
                snap, query, parsed, compiler, matched, scores, fuzzy, base
            )
        shown = base & matched
        selected = shown.copy()
        for mask in facet_masks.values():
            selected &= mask
        facets: dict[str, dict[str, int]] = {}
        for facet in FACETS:
            mask = shown
            for other, other_mask in facet_masks.items():
                if other != facet:  # a facet's own filter does not narrow its counts
                    mask = mask & other_mask
            facets[facet] = snap.counts(facet, mask)

        positions = np.flatnonzero(selected)
        stop = query.offset + query.limit
        order = _order(
            snap,
            positions,
            scores,
            query.sort
            if has_text or related.any()
            else ("newest" if query.sort == "relevance" else query.sort),
            stop,
        )
        page = positions[order[query.offset : stop]]
        exact_words = compiler.any_word(parsed) if has_text else None
        loose_words = loose_compiler.any_word(parsed) if fuzzy.any() else None
        rows = self._rows(snap.ids[page])
        hits = [
            self._hit(
                snap,
                int(p),
                rows[int(snap.ids[p])],
                float(scores[p]),
                loose_words if fuzzy[p] else exact_words,
                bool(fuzzy[p]),
                "related" if related[p] else "text",
            )
            for p in page
            if int(snap.ids[p]) in rows  # else deleted since the snapshot was taken
        ]
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
        key = (snap.text_write, positive, tuple(negative), ranked)
        cached = self._match_cache.get(key)
        if cached is not None:
            return cached
        db = self.database.conn()
        n = len(snap)
        matched = np.zeros(n, dtype=bool)
        scores = np.zeros(n)
        if positive is None:
            matched[:] = True
        elif ranked:
            matched, scores = self._phrases.match(db, snap, compiler.plan(parsed.positive))
        else:
            ids = match_ids(db, positive)
            matched[snap.positions(ids)] = True
        for expr in negative:
            ids = match_ids(db, expr)
            matched[snap.positions(ids)] = False
        if len(self._match_cache) >= MATCH_CACHE:
            self._match_cache.pop(next(iter(self._match_cache)))
        self._match_cache[key] = (matched, scores)
        return matched, scores

    def _rows(self, ids: np.ndarray) -> dict[int, tuple]:
        """The stored columns of the hits on screen, by id, in one query."""
        found: dict[int, tuple] = {}
        for start in range(0, len(ids), ROWS_AT_ONCE):
            chunk = ids[start : start + ROWS_AT_ONCE].tolist()
            rows = self.database.conn().execute(
                "SELECT id, title, path, type, status, expires, summary, facets FROM docs "
                f"WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            found.update((row[0], row[1:]) for row in rows)
        return found

    def _hit(
        self,
        snap: Snapshot,
        pos: int,
        row: tuple,
        score: float,
        any_word: str | None,
        fuzzy: bool,
        match: str = "text",
    ) -> SearchHit:
        doc_id = int(snap.ids[pos])
        page, section, snippet = None, None, ""
        db = self.database.conn()
        if any_word:
            # Ranking pages with bm25 would recount every word over the whole index once per
            # hit; within one document, the page showing the most matches is as good a pick.
            rows = fts(
                db,
                f"SELECT rowid, snippet(pages, 0, '{_HIT}', '{_END}', '…', 24) FROM pages "
                "WHERE pages MATCH ? AND rowid BETWEEN ? AND ? LIMIT ?",
                any_word,
                doc_id * PAGE_SPAN,
                doc_id * PAGE_SPAN + PAGE_SPAN - 1,
                PAGES_PER_HIT,
            )
            if rows:
                rowid, best = max(rows, key=lambda r: (r[1].count(_HIT), -r[0]))
                number = rowid - doc_id * PAGE_SPAN
                if snap.paged[pos]:
                    page = number
                elif number > 1 or _has_page(db, doc_id * PAGE_SPAN + 2):
                    section = number  # unpaged text cut into sections; one section says nothing
                snippet = _markup(best)
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
            section=section,
            snippet=snippet,
            score=round(score, 4),
            expires=expires,
            fuzzy=fuzzy,
            match=match,
        )


def _has_page(db, rowid: int) -> bool:
    return db.execute("SELECT 1 FROM pages WHERE rowid = ?", (rowid,)).fetchone() is not None


def _order(
    snap: Snapshot, positions: np.ndarray, scores: np.ndarray, sort: str, stop: int
) -> np.ndarray:
    """Indexes into ``positions`` in result order, at least the first ``stop`` of them."""
    if sort == "newest":
        keys: tuple[np.ndarray, ...] = (snap.newest_rank[positions],)
    elif sort == "used":
        keys = (-scores[positions], -snap.usage[positions])
    else:
        keys = (snap.newest_rank[positions], -scores[positions])
    if stop <= 0:
        return np.empty(0, dtype=np.int64)
    if stop * TOP_K_BELOW < len(positions):
        # Only one page is shown: sort the documents that can be on it, every document
        # tied with the last of them on the first key included.
        first = keys[-1]
        last = np.partition(first, stop - 1)[stop - 1]
        candidates = np.flatnonzero(first <= last)
        return candidates[np.lexsort(tuple(key[candidates] for key in keys))]
    return np.lexsort(keys)


def _suggest(text: str, vocabulary: Vocabulary) -> str | None:
    changed = False
    words = []
    for word in text.split():
        fixed = vocabulary.correction(word.casefold()) if word.isalpha() else None
        changed |= bool(fixed)
        words.append(fixed or word)
    return " ".join(words) if changed else None


def _markup(snippet: str) -> str:
    snippet = _RULE.sub(" ", snippet)
    return (
        html.escape(" ".join(snippet.split()), quote=False)
        .replace(_HIT, "<b>")
        .replace(_END, "</b>")
    )


def _shorten(text: str, width: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "…"
