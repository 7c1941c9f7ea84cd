"""``UsageRecorder``: takes events from any thread and stores them from one background thread.

Recording costs the caller a list append. The recorder's thread writes each event to the
journal as soon as it arrives, then, at most ``interval`` seconds after the first of a
batch, syncs the journal to disk and commits the batch to the catalog in one transaction.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from library.usage.events import UsageEvent
from library.usage.journal import Segment

log = logging.getLogger(__name__)

FLUSH_INTERVAL = 1.0  # seconds; a crash loses at most what the OS had not yet written


class UsageRecorder:
    """Batches events for ``store``, which commits a list of them (and may raise to retry).

    Thread-safe. ``flush()`` commits what is queued and waits; ``close()`` flushes and stops
    the thread. Nothing starts until the first event is recorded.
    """

    def __init__(
        self,
        store: Callable[[list[UsageEvent]], None],
        journal_dir: Path,
        *,
        interval: float = FLUSH_INTERVAL,
    ) -> None:
        self._store = store
        self._journal_dir = journal_dir
        self._interval = interval
        self._cond = threading.Condition()
        self._incoming: list[UsageEvent] = []
        self._flush_wanted = 0
        self._flush_done = 0
        self._stopping = False
        self._thread: threading.Thread | None = None
        # Owned by the recorder's thread only:
        self._pending: list[UsageEvent] = []
        self._segment: Segment | None = None
        self._due: float | None = None
        self.failures = 0  # commits that failed and will be retried

    def record(self, event: UsageEvent) -> None:
        with self._cond:
            if self._stopping:
                raise RuntimeError("the usage recorder is closed")
            self._incoming.append(event)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="usage-recorder", daemon=True
                )
                self._thread.start()
            self._cond.notify()

    def flush(self, timeout: float | None = 30.0) -> bool:
        """Commit everything recorded so far; True once it is in the catalog."""
        with self._cond:
            if self._thread is None or not self._thread.is_alive():
                return not self._pending
            self._flush_wanted += 1
            wanted = self._flush_wanted
            self._cond.notify_all()
            done = self._cond.wait_for(lambda: self._flush_done >= wanted, timeout)
        return done and not self._pending

    def close(self, timeout: float | None = 30.0) -> None:
        with self._cond:
            self._stopping = True
            thread = self._thread
            self._cond.notify_all()
        if thread is not None:
            thread.join(timeout)

    @property
    def queued(self) -> int:
        """Events recorded but not yet committed (approximate while the thread runs)."""
        return len(self._incoming) + len(self._pending)

    # -- the thread ----------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            with self._cond:
                while not (
                    self._incoming or self._stopping or self._flush_wanted > self._flush_done
                ):
                    if self._due is not None and time.monotonic() >= self._due:
                        break
                    wait = None if self._due is None else self._due - time.monotonic()
                    self._cond.wait(wait)
                batch, self._incoming = self._incoming, []
                stopping = self._stopping
                wanted = self._flush_wanted
            if batch:
                self._journal(batch)
                self._pending.extend(batch)
                if self._due is None:
                    self._due = time.monotonic() + self._interval
            forced = stopping or wanted > self._flush_done
            if self._pending and (forced or time.monotonic() >= (self._due or 0)):
                self._commit()
            with self._cond:
                self._flush_done = max(self._flush_done, wanted)
                self._cond.notify_all()
                if stopping and not self._incoming:
                    if self._pending:
                        log.error(
                            "%d usage events could not be stored; they stay in the journal "
                            "and are stored at the next start",
                            len(self._pending),
                        )
                    if self._segment is not None:
                        self._segment.close()
                    return

    def _journal(self, batch: list[UsageEvent]) -> None:
        try:
            if self._segment is None:
                self._segment = Segment(self._journal_dir)
            self._segment.append(batch)
        except OSError as exc:
            # The events are still committed within the second; only crash safety is lost.
            log.warning("Cannot write the usage journal: %s", exc)

    def _commit(self) -> None:
        segment = self._segment
        try:
            if segment is not None:
                segment.sync()
        except OSError as exc:
            log.warning("Cannot sync the usage journal: %s", exc)
        try:
            self._store(self._pending)
        except Exception:
            # Typically a long write elsewhere holding the catalog: keep the events (and the
            # journal segment with them) and try again after the next interval.
            self.failures += 1
            log.warning("Storing usage events failed; retrying", exc_info=True)
            self._due = time.monotonic() + self._interval
            return
        self._pending = []
        self._due = None
        if segment is not None:
            self._segment = None
            try:
                segment.discard()
            except OSError as exc:
                log.warning("Cannot delete the usage journal %s: %s", segment.path, exc)
