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


class HybridSearch:
    """Document vectors held in memory beside the index, and their use in a search."""

    def _init_vectors(self) -> None:
        self._vectors = VectorTable.empty()
        self._aligned: tuple[tuple, np.ndarray, np.ndarray] | None = None

    def set_vectors(self, table: VectorTable) -> None:
        """Use these document vectors for semantic ranking (in-memory; never written)."""
        self._vectors = table

    def _blend(
        self, snap, query, parsed, compiler, matched, scores, fuzzy, base
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Join documents like the question in meaning to the text matches (search/vectors.py)."""
        table = self._vectors
        key = (snap.write_count, id(table), table.version)
        if self._aligned is None or self._aligned[0] != key:
            self._aligned = (key, *table.aligned(snap.ids))
        rows, positions = self._aligned[1], self._aligned[2]
        sims = np.full(len(snap), np.nan, dtype=np.float32)
        if len(rows) and query.vector is not None:
            sims[positions] = table.similarities(query.vector)[rows]
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

    def _scores_of(self, snap: Snapshot, expr: str, positions: np.ndarray) -> np.ndarray:
        """bm25 scores (higher better, NaN: no match) of an expression for a few documents."""
        out = np.full(len(positions), np.nan)
        ids = snap.ids[positions]
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
