"""Keeping the search index in step with the catalog, which is the source of truth.

After every committed change the changed assets are pushed to the index, which is told the
catalog's generation; when the two disagree on opening (a crash between them, a deleted or
damaged index), the index is rebuilt from the catalog.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

from sqlite_utils import Database

from library.assets import AssetManager
from library.db import generation
from library.progress import ProgressHook, cancelled, report
from search import IndexCorrupt, SearchIndex

log = logging.getLogger(__name__)

REINDEX_BATCH = 500


def open_index(path: Path) -> SearchIndex:
    """The index at ``path``; a damaged one is deleted and started afresh (to be rebuilt)."""
    try:
        return SearchIndex(path)
    except IndexCorrupt as exc:
        log.warning("Search index unusable (%s); rebuilding it from the catalog", exc)
        shutil.rmtree(path.parent, ignore_errors=True)
        return SearchIndex(path)


class IndexKeeper:
    """Brings ``index`` in step with the catalog behind ``db`` and ``assets``.

    Not locked itself: ``Library`` calls it under its write lock (searches need no lock).
    """

    def __init__(self, db: Database, assets: AssetManager, index: SearchIndex) -> None:
        self.db, self.assets, self.index = db, assets, index
        self.trusted = self._check()

    @property
    def generation(self) -> int:
        return generation(self.db)

    def in_step(self) -> bool:
        return self.index.generation == self.generation

    def sync(self, ids: Iterable[int]) -> None:
        """Push the current state of these assets to the index (called after each commit)."""
        ids = sorted(set(ids))
        gen = self.generation
        records = self.assets.index_records(ids)
        kept = {r.id for r in records}
        self.index.delete([i for i in ids if i not in kept])
        # An index that was behind when this library opened (a crash between a commit and
        # its sync) takes the change but must not claim to be in step until rebuilt.
        self.index.upsert(records, generation=gen if self.trusted else None)
        if self.index.needs_optimize():
            self.index.optimize()
        self._settled(ids, gen)

    def _settled(self, ids: list[int] | None, gen: int) -> None:
        """The index has these assets (None: all) as of ``gen``: drop them from the queue."""
        with self.db.atomic():
            if ids is None:
                self.db.execute("DELETE FROM index_pending WHERE generation <= ?", (gen,))
            else:
                self.db.conn.executemany(
                    "DELETE FROM index_pending WHERE asset_id = ? AND generation <= ?",
                    [(asset_id, gen) for asset_id in ids],
                )

    def pending(self) -> list[int]:
        """Assets changed in the catalog whose index update has not happened yet."""
        return [r[0] for r in self.db.execute("SELECT asset_id FROM index_pending")]

    def _check(self) -> bool:
        """Whether the index is in step now; a new, empty one is stamped so at once."""
        if self.in_step():
            return True
        if self.index.count() == 0 and not self.assets.ids(state="ok"):
            self.index.set_generation(self.generation)
            return True
        return False

    def reindex(
        self, *, progress: ProgressHook = None, cancel: threading.Event | None = None
    ) -> int:
        """Rebuild the search index from the catalog; returns the number of assets indexed.

        The index is emptied and refilled in place, never deleted: another instance may
        have it open. Until the rebuild ends its generation reads -1, so a rebuild cut
        short (cancelled, or the process killed) is redone at the next start.
        """
        gen = self.generation
        self.trusted = False
        self.index.clear(generation=-1)
        ids = self.assets.ids(state="ok")
        done = 0
        for start in range(0, len(ids), REINDEX_BATCH):
            if cancelled(cancel):
                return done
            chunk = ids[start : start + REINDEX_BATCH]
            done += self.index.upsert(self.assets.index_records(chunk))
            report(progress, "indexing", done, len(ids))
        self.index.set_generation(gen)
        self._settled(None, gen)
        self.trusted = True
        self.index.optimize()
        return done

    def ensure(self, *, progress: ProgressHook = None) -> bool:
        """Rebuild the index if it is not in step with the catalog; True if it was rebuilt.

        In step, assets a killed process left queued are pushed now.
        """
        if self.in_step():
            pending = self.pending()
            if pending:  # left by a process killed between a commit and its index update
                log.info("Bringing %s changed assets into the search index", len(pending))
                self.sync(pending)
            return False
        log.info(
            "Search index at generation %s, catalog at %s: rebuilding",
            self.index.generation,
            self.generation,
        )
        self.reindex(progress=progress)
        return True
