"""``Library.usage``: recording what reps do, moving events between libraries, and reports."""

from __future__ import annotations

import getpass
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from library.db import CatalogDatabase
from library.usage.columns import ColumnCache
from library.usage.events import (
    EventKind,
    UsageEvent,
    count_events,
    day_of,
    iter_events,
)
from library.usage.journal import JOURNAL_DIR, orphaned
from library.usage.model import (
    AssetUse,
    ContentGap,
    HeatMap,
    Period,
    RepActivity,
    StaleAsset,
    TermUse,
    UnusedAsset,
    WeekUse,
    Weights,
)
from library.usage.recorder import FLUSH_INTERVAL, UsageRecorder
from library.usage.reports import EXPIRING_DAYS, UNUSED_DAYS, Reports
from library.usage.store import UsagePush, UsageStore, reading
from library.usage.transfer import read_events, write_events

log = logging.getLogger(__name__)

RepSource = str | Callable[[], str] | None


@dataclass
class UsageReport:
    """Every report over one period; the field names are the keys of ``stats --json``."""

    top_assets: list[AssetUse]
    trend: list[WeekUse]
    by_stage: list[TermUse]
    by_persona: list[TermUse]
    by_type: list[TermUse]
    by_rep: list[RepActivity]
    unused: list[UnusedAsset]
    content_gaps: list[ContentGap]
    stale: list[StaleAsset]

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class ImportSummary:
    read: int
    added: int

    def summary(self) -> str:
        skipped = self.read - self.added
        return f"Imported {self.added} events ({skipped} already present) of {self.read} read."


def _default_rep() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):
        return ""


class UsageManager:
    """Usage of one library. Recording is thread-safe and never blocks on the catalog.

    :param rep: the rep's name, or a callable returning it (asked once, when first needed);
        None uses the login name.
    :param on_usage: called with ``{asset_id: usage_count}`` to update the search index;
        returns False when it could not, to be called again later with the same counts.
    """

    def __init__(
        self,
        db: CatalogDatabase,
        folder: Path | str,
        *,
        rep: RepSource = None,
        on_usage: UsagePush | None = None,
        weights: Weights | None = None,
        interval: float = FLUSH_INTERVAL,
    ) -> None:
        self.db = db
        self.folder = Path(folder)
        self.weights = weights or Weights()
        self._rep_source = rep
        self._rep: str | None = rep if isinstance(rep, str) else None
        self.journal_dir = self.folder / JOURNAL_DIR
        self._columns = ColumnCache(self.folder)
        self.store = UsageStore(db, self._columns, self.weights, on_usage)
        self.recorder = UsageRecorder(self.store.store_batch, self.journal_dir, interval=interval)
        self.replayed = self._replay()
        # Reading a million events into the report columns takes seconds when their cache
        # file is missing or behind: do it now, in the background, not in the first report.
        self._stop_warming = threading.Event()
        self._warming = threading.Thread(
            target=self.store.update_columns,
            args=(self._stop_warming,),
            name="usage-columns",
            daemon=True,
        )
        self._warming.start()

    # -- who records -----------------------------------------------------------------------

    @property
    def rep(self) -> str:
        if self._rep is None:
            source = self._rep_source
            try:
                name = source() if callable(source) else ""
            except Exception:  # a damaged settings file must not stop recording
                log.warning("Cannot read the rep's name; using the login name", exc_info=True)
                name = ""
            self._rep = (name or "").strip() or _default_rep()
        return self._rep

    def _set_rep(self, name: str) -> None:
        """Record later events under ``name`` (when the rep changes it in the settings)."""
        self._rep = name.strip() or _default_rep()

    def wait_for_columns(self, timeout: float | None = None) -> bool:
        """Wait until the report columns read in the background at opening are ready;
        True when they are. Reports wait for them anyway: this only tells when."""
        self._warming.join(timeout)
        return not self._warming.is_alive()

    # -- recording -------------------------------------------------------------------------

    def record(self, event: UsageEvent) -> str:
        """Queue an event for storing (see ``UsageRecorder``); returns its id."""
        if not event.rep:
            event.rep = self.rep
        self.recorder.record(event)
        return event.id

    def record_search(
        self, query: str, filters: dict[str, list[str]] | None, result_count: int
    ) -> str:
        """A search the rep settled on; pass its id to previews and opens of its results."""
        filters = {f: list(v) for f, v in (filters or {}).items() if v}
        return self.record(
            UsageEvent(EventKind.SEARCH, query=query, filters=filters, result_count=result_count)
        )

    def record_preview(self, asset_id: int, *, search_id: str | None = None) -> str:
        return self.record(UsageEvent(EventKind.PREVIEW, asset_ids=[asset_id], search_id=search_id))

    def record_open(self, asset_id: int, *, search_id: str | None = None) -> str:
        return self.record(UsageEvent(EventKind.OPEN, asset_ids=[asset_id], search_id=search_id))

    def record_packet_add(self, packet_id: int, asset_ids: Iterable[int]) -> str:
        return self._packet(EventKind.PACKET_ADD, packet_id, asset_ids)

    def record_packet_export(self, packet_id: int, asset_ids: Iterable[int]) -> str:
        return self._packet(EventKind.PACKET_EXPORT, packet_id, asset_ids)

    def record_packet_send(self, packet_id: int, asset_ids: Iterable[int]) -> str:
        return self._packet(EventKind.PACKET_SEND, packet_id, asset_ids)

    def _packet(self, kind: EventKind, packet_id: int, asset_ids: Iterable[int]) -> str:
        return self.record(UsageEvent(kind, packet_id=packet_id, asset_ids=list(asset_ids)))

    def flush(self) -> bool:
        """Store everything recorded so far and update the index; True when all is stored."""
        stored = self.recorder.flush()
        self.push_usage()
        return stored

    def close(self) -> None:
        self._stop_warming.set()  # a chunk of events at most is still read
        self._warming.join()
        self.recorder.close()
        self.push_usage()

    # -- storing ---------------------------------------------------------------------------

    def _add_events(self, events: Iterable[UsageEvent]) -> int:
        """Store events now, in one transaction, skipping those already present.

        Returns how many were new. ``events`` may be a generator: it is read in batches.
        """
        return self.store.add(events)

    def refresh_usage_counts(self) -> dict[int, int]:
        """Recompute every asset's ``usage_count`` from all events, and update the index."""
        return self.store.refresh_usage_counts()

    def push_usage(self) -> bool:
        """Send changed usage counts to the index now; False if they must wait."""
        return self.store.push_usage()

    def _replay(self) -> int:
        """Store events journalled by a process that ended without storing them."""
        try:
            with orphaned(self.journal_dir) as segments:
                events = [e for _path, found in segments for e in found]
                added = self._add_events(events) if events else 0
        except (OSError, sqlite3.Error) as exc:
            log.warning("Usage journal not replayed yet (%s); trying again next start", exc)
            return 0
        if added:
            log.info("Stored %d usage events left in the journal by an earlier session", added)
        return added

    # -- moving events ---------------------------------------------------------------------

    def events(self, period: Period | None = None) -> Iterator[UsageEvent]:
        """Stored events (not those still queued), oldest stored first."""
        since = until = None
        if period is not None:
            since = day_of(period.since) if period.since else None
            until = day_of(period.until) if period.until else None
        return iter_events(self.db.conn, since=since, until=until)

    def count(self) -> int:
        return count_events(self.db.conn)

    def export(self, path: Path | str, period: Period | None = None) -> int:
        """Write stored events to ``path`` (.csv or .jsonl), atomically; returns the count."""
        self.flush()
        hashes = dict(self.db.conn.execute("SELECT id, content_hash FROM assets"))
        return write_events(path, self.events(period), hashes)

    def _import_file(self, path: Path | str) -> ImportSummary:
        """Add the events of an export (.csv or .jsonl); those already present are skipped.

        Assets are matched by content (current or earlier versions), so an export from
        another rep's library lands on the same assets here; without a match the id is
        kept. The file is checked whole before anything is stored; raises UsageError if a
        line is bad.
        """
        read = sum(1 for _item in read_events(path))
        local: dict[str, int] = {}
        conn = self.db.conn
        for sql in (
            "SELECT content_hash, asset_id FROM versions ORDER BY id",
            "SELECT content_hash, id FROM assets",  # the current content wins
        ):
            local.update((h, i) for h, i in conn.execute(sql) if h)

        def mapped() -> Iterator[UsageEvent]:
            for event, hashes in read_events(path):
                event.asset_ids = [
                    local.get(h, a) if h else a
                    for a, h in zip(event.asset_ids, hashes, strict=True)
                ]
                yield event

        return ImportSummary(read, self._add_events(mapped()))

    # -- reports ---------------------------------------------------------------------------

    def reports(self, period: Period | None = None, weights: Weights | None = None) -> Reports:
        """The reports of one period, to call one by one (each reads the events once).

        Use it on one thread, right away: it reads the catalog through that thread's
        connection.
        """
        conn = self.db.conn
        cols = self._columns.columns(conn)
        return Reports(cols, conn, period or Period(), weights or self.weights)

    def report(
        self,
        period: Period | None = None,
        weights: Weights | None = None,
        *,
        as_of: date | None = None,
        unused_days: int = UNUSED_DAYS,
        expiring_days: int = EXPIRING_DAYS,
        top: int | None = 20,
        gaps: int | None = 100,
    ) -> UsageReport:
        """Every report. ``as_of`` (default: the period's end, else today) dates the unused
        and stale checks."""
        period = period or Period()
        as_of = as_of or period.until or date.today()
        with reading(self.db.conn):
            r = self.reports(period, weights)
            return UsageReport(
                top_assets=r.top_assets(top),
                trend=r.trend(),
                by_stage=r.by_term("stage"),
                by_persona=r.by_term("persona"),
                by_type=r.by_term("type"),
                by_rep=r.by_rep(),
                unused=r.unused(as_of, unused_days),
                content_gaps=r.content_gaps(gaps),
                stale=r.stale(as_of, expiring_days),
            )

    def heat_map(self, period: Period | None = None, weights: Weights | None = None) -> HeatMap:
        """Score per stage and persona pair, both in the taxonomy's order."""
        conn = self.db.conn

        def names(facet: str) -> list[str]:
            return [
                r[0]
                for r in conn.execute(
                    "SELECT name FROM terms WHERE facet = ? ORDER BY position, name", (facet,)
                )
            ]

        with reading(conn):
            return self.reports(period, weights).heat_map(names("stage"), names("persona"))
