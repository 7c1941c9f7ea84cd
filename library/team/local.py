"""The team's side of a local library: sync state, what a marketer publishes, and applying
published rows to a local catalog (through the facade's write lock and the index queue).

Published assets keep their ids everywhere, so a rep's usage events name the same assets
as the marketer's catalog and pool without translation.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Migrations

from library.atomic import atomic_write_text
from library.db import changing, now
from library.models import FileState

team_migrations = Migrations("pitchpack-team")

ASSET = "asset"
TERM = "term"
DATA_FIELDS = (
    "title",
    "summary",
    "content_type",
    "status",
    "owner",
    "created",
    "updated",
    "expires",
    "page_count",
    "paged",
    "word_count",
    "language",
    "content_hash",
    "text_hash",
    "size",
    "truncated",
)


@team_migrations()
def m001_team_state(db) -> None:
    # team_rows: the version of each published row this library has (pulled or published)
    # and the digest of its content then, to tell a marketer's local edits from it.
    # team_received: events that came from the team, never pushed back.
    db.executescript(
        """
        CREATE TABLE team_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE team_rows (
            kind TEXT NOT NULL,
            key TEXT NOT NULL,
            version INTEGER NOT NULL,
            digest TEXT NOT NULL,
            PRIMARY KEY (kind, key)
        ) WITHOUT ROWID;
        CREATE TABLE team_received (id TEXT PRIMARY KEY) WITHOUT ROWID;
        """
    )


@dataclass
class AssetRow:
    """One published asset, as the server and a release hold it (``data`` None: deleted)."""

    id: int
    version: int
    data: dict | None
    pages: list[list] | None = None

    @property
    def deleted(self) -> bool:
        return self.data is None


@dataclass
class TermRow:
    facet: str
    name: str
    version: int
    position: int = 0
    keywords: str = ""
    deleted: bool = False

    @property
    def key(self) -> str:
        return term_key(self.facet, self.name)


def term_key(facet: str, name: str) -> str:
    # The exact name: the server keys terms by it, and tombstones must name the same row.
    return f"{facet}\x1f{name}"


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()


class LocalState:
    """Sync state kept in the library's own catalog (tables ``team_*``)."""

    def __init__(self, lib) -> None:
        self.lib = lib
        self.db = lib.db
        if team_migrations.pending(self.db._db()):
            with self.db.atomic():
                team_migrations.apply(self.db._db())

    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM team_state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def get_int(self, key: str) -> int:
        return int(self.get(key, "0") or 0)

    def set(self, **values) -> None:
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO team_state (key, value) VALUES (?, ?)",
                [(k, str(v)) for k, v in values.items()],
            )

    def known(self, kind: str) -> dict[str, tuple[int, str]]:
        """Published rows of ``kind`` this library has: key -> (version, digest)."""
        return {
            k: (v, d)
            for k, v, d in self.db.execute(
                "SELECT key, version, digest FROM team_rows WHERE kind = ?", (kind,)
            )
        }

    def remember(self, kind: str, rows: Iterable[tuple[str, int, str]]) -> None:
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO team_rows (kind, key, version, digest) VALUES (?,?,?,?)",
                [(kind, k, v, d) for k, v, d in rows],
            )

    def forget(self, kind: str, keys: Iterable[str]) -> None:
        with self.db.atomic():
            self.db.conn.executemany(
                "DELETE FROM team_rows WHERE kind = ? AND key = ?", [(kind, k) for k in keys]
            )

    # -- the outbox of usage events ------------------------------------------------------

    OUTBOX_WHERE = "e.seq > ? AND NOT EXISTS (SELECT 1 FROM team_received r WHERE r.id = e.id)"

    def outbox_count(self) -> int:
        return self.db.execute(
            f"SELECT count(*) FROM events e WHERE {self.OUTBOX_WHERE}",
            (self.get_int("pushed_seq"),),
        ).fetchone()[0]

    def outbox_batch(self, limit: int) -> list[tuple[int, dict]]:
        """The oldest events not pushed yet: (seq, event as a dict)."""
        from library.usage.events import COLUMNS, event_from_row

        rows = self.db.execute(
            f"SELECT e.seq, {', '.join('e.' + c.strip() for c in COLUMNS.split(','))} "
            f"FROM events e WHERE {self.OUTBOX_WHERE} ORDER BY e.seq LIMIT ?",
            (self.get_int("pushed_seq"), limit),
        ).fetchall()
        return [(r[0], event_from_row(r[1:]).to_dict()) for r in rows]

    def mark_received(self, ids: Iterable[str]) -> None:
        with self.db.atomic():
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO team_received (id) VALUES (?)", [(i,) for i in ids]
            )

    # -- what a marketer publishes -------------------------------------------------------

    def asset_digests(self, ids: Iterable[int] | None = None) -> dict[int, tuple[str, dict]]:
        """Publishable assets (a readable file), all or those of ``ids``: id -> (digest,
        data without pages)."""
        only, params = "", []
        if ids is not None:
            only = " AND {} IN (SELECT value FROM json_each(?))"
            params = [json.dumps(sorted(set(ids)))]
        rows = self.db.execute(
            f"SELECT id, path, {', '.join(DATA_FIELDS)} FROM assets WHERE file_state = ?"
            + only.format("id"),
            (FileState.OK.value, *params),
        ).fetchall()
        terms: dict[int, dict[str, list[str]]] = {}
        for asset_id, facet, name in self.db.execute(
            "SELECT x.asset_id, t.facet, t.name FROM asset_terms x JOIN terms t ON t.id = x.term_id "
            "WHERE x.suggested = 0"
            + only.format("x.asset_id")
            + " ORDER BY t.facet, t.position, t.name",
            params,
        ):
            terms.setdefault(asset_id, {}).setdefault(facet, []).append(name)
        versions: dict[int, list[dict]] = {}
        for asset_id, chash, size, path, recorded in self.db.execute(
            "SELECT asset_id, content_hash, size, path, recorded FROM versions WHERE 1"
            + only.format("asset_id")
            + " ORDER BY id",
            params,
        ):
            versions.setdefault(asset_id, []).append(
                {
                    "content_hash": chash,
                    "size": size,
                    "file_name": Path(path).name,
                    "recorded": recorded,
                }
            )
        found = {}
        for row in rows:
            data = dict(zip(DATA_FIELDS, row[2:], strict=True))
            data["paged"], data["truncated"] = bool(data["paged"]), bool(data["truncated"])
            data["file_name"] = Path(row[1]).name
            data["terms"] = terms.get(row[0], {})
            data["versions"] = versions.get(row[0], [])
            found[row[0]] = (digest(data), data)
        return found

    def source_path(self, asset_id: int) -> Path:
        return Path(
            self.db.execute("SELECT path FROM assets WHERE id = ?", (asset_id,)).fetchone()[0]
        )

    def pages(self, asset_id: int) -> list[list]:
        return [
            [n, t]
            for n, t in self.db.execute(
                "SELECT number, text FROM pages WHERE asset_id = ? ORDER BY number", (asset_id,)
            )
        ]

    def term_rows(self) -> dict[str, TermRow]:
        return {
            term_key(f, n): TermRow(f, n, 0, p, k)
            for f, n, p, k in self.db.execute("SELECT facet, name, position, keywords FROM terms")
        }


def term_digest(row: TermRow) -> str:
    return digest([row.position, row.keywords])


# -- applying published rows --------------------------------------------------------------


def files_dir(folder: Path) -> Path:
    return Path(folder) / "team" / "files"


def local_path(root: str, asset_id: int, file_name: str) -> str:
    """Where a pulled asset's file lives: ``<library>/team/files/<id>/<file name>``."""
    return os.path.join(root, str(asset_id), os.path.basename(file_name) or "file")


_UPSERT = (
    "INSERT INTO assets (id, path, file_state, mtime, {cols}) VALUES (?, ?, 'ok', 0, {marks}) "
    "ON CONFLICT(id) DO UPDATE SET path = excluded.path, file_state = 'ok', {updates}"
).format(
    cols=", ".join(DATA_FIELDS),
    marks=", ".join("?" * len(DATA_FIELDS)),
    updates=", ".join(f"{f} = excluded.{f}" for f in DATA_FIELDS),
)


def apply_assets(lib, state: LocalState, rows: list[AssetRow]) -> list[int]:
    """Put published assets (and tombstones) into the local catalog and index.

    A marketer's local edit of an asset that another marketer published since is saved
    to ``team/kept/`` before the published version replaces it.
    """
    if not rows:
        return []
    known = state.known(ASSET)
    local = state.asset_digests(r.id for r in rows) if state.get("role") == "marketer" else {}
    kept_dir = Path(lib.folder) / "team" / "kept"

    def change() -> list[int]:
        with changing(lib.db) as changed:
            for row in rows:
                mine = local.get(row.id)
                seen = known.get(str(row.id))
                if mine and (seen is None or mine[0] != seen[1]):
                    kept_dir.mkdir(parents=True, exist_ok=True)
                    atomic_write_text(
                        kept_dir / f"asset-{row.id}-{now().replace(':', '')}.json",
                        json.dumps(mine[1], indent=2),
                    )
            gone = [(r.id,) for r in rows if r.deleted]
            lib.db.conn.executemany("DELETE FROM assets WHERE id = ?", gone)
            _put_assets(lib, [r for r in rows if not r.deleted])
            # In the same transaction: a crash can never leave a row applied but unknown
            # (a marketer would see it as a local edit) or known but not applied.
            state.remember(
                ASSET, [(str(r.id), r.version, digest(r.data) if r.data else "") for r in rows]
            )
            changed += [r.id for r in rows]
        return changed

    ids = lib.apply_changes(change)
    for row in rows:
        if row.deleted:
            shutil.rmtree(files_dir(lib.folder) / str(row.id), ignore_errors=True)
    return ids


def _put_assets(lib, rows: list[AssetRow]) -> None:
    """Upsert published assets with their pages, confirmed terms and versions; call inside
    the change's transaction. One statement per table for the whole page of rows."""
    if not rows:
        return
    conn = lib.db.conn
    root = str(files_dir(lib.folder))
    conn.executemany(
        _UPSERT,
        [
            (
                r.id,
                local_path(root, r.id, r.data.get("file_name", "")),
                *[r.data.get(f) for f in DATA_FIELDS],
            )
            for r in rows
        ],
    )
    ids = json.dumps([r.id for r in rows])
    for table, extra in (("pages", ""), ("asset_terms", " AND suggested = 0"), ("versions", "")):
        conn.execute(
            f"DELETE FROM {table} WHERE asset_id IN (SELECT value FROM json_each(?)){extra}", (ids,)
        )
    conn.executemany(
        "INSERT INTO pages (asset_id, number, text) VALUES (?, ?, ?)",
        [(r.id, n, t) for r in rows for n, t in r.pages or []],
    )
    term_ids: dict[tuple[str, str], int] = {}
    links = []
    for r in rows:
        for facet, names in r.data.get("terms", {}).items():
            for name in names:
                key = (facet, name.casefold())
                if key not in term_ids:
                    term_ids[key] = exact_term(lib, facet, name).id
                links.append((r.id, term_ids[key]))
    conn.executemany(
        "INSERT INTO asset_terms (asset_id, term_id, suggested) VALUES (?, ?, 0) "
        "ON CONFLICT DO UPDATE SET suggested = 0",
        links,
    )
    conn.executemany(
        "INSERT INTO versions (asset_id, content_hash, size, path, recorded) VALUES (?,?,?,?,?)",
        [
            (r.id, v["content_hash"], v["size"], v["file_name"], v["recorded"])
            for r in rows
            for v in r.data.get("versions", [])
        ],
    )


def exact_term(lib, facet: str, name: str):
    """The term named exactly ``name`` (any case), added if missing. Unlike
    ``TaxonomyManager.resolve`` it never settles for a term that merely contains the name:
    a published "Cloud" must not land on a local "Hybrid cloud"."""
    for term in lib.taxonomy.terms(facet):
        if term.name.casefold() == name.casefold():
            return term
    return lib.add_term(facet, name)


def apply_terms(lib, state: LocalState, rows: list[TermRow]) -> None:
    """Add, re-key and reorder taxonomy terms as published; remove deleted ones."""
    if not rows:
        return
    taxonomy = lib.taxonomy
    for row in rows:
        if row.deleted:
            if any(t.name.casefold() == row.name.casefold() for t in taxonomy.terms(row.facet)):
                lib.delete_term(row.facet, row.name)
            continue
        term = exact_term(lib, row.facet, row.name)
        if ", ".join(term.keywords) != row.keywords:
            lib.set_term_keywords(
                term.id, [k.strip() for k in row.keywords.split(",") if k.strip()]
            )
    for facet in {r.facet for r in rows}:
        positions = {r.name.casefold(): r.position for r in rows if r.facet == facet}
        names = taxonomy.names(facet)
        order = sorted(names, key=lambda n: (positions.get(n.casefold(), 10**6), names.index(n)))
        if order != names:
            lib.reorder_terms(facet, order)
    state.remember(TERM, [(r.key, r.version, "" if r.deleted else term_digest(r)) for r in rows])


def missing_files(lib, scope: dict[str, list[str]] | None = None) -> list[tuple[int, str, Path]]:
    """Assets from the team whose file is not here yet: (id, content hash, local path).

    :param scope: only assets tagged with one of these terms of each facet given
        (``{"stage": [...], "product": [...]}``); all when empty.
    """
    where, params = "", []
    for facet, names in (scope or {}).items():
        if names:
            where += (
                " AND a.id IN (SELECT x.asset_id FROM asset_terms x JOIN terms t ON t.id = x.term_id "
                "WHERE t.facet = ? AND lower(t.name) IN (SELECT lower(value) FROM json_each(?)))"
            )
            params += [facet, json.dumps(names)]
    rows = lib.db.execute(
        "SELECT a.id, a.content_hash, a.path FROM assets a JOIN team_rows r "
        f"ON r.kind = 'asset' AND r.key = CAST(a.id AS TEXT) WHERE 1{where} ORDER BY a.id",
        params,
    ).fetchall()
    team = files_dir(lib.folder)
    return [
        (i, h, Path(p)) for i, h, p in rows if Path(p).is_relative_to(team) and not Path(p).exists()
    ]
