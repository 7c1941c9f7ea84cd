"""Storing usage events in the catalog, and keeping each asset's ``usage_count`` in step.

``usage_count`` is the asset's all-time weighted use score (default weights); it feeds the
"most used" sort of the search index and packet suggestions.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

import numpy as np

from library.db import CatalogDatabase
from library.usage.columns import KINDS, ColumnCache
from library.usage.events import CHUNK, EventKind, UsageEvent, insert_events
from library.usage.model import Weights

log = logging.getLogger(__name__)

PUSH_INTERVAL = 60.0  # seconds between usage pushes to the index while reps work
IMPORT_BATCH = 20_000

UsagePush = Callable[[dict[int, int]], bool]


@contextmanager
def writing(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    # IMMEDIATE takes the write lock up front, so the busy timeout applies instead of a
    # deferred transaction failing when it tries to upgrade.
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def reading(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One snapshot for several queries, so the reports of one period agree."""
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN")
    try:
        yield conn
    finally:
        conn.execute("COMMIT")


class UsageStore:
    """Writes events (one transaction per call) and updates usage counts.

    :param on_usage: called with ``{asset_id: usage_count}`` to update the search index;
        returns False when it could not, to be called again later with the same counts.
    """

    def __init__(
        self,
        db: CatalogDatabase,
        columns: ColumnCache,
        weights: Weights,
        on_usage: UsagePush | None = None,
    ) -> None:
        self.db = db
        self.columns = columns
        self.weights = weights
        self._on_usage = on_usage
        self._unpushed: dict[int, int] = {}
        self._push_lock = threading.Lock()
        self._last_push = time.monotonic()

    def add(self, events: Iterable[UsageEvent]) -> int:
        """Store events now, in one transaction, skipping those already present.

        Returns how many were new. ``events`` may be a generator: it is read in batches.
        """
        conn = self.db.conn
        added = 0
        usage: dict[int, int] = {}
        with writing(conn):
            batch: list[UsageEvent] = []
            for event in events:
                batch.append(event)
                if len(batch) >= IMPORT_BATCH:
                    added += len(self._insert(conn, batch, usage))
                    batch = []
            added += len(self._insert(conn, batch, usage))
        self._queue_push(usage, now=True)
        self.update_columns()
        return added

    def _insert(
        self, conn: sqlite3.Connection, events: list[UsageEvent], usage: dict[int, int]
    ) -> list[UsageEvent]:
        new = insert_events(conn, events)
        usage.update(self._add_usage(conn, new))
        return new

    def store_batch(self, events: list[UsageEvent]) -> None:
        """The recorder's commit: one transaction per batch (runs on the recorder's thread)."""
        conn = self.db.conn
        usage: dict[int, int] = {}
        with writing(conn):
            self._insert(conn, events, usage)
        self._queue_push(usage)
        self.update_columns()

    def update_columns(self, stop: threading.Event | None = None) -> None:
        """Bring the report columns up to date with the events stored, so that no report
        has to: after a commit this reads only the events it stored."""
        try:
            self.columns.columns(self.db.conn, stop)
        except sqlite3.Error as exc:  # a cache: the next report reads what is missing
            log.warning("Usage report columns not brought up to date: %s", exc)

    def _add_usage(self, conn: sqlite3.Connection, events: list[UsageEvent]) -> dict[int, int]:
        delta: dict[int, float] = defaultdict(float)
        for event in events:
            if event.kind != EventKind.SEARCH:
                for asset_id in dict.fromkeys(event.asset_ids):
                    delta[asset_id] += self.weights.of(event.kind)
        conn.executemany(
            "UPDATE assets SET usage_count = usage_count + ? WHERE id = ?",
            [(round(d), a) for a, d in delta.items() if round(d)],
        )
        return self._usage_of(conn, list(delta))

    @staticmethod
    def _usage_of(conn: sqlite3.Connection, ids: list[int]) -> dict[int, int]:
        usage = {}
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            usage.update(
                conn.execute(f"SELECT id, usage_count FROM assets WHERE id IN ({marks})", chunk)
            )
        return usage

    def refresh_usage_counts(self) -> dict[int, int]:
        """Recompute every asset's ``usage_count`` from all events, and update the index."""
        conn = self.db.conn
        with writing(conn):
            cols = self.columns.columns(conn)
            weight = np.array([self.weights.of(k) for k in KINDS], dtype=np.float64)
            scores = np.bincount(
                cols.use_slot, weights=weight[cols.use_kind], minlength=len(cols.slot_ids)
            )
            found = dict(zip(cols.slot_ids, scores.tolist(), strict=True))
            usage = {i: round(found.get(i, 0)) for (i,) in conn.execute("SELECT id FROM assets")}
            conn.executemany(
                "UPDATE assets SET usage_count = ? WHERE id = ? AND usage_count != ?",
                [(u, i, u) for i, u in usage.items()],
            )
        self._queue_push(usage, now=True)
        return usage

    def _queue_push(self, usage: dict[int, int], *, now: bool = False) -> None:
        with self._push_lock:
            self._unpushed.update(usage)
        # Each push invalidates the index's in-memory snapshot, so while reps work the
        # counts go to the index once a minute rather than with every batch.
        if now or time.monotonic() - self._last_push >= PUSH_INTERVAL:
            self.push_usage()

    def push_usage(self) -> bool:
        """Send changed usage counts to the index now; False if they must wait."""
        with self._push_lock:
            usage, self._unpushed = self._unpushed, {}
        if not usage or self._on_usage is None:
            return True
        try:
            pushed = self._on_usage(usage)
        except Exception:
            log.warning("Updating usage counts in the search index failed", exc_info=True)
            pushed = False
        if pushed:
            self._last_push = time.monotonic()
        else:
            with self._push_lock:
                self._unpushed = usage | self._unpushed
        return pushed
