"""An in-memory, per-index-change copy of each document's sortable and facet columns.

Facet counts and filters are computed here with numpy over matching positions, which is
what keeps them fast: the full-text engine only has to return the matching ids. A change
to a few documents makes a new snapshot from the old one and those documents' rows alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from search.types import FACETS
from search.vocabulary import Vocabulary, fold

# The columns of a document row, as selected by ``DOC_COLUMNS``.
DOC_COLUMNS = (
    "id, paged, coalesce(strftime('%s', updated), 0), expires, usage, "
    "status = 'archived', facet_ids"
)
DENSE_IDS = 8  # ids up to this many times the documents are looked up in an array by id
_ARRAYS = ("ids", "paged", "updated", "expiry", "usage", "archived")


@dataclass
class _FacetColumn:
    values: list[str]
    doc_pos: np.ndarray  # position of the document, one entry per (document, value) pair
    value_idx: np.ndarray  # index into ``values``, same length


class Snapshot:
    """Documents' columns aligned by position; ``ids`` is sorted ascending.

    :param docs: rows of ``DOC_COLUMNS``, sorted by id.
    :param values: rows of (facet value id, facet, value).
    :param load_vocabulary: called once, on the first query that needs words.
    :param write_count: the index state the rows were read at.
    :param text_write: the last write that changed any text; matches and scores stay
        valid while it is the same, since the documents' positions are then too.
    """

    def __init__(
        self,
        docs: list[tuple],
        values: list[tuple],
        load_vocabulary: Callable[[], Vocabulary],
        write_count: int,
        text_write: int = 0,
    ) -> None:
        self.write_count = write_count
        self.text_write = text_write
        self.incremental = False  # made from an earlier snapshot and the changed rows
        self._load_vocabulary = load_vocabulary
        arrays, blobs = _arrays(docs)
        self._set_arrays(arrays)
        self._facet_of = np.full(0, -1, dtype=np.int64)  # by facet value id
        self._local_of = np.zeros(0, dtype=np.int64)
        self.columns = {facet: _FacetColumn([], _NO_INTS, _NO_INTS) for facet in FACETS}
        self._add_values(sorted(values, key=lambda v: v[2].casefold()))
        doc_pos, value_idx, which = self._pairs(blobs, np.arange(len(blobs), dtype=np.int64))
        for index, facet in enumerate(FACETS):
            mask = which == index
            self.columns[facet] = _FacetColumn(
                self.columns[facet].values, doc_pos[mask], value_idx[mask]
            )

    def _set_arrays(self, arrays: dict[str, np.ndarray]) -> None:
        self.ids = arrays["ids"]
        self.paged = arrays["paged"]
        self._updated = arrays["updated"]
        self._expiry = arrays["expiry"]
        self.usage = arrays["usage"]
        self.archived = arrays["archived"]
        n = len(self.ids)
        # Newest first, ties by id.
        order = np.lexsort((-self.ids, -self._updated)) if n else np.empty(0, np.int64)
        self.newest_rank = np.empty(n, dtype=np.int64)
        self.newest_rank[order] = np.arange(n)
        self._visible: tuple[str, np.ndarray] | None = None

    def _add_values(self, values: list[tuple]) -> None:
        """Learn facet values (id, facet, value) not seen before."""
        size = max((v[0] for v in values), default=-1) + 1
        if size > len(self._facet_of):
            grow = size - len(self._facet_of)
            self._facet_of = np.concatenate([self._facet_of, np.full(grow, -1, np.int64)])
            self._local_of = np.concatenate([self._local_of, np.zeros(grow, np.int64)])
        for value_id, facet, value in values:
            if facet in self.columns and self._facet_of[value_id] < 0:
                names = self.columns[facet].values
                self._facet_of[value_id] = FACETS.index(facet)
                self._local_of[value_id] = len(names)
                names.append(value)

    def _pairs(
        self, blobs: list[bytes | None], positions: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(document position, value index, facet index) of every value the blobs name."""
        lengths = np.fromiter((len(b or b"") // 4 for b in blobs), np.int64, len(blobs))
        value_ids = np.frombuffer(b"".join(b or b"" for b in blobs), dtype=np.int32).astype(
            np.int64
        )
        return np.repeat(positions, lengths), self._local_of[value_ids], self._facet_of[value_ids]

    def updated(
        self,
        changed: np.ndarray,
        docs: list[tuple],
        values: list[tuple],
        write_count: int,
        text_write: int,
        terms: dict[str, int] | None = None,
    ) -> Snapshot:
        """A new snapshot: this one with the documents ``changed`` replaced by ``docs``.

        :param changed: ids written since this snapshot (changed, added or deleted).
        :param docs: the current rows of those still present, as ``DOC_COLUMNS``.
        :param values: facet values added since (all of them may be passed again).
        :param terms: the document frequency now (0: gone) of every word whose frequency
            changed since; None to read the word list again when it is next needed.
        """
        new = object.__new__(Snapshot)
        new.write_count, new.text_write, new.incremental = write_count, text_write, True
        new._load_vocabulary = self._load_vocabulary
        if self.has_vocabulary:
            if text_write == self.text_write:
                new.vocabulary = self.vocabulary  # words change only with text
            elif terms is not None:
                new.vocabulary = self.vocabulary.updated(terms)
        new._facet_of, new._local_of = self._facet_of.copy(), self._local_of.copy()
        new.columns = {
            f: _FacetColumn(list(c.values), c.doc_pos, c.value_idx) for f, c in self.columns.items()
        }
        new._add_values(values)

        keep = ~np.isin(self.ids, changed)
        arrays, blobs = _arrays(docs)
        current = {
            "ids": self.ids,
            "paged": self.paged,
            "updated": self._updated,
            "expiry": self._expiry,
            "usage": self.usage,
            "archived": self.archived,
        }
        merged = {name: np.concatenate([current[name][keep], arrays[name]]) for name in _ARRAYS}
        order = np.argsort(merged["ids"], kind="stable")
        new._set_arrays({name: column[order] for name, column in merged.items()})
        # Where each row of the merged columns went: kept rows first, then the new ones.
        moved = np.empty(len(order), dtype=np.int64)
        moved[order] = np.arange(len(order))
        kept_to = np.full(len(self.ids), -1, dtype=np.int64)
        kept_to[keep] = moved[: int(keep.sum())]
        doc_pos, value_idx, which = new._pairs(blobs, moved[int(keep.sum()) :])
        for index, facet in enumerate(FACETS):
            column = self.columns[facet]
            stays = keep[column.doc_pos]
            mask = which == index
            new.columns[facet] = _FacetColumn(
                new.columns[facet].values,
                np.concatenate([kept_to[column.doc_pos[stays]], doc_pos[mask]]),
                np.concatenate([column.value_idx[stays], value_idx[mask]]),
            )
        return new

    @property
    def has_vocabulary(self) -> bool:
        return "vocabulary" in self.__dict__

    @property
    def known_values(self) -> int:
        """Facet value ids below this are known; pass newer ones to ``updated``."""
        return len(self._facet_of)

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def vocabulary(self) -> Vocabulary:
        return self._load_vocabulary()

    def lookup(self, ids: np.ndarray) -> np.ndarray:
        """The position of each of ``ids`` in the snapshot, -1 for those it does not hold."""
        dense = self._position_of
        if dense is not None:
            pos = dense.take(ids, mode="clip")
            pos[(ids >= len(dense)) | (ids < 0)] = -1
            return pos
        if not len(self.ids):
            return np.full(len(ids), -1, dtype=np.int64)
        pos = np.searchsorted(self.ids, ids).clip(0, len(self.ids) - 1)
        return np.where(self.ids[pos] == ids, pos, -1)

    def positions(self, ids: np.ndarray) -> np.ndarray:
        """Positions of ``ids`` in the snapshot; ids it does not hold are dropped."""
        pos = self.lookup(ids)
        return pos[pos >= 0]

    @cached_property
    def _position_of(self) -> np.ndarray | None:
        """Position by id (-1: none), where ids are dense enough to index an array."""
        if not len(self.ids) or self.ids[0] < 0 or self.ids[-1] > DENSE_IDS * len(self.ids):
            return None
        position_of = np.full(int(self.ids[-1]) + 1, -1, dtype=np.int64)
        position_of[self.ids] = np.arange(len(self.ids))
        return position_of

    def visible(self, today: str) -> np.ndarray:
        """Neither archived nor expired on ``today``; do not modify the array returned."""
        cached = self._visible
        if cached is None or cached[0] != today:
            cached = self._visible = (today, ~self.archived & (self._expiry >= today))
        return cached[1]

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


_NO_INTS = np.zeros(0, dtype=np.int64)


def _arrays(docs: list[tuple]) -> tuple[dict[str, np.ndarray], list[bytes | None]]:
    columns = list(zip(*docs, strict=True)) if docs else [()] * 7
    arrays = {
        "ids": np.array(columns[0], dtype=np.int64),
        "paged": np.array(columns[1], dtype=bool),
        "updated": np.array(columns[2], dtype=np.int64),
        "expiry": np.array([e or "9999" for e in columns[3]], dtype="U10"),
        "usage": np.array([u or 0 for u in columns[4]], dtype=np.int64),
        "archived": np.array(columns[5], dtype=bool),
    }
    return arrays, list(columns[6])
