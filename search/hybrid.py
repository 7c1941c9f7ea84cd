"""Semantic ranking inside ``SearchIndex``: similarity to the question, fused with full text.

A mixin of ``search.searcher.Searcher``, so its search keeps one call site (``_blend``); the numpy work itself is
in ``search/vectors.py``.
"""

from __future__ import annotations

import numpy as np

from search.database import fts
from search.matcher import WEIGHTS
from search.query import Group, ParsedQuery, Term, _leaves
from search.snapshot import Snapshot
from search.types import SearchQuery
from search.vectors import (
    ANY_WORD_SHARE,
    RELATED_BELOW,
    SOME_WORDS_WHILE_TYPING,
    VectorTable,
    fuse,
)

ONE_QUERY_BELOW = 2_000  # documents up to which the rarer words are scored in one match


class HybridSearch:
    """Document vectors held in memory beside the index, and their use in a search."""

    def _init_vectors(self) -> None:
        self._vectors = VectorTable.empty()
        self._aligned: tuple[tuple, np.ndarray, np.ndarray, bool] | None = None
        self._sims: tuple[tuple, np.ndarray | None, np.ndarray] | None = None

    def set_vectors(self, table: VectorTable) -> None:
        """Use these document vectors for semantic ranking (in-memory; never written)."""
        self._vectors = table

    def _blend(
        self, snap, query, parsed, compiler, matched, scores, fuzzy, base
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Join documents like the question in meaning to the text matches (search/vectors.py)."""
        sims = self._similarities(snap, query.vector)
        # Facet filters are left out here and applied to the whole list afterwards, so a
        # facet's count is what clicking it lists.
        allowed = base.copy()
        if parsed.negative:
            unnegated, _ = self._match(
                snap, ParsedQuery(Group("AND"), parsed.negative), compiler, False
            )
            allowed &= unnegated
        # A question rarely holds all its words in one asset: among the assets listed for
        # their meaning, those holding more of its rarer words rank higher.
        words = [
            leaf
            for leaf in _leaves(parsed.positive)
            if not isinstance(leaf, Term)
            or snap.vocabulary.df(leaf.word) < ANY_WORD_SHARE * len(snap)
        ]
        some = None
        # Scoring those words costs tens of ms in a large index: while the rep is still
        # typing there, related assets are ordered by meaning alone.
        typing_in_large = query.as_you_type and len(snap) > SOME_WORDS_WHILE_TYPING
        if len(words) > 1 and query.mode == "hybrid" and not typing_in_large:
            expr = compiler.compile(Group("OR", words))
            some = lambda positions: self._scores_of(snap, expr, positions)  # noqa: E731
        return fuse(query.mode, matched, scores, fuzzy, sims, allowed, some)

    def _similarities(self, snap: Snapshot, vector: np.ndarray | None) -> np.ndarray:
        """Similarity of each snapshot document to ``vector`` (NaN: no vector), read-only.

        The product reads every vector (40 MB at 40,000 documents) and is most of the cost,
        so it is done once per question and index state: facet clicks and paging reuse it.
        """
        table = self._vectors
        key = (snap.write_count, id(table), table.version)
        aligned = self._aligned
        if aligned is None or aligned[0] != key:
            rows, positions = table.aligned(snap.ids)
            # Usually every document has a vector, in snapshot order: no gather, no scatter.
            whole = len(rows) == len(snap) and bool(
                (rows == np.arange(len(rows))).all() and (positions == rows).all()
            )
            aligned = self._aligned = (key, rows, positions, whole)
        cached = self._sims
        if cached is not None and cached[0] == key and cached[1] is vector:
            return cached[2]
        _, rows, positions, whole = aligned
        sims = table.similarities(vector) if whole and vector is not None else None
        if sims is None or len(sims) != len(snap):
            sims = np.full(len(snap), np.nan, dtype=np.float32)
            if len(rows) and vector is not None:
                sims[positions] = table.similarities(vector)[rows]
        sims.setflags(write=False)
        self._sims = (key, vector, sims)
        return sims

    def _scores_of(self, snap: Snapshot, expr: str, positions: np.ndarray) -> np.ndarray:
        """bm25 scores (higher better, NaN: no match) of an expression for a few documents."""
        out = np.full(len(positions), np.nan)
        ids = snap.ids[positions]
        if len(snap) <= ONE_QUERY_BELOW:
            # FTS5 answers ``rowid IN (...)`` by re-running the match once per id: in a small
            # index one match over everything is far cheaper (sample library: 0.3 ms, not 5).
            where = {int(i): n for n, i in enumerate(ids.tolist())}
            rows = fts(
                self.database.conn(),
                f"SELECT rowid, bm25(docs_fts, {WEIGHTS}) FROM docs_fts WHERE docs_fts MATCH ?",
                expr,
            )
            for rowid, score in rows:
                if rowid in where:
                    out[where[rowid]] = -score
            return out
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500].tolist()
            rows = fts(
                self.database.conn(),
                f"SELECT rowid, bm25(docs_fts, {WEIGHTS}) FROM docs_fts WHERE docs_fts MATCH ? "
                f"AND rowid IN ({','.join('?' * len(chunk))})",
                expr,
                *chunk,
            )
            for rowid, score in rows:
                out[start + chunk.index(rowid)] = -score
        return out


def wants_related(query: SearchQuery, has_words: bool, exact: int, words: int) -> bool:
    """Whether assets like the question in meaning join: when fewer than a page of assets
    hold all its words (as in a question in plain words), but not for one word that is
    found (a name) nor a quoted phrase, requests for those exact words. Sorting changes
    the order of what is listed, never what is."""
    if query.vector is None or query.mode == "text":
        return False
    if query.mode == "hybrid" and (exact >= RELATED_BELOW or (exact and words < 2)):
        return False
    if query.mode == "hybrid" and '"' in query.text:
        return False
    return has_words or query.mode == "semantic"
