"""The recorder's journal: events in JSON-lines files beside the catalog until they are stored.

Each recording process writes its own segment file, locked while it is open; a segment is
deleted once its events are committed to the catalog. Segments left behind by a process
that crashed (so no longer locked) are replayed into the catalog on the next start.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from library.usage.events import UsageError, UsageEvent

log = logging.getLogger(__name__)

JOURNAL_DIR = "usage-journal"

if os.name == "nt":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(file: IO) -> bool:
        try:
            file.seek(0)
            msvcrt.locking(file.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        file.seek(0, os.SEEK_END)
        return True

else:
    import fcntl

    def _try_lock(file: IO) -> bool:
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


class Segment:
    """One open journal file of this process; ``append`` hands lines to the OS at once.

    Data the OS holds survives the process being killed; ``sync`` (fsync) makes it
    survive a power cut too, and is called on the recorder's one-second cadence.
    """

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"{os.getpid()}-{uuid.uuid4().hex}.jsonl"
        self._file = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - closed by discard
        if not _try_lock(self._file):
            raise OSError(f"cannot lock the usage journal {self.path}")
        self.count = 0

    def append(self, events: list[UsageEvent]) -> None:
        self._file.write("".join(json.dumps(e.to_dict()) + "\n" for e in events))
        self._file.flush()
        self.count += len(events)

    def sync(self) -> None:
        os.fsync(self._file.fileno())

    def discard(self) -> None:
        """Close and delete: every event in it is committed to the catalog."""
        self._file.close()
        self.path.unlink(missing_ok=True)

    def close(self) -> None:
        self._file.close()


def read_events(file: IO) -> list[UsageEvent]:
    """Events of a journal file; a last line cut short by a crash, or a damaged one, is skipped."""
    events = []
    for number, line in enumerate(file, start=1):
        if not line.endswith("\n") or not line.strip():
            continue
        try:
            events.append(UsageEvent.from_dict(json.loads(line)))
        except (ValueError, UsageError) as exc:
            log.warning("Skipping line %d of the usage journal: %s", number, exc)
    return events


@contextmanager
def orphaned(folder: Path) -> Iterator[list[tuple[Path, list[UsageEvent]]]]:
    """Segments no live process holds, with their events; deleted if the block succeeds.

    Segments of running processes are locked and left alone; those processes store their
    events themselves.
    """
    held: list[tuple[Path, IO]] = []
    found: list[tuple[Path, list[UsageEvent]]] = []
    try:
        for path in sorted(folder.glob("*.jsonl")) if folder.is_dir() else []:
            try:
                file = open(path, "r+", encoding="utf-8", errors="replace")  # noqa: SIM115
            except OSError:
                continue  # deleted meanwhile, or open elsewhere on Windows
            if not _try_lock(file):
                file.close()
                continue
            held.append((path, file))
            file.seek(0)
            found.append((path, read_events(file)))
        yield found
        for path, file in held:
            file.close()
            try:
                path.unlink(missing_ok=True)
            except OSError as exc:  # still open in another process on Windows
                log.info("Usage journal %s left for later: %s", path, exc)
        held.clear()
    finally:
        for _path, file in held:
            file.close()
