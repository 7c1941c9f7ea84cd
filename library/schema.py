"""The catalog's schema, as forward-only migrations applied when a library is opened."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

migrations = Migrations("pitchpack")


@migrations()
def m001_catalog(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT);
        INSERT INTO info VALUES ('generation', '0');

        CREATE TABLE assets (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL DEFAULT '',
            summary TEXT NOT NULL DEFAULT '',
            content_type TEXT NOT NULL DEFAULT 'other',
            status TEXT NOT NULL DEFAULT 'draft',
            file_state TEXT NOT NULL DEFAULT 'ok',
            owner TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            expires TEXT,
            page_count INTEGER NOT NULL DEFAULT 0,
            paged INTEGER NOT NULL DEFAULT 0,
            word_count INTEGER NOT NULL DEFAULT 0,
            language TEXT,
            content_hash TEXT NOT NULL DEFAULT '',
            text_hash TEXT NOT NULL DEFAULT '',
            size INTEGER NOT NULL DEFAULT 0,
            mtime REAL NOT NULL DEFAULT 0,
            failure_reason TEXT,
            error TEXT,
            truncated INTEGER NOT NULL DEFAULT 0,
            usage_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX assets_content_hash ON assets(content_hash);
        CREATE INDEX assets_text_hash ON assets(text_hash);

        CREATE TABLE pages (
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (asset_id, number)
        ) WITHOUT ROWID;

        CREATE TABLE versions (
            id INTEGER PRIMARY KEY,
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            content_hash TEXT NOT NULL,
            size INTEGER NOT NULL,
            path TEXT NOT NULL,
            recorded TEXT NOT NULL
        );
        CREATE INDEX versions_asset ON versions(asset_id);

        CREATE TABLE terms (
            id INTEGER PRIMARY KEY,
            facet TEXT NOT NULL,
            name TEXT NOT NULL COLLATE NOCASE,
            position INTEGER NOT NULL DEFAULT 0,
            keywords TEXT NOT NULL DEFAULT '',
            UNIQUE (facet, name)
        );

        CREATE TABLE asset_terms (
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            term_id INTEGER NOT NULL REFERENCES terms(id) ON DELETE CASCADE,
            suggested INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (asset_id, term_id)
        ) WITHOUT ROWID;
        CREATE INDEX asset_terms_term ON asset_terms(term_id);

        CREATE TABLE duplicates (
            path TEXT PRIMARY KEY,
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            found TEXT NOT NULL
        );

        CREATE TABLE folders (path TEXT PRIMARY KEY, added TEXT NOT NULL);
        """
    )
