"""Adding and rescanning files: incremental by size and time then hash, with moves, versions
and duplicates recognised, text read in worker processes and bad files recorded, not raised.

``library.scan`` decides what to look at and what changed; ``library.store`` writes it. This
module runs the two around the extraction workers, keeping the workers busy while batches
are stored.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from sqlite_utils import Database

from library import scan
from library.analysis import analyse
from library.assets import AssetManager
from library.db import changing, now
from library.errors import ExtractionError
from library.extract import SUPPORTED_SUFFIXES
from library.extract.pool import ExtractionPool
from library.import_report import Duplicate, Failure, ImportReport
from library.models import FailureReason, FileState, TextSource
from library.progress import ProgressHook, cancelled, report
from library.scan import Known, file_hash, walk
from library.store import CatalogWriter, Read
from library.taxonomy import TaxonomyManager

__all__ = ["BATCH", "Duplicate", "Failure", "ImportReport", "Ingestor", "file_hash", "walk"]

BATCH = 200  # extracted files written per transaction
# Or fewer, when they are long: storing a batch should take no longer than the workers
# need to read the files queued for them (`pool.IN_FLIGHT_PER_WORKER`), or they wait.
BATCH_CHARS = 2_000_000
# Once the last file has gone to a worker, batches are cut at this, so that little is left
# to store when reading ends.
TAIL_BATCH_CHARS = 250_000
# Progress is reported at most this often while reading: a GUI hook crosses threads.
PROGRESS_SECONDS = 0.1
EMPTY_MESSAGE = "No text was found in the file (is it a scanned image?)."


class Ingestor:
    """Brings files into the catalog. ``on_change`` is called with asset ids after each commit.

    :param follow_links: asked at each add or rescan: whether links in a folder that lead
        out of it are followed (by default they are passed over and reported as skipped).
    """

    def __init__(
        self,
        db: Database,
        assets: AssetManager,
        taxonomy: TaxonomyManager,
        *,
        on_change: Callable[[list[int]], None],
        max_file_size: int = 1 << 30,
        timeout: float = 60.0,
        workers: int | None = None,
        max_chars: int = 2_000_000,
        follow_links: Callable[[], bool] = lambda: False,
    ) -> None:
        self.db = db
        self.writer = CatalogWriter(db, assets, taxonomy, on_change)
        self.on_change = on_change
        self.max_file_size = max_file_size
        self.follow_links = follow_links
        self.pool_options = {"timeout": timeout, "workers": workers, "max_chars": max_chars}

    # -- public --------------------------------------------------------------------------

    def add_paths(
        self,
        paths: Iterable[Path | str],
        *,
        progress: ProgressHook = None,
        cancel: threading.Event | None = None,
        watch: bool = True,
    ) -> ImportReport:
        """Add files and folders (recursively). Folders are remembered for ``rescan``.

        Unsupported files and links leading out of a folder are listed in the report's
        ``skipped``; files that cannot be read are stored as failed, with the reason.
        """
        rep = ImportReport()
        files, roots = scan.files_to_add(paths, rep, follow_links=self.follow_links())
        if watch and roots:
            with self.db.atomic():
                self.db.conn.executemany(
                    "INSERT OR IGNORE INTO folders VALUES (?, ?)", [(str(r), now()) for r in roots]
                )
        return self._ingest(files, roots, rep, progress, cancel)

    def rescan(
        self, *, progress: ProgressHook = None, cancel: threading.Event | None = None
    ) -> ImportReport:
        """Look again at every watched folder and every known file."""
        rep = ImportReport()
        roots = [Path(p) for p in self.folders()]
        known_paths = [p for (p,) in self.db.execute("SELECT path FROM assets")]
        files = scan.files_to_rescan(roots, known_paths, rep, follow_links=self.follow_links())
        return self._ingest(files, roots, rep, progress, cancel)

    def folders(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT path FROM folders ORDER BY path")]

    def replace_file(self, asset_id: int, path: Path | str) -> ImportReport:
        """Give an asset a new file (a new version): identity, tags and history are kept."""
        asset = self.writer.assets.get(asset_id)
        path = Path(path).expanduser().absolute()
        with changing(self.db) as changed:
            self.db.execute(
                "UPDATE assets SET path = ?, size = -1 WHERE id = ?", (str(path), asset.id)
            )
            changed.append(asset.id)
        self.on_change(changed)
        return self._ingest([path], [], ImportReport(), None, None)

    # -- the scan ------------------------------------------------------------------------

    def _ingest(
        self,
        files: list[Path],
        roots: list[Path],
        rep: ImportReport,
        progress: ProgressHook,
        cancel: threading.Event | None,
    ) -> ImportReport:
        known = self.writer.known()
        plan = scan.compare(files, known, rep, progress, cancel)
        if plan is None:
            return rep
        self.writer.touch(plan.touched)
        gone = scan.vanished(known, plan.seen, roots, files)
        self.writer.mark_missing([e.id for e in gone if e.state != FileState.MISSING], rep)
        self.writer.forget_duplicates(
            scan.stale_duplicates(self.writer.duplicate_paths(), roots, files)
        )
        moved_from = {e.content_hash: e.id for e in gone if e.content_hash}
        rereading = {str(p) for p, _, _ in plan.to_read}  # their old content is going away
        by_hash = {
            k.content_hash: (p, k)
            for p, k in known.items()
            if k.content_hash and k.state == FileState.OK and p not in rereading
        }
        for path, st in plan.unknown:
            digest = scan.hash_or_fail(path, rep)
            if digest is None:
                continue
            if digest in moved_from:
                self.writer.move(moved_from.pop(digest), path, st, rep)
            elif digest in by_hash and Path(by_hash[digest][0]).exists():
                self.writer.record_duplicate(path, by_hash[digest][1].id, "exact", rep)
            else:
                plan.to_read.append((path, st, digest))
        try:
            self._read_all(plan.to_read, known, rep, progress, cancel)
        finally:
            self.writer.forget_resolved_terms()
        return rep

    def _read_all(
        self,
        items: list[tuple[Path, object, str]],
        known: dict[str, Known],
        rep: ImportReport,
        progress: ProgressHook,
        cancel: threading.Event | None,
    ) -> None:
        """Extract what changed or is new, in worker processes, committing in batches."""
        stats = {str(p): (st, digest) for p, st, digest in items}
        readable = []
        for path, st, _ in items:
            if st.st_size > self.max_file_size:
                limit = self.max_file_size >> 20
                error = ExtractionError(
                    FailureReason.TOO_LARGE,
                    f"The file is larger than the {limit} MB limit for one file.",
                )
                self.writer.store_failure(path, st, known, error, rep)
            elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
                error = ExtractionError(FailureReason.UNSUPPORTED, scan.unsupported_message(path))
                self.writer.store_failure(path, st, known, error, rep)
            else:
                readable.append(path)
        if not readable:
            return
        batch: list[Read] = []
        batch_chars = 0
        last_report = 0.0
        then = functools.partial(analyse, keywords=self.writer.taxonomy.keywords())
        all_queued = threading.Event()
        with ExtractionPool(**self.pool_options, then=then) as pool:
            for n, (path, outcome) in enumerate(pool.map(_noting_end(readable, all_queued)), 1):
                clock = time.monotonic()
                if clock - last_report >= PROGRESS_SECONDS or n == len(readable):
                    report(progress, "reading", n, len(readable), str(path))
                    last_report = clock
                st, digest = stats[str(path)]
                if isinstance(outcome, ExtractionError):
                    self.writer.store_failure(path, st, known, outcome, rep)
                elif not outcome.text.strip() and outcome.text_source == TextSource.FILE:
                    error = ExtractionError(FailureReason.EMPTY, EMPTY_MESSAGE)
                    self.writer.store_failure(path, st, known, error, rep)
                else:
                    batch.append((path, st, digest, outcome))
                    batch_chars += sum(len(page.text) for page in outcome.pages)
                chars_limit = TAIL_BATCH_CHARS if all_queued.is_set() else BATCH_CHARS
                if len(batch) >= BATCH or batch_chars >= chars_limit:
                    self.writer.store_batch(batch, known, rep)
                    batch, batch_chars = [], 0
                if cancelled(cancel):
                    rep.cancelled = True
                    break
        self.writer.store_batch(batch, known, rep)


def _noting_end(paths: list[Path], end: threading.Event) -> Iterator[Path]:
    """``paths``, then ``end`` set: the pool takes its files lazily, so it has taken the last."""
    yield from paths
    end.set()
