"""An in-memory, per-index-change copy of each document's sortable and facet columns.

Facet counts and filters are computed here with numpy over matching positions, which is
what keeps them fast: the full-text engine only has to return the matching ids. Built
from plain columns with numpy, so rebuilding it after an edit costs milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from search.types import FACETS
from search.vocabulary import Vocabulary, fold


@dataclass
class _FacetColumn:
    values: list[str]
    doc_pos: np.ndarray  # position of the document, one entry per (document, value) pair
    value_idx: np.ndarray  # index into ``values``, same length


class Snapshot:
    """Documents' columns aligned by position; ``ids`` is sorted ascending.

    :param docs: rows of (id, paged, updated as epoch seconds, expires, usage, archived,
        facet value ids as int32 bytes), sorted by id.
    :param values: rows of (facet value id, facet, value).
    :param load_vocabulary: called once, on the first query that needs words.
    """

    def __init__(
        self, docs: list[tuple], values: list[tuple], load_vocabulary, write_count: int
    ) -> None:
        self.write_count = write_count
        self._load_vocabulary = load_vocabulary
        n = len(docs)
        columns = list(zip(*docs, strict=True)) if docs else [()] * 7
        self.ids = np.array(columns[0], dtype=np.int64)
        self.paged = np.array(columns[1], dtype=bool)
        updated = np.array(columns[2], dtype=np.int64)
        self._expiry = np.array([e or "9999" for e in columns[3]], dtype="U10")
        self.usage = np.array([u or 0 for u in columns[4]], dtype=np.int64)
        self.archived = np.array(columns[5], dtype=bool)
        # Newest first, ties by id.
        order = np.lexsort((-self.ids, -updated)) if n else np.empty(0, np.int64)
        self.newest_rank = np.empty(n, dtype=np.int64)
        self.newest_rank[order] = np.arange(n)
        self.columns = self._build_columns(columns[6], values)

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return self._load_vocabulary()

    def _build_columns(self, blobs: tuple, values: list[tuple]) -> dict[str, _FacetColumn]:
        lengths = np.fromiter((len(b or b"") // 4 for b in blobs), np.int64, len(blobs))
        value_ids = np.frombuffer(b"".join(b or b"" for b in blobs), dtype=np.int32).astype(
            np.int64
        )
        doc_pos = np.repeat(np.arange(len(blobs), dtype=np.int64), lengths)
        size = max((v[0] for v in values), default=0) + 1
        facet_of = np.full(size, -1, dtype=np.int64)
        local_of = np.zeros(size, dtype=np.int64)
        names: dict[str, list[str]] = {facet: [] for facet in FACETS}
        for value_id, facet, value in sorted(values, key=lambda v: v[2].casefold()):
            if facet in names:
                facet_of[value_id] = FACETS.index(facet)
                local_of[value_id] = len(names[facet])
                names[facet].append(value)
        which = facet_of[value_ids]
        columns = {}
        for index, facet in enumerate(FACETS):
            mask = which == index
            columns[facet] = _FacetColumn(names[facet], doc_pos[mask], local_of[value_ids[mask]])
        return columns

    def contains(self, ids: np.ndarray) -> np.ndarray:
        """Which of ``ids`` the snapshot holds, as a mask over ``ids``."""
        if not len(self.ids):
            return np.zeros(len(ids), dtype=bool)
        pos = np.searchsorted(self.ids, ids).clip(0, len(self.ids) - 1)
        return self.ids[pos] == ids

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
