-- The published catalog: one row per asset and taxonomy term, each stamped with the library
-- version that last changed it. Deleted rows stay as tombstones (data NULL) until retention.
CREATE SCHEMA IF NOT EXISTS pitchpack;

CREATE TABLE pitchpack.library (
    id integer PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    version bigint NOT NULL DEFAULT 0,
    -- Tombstones of versions up to min_version are purged: a cursor below it needs a full resync.
    min_version bigint NOT NULL DEFAULT 0,
    -- How many versions tombstones are kept for.
    retain bigint NOT NULL DEFAULT 1000 CHECK (retain >= 0),
    last_publish timestamptz
);
INSERT INTO pitchpack.library DEFAULT VALUES;

CREATE TABLE pitchpack.assets (
    id bigint PRIMARY KEY,
    version bigint NOT NULL,
    data jsonb,          -- metadata, confirmed terms, file versions; NULL for a tombstone
    pages jsonb,         -- [[number, text], ...]
    content_hash text NOT NULL DEFAULT ''
);
CREATE INDEX assets_version ON pitchpack.assets (version, id);

CREATE TABLE pitchpack.terms (
    facet text NOT NULL,
    name text NOT NULL,
    version bigint NOT NULL,
    position integer NOT NULL DEFAULT 0,
    keywords text NOT NULL DEFAULT '',
    deleted boolean NOT NULL DEFAULT false,
    PRIMARY KEY (facet, name)
);
CREATE INDEX terms_version ON pitchpack.terms (version);

-- Pooled usage events: append-only, one row per event id whoever sends it how often.
CREATE TABLE pitchpack.events (
    id text PRIMARY KEY,
    seq bigserial NOT NULL UNIQUE,
    rep text NOT NULL DEFAULT '',
    time text NOT NULL,
    kind text NOT NULL,
    data jsonb NOT NULL,
    received timestamptz NOT NULL DEFAULT now()
);
