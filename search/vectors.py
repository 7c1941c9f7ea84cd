"""Vector similarity and its fusion with full-text ranking, in numpy.

The index is handed plain arrays (document ids and unit vectors, one per document); it never
learns where they came from or which model made them. Fusion is reciprocal rank fusion:
each document scores ``weight / (RRF_K + rank)`` in each list it appears in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RRF_K = 60
TEXT_WEIGHT = 1.0  # weight of the full-text rank in the fused score
VECTOR_WEIGHT = 1.0  # weight of the similarity rank in the fused score
RELATED_LIMIT = 50  # documents without the question's words that may join the list
RELATED_FLOOR = 0.55  # ... each at least this share of the best similarity
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
        return self.matrix @ vector.astype(np.float32, copy=False)

    def aligned(self, snapshot_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(rows into ``matrix``, positions in ``snapshot_ids``) for documents both hold."""
        if not len(self.ids) or not len(snapshot_ids):
            empty = np.empty(0, np.int64)
            return empty, empty
        pos = np.searchsorted(snapshot_ids, self.ids).clip(0, len(snapshot_ids) - 1)
        keep = snapshot_ids[pos] == self.ids
        return np.flatnonzero(keep), pos[keep]


def ranks(scores: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """1-based rank of each masked position by descending score (0 outside the mask)."""
    out = np.zeros(len(scores), np.int64)
    pos = np.flatnonzero(mask)
    order = pos[np.argsort(-scores[pos], kind="stable")]
    out[order] = np.arange(1, len(order) + 1)
    return out


def related_mask(sims: np.ndarray, allowed: np.ndarray, limit: int = RELATED_LIMIT) -> np.ndarray:
    """The documents most like the question: the top ``limit`` among ``allowed`` by
    similarity, each within ``RELATED_FLOOR`` of the best and above zero."""
    mask = np.zeros(len(sims), bool)
    pos = np.flatnonzero(allowed & np.isfinite(sims))
    if not len(pos):
        return mask
    best = sims[pos].max()
    if best <= 0:
        return mask
    pos = pos[sims[pos] >= best * RELATED_FLOOR]
    if len(pos) > limit:
        pos = pos[np.argpartition(-sims[pos], limit - 1)[:limit]]
    mask[pos] = True
    return mask


def fuse(
    mode: str,
    matched: np.ndarray,
    scores: np.ndarray,
    fuzzy: np.ndarray,
    sims: np.ndarray,
    allowed: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Combine a full-text result with similarities; returns (matched, scores, related).

    :param matched: documents the text query matched (fuzzy ones included; none when the
        query has no words); ``scores`` their text scores, higher better; ``fuzzy`` those
        matched only loosely.
    :param sims: similarity of each document to the question (NaN: no vector).
    :param allowed: documents that may be shown (visibility, filters, negated words).
    :returns: the documents to list, their fused scores (higher first) and which of them
        are there only for their meaning (``related``). In "text" mode nothing changes;
        "semantic" lists the documents most like the question, by similarity alone.
    """
    n = len(matched)
    none = np.zeros(n, bool)
    if mode == "text" or not np.isfinite(sims).any():
        return matched, scores, none
    exact = matched & ~fuzzy
    if mode == "semantic":
        listed = related_mask(sims, allowed)
        return listed, np.where(listed, sims, 0.0).astype(np.float64), listed & ~exact
    related = related_mask(sims, allowed) & ~exact
    text_rank = ranks(scores, matched & allowed)
    listed = matched | related
    vec_rank = ranks(np.nan_to_num(sims, nan=-1.0), listed & allowed & np.isfinite(sims))
    fused = np.zeros(n)
    fused += np.where(text_rank > 0, TEXT_WEIGHT / (RRF_K + text_rank), 0.0)
    fused += np.where(vec_rank > 0, VECTOR_WEIGHT / (RRF_K + vec_rank), 0.0)
    if EXACT_FIRST:
        # Every document holding all the question's words stays ahead of those that do
        # not: an exact name or phrase keeps the places it has today.
        fused = np.where(exact, fused + 1.0, fused)
    return listed, fused, related
