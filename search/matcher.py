"""Matching with bm25 scores put together from each phrase's own, remembered per index state.

FTS5's bm25 is a sum over the phrases of a query, each term depending only on that phrase
and the document (its inverse document frequency comes from the phrase alone). So a
query's scores are the sum of its phrases' scores, and a phrase scored once serves every
later query that holds it: the next keystroke, a facet click, a sort or another page.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict

import numpy as np

from search.database import fts
from search.snapshot import Snapshot

WEIGHTS = "10.0, 4.0, 1.0, 3.0"  # bm25 weights of title, summary, body, terms
CACHE_BYTES = 64 * 2**20  # phrase scores kept, per index state
# Phrases of an OR are scored one by one when few are new, or the new ones hold at most
# this share of the rows; otherwise the whole expression is scored at once.
FEW_PHRASES = 1  # cold, one phrase costs what the whole expression does; more cost more
KNOWN_SHARE = 0.5


class PhraseScores:
    """Each phrase's matching positions and bm25 scores, for one index state; thread-safe."""

    def __init__(self, budget: int = CACHE_BYTES) -> None:
        self.budget = budget
        self._lock = threading.Lock()
        self._state = -1
        self._entries: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._bytes = 0

    def match(
        self, db: sqlite3.Connection, snap: Snapshot, plan, expression: str
    ) -> tuple[np.ndarray, np.ndarray]:
        """(mask, scores) over the snapshot for ``expression`` and its ``Compiler.plan``.

        Scores are summed phrase by phrase in the order FTS5 sums them, so they equal the
        bm25 of the whole expression to the last bit, and are higher-is-better. Scoring
        many phrases one by one costs more than the whole expression at once.
        """
        n = len(snap)
        if plan is None:
            return np.zeros(n, dtype=bool), np.zeros(n)
        if not self._mostly_known(plan, snap):
            return self._whole(db, snap, expression)
        phrases: list[str] = []
        mask = self._mask(db, snap, plan, phrases)
        scores = np.zeros(n)
        for phrase in phrases:
            positions, phrase_scores = self._phrase(db, snap, phrase)
            column = np.zeros(n)
            column[positions] = phrase_scores
            scores += column
        return mask, np.where(mask, -scores, 0.0)  # bm25 is lower-is-better

    def _mostly_known(self, plan, snap: Snapshot) -> bool:
        known = unknown = new = 0
        for phrase in _phrases(plan):
            rows = snap.vocabulary.df(_first_word(phrase)) + 1
            with self._lock:
                hit = self._state == snap.text_write and phrase in self._entries
            known, unknown = (known + rows, unknown) if hit else (known, unknown + rows)
            new += not hit
        if not new:
            return True
        # An AND is scored by FTS5 over the documents holding every part, far fewer than
        # the parts' own documents together.
        if _has_and(plan):
            return False
        return new <= FEW_PHRASES or unknown <= KNOWN_SHARE * (known + unknown)

    @staticmethod
    def _whole(
        db: sqlite3.Connection, snap: Snapshot, expression: str
    ) -> tuple[np.ndarray, np.ndarray]:
        rows = fts(
            db,
            f"SELECT rowid, bm25(docs_fts, {WEIGHTS}) FROM docs_fts WHERE docs_fts MATCH ?",
            expression,
        )
        ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        keep = snap.contains(ids)
        positions = snap.positions(ids[keep])
        mask = np.zeros(len(snap), dtype=bool)
        mask[positions] = True
        scores = np.zeros(len(snap))
        scores[positions] = -np.fromiter((r[1] for r in rows), np.float64, len(rows))[keep]
        return mask, scores

    def _mask(self, db: sqlite3.Connection, snap: Snapshot, plan, phrases: list[str]) -> np.ndarray:
        if isinstance(plan, str):
            phrases.append(plan)
            mask = np.zeros(len(snap), dtype=bool)
            mask[self._phrase(db, snap, plan)[0]] = True
            return mask
        op, children = plan
        masks = [self._mask(db, snap, child, phrases) for child in children]
        combine = np.logical_and if op == "AND" else np.logical_or
        return combine.reduce(masks)

    def _phrase(
        self, db: sqlite3.Connection, snap: Snapshot, phrase: str
    ) -> tuple[np.ndarray, np.ndarray]:
        with self._lock:
            if self._state != snap.text_write:
                self._entries.clear()
                self._bytes = 0
                self._state = snap.text_write
            found = self._entries.get(phrase)
            if found is not None:
                self._entries.move_to_end(phrase)
                return found
        rows = fts(
            db,
            f"SELECT rowid, bm25(docs_fts, {WEIGHTS}) FROM docs_fts WHERE docs_fts MATCH ?",
            phrase,
        )
        ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
        scores = np.fromiter((r[1] for r in rows), np.float64, len(rows))
        keep = snap.contains(ids)
        entry = (snap.positions(ids[keep]).astype(np.int32), scores[keep])
        size = entry[0].nbytes + entry[1].nbytes
        with self._lock:
            if self._state == snap.text_write and phrase not in self._entries:
                self._entries[phrase] = entry
                self._bytes += size
                while self._bytes > self.budget and len(self._entries) > 1:
                    _, (old_pos, old_scores) = self._entries.popitem(last=False)
                    self._bytes -= old_pos.nbytes + old_scores.nbytes
        return entry


def _phrases(plan) -> list[str]:
    if isinstance(plan, str):
        return [plan]
    return [phrase for child in plan[1] for phrase in _phrases(child)]


def _first_word(phrase: str) -> str:
    return phrase.split('"')[1].split()[0]


def _has_and(plan) -> bool:
    return not isinstance(plan, str) and (plan[0] == "AND" or any(map(_has_and, plan[1])))
