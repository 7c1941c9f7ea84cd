"""The core's one entry point: ``Library(folder)`` with its managers and search.

The SQLite catalog is the source of truth. After every committed change the search index
is brought in step and told the catalog's generation; when the two disagree on opening
(a crash between them, a deleted or damaged index), the index is rebuilt from the catalog.
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Iterable
from pathlib import Path

from library.assets import AssetManager
from library.csv_import import CsvImporter
from library.db import generation, open_catalog
from library.embeddings import EmbeddingManager
from library.ingest import ImportReport, Ingestor
from library.packets import PacketManager
from library.progress import ProgressHook, cancelled, report
from library.taxonomy import TaxonomyManager
from library.usage import UsageManager
from search import FACETS, IndexCorrupt, SearchIndex, SearchQuery, SearchResult

log = logging.getLogger(__name__)

CATALOG_FILE = "catalog.sqlite"
INDEX_FILE = Path("index") / "search.sqlite"
REINDEX_BATCH = 500


class Library:
    """A library folder: ``catalog.sqlite`` plus the rebuildable ``index/``.

    Managers: ``assets``, ``taxonomy``, ``ingest``, ``csv``, ``packets``, ``usage``,
    ``embeddings``. Safe to share between threads: catalog writes are serialised by a lock;
    searches use their own index connections.
    """

    def __init__(
        self,
        folder: Path | str,
        *,
        workers: int | None = None,
        timeout: float = 60.0,
        max_chars: int = 2_000_000,
        rep: str | None = None,
    ) -> None:
        self.folder = Path(folder).expanduser().absolute()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.db = open_catalog(self.folder / CATALOG_FILE)
        self._write_lock = threading.RLock()
        self.taxonomy = TaxonomyManager(self.db)
        self.taxonomy.install_defaults()
        self.assets = AssetManager(self.db, self.taxonomy)
        self.ingest = Ingestor(
            self.db,
            self.assets,
            self.taxonomy,
            on_change=self.sync,
            workers=workers,
            timeout=timeout,
            max_chars=max_chars,
        )
        self.csv = CsvImporter(self)
        self.packets = PacketManager(self.db, self.assets, self.folder, lock=self._write_lock)
        self.index = self._open_index()
        self.embeddings = EmbeddingManager(self.db, self.assets, lock=self._write_lock)
        self._index_trusted = self._check_index()
        self.usage = UsageManager(
            self.db,
            self.folder,
            rep=rep if rep is not None else self._rep_name,
            on_usage=self._push_usage,
        )

    def close(self) -> None:
        self.usage.close()  # stores what is still queued, before the catalog closes
        self.index.close()
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- keeping the index in step ------------------------------------------------------

    def _open_index(self) -> SearchIndex:
        path = self.folder / INDEX_FILE
        try:
            return SearchIndex(path)
        except IndexCorrupt as exc:
            log.warning("Search index unusable (%s); rebuilding it from the catalog", exc)
            shutil.rmtree(path.parent, ignore_errors=True)
            return SearchIndex(path)

    @property
    def generation(self) -> int:
        return generation(self.db)

    def index_in_step(self) -> bool:
        return self.index.generation == self.generation

    def _rep_name(self) -> str:
        return self.packets.settings.load().rep_name

    def _push_usage(self, usage: dict[int, int]) -> bool:
        # Never wait behind a long import holding the lock: the counts are pushed later.
        if not self._write_lock.acquire(blocking=False):
            return False
        try:
            self.index.set_usage(usage)
            return True
        finally:
            self._write_lock.release()

    def sync(self, ids: Iterable[int]) -> None:
        """Push the current state of these assets to the index (called after each commit)."""
        ids = sorted(set(ids))
        gen = self.generation
        records = self.assets.index_records(ids)
        kept = {r.id for r in records}
        self.index.delete([i for i in ids if i not in kept])
        # An index that was behind when this library opened (a crash between a commit and
        # its sync) takes the change but must not claim to be in step until rebuilt.
        self.index.upsert(records, generation=gen if self._index_trusted else None)
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

    def _pending(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT asset_id FROM index_pending")]

    def _check_index(self) -> bool:
        """Whether the index is in step now; a new, empty one is stamped so at once."""
        if self.index_in_step():
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
        self._index_trusted = False
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
        self._index_trusted = True
        self.index.optimize()
        return done

    def ensure_index(self, *, progress: ProgressHook = None) -> bool:
        """Rebuild the index if it is not in step with the catalog; True if it was rebuilt."""
        if self.index_in_step():
            pending = self._pending()
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

    # -- the verbs ------------------------------------------------------------------------

    def add_paths(
        self,
        paths: Iterable[Path | str],
        *,
        progress: ProgressHook = None,
        cancel: threading.Event | None = None,
    ) -> ImportReport:
        with self._write_lock:
            return self.ingest.add_paths(paths, progress=progress, cancel=cancel)

    def rescan(
        self, *, progress: ProgressHook = None, cancel: threading.Event | None = None
    ) -> ImportReport:
        with self._write_lock:
            return self.ingest.rescan(progress=progress, cancel=cancel)

    def update_assets(self, ids: Iterable[int], **fields) -> None:
        with self._write_lock:
            self.sync(self.assets.update(ids, **fields))

    def tag_assets(
        self,
        ids: Iterable[int],
        facet: str,
        names: Iterable[str],
        *,
        mode: str = "replace",
        create: bool = False,
    ) -> None:
        with self._write_lock:
            self.sync(self.assets.set_terms(ids, facet, names, mode=mode, create=create))

    def search(self, query: SearchQuery) -> SearchResult:
        """Search the index; stage counts come in buyer-journey order.

        Unless ``query.mode`` is "text", assets like the question in meaning join those
        holding its words, as far as they are embedded (``result.embedded``; see
        ``embeddings.run``).
        """
        query = self.embeddings.prepare(query, self.index)
        result = self.embeddings.finish(self.index.search(query))
        order = {name: i for i, name in enumerate(self.taxonomy.names("stage"))}
        result.facets["stage"] = dict(
            sorted(
                result.facets["stage"].items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])
            )
        )
        return result

    def similar(self, asset_id: int, *, limit: int = 10) -> SearchResult:
        """The assets most like this one in meaning, most alike first ("more like this").

        Archived and expired assets are left out, as in search. The asset is embedded
        first if it is not yet; one with no vector (empty or non-English text) has no
        similar assets. :raises AssetNotFound:
        """
        self.assets.get(asset_id)
        query = self.embeddings.similar_query(asset_id, limit + 1)
        if query is None:
            return SearchResult(SearchQuery(mode="semantic", limit=limit), 0, [], {})
        result = self.search(query)
        listed_itself = any(hit.id == asset_id for hit in result.hits)
        result.hits = [hit for hit in result.hits if hit.id != asset_id][:limit]
        result.total -= listed_itself
        return result

    def facet_names(self) -> tuple[str, ...]:
        return FACETS
