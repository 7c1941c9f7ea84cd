"""Reading and editing assets in the catalog: metadata, taxonomy terms, pages and versions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import PurePath

from sqlite_utils import Database

from library.db import changing, now
from library.errors import AssetNotFound, PitchpackError
from library.models import Asset, ContentType, Facet, FileState, Page, Status, TextSource
from library.taxonomy import TaxonomyManager
from search import IndexRecord

EDITABLE = ("title", "summary", "content_type", "status", "owner", "expires")
_COLUMNS = (
    "id, path, title, summary, content_type, status, file_state, owner, created, updated, expires, "
    "page_count, paged, word_count, language, content_hash, text_hash, size, mtime, failure_reason, "
    "error, usage_count, truncated, text_source"
)


def _asset(row: tuple) -> Asset:
    (
        id_,
        path,
        title,
        summary,
        ctype,
        status,
        state,
        owner,
        created,
        updated,
        expires,
        pages,
        paged,
        words,
        language,
        chash,
        thash,
        size,
        mtime,
        reason,
        error,
        usage,
        truncated,
        text_source,
    ) = row
    return Asset(
        id=id_,
        path=path,
        title=title,
        summary=summary,
        content_type=ctype,
        status=status,
        file_state=state,
        owner=owner,
        created=created,
        updated=updated,
        expires=expires,
        page_count=pages,
        paged=bool(paged),
        word_count=words,
        language=language,
        content_hash=chash,
        text_hash=thash,
        size=size,
        mtime=mtime,
        failure_reason=reason,
        error=error,
        usage_count=usage,
        truncated=bool(truncated),
        text_source=text_source,
    )


def _check_value(field: str, value):
    if field == "content_type":
        return ContentType.parse(value).value
    if field == "status":
        try:
            return Status(str(value).strip().lower()).value
        except ValueError:
            raise PitchpackError(
                f"'{value}' is not a status; use one of: {', '.join(s.value for s in Status)}."
            ) from None
    if field == "expires":
        if value in (None, ""):
            return None
        try:
            return date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise PitchpackError(f"'{value}' is not a date; write it as YYYY-MM-DD.") from None
    return "" if value is None else str(value)


class AssetManager:
    """Every read and edit of assets goes through here; edits return the ids they changed."""

    def __init__(self, db: Database, taxonomy: TaxonomyManager) -> None:
        self.db = db
        self.taxonomy = taxonomy

    # -- reading -------------------------------------------------------------------------

    def get(self, asset_id: int) -> Asset:
        assets = self.get_many([asset_id])
        if not assets:
            raise AssetNotFound(asset_id)
        return assets[0]

    def get_many(self, ids: Iterable[int]) -> list[Asset]:
        """Assets with their terms, in the order of ``ids`` (unknown ids are skipped)."""
        ids = list(ids)
        found: dict[int, Asset] = {}
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            for row in self.db.execute(
                f"SELECT {_COLUMNS} FROM assets WHERE id IN ({marks})", chunk
            ):
                found[row[0]] = _asset(row)
            for asset_id, facet, name, suggested in self.db.execute(
                "SELECT at.asset_id, t.facet, t.name, at.suggested FROM asset_terms at "
                f"JOIN terms t ON t.id = at.term_id WHERE at.asset_id IN ({marks}) "
                "ORDER BY t.facet, t.position, t.name",
                chunk,
            ):
                target = found[asset_id].suggested if suggested else found[asset_id].terms
                target.setdefault(facet, []).append(name)
        return [found[i] for i in ids if i in found]

    def ids(self, *, state: str | None = None) -> list[int]:
        if state:
            return [
                r[0]
                for r in self.db.execute(
                    "SELECT id FROM assets WHERE file_state = ? ORDER BY id", (state,)
                )
            ]
        return [r[0] for r in self.db.execute("SELECT id FROM assets ORDER BY id")]

    def ids_by_path(self, paths: Iterable[str]) -> dict[str, int]:
        """The ids of the assets at these paths (as stored); paths not in the library are left out."""
        found: dict[str, int] = {}
        for chunk in _chunks(list(dict.fromkeys(paths)), 500):
            marks = ",".join("?" * len(chunk))
            found.update(
                self.db.execute(f"SELECT path, id FROM assets WHERE path IN ({marks})", chunk)
            )
        return found

    def all(self, *, failed_only: bool = False) -> list[Asset]:
        return self.get_many(self.ids(state=FileState.FAILED.value if failed_only else None))

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM assets").fetchone()[0]

    # What each column of the library table sorts by. Stages and personas go in the
    # taxonomy's order (the buyer's journey) by an asset's first confirmed term, and an
    # asset without one, like one without an expiry date, sorts after all the others.
    SORT_KEYS = {
        "title": ("casefold(title)",),
        "type": ("content_type",),
        "status": ("status",),
        "file": ("file_state",),
        "stages": ("first_position IS NULL", "first_position"),
        "personas": ("first_position IS NULL", "first_position"),
        "updated": ("updated",),
        "expires": ("coalesce(nullif(expires, ''), '9999')",),
        "usage": ("usage_count",),
        "problem": (
            "coalesce(nullif(error, ''), CASE file_state WHEN "
            f"'{FileState.MISSING.value}' THEN 'File not found' ELSE '' END)",
        ),
    }

    def sorted_ids(
        self, column: str, descending: bool = False, ids: list[int] | None = None
    ) -> list[int]:
        """Asset ids in the order of one of ``SORT_KEYS``, ties broken by id.

        :param descending: the exact reverse of the ascending order, ties included.
        :param ids: sort only these (unknown ids are left out); every asset when None.
        :raises PitchpackError: for a column not in ``SORT_KEYS``.
        """
        if column not in self.SORT_KEYS:
            known = ", ".join(self.SORT_KEYS)
            raise PitchpackError(f"Cannot sort by '{column}'; use one of: {known}.")
        # Python's casefold, so that titles sort as the table compares them.
        self.db.conn.create_function(
            "casefold", 1, lambda s: s.casefold() if isinstance(s, str) else s, deterministic=True
        )
        params: list = []
        join = where = ""
        facet = {"stages": Facet.STAGE, "personas": Facet.PERSONA}.get(column)
        if facet:
            join = (
                "LEFT JOIN (SELECT x.asset_id, min(t.position) AS first_position "
                "FROM asset_terms x JOIN terms t ON t.id = x.term_id "
                "WHERE x.suggested = 0 AND t.facet = ? GROUP BY x.asset_id) f "
                "ON f.asset_id = assets.id"
            )
            params.append(facet.value)
        if ids is not None:
            where = "WHERE assets.id IN (SELECT value FROM json_each(?))"
            params.append("[" + ",".join(str(int(i)) for i in ids) + "]")
        direction = " DESC" if descending else ""
        keys = (*self.SORT_KEYS[column], "assets.id")
        order = ", ".join(key + direction for key in keys)
        sql = f"SELECT assets.id FROM assets {join} {where} ORDER BY {order}"
        return [row[0] for row in self.db.execute(sql, params)]

    def pages(self, asset_id: int) -> list[Page]:
        return [
            Page(n, t)
            for n, t in self.db.execute(
                "SELECT number, text FROM pages WHERE asset_id = ? ORDER BY number", (asset_id,)
            )
        ]

    def versions(self, asset_id: int) -> list[dict]:
        return [
            dict(r)
            for r in self.db.query(
                "SELECT content_hash, size, path, recorded FROM versions WHERE asset_id = ? ORDER BY id",
                [asset_id],
            )
        ]

    def duplicates(self) -> list[dict]:
        return list(
            self.db.query(
                "SELECT d.path, d.asset_id, d.kind, d.found, a.path AS original FROM duplicates d "
                "JOIN assets a ON a.id = d.asset_id ORDER BY d.found, d.path"
            )
        )

    def index_records(self, ids: Iterable[int]) -> list[IndexRecord]:
        """What the search index holds for these assets (only those with readable text)."""
        records = []
        for asset in self.get_many(ids):
            if asset.file_state != FileState.OK:
                continue
            terms = asset.terms
            pages = [p.text for p in self.pages(asset.id)]
            if not TextSource(asset.text_source).has_text:
                # The file has no words of its own; its name is what people remember.
                pages[:1] = [re.sub(r"[_\-.]+", " ", PurePath(asset.path).name)]
            records.append(
                IndexRecord(
                    id=asset.id,
                    title=asset.title,
                    path=asset.path,
                    summary=asset.summary,
                    pages=pages,
                    paged=asset.paged,
                    type=asset.content_type,
                    status=asset.status,
                    stage=terms.get(Facet.STAGE, []),
                    persona=terms.get(Facet.PERSONA, []),
                    industry=terms.get(Facet.INDUSTRY, []),
                    product=terms.get(Facet.PRODUCT, []),
                    tag=terms.get(Facet.TAG, []),
                    updated=asset.updated,
                    expires=asset.expires,
                    usage=asset.usage_count,
                )
            )
        return records

    def reread_without_ocr(self) -> int:
        """Have the next scan read again the files kept without text while OCR was not
        installed (a size of -1 and no hash never match the file's); returns how many."""
        with self.db.atomic():
            return self.db.execute(
                "UPDATE assets SET size = -1, content_hash = '' "
                "WHERE text_source = ? AND file_state = 'ok'",
                (TextSource.NO_OCR.value,),
            ).rowcount

    # -- reports -------------------------------------------------------------------------

    def missing_taxonomy(self) -> list[Asset]:
        """Readable assets with no confirmed stage or no confirmed persona."""
        rows = self.db.execute(
            "SELECT id FROM assets a WHERE file_state = 'ok' AND status != 'archived' AND ("
            + " OR ".join(
                "NOT EXISTS (SELECT 1 FROM asset_terms x JOIN terms t ON t.id = x.term_id "
                f"WHERE x.asset_id = a.id AND x.suggested = 0 AND t.facet = '{f}')"
                for f in ("stage", "persona")
            )
            + ") ORDER BY title"
        ).fetchall()
        return self.get_many(r[0] for r in rows)

    def expiring(self, days: int = 30, *, today: date | None = None) -> list[Asset]:
        today = today or date.today()
        rows = self.db.execute(
            "SELECT id FROM assets WHERE expires IS NOT NULL AND expires >= ? AND expires <= ? "
            "AND status != 'archived' ORDER BY expires",
            (today.isoformat(), (today + timedelta(days=days)).isoformat()),
        ).fetchall()
        return self.get_many(r[0] for r in rows)

    # -- editing -------------------------------------------------------------------------

    def _update(self, ids: Iterable[int], **fields) -> list[int]:
        """Set metadata fields (title, summary, content_type, status, owner, expires) on assets."""
        unknown = set(fields) - set(EDITABLE)
        if unknown:
            raise PitchpackError(f"Cannot edit {', '.join(sorted(unknown))}.")
        values = {f: _check_value(f, v) for f, v in fields.items()}
        ids = list(ids)
        self._require(ids)
        if not values:
            return []
        assignments = ", ".join(f"{f} = ?" for f in values)
        with changing(self.db) as changed:
            for asset_id in ids:
                self.db.execute(
                    f"UPDATE assets SET {assignments}, updated = ? WHERE id = ?",
                    (*values.values(), now(), asset_id),
                )
            changed += ids
        return changed

    def _set_terms(
        self,
        ids: Iterable[int],
        facet: str,
        names: Iterable[str],
        *,
        mode: str = "replace",
        create: bool = False,
    ) -> list[int]:
        """Tag assets with terms of one facet. ``mode`` is replace, add or remove.

        Unknown names raise UnknownTerm unless ``create``; confirming a suggested term
        turns the suggestion into a tag.
        """
        ids = list(ids)
        self._require(ids)
        term_ids = [self.taxonomy.resolve(facet, n, create=create).id for n in names if n.strip()]
        with changing(self.db) as changed:
            for asset_id in ids:
                if mode == "replace":
                    self.db.execute(
                        "DELETE FROM asset_terms WHERE asset_id = ? AND suggested = 0 AND term_id IN "
                        "(SELECT id FROM terms WHERE facet = ?)",
                        (asset_id, facet),
                    )
                if mode == "remove":
                    self.db.conn.executemany(
                        "DELETE FROM asset_terms WHERE asset_id = ? AND term_id = ?",
                        [(asset_id, t) for t in term_ids],
                    )
                else:
                    self.db.conn.executemany(
                        "INSERT INTO asset_terms (asset_id, term_id, suggested) VALUES (?, ?, 0) "
                        "ON CONFLICT DO UPDATE SET suggested = 0",
                        [(asset_id, t) for t in term_ids],
                    )
            changed += ids
        return changed

    def suggest_terms(self, asset_id: int, term_ids: Iterable[int]) -> None:
        """Store suggestions (never over a confirmed tag); call inside the import's transaction."""
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO asset_terms (asset_id, term_id, suggested) VALUES (?, ?, 1)",
            [(asset_id, t) for t in term_ids],
        )

    def _resolve_suggestions(
        self,
        asset_id: int,
        *,
        accept: bool,
        facet: str | None = None,
        names: Iterable[str] | None = None,
    ) -> list[int]:
        """Accept (turn into tags) or reject (forget) an asset's suggested terms."""
        self._require([asset_id])
        where = "asset_id = ? AND suggested = 1"
        params: list = [asset_id]
        if facet:
            where += " AND term_id IN (SELECT id FROM terms WHERE facet = ?)"
            params.append(facet)
        if names is not None:
            wanted = [n.casefold() for n in names]
            marks = ",".join("?" * len(wanted))
            where += f" AND term_id IN (SELECT id FROM terms WHERE lower(name) IN ({marks}))"
            params += wanted
        with changing(self.db) as changed:
            if accept:
                self.db.execute(f"UPDATE asset_terms SET suggested = 0 WHERE {where}", params)
            else:
                self.db.execute(f"DELETE FROM asset_terms WHERE {where}", params)
            changed.append(asset_id)
        return changed

    def _remove(self, ids: Iterable[int]) -> list[int]:
        """Delete assets with their pages, tags and versions; returns the ids removed."""
        ids = list(ids)
        self._require(ids)
        with changing(self.db) as changed:
            self.db.conn.executemany("DELETE FROM assets WHERE id = ?", [(i,) for i in ids])
            changed += ids
        return changed

    def snapshot(self, ids: Iterable[int]) -> list[Asset]:
        """Full copies of assets' editable state, for undo."""
        return self.get_many(ids)

    def _restore(self, assets: list[Asset]) -> list[int]:
        """Put back the editable state captured by ``snapshot`` (metadata and confirmed terms)."""
        with changing(self.db) as changed:
            for asset in assets:
                self.db.execute(
                    "UPDATE assets SET title=?, summary=?, content_type=?, status=?, owner=?, "
                    "expires=?, updated=? WHERE id=?",
                    (
                        asset.title,
                        asset.summary,
                        asset.content_type,
                        asset.status,
                        asset.owner,
                        asset.expires,
                        asset.updated,
                        asset.id,
                    ),
                )
                self.db.execute("DELETE FROM asset_terms WHERE asset_id = ?", (asset.id,))
                for terms, suggested in ((asset.terms, 0), (asset.suggested, 1)):
                    for facet, names in terms.items():
                        for name in names:
                            term = self.taxonomy.resolve(facet, name, create=True)
                            self.db.execute(
                                "INSERT OR IGNORE INTO asset_terms VALUES (?, ?, ?)",
                                (asset.id, term.id, suggested),
                            )
                changed.append(asset.id)
        return changed

    def _require(self, ids: list[int]) -> None:
        if not ids:
            return
        known = {
            r[0]
            for chunk in _chunks(ids, 500)
            for r in self.db.execute(
                f"SELECT id FROM assets WHERE id IN ({','.join('?' * len(chunk))})", chunk
            )
        }
        for asset_id in ids:
            if asset_id not in known:
                raise AssetNotFound(asset_id)


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
