"""The team's PostgreSQL database: schema migrations, publishing, paged pulls, pooled events.

Only this module speaks SQL to PostgreSQL (psycopg 3). Publishes are serialised by an
advisory lock and stamp every row they change with the new library version in one
transaction, so a pull reading in one snapshot sees a publish whole or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources

from library.team.errors import PublishConflict, ServerUnavailable, TeamError
from library.team.local import AssetRow, TermRow

PUBLISH_LOCK = 0x50_50_01  # pg_advisory_xact_lock key serialising publishes
EVENTS_LOCK = 0x50_50_02  # pushes share it; a pooled read takes it alone (see fetch_events)
PAGE = 500


@dataclass
class ServerInfo:
    version: int
    min_version: int
    last_publish: str | None


@dataclass
class Change:
    """One asset a marketer publishes: ``base`` is the version their edit started from
    (None for a new asset); ``row.data`` None deletes it."""

    row: AssetRow
    base: int | None
    title: str = ""


def _connect(url: str, password: str | None, **options):
    import psycopg

    try:
        return psycopg.connect(url, password=password, connect_timeout=5, **options)
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ServerUnavailable(f"The team database cannot be reached: {first}") from None


def migrations() -> list[tuple[str, str]]:
    folder = resources.files("library.team") / "migrations"
    return sorted(
        (f.name, f.read_text(encoding="utf-8")) for f in folder.iterdir() if f.name.endswith(".sql")
    )


def migrate(url: str, password: str | None = None) -> list[str]:
    """Create or update the schema and roles (needs a database owner); returns what ran."""
    applied = []
    with _connect(url, password) as conn:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUBLISH_LOCK,))
            conn.execute("CREATE SCHEMA IF NOT EXISTS pitchpack")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS pitchpack.migrations "
                "(name text PRIMARY KEY, applied timestamptz NOT NULL DEFAULT now())"
            )
            done = {r[0] for r in conn.execute("SELECT name FROM pitchpack.migrations")}
            for name, sql in migrations():
                if name in done:
                    continue
                conn.execute(sql.replace("CREATE SCHEMA IF NOT EXISTS pitchpack;", ""))
                conn.execute("INSERT INTO pitchpack.migrations (name) VALUES (%s)", (name,))
                applied.append(name)
    return applied


class Server:
    """A connection to the team database as a marketer or a rep."""

    def __init__(self, url: str, password: str | None) -> None:
        self.conn = _connect(url, password, autocommit=True)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _errors(self):
        import psycopg

        try:
            yield
        except psycopg.errors.InsufficientPrivilege as exc:
            raise TeamError(
                f"The team database refused this for your role: {exc.diag.message_primary}"
            ) from None
        except psycopg.OperationalError as exc:
            raise ServerUnavailable(f"The team database connection failed: {exc}") from None

    def info(self) -> ServerInfo:
        with self._errors():
            v, m, p = self.conn.execute(
                "SELECT version, min_version, last_publish FROM pitchpack.library"
            ).fetchone()
        return ServerInfo(v, m, p.isoformat(timespec="seconds") if p else None)

    # -- publishing ----------------------------------------------------------------------

    def publish(self, changes: list[Change], terms: list[TermRow]) -> ServerInfo:
        """Apply a marketer's changes as one new library version.

        :raises PublishConflict: when another marketer published one of these assets since
            ``base``; then nothing is written.
        """
        from psycopg.types.json import Jsonb

        with self._errors(), self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (PUBLISH_LOCK,))
            version = self.conn.execute(
                "UPDATE pitchpack.library SET version = version + 1, last_publish = now() "
                "RETURNING version"
            ).fetchone()[0]
            conflicts = []
            for c in changes:
                data = Jsonb(c.row.data) if c.row.data is not None else None
                pages = Jsonb(c.row.pages) if c.row.pages is not None else None
                chash = (c.row.data or {}).get("content_hash", "")
                if c.base is None:
                    cur = self.conn.execute(
                        "INSERT INTO pitchpack.assets (id, version, data, pages, content_hash) "
                        "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                        (c.row.id, version, data, pages, chash),
                    )
                else:
                    cur = self.conn.execute(
                        "UPDATE pitchpack.assets SET version = %s, data = %s, pages = %s, "
                        "content_hash = %s WHERE id = %s AND version = %s",
                        (version, data, pages, chash, c.row.id, c.base),
                    )
                if cur.rowcount != 1:
                    theirs = self.conn.execute(
                        "SELECT version FROM pitchpack.assets WHERE id = %s", (c.row.id,)
                    ).fetchone()
                    if c.row.data is None and theirs is None:
                        continue  # deleting what was never published, or purged
                    conflicts.append((c.row.id, c.title, c.base, theirs[0] if theirs else 0))
            if conflicts:
                raise PublishConflict(conflicts)  # rolls the transaction back
            for t in terms:
                self.conn.execute(
                    "INSERT INTO pitchpack.terms (facet, name, version, position, keywords, deleted) "
                    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (facet, name) DO UPDATE SET "
                    "version = excluded.version, position = excluded.position, "
                    "keywords = excluded.keywords, deleted = excluded.deleted",
                    (t.facet, t.name, version, t.position, t.keywords, t.deleted),
                )
            self._purge(version)
        return self.info()

    def _purge(self, version: int) -> None:
        """Drop tombstones older than the retention; cursors before them must resync."""
        (retain,) = self.conn.execute("SELECT retain FROM pitchpack.library").fetchone()
        (a,) = self.conn.execute(
            "WITH gone AS (DELETE FROM pitchpack.assets WHERE data IS NULL AND version <= %s "
            "RETURNING version) SELECT max(version) FROM gone",
            (version - retain,),
        ).fetchone()
        (t,) = self.conn.execute(
            "WITH gone AS (DELETE FROM pitchpack.terms WHERE deleted AND version <= %s "
            "RETURNING version) SELECT max(version) FROM gone",
            (version - retain,),
        ).fetchone()
        purged = max(a or 0, t or 0)
        if purged:
            self.conn.execute(
                "UPDATE pitchpack.library SET min_version = greatest(min_version, %s)", (purged,)
            )

    # -- pulling -------------------------------------------------------------------------

    @contextmanager
    def snapshot(self) -> Iterator[ServerInfo]:
        """One read-only snapshot for a whole pull, however many pages it takes."""
        with self._errors(), self.conn.transaction():
            self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield self.info()

    def asset_pages(
        self, after: int, upto: int, *, live_only: bool, page: int = PAGE
    ) -> Iterator[list[AssetRow]]:
        """Assets changed in versions ``after < version <= upto``, in pages; call inside
        ``snapshot()``."""
        last = (after, -1)
        while True:
            with self._errors():
                rows = self.conn.execute(
                    "SELECT id, version, data, pages FROM pitchpack.assets "
                    "WHERE version > %s AND version <= %s AND (version, id) > (%s, %s) "
                    + ("AND data IS NOT NULL " if live_only else "")
                    + "ORDER BY version, id LIMIT %s",
                    (after, upto, last[0], last[1], page),
                ).fetchall()
            if not rows:
                return
            yield [AssetRow(i, v, d, p) for i, v, d, p in rows]
            last = (rows[-1][1], rows[-1][0])

    def live_asset_ids(self) -> set[int]:
        with self._errors():
            return {
                r[0]
                for r in self.conn.execute("SELECT id FROM pitchpack.assets WHERE data IS NOT NULL")
            }

    def live_term_keys(self) -> set[str]:
        from library.team.local import term_key

        with self._errors():
            return {
                term_key(f, n)
                for f, n in self.conn.execute(
                    "SELECT facet, name FROM pitchpack.terms WHERE NOT deleted"
                )
            }

    def terms_since(self, after: int, upto: int) -> list[TermRow]:
        with self._errors():
            rows = self.conn.execute(
                "SELECT facet, name, version, position, keywords, deleted FROM pitchpack.terms "
                "WHERE version > %s AND version <= %s ORDER BY facet, position",
                (after, upto),
            ).fetchall()
        return [TermRow(*r) for r in rows]

    # -- events --------------------------------------------------------------------------

    def push_events(self, events: list[dict]) -> int:
        """Insert events not on the server yet; returns how many were new. Committed when
        this returns."""
        with self._errors(), self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock_shared(%s)", (EVENTS_LOCK,))
            with self.conn.cursor() as cur:
                # No conflict target: naming (id) would need SELECT on it, which reps lack.
                # The only unique key a pushed row can collide on is the event id.
                cur.executemany(
                    "INSERT INTO pitchpack.events (id, rep, time, kind, data) "
                    "VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    [
                        (e["id"], e.get("rep", ""), e["time"], e["kind"], json.dumps(e))
                        for e in events
                    ],
                )
                return max(cur.rowcount, 0)

    def fetch_events(self, after: int, limit: int = 20_000) -> list[tuple[int, dict]]:
        """Pooled events with ``seq > after``, in seq order.

        ``seq`` is drawn when a row is inserted, not when it commits, so a push still open
        could later commit a smaller seq than one read now. Taking the events lock alone
        waits for open pushes, so every seq below what is read here is already visible.
        """
        with self._errors(), self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (EVENTS_LOCK,))
            rows = self.conn.execute(
                "SELECT seq, data FROM pitchpack.events WHERE seq > %s ORDER BY seq LIMIT %s",
                (after, limit),
            ).fetchall()
        return [(s, d if isinstance(d, dict) else json.loads(d)) for s, d in rows]
