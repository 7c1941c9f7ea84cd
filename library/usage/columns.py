"""The events as numpy columns, for reports that aggregate a million events in milliseconds.

Events are append-only and numbered (``seq``) in the order they were stored, so the
columns are brought up to date by reading only the events stored since. They are cached in
``usage-cache/columns.npz`` (derived data: deleted or stale, it is rebuilt from the catalog).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from library.atomic import atomic_path
from library.usage.events import EventKind

log = logging.getLogger(__name__)

CACHE_DIR = "usage-cache"
CACHE_FILE = "columns.npz"
CACHE_VERSION = 2
KINDS: tuple[str, ...] = tuple(k.value for k in EventKind)
KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}
SEARCH = KIND_CODE[EventKind.SEARCH]
SAVE_AFTER = 20_000  # events read from the catalog beyond the cache before it is rewritten

_EVENT_ARRAYS = {
    "seq": np.int64,
    "day": np.int32,
    "kind": np.int8,
    "rep": np.int32,
    "result_count": np.int32,  # -1: not a search, or not known
    "opened": np.bool_,
    "gap": np.int32,  # code of (query_key, stage_filter, persona_filter); -1: not a search
}
_USE_ARRAYS = {"use_day": np.int32, "use_kind": np.int8, "use_rep": np.int32, "use_slot": np.int32}


@dataclass
class EventColumns:
    """One entry per event (``seq`` ascending), and one per use of an asset (``use_*``).

    Reps, assets and content-gap keys are small integer codes (``rep``, ``use_slot``,
    ``gap``) into ``reps``, ``slot_ids`` and ``gap_keys``, so reports count with bincount.
    """

    seq: np.ndarray
    day: np.ndarray
    kind: np.ndarray
    rep: np.ndarray
    result_count: np.ndarray
    opened: np.ndarray
    gap: np.ndarray
    use_day: np.ndarray
    use_kind: np.ndarray
    use_rep: np.ndarray
    use_slot: np.ndarray
    reps: list[str] = field(default_factory=list)
    slot_ids: list[int] = field(default_factory=list)  # asset id of each slot
    gap_keys: list[tuple[str, str, str]] = field(default_factory=list)
    last_id: str = ""  # the id of the event at seq[-1], to recognise the same catalog

    @classmethod
    def empty(cls) -> EventColumns:
        arrays = {n: np.zeros(0, t) for n, t in (_EVENT_ARRAYS | _USE_ARRAYS).items()}
        return cls(**arrays)

    @property
    def last_seq(self) -> int:
        return int(self.seq[-1]) if len(self.seq) else 0

    def __len__(self) -> int:
        return len(self.seq)


class _Codes:
    """Integer codes for strings, extending an existing list."""

    def __init__(self, values: list) -> None:
        self.values = values
        self.index = {v: i for i, v in enumerate(values)}

    def __call__(self, value) -> int:
        code = self.index.get(value)
        if code is None:
            code = self.index[value] = len(self.values)
            self.values.append(value)
        return code

    def many(self, values) -> list[int]:
        codes = list(map(self.index.get, values))  # known values without a Python call each
        if None in codes:
            codes = [self(v) if c is None else c for v, c in zip(values, codes, strict=True)]
        return codes


class ColumnCache:
    """Keeps ``EventColumns`` in step with the catalog; thread-safe."""

    def __init__(self, folder: Path) -> None:
        self.path = Path(folder) / CACHE_DIR / CACHE_FILE
        self._lock = threading.Lock()
        self._columns: EventColumns | None = None
        self._saved_seq = 0

    def columns(
        self, conn: sqlite3.Connection, stop: threading.Event | None = None
    ) -> EventColumns:
        """The columns of every event stored in the catalog (read through ``conn``).

        :param stop: when set, a long read gives up between two chunks of events and
            returns the columns as far as they were read.
        """
        with self._lock:
            cols = self._columns
            if cols is None:
                cols = self._load()
                self._saved_seq = cols.last_seq
            if not self._same_catalog(conn, cols):
                log.info("Usage columns do not match the catalog; rebuilding them")
                cols = EventColumns.empty()
                self._saved_seq = 0
            cols = _extend(conn, cols, stop)
            self._columns = cols
            if cols.last_seq - self._saved_seq >= SAVE_AFTER:
                self._save(cols)
            return cols

    @staticmethod
    def _same_catalog(conn: sqlite3.Connection, cols: EventColumns) -> bool:
        if not len(cols):
            return True
        row = conn.execute("SELECT id FROM events WHERE seq = ?", (cols.last_seq,)).fetchone()
        return row is not None and row[0] == cols.last_id

    def _load(self) -> EventColumns:
        try:
            with np.load(self.path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                if meta.get("version") != CACHE_VERSION:
                    return EventColumns.empty()
                arrays = {n: data[n].astype(t) for n, t in (_EVENT_ARRAYS | _USE_ARRAYS).items()}
            return EventColumns(
                **arrays,
                reps=list(meta["reps"]),
                slot_ids=[int(i) for i in meta["slot_ids"]],
                gap_keys=[tuple(k) for k in meta["gap_keys"]],
                last_id=meta["last_id"],
            )
        except FileNotFoundError:
            return EventColumns.empty()
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("Usage cache %s unreadable (%s); rebuilding it", self.path, exc)
            return EventColumns.empty()

    def _save(self, cols: EventColumns) -> None:
        meta = {
            "version": CACHE_VERSION,
            "reps": cols.reps,
            "slot_ids": cols.slot_ids,
            "gap_keys": cols.gap_keys,
            "last_id": cols.last_id,
        }
        arrays = {n: getattr(cols, n) for n in _EVENT_ARRAYS | _USE_ARRAYS}
        try:
            with atomic_path(self.path) as temp, open(temp, "wb") as file:
                np.savez(file, meta=np.array(json.dumps(meta)), **arrays)
            self._saved_seq = cols.last_seq
        except OSError as exc:  # a cache: reports still work, only slower to start
            log.warning("Cannot write the usage cache %s: %s", self.path, exc)


FETCH = 100_000  # rows converted at a time, to bound memory on a first full read


def _extend(
    conn: sqlite3.Connection, cols: EventColumns, stop: threading.Event | None = None
) -> EventColumns:
    """``cols`` plus the events stored after its last one (``cols`` itself if ``stop`` is
    set before the read ends)."""
    after = cols.last_seq
    reps, gaps = _Codes(list(cols.reps)), _Codes(list(cols.gap_keys))
    slots = _Codes(list(cols.slot_ids))
    parts: dict[str, list[np.ndarray]] = {name: [] for name in _EVENT_ARRAYS | _USE_ARRAYS}
    last_id = cols.last_id
    # A first read takes every event, so it selects as few values as it can: a search's
    # gap key comes as one string, NULL for other kinds and for browsing.
    cursor = conn.execute(
        "SELECT seq, day, kind, rep, coalesce(result_count, -1), opened, "
        "CASE WHEN kind = 'search' AND (query_key != '' OR stage_filter != '' OR "
        "persona_filter != '') THEN query_key || char(31) || stage_filter || char(31) || "
        "persona_filter END FROM events WHERE seq > ? ORDER BY seq",
        (after,),
    )
    while rows := cursor.fetchmany(FETCH):
        if stop is not None and stop.is_set():
            return cols
        seq, day, kind, rep, count, opened, key = zip(*rows, strict=True)
        kinds = list(map(KIND_CODE.get, kind))
        gap = [-1 if k is None else gaps(tuple(k.split("\x1f"))) for k in key]
        for name, values in (
            ("seq", seq),
            ("day", day),
            ("kind", kinds),
            ("rep", reps.many(rep)),
            ("result_count", count),
            ("opened", opened),
            ("gap", gap),
        ):
            parts[name].append(np.array(values, dtype=_EVENT_ARRAYS[name]))
    if not parts["seq"]:
        return cols
    last_seq = int(parts["seq"][-1][-1])
    last_id = conn.execute("SELECT id FROM events WHERE seq = ?", (last_seq,)).fetchone()[0]
    cursor = conn.execute(
        "SELECT asset_id, day, kind, rep FROM event_assets WHERE seq > ? ORDER BY seq", (after,)
    )
    while rows := cursor.fetchmany(FETCH):
        if stop is not None and stop.is_set():
            return cols
        asset, day, kind, rep = zip(*rows, strict=True)
        for name, values in (
            ("use_slot", slots.many(asset)),
            ("use_day", day),
            ("use_kind", list(map(KIND_CODE.get, kind))),
            ("use_rep", reps.many(rep)),
        ):
            parts[name].append(np.array(values, dtype=_USE_ARRAYS[name]))
    opened = cols.opened.copy()
    # A preview stored now may come from a search stored before: mark that search opened.
    parents = []
    if after:  # on a first read every flag is as stored
        parents = [
            r[0]
            for r in conn.execute(
                "SELECT s.seq FROM events e JOIN events s ON s.id = e.search_id "
                "WHERE e.seq > ? AND e.search_id IS NOT NULL AND s.seq <= ?",
                (after, after),
            )
        ]
    if parents:
        positions = np.searchsorted(cols.seq, np.array(parents, dtype=np.int64))
        opened[positions[positions < len(opened)]] = True
    merged = {
        name: np.concatenate([opened if name == "opened" else getattr(cols, name), *parts[name]])
        for name in _EVENT_ARRAYS | _USE_ARRAYS
    }
    return EventColumns(
        **merged,
        reps=reps.values,
        slot_ids=slots.values,
        gap_keys=gaps.values,
        last_id=last_id,
    )
