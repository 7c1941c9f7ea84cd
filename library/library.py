"""The core's one entry point: ``Library(folder)`` with its managers, search and verbs.

Every change is a verb here: it takes the write lock, writes in one transaction, brings
the search index in step (``library.index_keeper``) and records its usage event.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from library.assets import AssetManager
from library.csv_import import CsvImporter, CsvReport
from library.db import open_catalog
from library.embeddings import EmbeddingManager
from library.extract import ocr
from library.index_keeper import IndexKeeper, open_index
from library.ingest import ImportReport, Ingestor
from library.models import Asset
from library.packet_verbs import PacketVerbs
from library.packets import PacketManager
from library.progress import ProgressHook
from library.settings import SETTINGS, Settings, SettingsError
from library.taxonomy import TaxonomyManager, Term
from library.usage import UsageEvent, UsageManager
from library.usage.manager import ImportSummary
from search import FACETS, SearchQuery, SearchResult

log = logging.getLogger(__name__)

CATALOG_FILE = "catalog.sqlite"
INDEX_FILE = Path("index") / "search.sqlite"


class Library(PacketVerbs):
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
        max_chars: int | None = None,
        rep: str | None = None,
    ) -> None:
        self.folder = Path(folder).expanduser().absolute()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.settings = Settings(self.folder)
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
            max_chars=max_chars or self._setting("text.max_chars"),
            follow_links=self._follow_links,
        )
        self.csv = CsvImporter(
            self.db,
            self.assets,
            add_paths=lambda paths, progress: self.ingest.add_paths(
                paths, progress=progress, watch=False
            ),
        )
        self.packets = PacketManager(self.db, self.assets, self.folder, lock=self._write_lock)
        self.index = open_index(self.folder / INDEX_FILE)
        self._keeper = IndexKeeper(self.db, self.assets, self.index)
        self.embeddings = EmbeddingManager(self.db, self.assets, lock=self._write_lock)
        self.usage = UsageManager(
            self.db,
            self.folder,
            rep=rep if rep is not None else self._rep_name,
            on_usage=self._push_usage,
        )
        # Only reports use the chosen weights; stored use counts keep the default ones.
        self.usage.weights = self._setting("usage.weights")

    def close(self) -> None:
        self.usage.close()  # stores what is still queued, before the catalog closes
        self.index.close()
        self.db.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- keeping the index in step (the work is IndexKeeper's) ---------------------------

    @property
    def generation(self) -> int:
        return self._keeper.generation

    def index_in_step(self) -> bool:
        return self._keeper.in_step()

    def _setting(self, key: str):
        try:
            return self.settings.get(key)
        except SettingsError as exc:
            # A damaged settings file must not keep the library shut: `settings set` fixes it.
            log.warning("%s", exc)
            return SETTINGS[key].default

    def change_settings(self, values: dict[str, object]) -> dict[str, object]:
        """Check and store settings (by key, as in ``library.settings.SETTINGS``; text is
        parsed as typed on a command line), and apply them to the open library.

        :returns: the stored values by key.
        :raises SettingsError: for an unknown key or a bad value; nothing changes then.
        """
        with self._write_lock:
            stored = self.settings.update(values)
        if "usage.weights" in stored:
            self.usage.weights = stored["usage.weights"]
        if "rep.name" in stored:
            self.usage._set_rep(stored["rep.name"])
        return stored

    def _rep_name(self) -> str:
        return self.packets.settings.load().rep_name

    def _follow_links(self) -> bool:
        return bool(self._setting("watch.follow_links"))

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
        self._keeper.sync(ids)

    def _pending(self) -> list[int]:
        return self._keeper.pending()

    def reindex(
        self, *, progress: ProgressHook = None, cancel: threading.Event | None = None
    ) -> int:
        """Rebuild the search index from the catalog; returns the number of assets indexed.

        The index is emptied and refilled in place, never deleted: another instance may
        have it open. A rebuild cut short (cancelled, or the process killed) is redone at
        the next start.
        """
        return self._keeper.reindex(progress=progress, cancel=cancel)

    def ensure_index(self, *, progress: ProgressHook = None) -> bool:
        """Rebuild the index if it is not in step with the catalog; True if it was rebuilt.
        Changes a killed process left unindexed are brought in first."""
        return self._keeper.ensure(progress=progress)

    # -- the verbs ------------------------------------------------------------------------

    def add_paths(
        self,
        paths: Iterable[Path | str],
        *,
        progress: ProgressHook = None,
        cancel: threading.Event | None = None,
    ) -> ImportReport:
        """Add files and folders (folders recursively, and watched for rescans); each batch
        is committed and indexed as it goes. A file that cannot be read is recorded as
        failed with its reason and the batch goes on; exact and near duplicates are
        reported, not added twice. ``cancel`` stops after the current batch.
        """
        with self._write_lock:
            return self.ingest.add_paths(paths, progress=progress, cancel=cancel)

    def rescan(
        self, *, progress: ProgressHook = None, cancel: threading.Event | None = None
    ) -> ImportReport:
        """Look at every watched folder again: new, changed, moved and missing files are
        brought in step in the catalog and the index; returns what changed."""
        with self._write_lock:
            if ocr.available():
                self.assets.reread_without_ocr()
            return self.ingest.rescan(progress=progress, cancel=cancel)

    def update_assets(self, ids: Iterable[int], **fields) -> None:
        """Set metadata fields (title, summary, content_type, status, owner, expires) on
        assets, in one transaction, and bring the index in step.

        :raises AssetNotFound: for an id the library does not have (nothing is changed).
        :raises PitchpackError: for a field that cannot be edited or a bad value.
        """
        with self._write_lock:
            self.sync(self.assets._update(ids, **fields))

    def tag_assets(
        self,
        ids: Iterable[int],
        facet: str,
        names: Iterable[str],
        *,
        mode: str = "replace",
        create: bool = False,
    ) -> None:
        """Tag assets with terms of one facet; ``mode`` is replace, add or remove.
        Confirming a suggested term turns the suggestion into a tag.

        :raises UnknownTerm: for a name the taxonomy does not have, unless ``create``.
        :raises AssetNotFound: for an id the library does not have.
        """
        with self._write_lock:
            self.sync(self.assets._set_terms(ids, facet, names, mode=mode, create=create))

    def resolve_suggestions(
        self,
        ids: Iterable[int],
        *,
        accept: bool,
        facet: str | None = None,
        names: Iterable[str] | None = None,
    ) -> None:
        """Accept (turn into tags) or reject (forget) the suggested terms of assets, all of
        them or those of ``facet`` and/or named ``names``, in one transaction.

        :raises AssetNotFound: for an id the library does not have (nothing is changed).
        """
        names = None if names is None else list(names)
        with self._write_lock:
            changed: list[int] = []
            with self.db.atomic():
                for asset_id in ids:
                    changed += self.assets._resolve_suggestions(
                        asset_id, accept=accept, facet=facet, names=names
                    )
            self.sync(changed)

    def restore_assets(self, snapshots: list[Asset]) -> None:
        """Put back the editable state (metadata, confirmed and suggested terms) captured by
        ``assets.snapshot``: how an edit is undone or redone. Terms deleted meanwhile are
        created again."""
        with self._write_lock:
            self.sync(self.assets._restore(snapshots))

    # -- the taxonomy ---------------------------------------------------------------------

    def add_term(self, facet: str, name: str, keywords: list[str] | None = None) -> Term:
        """Add a term at the end of its facet; returns it."""
        with self._write_lock:
            return self.taxonomy._add(facet, name, keywords)

    def rename_term(self, facet: str, old: str, new: str) -> None:
        """Rename a term everywhere; onto another existing term the two merge (a confirmed
        tag on either side stays confirmed). The assets it tags are re-indexed.

        :raises UnknownTerm: when ``old`` is not a term of ``facet``.
        """
        with self._write_lock:
            self.sync(self.taxonomy._rename(facet, old, new))

    def delete_term(self, facet: str, name: str) -> None:
        """Delete a term and take it off every asset; raises UnknownTerm if there is none."""
        with self._write_lock:
            self.sync(self.taxonomy._delete(facet, name))

    def set_term_keywords(self, term_id: int, keywords: list[str]) -> None:
        """Set the keywords whose presence in a file's text suggests the term (at import)."""
        with self._write_lock:
            self.taxonomy._set_keywords(term_id, keywords)

    def reorder_terms(self, facet: str, names: list[str]) -> None:
        """Put a facet's terms in this order (stages: the buyer's journey)."""
        with self._write_lock:
            self.taxonomy._reorder(facet, names)

    def import_csv(
        self, path: Path | str, *, add_missing: bool = True, progress: ProgressHook = None
    ) -> CsvReport:
        """Apply a metadata spreadsheet (CSV, one row per file, matched by path) in one
        transaction and bring the index in step. Files it names that are not in the library
        are added first, unless ``add_missing`` is False. A row that cannot be applied is
        reported with its reason and skipped.

        :raises CsvImportError: when the file cannot be read or has no path column.
        """
        with self._write_lock:
            result, changed = self.csv._import_file(
                path, add_missing=add_missing, progress=progress
            )
            self.sync(changed)
        return result

    def import_usage(self, path: Path | str) -> ImportSummary:
        """Add the usage events of an export (.csv or .jsonl) from this or another rep's
        library; events already here are skipped, assets are matched by content, and the
        usage counts in the index follow.

        :raises UsageError: when a line of the file is bad (nothing is stored then).
        """
        with self._write_lock:
            return self.usage._import_file(path)

    def apply_changes(self, change: Callable[[], Iterable[int]]) -> list[int]:
        """Run a catalog change made outside the managers (team sync) under the write lock.

        ``change`` makes its own ``library.db.changing`` transaction and returns the ids
        of the assets it changed; they are then brought into the index.
        """
        with self._write_lock:
            ids = list(change())
            self.sync(ids)
            return ids

    def remove_assets(self, ids: Iterable[int]) -> None:
        """Take assets out of the library (their files stay where they are)."""
        with self._write_lock:
            self.sync(self.assets._remove(ids))

    def add_usage_events(self, events: Iterable[UsageEvent]) -> int:
        """Store usage events now, in one transaction, skipping those already here (by id),
        and update the assets' usage counts; returns how many were new. ``events`` may be
        a generator: it is read in batches. For histories made elsewhere (the sample, a
        team's sync); what a rep does is recorded as it happens.
        """
        with self._write_lock:
            return self.usage._add_events(events)

    def search(self, query: SearchQuery) -> SearchResult:
        """Search the index (read-only, safe from any thread); stage counts come in
        buyer-journey order. Stray quotes or operators with no word to look for match
        everything, as browsing does, rather than raising.

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
