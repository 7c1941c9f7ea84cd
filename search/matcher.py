"""Matching with bm25 scores put together from each word's own, remembered per index state.

FTS5's bm25 is a sum over the phrases of a query, each term depending only on that phrase
and the document (its inverse document frequency comes from the phrase alone). So a
query's scores are the sum of its words' scores (a word: what one typed word or quoted
phrase became, an OR of its forms or completions), and a word scored once serves every
later query that holds it: the next keystroke, a facet click, a sort or another page.

bm25 costs FTS5 a few microseconds for every document it scores, which for a word in a
third of a large library is most of a keystroke. So a word in more than ``RANK_ROWS``
documents (fewer for a word of many phrases) is scored where it weighs most: bm25 in
``fields_fts`` (title, summary and tags alone) over the documents holding it there, or
if those are too many too, in their title. The others score nothing from it, and follow
in the order ties take (newest first). A word limited to those columns (a short prefix,
``title:``) is matched and scored in ``fields_fts`` altogether: its doclists there are
a small part of the whole text's.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections import OrderedDict

import numpy as np

from search.database import fts, match_ids
from search.snapshot import Snapshot

WEIGHTS = "10.0, 4.0, 1.0, 3.0"  # bm25 weights of title, summary, body, terms
FIELD_WEIGHTS = "10.0, 4.0, 3.0"  # the same for ``fields_fts``: title, summary, terms
FIELD_COLUMNS = {"title", "summary", "terms"}
CACHE_BYTES = 64 * 2**20  # word scores kept, per index state
RANK_ROWS = 2_000  # most documents a one-phrase word is scored in
PHRASES_PER_ROW = 15  # a word of this many phrases costs twice as much per document
PHRASE_WORD_COST = 0.4  # and each word of a phrase after its first adds this much
COUNT_FIRST = 4  # a word estimated in at most this many times its budget is counted first


class PhraseScores:
    """Each word's matching positions and scores, for one index state; thread-safe."""

    def __init__(self, budget: int = CACHE_BYTES) -> None:
        self.budget = budget
        self._lock = threading.Lock()
        self._state = -1
        self._entries: OrderedDict[str, tuple[np.ndarray, np.ndarray]] = OrderedDict()
        self._bytes = 0

    def match(self, db: sqlite3.Connection, snap: Snapshot, plan) -> tuple[np.ndarray, np.ndarray]:
        """(mask, scores) over the snapshot for a ``Compiler.plan``; scores are higher-is-better.

        Where every word is within its budget of documents, the scores equal FTS5's bm25 of
        the whole expression, but for the rounding of a sum taken in another order.
        """
        n = len(snap)
        if plan is None:
            return np.zeros(n, dtype=bool), np.zeros(n)
        words: list[str] = []
        mask = self._mask(db, snap, plan, words)
        scores = np.zeros(n)
        for word in words:
            positions, word_scores = self._word(db, snap, word)
            column = np.zeros(n)
            column[positions] = word_scores
            scores += column
        return mask, np.where(mask, -scores, 0.0)  # bm25 is lower-is-better

    def _mask(self, db: sqlite3.Connection, snap: Snapshot, plan, words: list[str]) -> np.ndarray:
        word = _word_expression(plan)
        if word is not None:
            words.append(word)
            mask = np.zeros(len(snap), dtype=bool)
            mask[self._word(db, snap, word)[0]] = True
            return mask
        op, children = plan
        masks = [self._mask(db, snap, child, words) for child in children]
        combine = np.logical_and if op == "AND" else np.logical_or
        return combine.reduce(masks)

    def _word(
        self, db: sqlite3.Connection, snap: Snapshot, word: str
    ) -> tuple[np.ndarray, np.ndarray]:
        """The word's matching positions and bm25 (lower-is-better, 0: not scored)."""
        with self._lock:
            if self._state != snap.text_write:
                self._entries.clear()
                self._bytes = 0
                self._state = snap.text_write
            found = self._entries.get(word)
            if found is not None:
                self._entries.move_to_end(word)
                return found
        entry = _score(db, snap, word)
        size = entry[0].nbytes + entry[1].nbytes
        with self._lock:
            if self._state == snap.text_write and word not in self._entries:
                self._entries[word] = entry
                self._bytes += size
                while self._bytes > self.budget and len(self._entries) > 1:
                    _, (old_pos, old_scores) = self._entries.popitem(last=False)
                    self._bytes -= old_pos.nbytes + old_scores.nbytes
        return entry


def _score(db: sqlite3.Connection, snap: Snapshot, word: str) -> tuple[np.ndarray, np.ndarray]:
    phrases = _phrase_words(word)
    budget = RANK_ROWS / _cost_per_row(phrases)
    table = "fields_fts" if _in_fields(word) else "docs_fts"
    most = sum(min(snap.vocabulary.df(w) for w in phrase) for phrase in phrases)
    # Counting costs FTS5 a quarter of reading the ids: worth it where the count may fall
    # within the budget, and one pass then gives ids and scores.
    if most > budget and (most > COUNT_FIRST * budget or _count(db, word, table) > budget):
        ids = match_ids(db, word, table)
        if len(ids) > budget:
            return _positions(snap, ids, _field_scores(db, word, ids, budget))
    return _positions(snap, *_everywhere(db, snap, word, table))


def _everywhere(
    db: sqlite3.Connection, snap: Snapshot, word: str, table: str
) -> tuple[np.ndarray, np.ndarray]:
    """A word's bm25 in every document holding it, each phrase weighed by the whole word's
    inverse document frequency, Lucene's: log(1 + (N - n + 0.5) / (n + 0.5)).

    FTS5 weighs each phrase by its own, and by 1e-6 for one in half the documents or more:
    a rare form of a word ("cool") outweighed the word typed ("cooling" in a title), and a
    word in most of a small library weighed nothing at all.
    """
    everywhere = len(snap)
    parts = [_bm25(db, phrase, table) for phrase in word.split(" OR ")]
    ids, at = np.unique(np.concatenate([part[0] for part in parts]), return_inverse=True)
    weight = math.log1p((everywhere - len(ids) + 0.5) / (len(ids) + 0.5))
    scores = np.concatenate(
        [
            part_scores * (weight / _fts5_idf(everywhere, len(part_ids)))
            for part_ids, part_scores in parts
        ]
    )
    return ids, np.bincount(at, weights=scores, minlength=len(ids))


def _fts5_idf(everywhere: int, n: int) -> float:
    return max(math.log((everywhere - n + 0.5) / (n + 0.5)), 1e-6)


def _field_scores(db: sqlite3.Connection, word: str, ids: np.ndarray, budget: float) -> np.ndarray:
    """bm25 of a word in too many documents, where it weighs most: over the documents holding
    it in their title, summary or tags, else in their title, if those are few enough."""
    scores = np.zeros(len(ids))
    if _has_columns(word) and not _in_fields(word):
        return scores
    for scoped in ([] if _has_columns(word) else [word]) + [f"title : ({word})"]:
        if _count(db, scoped, "fields_fts") <= budget:
            field_ids, field_scores = _bm25(db, scoped, "fields_fts")
            at = np.searchsorted(ids, field_ids).clip(0, max(len(ids) - 1, 0))
            found = ids[at] == field_ids
            scores[at[found]] = field_scores[found]
            break
    return scores


def _positions(
    snap: Snapshot, ids: np.ndarray, scores: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    positions = snap.lookup(ids)
    keep = positions >= 0
    return positions[keep].astype(np.int32), scores[keep]


def _cost_per_row(phrases: list[list[str]]) -> float:
    """What FTS5's bm25 costs per document for these phrases, one word's cost being 1:
    each phrase adds a little, and each word after a phrase's first checks positions."""
    extra_words = sum(len(phrase) - 1 for phrase in phrases)
    return 1 + (len(phrases) - 1) / PHRASES_PER_ROW + extra_words * PHRASE_WORD_COST


def _bm25(
    db: sqlite3.Connection, expression: str, table: str = "docs_fts"
) -> tuple[np.ndarray, np.ndarray]:
    weights = WEIGHTS if table == "docs_fts" else FIELD_WEIGHTS
    rows = fts(
        db,
        f"SELECT rowid, bm25({table}, {weights}) FROM {table} WHERE {table} MATCH ?",
        expression,
    )
    ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    return ids, np.fromiter((r[1] for r in rows), np.float64, len(rows))


def _count(db: sqlite3.Connection, expression: str, table: str) -> int:
    rows = fts(db, f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", expression)
    return rows[0][0] if rows else 0


def _word_expression(plan) -> str | None:
    """The FTS5 expression of a plan that is one word (a phrase, or a word's forms)."""
    if isinstance(plan, str):
        return plan
    op, children = plan
    return " OR ".join(children) if op == "FORMS" else None


def _phrase_words(word: str) -> list[list[str]]:
    """The words of each phrase of a word's expression."""
    return [quoted.split() for quoted in word.split('"')[1::2] if quoted.split()]


def _has_columns(word: str) -> bool:
    return any(not phrase.startswith('"') for phrase in word.split(" OR "))


def _in_fields(word: str) -> bool:
    """Whether every phrase of the word is limited to columns ``fields_fts`` has."""
    for phrase in word.split(" OR "):
        if phrase.startswith('"'):
            return False
        columns = phrase.split(":", 1)[0].strip().strip("{}").split()
        if not FIELD_COLUMNS.issuperset(columns):
            return False
    return True
