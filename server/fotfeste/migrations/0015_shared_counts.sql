-- Issue 19, several processes: what every app process must see alike lives in the database.
-- Written in the subset SQLite and PostgreSQL share (no STRICT, no randomblob, 64-bit integers).

-- Rate limits that guard secrets (account creation, recovery guesses, staff log-ins, referral
-- code answers), counted across processes: one row per counted attempt, kept only for the
-- limit's window (web/shared_limits.py). `client` is a keyed hash (hex) of the client's address
-- or of an account id, never the address; the key is made by the app, once per database.
CREATE TABLE rate_hits (
    bucket  TEXT NOT NULL,
    client  TEXT NOT NULL,
    at_ms   BIGINT NOT NULL
);
CREATE INDEX rate_hits_client ON rate_hits (bucket, client, at_ms);
CREATE INDEX rate_hits_at ON rate_hits (at_ms);

CREATE TABLE rate_limit_key (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    key  TEXT NOT NULL
);

-- Loops that must run in one process at a time (reminder scheduler, meeting-feed refresher,
-- supporter milestones): the process holding an unexpired lease runs it and renews it; when
-- it dies, another takes the lease once it expires (workers.py).
CREATE TABLE leases (
    name        TEXT PRIMARY KEY,
    holder      TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
