-- Two group roles; login users are made members of one (see README, "Team library").
-- pitchpack_rep reads the catalog and may only add events; pitchpack_marketer publishes.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pitchpack_rep') THEN
        CREATE ROLE pitchpack_rep NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pitchpack_marketer') THEN
        CREATE ROLE pitchpack_marketer NOLOGIN;
    END IF;
END
$$;

GRANT USAGE ON SCHEMA pitchpack TO pitchpack_rep, pitchpack_marketer;

GRANT SELECT ON pitchpack.library, pitchpack.assets, pitchpack.terms TO pitchpack_rep;
GRANT INSERT ON pitchpack.events TO pitchpack_rep;
GRANT USAGE ON SEQUENCE pitchpack.events_seq_seq TO pitchpack_rep;

GRANT SELECT, INSERT, UPDATE, DELETE
    ON pitchpack.library, pitchpack.assets, pitchpack.terms TO pitchpack_marketer;
GRANT SELECT, INSERT ON pitchpack.events TO pitchpack_marketer;
GRANT USAGE ON SEQUENCE pitchpack.events_seq_seq TO pitchpack_marketer;
