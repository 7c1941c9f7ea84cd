"""An in-memory, per-index-change copy of each document's sortable and facet columns.

Facet counts and filters are computed here with numpy over matching positions, which is
what keeps them fast: the full-text engine only has to return the matching ids.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import numpy as np

from search.types import FACETS
from search.vocabulary import Vocabulary, fold


@dataclass
class _FacetColumn:
    values: list[str]
    doc_pos: np.ndarray  # position of the document, one entry per (document, value) pair
    value_idx: np.ndarray  # index into ``values``, same length


class Snapshot:
    """Documents' columns aligned by position; ``ids`` is sorted ascending."""

    def __init__(self, rows: list[tuple], vocabulary: Vocabulary, write_count: int) -> None:
        rows = sorted(rows, key=lambda r: r[0])
        self.write_count = write_count
        self.vocabulary = vocabulary
        self.ids = np.array([r[0] for r in rows], dtype=np.int64)
        self.titles = [r[1] for r in rows]
        self.paths = [r[2] for r in rows]
        self.types = [r[3] for r in rows]
        self.statuses = [r[4] for r in rows]
        self.paged = np.array([bool(r[5]) for r in rows], dtype=bool)
        self.updated = np.array([r[6] or "" for r in rows], dtype=object)
        self.expires = [r[7] for r in rows]
        self.usage = np.array([r[8] or 0 for r in rows], dtype=np.int64)
        self.summaries = [r[10] or "" for r in rows]
        self.facet_lists: list[dict[str, list[str]]] = [json.loads(r[9]) for r in rows]
        self.archived = np.array([s == "archived" for s in self.statuses], dtype=bool)
        self._expiry = np.array([e or "9999" for e in self.expires], dtype="U10")
        self.columns = {facet: self._build_column(facet) for facet in FACETS}
        # Newest first, ties by id, computed once per snapshot.
        self.newest_rank = np.empty(len(rows), dtype=np.int64)
        order = sorted(range(len(rows)), key=lambda i: (self.updated[i], self.ids[i]), reverse=True)
        self.newest_rank[np.array(order, dtype=np.int64)] = np.arange(len(rows))

    def __len__(self) -> int:
        return len(self.ids)

    def _build_column(self, facet: str) -> _FacetColumn:
        values: dict[str, int] = {}
        doc_pos: list[int] = []
        value_idx: list[int] = []
        for pos, facets in enumerate(self.facet_lists):
            for value in facets.get(facet, ()):
                doc_pos.append(pos)
                value_idx.append(values.setdefault(value, len(values)))
        return _FacetColumn(
            list(values), np.array(doc_pos, dtype=np.int64), np.array(value_idx, dtype=np.int64)
        )

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Positions of ``ids`` in the snapshot; ids it does not hold are dropped."""
        if not len(self.ids):
            return np.empty(0, dtype=np.int64)
        pos = np.searchsorted(self.ids, ids)
        pos = np.clip(pos, 0, len(self.ids) - 1)
        return pos[self.ids[pos] == ids]

    def visible(self, today: str) -> np.ndarray:
        return ~self.archived & (self._expiry >= today)

    def resolve(self, facet: str, wanted: str) -> list[str]:
        """Facet values a typed value means: exact (any case), else by prefix, else contained."""
        values = self.columns[facet].values
        key = fold(wanted.strip())
        for test in (
            lambda v: fold(v) == key,
            lambda v: fold(v).startswith(key),
            lambda v: key in fold(v),
        ):
            found = [v for v in values if test(v)]
            if found:
                return found
        return []

    def filter_mask(self, facet: str, wanted: list[str]) -> np.ndarray:
        column = self.columns[facet]
        resolved = {v for w in wanted for v in self.resolve(facet, w)}
        idx = [i for i, v in enumerate(column.values) if v in resolved]
        mask = np.zeros(len(self.ids), dtype=bool)
        if idx:
            mask[column.doc_pos[np.isin(column.value_idx, idx)]] = True
        return mask

    def counts(self, facet: str, mask: np.ndarray) -> dict[str, int]:
        column = self.columns[facet]
        if not len(column.doc_pos):
            return {}
        selected = column.value_idx[mask[column.doc_pos]]
        counts = np.bincount(selected, minlength=len(column.values))
        pairs = [(column.values[i], int(c)) for i, c in enumerate(counts) if c]
        return dict(sorted(pairs, key=lambda p: (-p[1], p[0].casefold())))
