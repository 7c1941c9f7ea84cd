"""The catalog's schema, as forward-only migrations applied when a library is opened."""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from library.extract.sections import SECTION_CHARS, cut_sections

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


@migrations()
def m002_packets(db: Database) -> None:
    # Sent versions keep no foreign key to assets: the record of what went to a prospect
    # must outlive any later change to the catalog.
    db.executescript(
        """
        CREATE TABLE packets (
            id INTEGER PRIMARY KEY,
            first_name TEXT NOT NULL DEFAULT '',
            last_name TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            company TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT '',
            persona TEXT NOT NULL DEFAULT '',
            stage TEXT NOT NULL DEFAULT '',
            subject TEXT NOT NULL DEFAULT '',
            note TEXT NOT NULL DEFAULT '',
            template TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'draft',
            revision INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            exported TEXT,
            sent TEXT,
            duplicated_from INTEGER REFERENCES packets(id) ON DELETE SET NULL
        );
        CREATE INDEX packets_updated ON packets(updated);

        CREATE TABLE packet_items (
            packet_id INTEGER NOT NULL REFERENCES packets(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
            note TEXT NOT NULL DEFAULT '',
            PRIMARY KEY (packet_id, position),
            UNIQUE (packet_id, asset_id)
        ) WITHOUT ROWID;
        CREATE INDEX packet_items_asset ON packet_items(asset_id);

        CREATE TABLE packet_sent_versions (
            packet_id INTEGER NOT NULL REFERENCES packets(id) ON DELETE CASCADE,
            send_number INTEGER NOT NULL,
            position INTEGER NOT NULL,
            asset_id INTEGER NOT NULL,
            title TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            recipient TEXT NOT NULL,
            sent TEXT NOT NULL,
            PRIMARY KEY (packet_id, send_number, position)
        ) WITHOUT ROWID;
        CREATE INDEX packet_sent_versions_asset ON packet_sent_versions(asset_id);
        """
    )


@migrations()
def m003_usage_events(db: Database) -> None:
    # Events keep no foreign key to assets: what reps did must outlive the assets they used.
    # ``day`` (days since 1970-01-01, UTC), ``query_key`` and the filter columns are derived
    # when an event is stored, so reports group and bucket on plain keys. Reports read the
    # events in ``seq`` order into numpy columns (library/usage/columns.py), so the only
    # indexes are for de-duplication, linking previews to searches, and one asset's uses.
    db.executescript(
        """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            time TEXT NOT NULL,
            day INTEGER NOT NULL,
            kind TEXT NOT NULL,
            rep TEXT NOT NULL DEFAULT '',
            query TEXT NOT NULL DEFAULT '',
            filters TEXT NOT NULL DEFAULT '{}',
            result_count INTEGER,
            opened INTEGER NOT NULL DEFAULT 0,
            asset_ids TEXT NOT NULL DEFAULT '[]',
            packet_id INTEGER,
            search_id TEXT,
            query_key TEXT NOT NULL DEFAULT '',
            stage_filter TEXT NOT NULL DEFAULT '',
            persona_filter TEXT NOT NULL DEFAULT ''
        );
        CREATE INDEX events_search ON events(search_id) WHERE search_id IS NOT NULL;

        CREATE TABLE event_assets (
            seq INTEGER NOT NULL REFERENCES events(seq),
            asset_id INTEGER NOT NULL,
            day INTEGER NOT NULL,
            kind TEXT NOT NULL,
            rep TEXT NOT NULL,
            PRIMARY KEY (seq, asset_id)
        ) WITHOUT ROWID;
        CREATE INDEX event_assets_asset ON event_assets(asset_id, day);

        -- Append-only: an event is never deleted, and only the derived ``opened`` flag of
        -- a search changes (when a preview or open that came from it is stored).
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'usage events are append-only'); END;
        CREATE TRIGGER events_no_update BEFORE UPDATE OF
            seq, id, time, day, kind, rep, query, filters, result_count, asset_ids, packet_id,
            search_id, query_key, stage_filter, persona_filter ON events
        BEGIN SELECT RAISE(ABORT, 'usage events are append-only'); END;
        CREATE TRIGGER event_assets_no_delete BEFORE DELETE ON event_assets
        BEGIN SELECT RAISE(ABORT, 'usage events are append-only'); END;
        """
    )


@migrations()
def m004_index_pending(db: Database) -> None:
    # Assets changed in the catalog whose index update may not have happened yet: filled
    # in the change's own transaction, emptied once the index has the change. What a
    # killed process leaves here is replayed at the next start, even if another instance
    # has since brought the index's generation up to date.
    db.execute(
        "CREATE TABLE index_pending (asset_id INTEGER PRIMARY KEY, generation INTEGER NOT NULL)"
    )


@migrations()
def m005_unpaged_sections(db: Database) -> None:
    # Unpaged text (TXT, Markdown, HTML, DOCX) used to be one page of up to the text limit,
    # and one such page made every search that hit it slow. The catalog holds the whole
    # text, so it is cut into sections here rather than read again from files that may
    # have moved; the assets are queued for the index, which takes them at its next
    # `ensure_index` without a full rebuild.
    long_pages = [
        asset_id
        for (asset_id,) in db.execute(
            "SELECT asset_id FROM pages JOIN assets ON assets.id = pages.asset_id "
            "WHERE assets.paged = 0 AND length(pages.text) > ?",
            (SECTION_CHARS,),
        )
    ]
    generation = db.execute("SELECT value FROM info WHERE key = 'generation'").fetchone()[0]
    for asset_id in sorted(set(long_pages)):
        texts = db.execute(
            "SELECT text FROM pages WHERE asset_id = ? ORDER BY number", (asset_id,)
        ).fetchall()
        sections = cut_sections("\n\n".join(text for (text,) in texts))
        db.execute("DELETE FROM pages WHERE asset_id = ?", (asset_id,))
        db.conn.executemany(
            "INSERT INTO pages VALUES (?, ?, ?)",
            [(asset_id, number, text) for number, text in enumerate(sections, 1)],
        )
        db.execute(
            "INSERT OR REPLACE INTO index_pending (asset_id, generation) VALUES (?, ?)",
            (asset_id, int(generation)),
        )


@migrations()
def m006_text_source(db: Database) -> None:
    # Where an asset's text came from (library.models.TextSource): a PDF or PPTX without
    # text is kept as an asset rather than failed. Files that failed as "empty" before
    # are read again at the next rescan (size -1 never matches), to be kept or OCRed.
    db.executescript(
        """
        ALTER TABLE assets ADD COLUMN text_source TEXT NOT NULL DEFAULT 'file';
        UPDATE assets SET size = -1 WHERE file_state = 'failed' AND failure_reason = 'empty';
        """
    )


@migrations()
def m007_embeddings(db: Database) -> None:
    # One row per readable asset: its own vector, then one per page or slide chunk, as
    # float32 rows of ``dim`` values; ``pages`` holds the chunks' page numbers (int32, 0
    # when unpaged). ``text_hash`` keys what was embedded (model, title, summary, text), so
    # an unchanged asset is never embedded again. No vector (empty or non-English text)
    # leaves ``vectors`` NULL with a ``reason``. Vectors are derived data: a damaged row
    # is simply embedded again.
    db.executescript(
        """
        CREATE TABLE embeddings (
            asset_id INTEGER PRIMARY KEY REFERENCES assets(id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            dim INTEGER NOT NULL DEFAULT 0,
            pages BLOB,
            vectors BLOB,
            reason TEXT,
            embedded TEXT NOT NULL
        );
        INSERT OR IGNORE INTO info VALUES ('embedding_version', '0');
        """
    )
