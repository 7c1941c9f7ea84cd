"""Vector similarity and its fusion with full-text ranking, in numpy.

The index is handed plain arrays (document ids and unit vectors, one per document); it never
learns where they came from or which model made them. Fusion is reciprocal rank fusion:
each document scores ``weight / (RRF_K + rank)`` in each list it appears in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

RRF_K = 10  # measured on bench/questions.py: 10 ranked better than the usual 60
TEXT_WEIGHT = 1.0  # weight of the full-text rank in the fused score
VECTOR_WEIGHT = 1.0  # weight of the similarity rank in the fused score
RELATED_BELOW = 40  # related documents join only when fewer hold all the question's words
RELATED_LIMIT = 20  # documents without the question's words that may join the list
RELATED_FLOOR = 0.4  # ... each at least this share of the best similarity
MIN_SIMILARITY = 0.11  # best below this: nothing is like the question (nonsense, off-topic)
ANY_WORD_SHARE = 0.5  # words in more documents than this share do not rank by themselves
SOME_WEIGHT = 1.0  # weight of the rank by the question's rarer words, any of them
SOME_WORDS_WHILE_TYPING = 5_000  # documents above which that rank waits for the full query
EXACT_FIRST = True  # documents with all the question's words before the others
MODES: tuple[str, ...] = ("hybrid", "text", "semantic")


@dataclass(frozen=True)
class VectorTable:
    """One unit vector per document: ``ids`` (sorted ascending, int64) and ``matrix`` (n x dim).

    ``version`` changes whenever the vectors do, so aligned copies can be cached.
    """

    ids: np.ndarray
    matrix: np.ndarray
    version: object = None

    @classmethod
    def empty(cls, dim: int = 0) -> VectorTable:
        return cls(np.empty(0, np.int64), np.empty((0, dim), np.float32), None)

    def __len__(self) -> int:
        return len(self.ids)

    def similarities(self, vector: np.ndarray) -> np.ndarray:
        """Cosine similarity of every document to a unit ``vector``, in ``ids`` order."""
        if not len(self.ids) or vector is None or vector.shape[-1] != self.matrix.shape[1]:
            return np.empty(0, np.float32)
        # einsum runs on the calling thread; BLAS's gemv spreads a task this small over
        # threads that then wait on each other, and on a busy 2-core laptop took 10x longer.
        return np.einsum("ij,j->i", self.matrix, vector.astype(np.float32, copy=False))

    def aligned(self, snapshot_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows into ``matrix``, positions in ``snapshot_ids``) for documents both hold."""
        if not len(self.ids) or not len(snapshot_ids):
            empty = np.empty(0, np.int64)
            return empty, empty
        pos = np.searchsorted(snapshot_ids, self.ids).clip(0, len(snapshot_ids) - 1)
        keep = snapshot_ids[pos] == self.ids
        return np.flatnonzero(keep), pos[keep]


def _rank_of(scores: np.ndarray) -> np.ndarray:
    """1-based rank of each entry by descending score."""
    out = np.empty(len(scores), np.int64)
    out[np.argsort(-scores, kind="stable")] = np.arange(1, len(scores) + 1)
    return out


def related_positions(
    sims: np.ndarray, allowed: np.ndarray, limit: int = RELATED_LIMIT
) -> np.ndarray:
    """The documents most like the question: the top ``limit`` among ``allowed`` by
    similarity, each at least ``RELATED_FLOOR`` of the best, itself at least ``MIN_SIMILARITY``
    (NaN: no vector).
    """
    masked = np.where(allowed, sims, -np.inf)
    if len(masked) > limit:
        top = np.argpartition(masked, len(masked) - limit)[len(masked) - limit :]
    else:
        top = np.arange(len(masked))
    values = masked[top]
    keep = np.isfinite(values) & (values > 0)
    top, values = top[keep], values[keep]
    if not len(top) or values.max() < MIN_SIMILARITY:
        return top[:0]
    return np.sort(top[values >= values.max() * RELATED_FLOOR])


def fuse(
    mode: str,
    matched: np.ndarray,
    scores: np.ndarray,
    fuzzy: np.ndarray,
    sims: np.ndarray,
    allowed: np.ndarray,
    some: Callable[[np.ndarray], np.ndarray] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Combine a full-text result with similarities; returns (matched, scores, related).

    :param matched: documents the text query matched (fuzzy ones included; none when the
        query has no words); ``scores`` their text scores, higher better; ``fuzzy`` those
        matched only loosely.
    :param sims: similarity of each document to the question (NaN: no vector).
    :param allowed: documents that may be shown (visibility, negated words).
    :param some: text scores (higher better, NaN: none of the words) of the documents at
        the given positions for any of the question's rarer words; asked only for the
        listed documents lacking some of the words, which is what keeps it cheap.
    :returns: the documents to list, their fused scores (higher first) and which of them
        are there only for their meaning (``related``). In "text" mode nothing changes;
        "semantic" lists the documents most like the question, by similarity alone.

    Work is done on the listed documents only, so a question costs little more than the
    similarities themselves however large the library.
    """
    n = len(matched)
    if mode == "text":
        return matched, scores, np.zeros(n, bool)
    near = related_positions(sims, allowed)
    listed = np.zeros(n, bool)
    related = np.zeros(n, bool)
    fused = np.zeros(n)
    if mode == "semantic":
        listed[near] = True
        fused[near] = sims[near]
        related[near] = ~(matched[near] & ~fuzzy[near])
        return listed, fused, related
    text_pos = np.flatnonzero(matched)
    cand = np.union1d(text_pos, near)
    ok = allowed[cand]
    in_text = matched[cand]
    exact = in_text & ~fuzzy[cand]
    total = np.zeros(len(cand))
    text_idx = np.flatnonzero(in_text & ok)
    total[text_idx] += TEXT_WEIGHT / (RRF_K + _rank_of(scores[cand[text_idx]]))
    cand_sims = sims[cand]
    vec_idx = np.flatnonzero(ok & np.isfinite(cand_sims))
    total[vec_idx] += VECTOR_WEIGHT / (RRF_K + _rank_of(cand_sims[vec_idx]))
    if some is not None:
        loose_idx = np.flatnonzero(~exact & ok)
        loose_scores = some(cand[loose_idx]) if len(loose_idx) else np.empty(0)
        has = np.isfinite(loose_scores)
        some_idx = loose_idx[has]
        total[some_idx] += SOME_WEIGHT / (RRF_K + _rank_of(loose_scores[has]))
    if EXACT_FIRST:
        # Documents holding all the question's words keep today's order, ahead of the
        # rest: exact names, phrases and title matches stay where they were.
        exact_idx = np.flatnonzero(exact & ok)
        total[exact_idx] = 10.0 + 1.0 / (RRF_K + _rank_of(scores[cand[exact_idx]]))
    listed[cand] = True
    fused[cand] = total
    related[cand] = ~exact
    return listed, fused, related
