"""Storing: what a scan and the extraction workers found, written to the catalog.

Every write that changes what search shows goes through ``changing`` (one transaction,
generation bumped, ids queued for the index) and then ``on_change`` with the ids. Files
read are written many per transaction, never one transaction per file.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from library import guess
from library.analysis import SUGGEST_CHARS, text_facts, title_of
from library.assets import AssetManager
from library.db import changing, now
from library.errors import ExtractionError
from library.filechecks import recorded_mtime
from library.frontmatter import clean_front_matter, front_matter_terms
from library.import_report import Duplicate, Failure, ImportReport
from library.models import (
    ContentType,
    Extracted,
    FailureReason,
    FileState,
    Status,
    TextFacts,
)
from library.scan import Known
from library.taxonomy import TaxonomyManager

_ASSET_COLUMNS = (
    "path file_state page_count paged word_count language content_hash text_hash size mtime "
    "failure_reason error truncated updated title summary content_type status owner expires "
    "created text_source"
).split()
_INSERT_ASSET = (
    f"INSERT INTO assets ({', '.join(_ASSET_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_ASSET_COLUMNS))})"
)

Read = tuple[Path, os.stat_result, str, Extracted]  # a file read: path, stat, hash, text


class CatalogWriter:
    """Writes an import's findings; ``on_change`` is called with asset ids after each commit."""

    def __init__(
        self,
        db: Database,
        assets: AssetManager,
        taxonomy: TaxonomyManager,
        on_change: Callable[[list[int]], None],
    ) -> None:
        self.db, self.assets, self.taxonomy = db, assets, taxonomy
        self.on_change = on_change
        self._term_ids: dict[tuple[str, str], int | None] = {}  # front matter values matched

    def known(self) -> dict[str, Known]:
        return {
            r[0]: Known(*r[1:])
            for r in self.db.execute(
                "SELECT path, id, size, mtime, content_hash, file_state FROM assets"
            )
        }

    def current(self, path: Path) -> Known | None:
        """The catalog's entry for a path now: another instance may have added it since
        this scan began, and inserting it again would break the one-asset-per-path rule."""
        row = self.db.execute(
            "SELECT id, size, mtime, content_hash, file_state FROM assets WHERE path = ?",
            (str(path),),
        ).fetchone()
        return Known(*row) if row else None

    def touch(self, touched: list[tuple[int, os.stat_result]]) -> None:
        """Record the new size and time of files whose bytes did not change."""
        if not touched:
            return
        clock = time.time()
        with self.db.atomic():
            self.db.conn.executemany(
                "UPDATE assets SET size = ?, mtime = ? WHERE id = ?",
                [(st.st_size, recorded_mtime(st, clock), i) for i, st in touched],
            )

    def mark_missing(self, ids: list[int], rep: ImportReport) -> None:
        if not ids:
            return
        with changing(self.db) as changed:
            self.db.conn.executemany(
                "UPDATE assets SET file_state = 'missing' WHERE id = ?", [(i,) for i in ids]
            )
            changed += ids
        rep.missing += ids
        self.on_change(ids)

    def forget_duplicates(self, paths: list[str]) -> None:
        """Copies that were deleted are no longer duplicates of anything."""
        if paths:
            with self.db.atomic():
                self.db.conn.executemany(
                    "DELETE FROM duplicates WHERE path = ?", [(p,) for p in paths]
                )

    def duplicate_paths(self) -> list[str]:
        return [p for (p,) in self.db.execute("SELECT path FROM duplicates")]

    def move(self, asset_id: int, path: Path, st: os.stat_result, rep: ImportReport) -> None:
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

    def record_duplicate(self, path: Path, asset_id: int, kind: str, rep: ImportReport) -> None:
        with self.db.atomic():
            self.db.execute(
                "INSERT OR REPLACE INTO duplicates VALUES (?, ?, ?, ?)",
                (str(path), asset_id, kind, now()),
            )
        rep.duplicates.append(Duplicate(str(path), asset_id, kind))

    # -- files read ----------------------------------------------------------------------

    def store_batch(self, batch: list[Read], known: dict[str, Known], rep: ImportReport) -> None:
        """Write files read, in one transaction, then tell ``on_change`` once."""
        if not batch:
            return
        with changing(self.db) as changed:
            for path, st, digest, extracted in batch:
                entry = known.get(str(path))
                if entry is None and (entry := self.current(path)):
                    if entry.content_hash == digest and entry.state == FileState.OK:
                        rep.unchanged += 1  # another instance added this very file meanwhile
                        continue
                facts = extracted.facts or text_facts(path, extracted, self.taxonomy.keywords())
                asset_id = self._store_asset(path, st, digest, facts, extracted, entry, rep)
                # A former copy of another asset, now an asset of its own.
                self.db.execute("DELETE FROM duplicates WHERE path = ?", (str(path),))
                (rep.updated if entry else rep.added).append(asset_id)
                if extracted.truncated:
                    rep.truncated.append(str(path))
                rep.note_text_source(str(path), extracted.text_source)
                near = self.db.execute(
                    "SELECT id FROM assets WHERE text_hash = ? AND id != ? AND file_state = 'ok' LIMIT 1",
                    (facts.text_hash, asset_id),
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
        facts: TextFacts,
        ex: Extracted,
        entry: Known | None,
        rep: ImportReport,
    ) -> int:
        meta = clean_front_matter(ex.metadata)
        stamp = now()
        fields = dict(
            path=str(path),
            file_state="ok",
            page_count=len(ex.pages) if ex.paged else 1,
            paged=int(ex.paged),
            word_count=facts.word_count,
            language=facts.language,
            content_hash=digest,
            text_hash=facts.text_hash,
            size=st.st_size,
            mtime=recorded_mtime(st, time.time()),
            failure_reason=None,
            error=None,
            truncated=int(ex.truncated),
            text_source=ex.text_source,
            updated=stamp,
        )
        if entry is None:
            fields.update(
                title=title_of(path, ex, meta),
                summary=str(meta.get("summary") or facts.summary),
                content_type=ContentType.parse(meta.get("type")).value
                if meta.get("type")
                else guess.guess_type(path, ex).value,
                status=_status(meta.get("status")),
                owner=str(meta.get("owner") or ex.author or ""),
                expires=str(meta["expires"]) if meta.get("expires") else None,
                created=meta.get("date") or stamp,
            )
            asset_id = self.db.conn.execute(
                _INSERT_ASSET, [fields[c] for c in _ASSET_COLUMNS]
            ).lastrowid
        else:
            asset_id = entry.id
            old_text = "\n\n".join(p.text for p in self.assets.pages(asset_id))
            if self.assets.get(asset_id).summary == guess.summary(old_text):
                # Derived, not written by anyone: refresh it.
                fields["summary"] = facts.summary
            self.db["assets"].update(asset_id, fields)
            self.db.execute("DELETE FROM pages WHERE asset_id = ?", (asset_id,))
        self.db.conn.executemany(
            "INSERT INTO pages VALUES (?, ?, ?)", [(asset_id, p.number, p.text) for p in ex.pages]
        )
        self.db.execute(
            "INSERT INTO versions (asset_id, content_hash, size, path, recorded) VALUES (?,?,?,?,?)",
            (asset_id, digest, st.st_size, str(path), stamp),
        )
        term_ids, unmatched = front_matter_terms(self.taxonomy, meta, str(path), self._term_ids)
        rep.unmatched += unmatched
        tagged = [(asset_id, term_id) for term_id in term_ids]
        self.db.conn.executemany(
            "INSERT INTO asset_terms VALUES (?, ?, 0) ON CONFLICT DO UPDATE SET suggested = 0",
            tagged,
        )
        if entry is None:
            suggested = facts.suggested
        else:  # the title is the asset's own by now: only the new text suggests
            by_facet = self.taxonomy.suggest(f"\n{ex.text[:SUGGEST_CHARS]}")
            suggested = [t for ids in by_facet.values() for t in ids]
        self.assets.suggest_terms(asset_id, suggested)
        return asset_id

    def forget_resolved_terms(self) -> None:
        """Call when an import ends: the taxonomy may be edited before the next one."""
        self._term_ids.clear()

    def store_failure(
        self,
        path: Path,
        st: os.stat_result,
        known: dict[str, Known],
        error: ExtractionError,
        rep: ImportReport,
    ) -> None:
        entry = known.get(str(path)) or self.current(path)
        if error.reason == FailureReason.UNREADABLE and not os.path.lexists(path):
            # Deleted while being read: a new file leaves no trace, a known one is missing.
            if entry is None:
                rep.failed.append(Failure(str(path), str(error.reason), str(error)))
            else:
                self.mark_missing([entry.id], rep)
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


def _status(value) -> str:
    value = str(value or "").strip().lower()
    return value if value in {s.value for s in Status} else Status.APPROVED.value
