"""Adding and rescanning files: incremental by size and time then hash, with moves, versions
and duplicates recognised, text read in worker processes and bad files recorded, not raised."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlite_utils import Database

from library import guess
from library.assets import AssetManager
from library.db import changing, now
from library.errors import ExtractionError
from library.extract import SUPPORTED_SUFFIXES, ocr
from library.extract.pool import ExtractionPool
from library.filechecks import os_message, recorded_mtime, refusal
from library.frontmatter import Unmatched, clean_front_matter, front_matter_terms
from library.models import (
    ContentType,
    Extracted,
    FailureReason,
    FileState,
    Status,
    TextSource,
)
from library.progress import ProgressHook, cancelled, report
from library.taxonomy import TaxonomyManager

BATCH = 100  # extracted files written per transaction
_JUNK = {".ds_store", "thumbs.db", "desktop.ini"}


@dataclass
class Failure:
    path: str
    reason: str
    message: str


@dataclass
class Duplicate:
    path: str
    asset_id: int
    kind: str  # "exact": the same bytes; "near": the same text in a different file


@dataclass
class ImportReport:
    """What an add or rescan did, for the CLI's summary and the import dialog."""

    added: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    unchanged: int = 0
    duplicates: list[Duplicate] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    truncated: list[str] = field(default_factory=list)
    skipped: list[Failure] = field(default_factory=list)  # unsupported files met in folders
    no_text: list[str] = field(default_factory=list)  # kept without text (image-only files)
    ocr: list[str] = field(default_factory=list)  # text read by OCR
    ocr_hint: str | None = None  # how to enable OCR, when files needed it and it is missing
    unmatched: list[Unmatched] = field(default_factory=list)  # front matter naming no term
    cancelled: bool = False

    def note_text_source(self, path: str, source: str) -> None:
        """Count a file read by OCR or kept without text; the OCR hint is given once."""
        if source == TextSource.OCR:
            self.ocr.append(path)
        elif not TextSource(source).has_text:
            self.no_text.append(path)
            if source == TextSource.NO_OCR:
                self.ocr_hint = ocr.ENABLE_HINT

    @property
    def changed_ids(self) -> list[int]:
        return self.added + self.updated + self.moved + self.missing

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{self.unchanged} unchanged",
        ]
        for label, items in (
            ("moved", self.moved),
            ("missing", self.missing),
            ("duplicates", self.duplicates),
            ("failed", self.failed),
            ("skipped as unsupported", self.skipped),
            ("cut at the text limit", self.truncated),
            ("read by OCR", self.ocr),
            ("kept without text", self.no_text),
            ("front matter values matching no term", self.unmatched),
        ):
            if items:
                parts.append(f"{len(items)} {label}")
        return ", ".join(parts) + (" (cancelled)" if self.cancelled else "")


@dataclass
class _Known:
    id: int
    size: int
    mtime: float
    content_hash: str
    state: str


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def walk(root: Path) -> Iterator[Path]:
    """Files below ``root``, skipping hidden and temporary ones; symlinked folders are not
    followed, so a link loop cannot trap the scan."""
    for folder, dirs, files in os.walk(root, followlinks=False, onerror=lambda e: None):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith((".", "~$")) or name.lower() in _JUNK:
                continue
            yield Path(folder, name)


class Ingestor:
    """Brings files into the catalog. ``on_change`` is called with asset ids after each commit."""

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
    ) -> None:
        self.db, self.assets, self.taxonomy = db, assets, taxonomy
        self.on_change = on_change
        self.max_file_size = max_file_size
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
        """Add files and folders (recursively). Folders are remembered for ``rescan``."""
        files: list[Path] = []
        roots: list[Path] = []
        report_ = ImportReport()
        for raw in paths:
            path = Path(raw).expanduser().absolute()
            if path.is_dir():
                roots.append(path)
                for found in walk(path):
                    if found.suffix.lower() in SUPPORTED_SUFFIXES:
                        files.append(found)
                    else:
                        report_.skipped.append(
                            Failure(str(found), FailureReason.UNSUPPORTED, _unsupported(found))
                        )
            elif path.exists() or path.is_symlink():  # a broken link is reported when read
                files.append(path)
            else:
                report_.failed.append(
                    Failure(str(path), FailureReason.UNREADABLE, "There is no such file or folder.")
                )
        if watch and roots:
            with self.db.atomic():
                self.db.conn.executemany(
                    "INSERT OR IGNORE INTO folders VALUES (?, ?)", [(str(r), now()) for r in roots]
                )
        return self._ingest(files, roots, report_, progress, cancel)

    def rescan(
        self, *, progress: ProgressHook = None, cancel: threading.Event | None = None
    ) -> ImportReport:
        """Look again at every watched folder and every known file."""
        roots = [Path(r[0]) for r in self.db.execute("SELECT path FROM folders ORDER BY path")]
        files = [
            f
            for root in roots
            if root.is_dir()
            for f in walk(root)
            if f.suffix.lower() in SUPPORTED_SUFFIXES
        ]
        seen = {str(f) for f in files}
        files += [Path(p) for (p,) in self.db.execute("SELECT path FROM assets") if p not in seen]
        return self._ingest(files, roots, ImportReport(), progress, cancel)

    def folders(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT path FROM folders ORDER BY path")]

    def replace_file(self, asset_id: int, path: Path | str) -> ImportReport:
        """Give an asset a new file (a new version): identity, tags and history are kept."""
        asset = self.assets.get(asset_id)
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
        known = {
            r[0]: _Known(*r[1:])
            for r in self.db.execute(
                "SELECT path, id, size, mtime, content_hash, file_state FROM assets"
            )
        }
        to_read: list[tuple[Path, os.stat_result, str]] = []
        unknown: list[tuple[Path, os.stat_result]] = []
        seen: set[str] = set()
        for n, path in enumerate(files, 1):
            if cancelled(cancel):
                rep.cancelled = True
                return rep
            report(progress, "scanning", n, len(files), str(path))
            key = str(path)
            if key in seen:
                continue
            seen.add(key)
            try:
                st = path.stat()
            except OSError as exc:
                if key not in known:
                    rep.failed.append(Failure(key, FailureReason.UNREADABLE, os_message(exc)))
                continue
            if refused := refusal(path, st):
                rep.failed.append(Failure(key, *refused))
                continue
            entry = known.get(key)
            if entry is None:
                unknown.append((path, st))
            elif (
                entry.size == st.st_size
                and entry.mtime == st.st_mtime
                and entry.state != FileState.MISSING
            ):
                rep.unchanged += 1
            else:
                digest = self._hash(path, rep)
                if digest is None:
                    continue
                if digest == entry.content_hash and entry.state == FileState.OK:
                    self._touch(entry.id, st)
                    rep.unchanged += 1
                else:
                    to_read.append((path, st, digest))

        vanished = self._mark_vanished(known, seen, roots, files, rep)
        rereading = {str(p) for p, _, _ in to_read}  # their old content is going away
        by_hash = {
            k.content_hash: (p, k)
            for p, k in known.items()
            if k.content_hash and k.state == FileState.OK and p not in rereading
        }
        for path, st in unknown:
            digest = self._hash(path, rep)
            if digest is None:
                continue
            if digest in vanished:
                self._move(vanished.pop(digest), path, st, rep)
            elif digest in by_hash and Path(by_hash[digest][0]).exists():
                self._record_duplicate(path, by_hash[digest][1].id, "exact", rep)
            else:
                to_read.append((path, st, digest))
        self._read_all(to_read, known, rep, progress, cancel)
        return rep

    def _current(self, path: Path) -> _Known | None:
        """The catalog's entry for a path now: another instance may have added it since
        this scan began, and inserting it again would break the one-asset-per-path rule."""
        row = self.db.execute(
            "SELECT id, size, mtime, content_hash, file_state FROM assets WHERE path = ?",
            (str(path),),
        ).fetchone()
        return _Known(*row) if row else None

    def _touch(self, asset_id: int, st: os.stat_result) -> None:
        with self.db.atomic():
            self.db.execute(
                "UPDATE assets SET size = ?, mtime = ? WHERE id = ?",
                (st.st_size, recorded_mtime(st, time.time()), asset_id),
            )

    def _hash(self, path: Path, rep: ImportReport) -> str | None:
        try:
            return file_hash(path)
        except OSError as exc:
            rep.failed.append(Failure(str(path), FailureReason.UNREADABLE, os_message(exc)))
            return None

    def _mark_vanished(
        self,
        known: dict[str, _Known],
        seen: set[str],
        roots: list[Path],
        files: list[Path],
        rep: ImportReport,
    ) -> dict[str, int]:
        """Mark known files that are gone as missing; returns their ids by content hash."""
        explicit = {str(f) for f in files}
        gone = []
        for path, entry in known.items():
            if path in seen and Path(path).exists():
                continue
            under_root = any(path.startswith(str(r) + os.sep) for r in roots)
            if (under_root or path in explicit) and not Path(path).exists():
                gone.append((path, entry))
        vanished = {e.content_hash: e.id for _, e in gone if e.content_hash}
        self._mark_missing([e.id for _, e in gone if e.state != FileState.MISSING], rep)
        stale = [
            (p,)
            for (p,) in self.db.execute("SELECT path FROM duplicates")
            if (p in explicit or any(p.startswith(str(r) + os.sep) for r in roots))
            and not os.path.lexists(p)
        ]
        if stale:  # copies that were deleted are no longer duplicates of anything
            with self.db.atomic():
                self.db.conn.executemany("DELETE FROM duplicates WHERE path = ?", stale)
        return vanished

    def _mark_missing(self, ids: list[int], rep: ImportReport) -> None:
        if not ids:
            return
        with changing(self.db) as changed:
            self.db.conn.executemany(
                "UPDATE assets SET file_state = 'missing' WHERE id = ?", [(i,) for i in ids]
            )
            changed += ids
        rep.missing += ids
        self.on_change(ids)

    def _move(self, asset_id: int, path: Path, st: os.stat_result, rep: ImportReport) -> None:
        with changing(self.db) as changed:
            self.db.execute(
                "UPDATE assets SET path = ?, size = ?, mtime = ?, file_state = 'ok' WHERE id = ?",
                (str(path), st.st_size, recorded_mtime(st, time.time()), asset_id),
            )
            self.db.execute("DELETE FROM duplicates WHERE path = ?", (str(path),))
            changed.append(asset_id)
        rep.moved.append(asset_id)
        if asset_id in rep.missing:
            rep.missing.remove(asset_id)
        self.on_change(changed)

    def _record_duplicate(self, path: Path, asset_id: int, kind: str, rep: ImportReport) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT OR REPLACE INTO duplicates VALUES (?, ?, ?, ?)",
                (str(path), asset_id, kind, now()),
            )
        rep.duplicates.append(Duplicate(str(path), asset_id, kind))

    def _read_all(
        self,
        items: list[tuple[Path, os.stat_result, str]],
        known: dict[str, _Known],
        rep: ImportReport,
        progress: ProgressHook,
        cancel: threading.Event | None,
    ) -> None:
        """Extract what changed or is new, in worker processes, committing in batches."""
        stats = {str(p): (st, digest) for p, st, digest in items}
        readable = []
        for path, st, _ in items:
            if st.st_size > self.max_file_size:
                self._store_failure(
                    path,
                    st,
                    known,
                    ExtractionError(
                        FailureReason.TOO_LARGE,
                        f"The file is larger than the {self.max_file_size >> 20} MB limit for one file.",
                    ),
                    rep,
                )
            elif path.suffix.lower() not in SUPPORTED_SUFFIXES:
                self._store_failure(
                    path,
                    st,
                    known,
                    ExtractionError(FailureReason.UNSUPPORTED, _unsupported(path)),
                    rep,
                )
            else:
                readable.append(path)
        if not readable:
            return
        batch: list[tuple[Path, Extracted]] = []
        with ExtractionPool(**self.pool_options) as pool:
            for n, (path, outcome) in enumerate(pool.map(readable), 1):
                report(progress, "reading", n, len(readable), str(path))
                st, _ = stats[str(path)]
                if isinstance(outcome, ExtractionError):
                    self._store_failure(path, st, known, outcome, rep)
                elif not outcome.text.strip() and outcome.text_source == TextSource.FILE:
                    self._store_failure(
                        path,
                        st,
                        known,
                        ExtractionError(
                            FailureReason.EMPTY,
                            "No text was found in the file (is it a scanned image?).",
                        ),
                        rep,
                    )
                else:
                    batch.append((path, outcome))
                if len(batch) >= BATCH:
                    self._store_batch(batch, stats, known, rep)
                    batch = []
                if cancelled(cancel):
                    rep.cancelled = True
                    break
        self._store_batch(batch, stats, known, rep)

    # -- writing -------------------------------------------------------------------------

    def _store_batch(
        self,
        batch: list[tuple[Path, Extracted]],
        stats: dict,
        known: dict[str, _Known],
        rep: ImportReport,
    ) -> None:
        if not batch:
            return
        with changing(self.db) as changed:
            for path, extracted in batch:
                st, digest = stats[str(path)]
                entry = known.get(str(path))
                if entry is None and (entry := self._current(path)):
                    if entry.content_hash == digest and entry.state == FileState.OK:
                        rep.unchanged += 1  # another instance added this very file meanwhile
                        continue
                asset_id = self._store_asset(path, st, digest, extracted, entry, rep)
                # A former copy of another asset, now an asset of its own.
                self.db.execute("DELETE FROM duplicates WHERE path = ?", (str(path),))
                (rep.updated if entry else rep.added).append(asset_id)
                if extracted.truncated:
                    rep.truncated.append(str(path))
                rep.note_text_source(str(path), extracted.text_source)
                near = self.db.execute(
                    "SELECT id FROM assets WHERE text_hash = ? AND id != ? AND file_state = 'ok' LIMIT 1",
                    (_text_hash(extracted), asset_id),
                ).fetchone()
                if near and extracted.text.strip():
                    self.db.execute(
                        "INSERT OR REPLACE INTO duplicates VALUES (?, ?, 'near', ?)",
                        (str(path), near[0], now()),
                    )
                    rep.duplicates.append(Duplicate(str(path), near[0], "near"))
                changed.append(asset_id)
        self.on_change(changed)

    def _store_asset(
        self,
        path: Path,
        st: os.stat_result,
        digest: str,
        ex: Extracted,
        entry: _Known | None,
        rep: ImportReport,
    ) -> int:
        meta = clean_front_matter(ex.metadata)
        fields = dict(
            path=str(path),
            file_state="ok",
            page_count=len(ex.pages) if ex.paged else 1,
            paged=int(ex.paged),
            word_count=ex.word_count,
            language=meta.get("language") or guess.language(ex.text),
            content_hash=digest,
            text_hash=_text_hash(ex),
            size=st.st_size,
            mtime=recorded_mtime(st, time.time()),
            failure_reason=None,
            error=None,
            truncated=int(ex.truncated),
            text_source=ex.text_source,
            updated=now(),
        )
        if entry is None:
            fields.update(
                title=str(meta.get("title") or ex.title or guess.title_from_name(path)),
                summary=str(meta.get("summary") or guess.summary(ex.text)),
                content_type=ContentType.parse(meta.get("type")).value
                if meta.get("type")
                else guess.guess_type(path, ex).value,
                status=_status(meta.get("status")),
                owner=str(meta.get("owner") or ex.author or ""),
                expires=str(meta["expires"]) if meta.get("expires") else None,
                created=meta.get("date") or now(),
            )
            asset_id = self.db["assets"].insert(fields).last_pk
        else:
            asset_id = entry.id
            old_text = "\n\n".join(p.text for p in self.assets.pages(asset_id))
            if self.assets.get(asset_id).summary == guess.summary(old_text):
                fields["summary"] = guess.summary(
                    ex.text
                )  # derived, not written by anyone: refresh it
            self.db["assets"].update(asset_id, fields)
            self.db.execute("DELETE FROM pages WHERE asset_id = ?", (asset_id,))
        self.db.conn.executemany(
            "INSERT INTO pages VALUES (?, ?, ?)", [(asset_id, p.number, p.text) for p in ex.pages]
        )
        self.db.execute(
            "INSERT INTO versions (asset_id, content_hash, size, path, recorded) VALUES (?,?,?,?,?)",
            (asset_id, digest, st.st_size, str(path), now()),
        )
        term_ids, unmatched = front_matter_terms(self.taxonomy, meta, str(path))
        rep.unmatched += unmatched
        for term_id in term_ids:
            self.db.execute(
                "INSERT INTO asset_terms VALUES (?, ?, 0) ON CONFLICT DO UPDATE SET suggested = 0",
                (asset_id, term_id),
            )
        suggested = self.taxonomy.suggest(f"{fields.get('title', '')}\n{ex.text[:200_000]}")
        self.assets.suggest_terms(asset_id, [t for ids in suggested.values() for t in ids])
        return asset_id

    def _store_failure(
        self,
        path: Path,
        st: os.stat_result,
        known: dict[str, _Known],
        error: ExtractionError,
        rep: ImportReport,
    ) -> None:
        entry = known.get(str(path)) or self._current(path)
        if error.reason == FailureReason.UNREADABLE and not os.path.lexists(path):
            # Deleted while being read: a new file leaves no trace, a known one is missing.
            if entry is None:
                rep.failed.append(Failure(str(path), str(error.reason), str(error)))
            else:
                self._mark_missing([entry.id], rep)
            return
        rep.failed.append(Failure(str(path), str(error.reason), str(error)))
        fields = dict(
            path=str(path),
            file_state="failed",
            failure_reason=str(error.reason),
            error=str(error),
            size=st.st_size,
            mtime=recorded_mtime(st, time.time()),
            updated=now(),
        )
        with changing(self.db) as changed:
            if entry is None:
                fields.update(
                    title=guess.title_from_name(path),
                    created=now(),
                    content_type=guess.guess_type(path, None).value,
                    status="draft",
                )
                changed.append(self.db["assets"].insert(fields).last_pk)
            else:
                self.db["assets"].update(entry.id, fields)
                changed.append(entry.id)
            self.db.execute("DELETE FROM duplicates WHERE path = ?", (str(path),))
        self.on_change(changed)


def _unsupported(path: Path) -> str:
    return (
        f"Files of type '{path.suffix or 'without extension'}' are not supported "
        "(PDF, DOCX, PPTX, HTML, Markdown and plain text are)."
    )


def _status(value) -> str:
    value = str(value or "").strip().lower()
    return value if value in {s.value for s in Status} else Status.APPROVED.value


def _text_hash(ex: Extracted) -> str:
    return hashlib.sha256(" ".join(ex.text.split()).casefold().encode()).hexdigest()
