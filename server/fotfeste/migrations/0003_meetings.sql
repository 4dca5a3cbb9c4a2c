-- Meetings imported from Meeting Guide feeds and BMLT servers (shared), with an R*Tree for nearby
-- search; each account's favourites and attendance log (account data).
CREATE TABLE meeting_sources (
    name          TEXT PRIMARY KEY,
    format        TEXT NOT NULL CHECK (format IN ('meeting-guide', 'bmlt')),
    location      TEXT NOT NULL,
    imported_at   TEXT,
    checked_at    TEXT,
    -- HTTP validators from the last successful fetch, sent back as If-None-Match/If-Modified-Since.
    etag          TEXT,
    last_modified TEXT,
    meetings      INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0,
    last_error    TEXT
) STRICT;

CREATE TABLE meetings (
    -- The integer key pairs a meeting with its R*Tree entry; it never leaves the server.
    pk                 INTEGER PRIMARY KEY,
    -- Derived from (source, source key), so a re-import keeps ids and favourites stay valid.
    id                 TEXT NOT NULL UNIQUE,
    source             TEXT NOT NULL REFERENCES meeting_sources (name) ON DELETE CASCADE,
    source_key         TEXT NOT NULL,
    name               TEXT NOT NULL,
    fellowship         TEXT NOT NULL,
    day                INTEGER NOT NULL CHECK (day BETWEEN 0 AND 6),
    time               TEXT NOT NULL,
    end_time           TEXT NOT NULL,
    start_minute       INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    timezone           TEXT NOT NULL,
    types              TEXT NOT NULL DEFAULT '',
    attendance         TEXT NOT NULL CHECK (attendance IN ('in_person', 'online', 'hybrid')),
    temporarily_closed INTEGER NOT NULL DEFAULT 0 CHECK (temporarily_closed IN (0, 1)),
    location_name      TEXT,
    address            TEXT,
    lat                REAL,
    lon                REAL,
    conference_url     TEXT,
    conference_phone   TEXT,
    notes              TEXT,
    updated            TEXT,
    UNIQUE (source, source_key)
) STRICT;
-- Covers "online, soonest first": the zone and start are all the sort needs.
CREATE INDEX meetings_online ON meetings (attendance, timezone, day, start_minute)
    WHERE attendance != 'in_person';

-- Points as zero-size boxes; candidates are then measured by great-circle distance.
CREATE VIRTUAL TABLE meetings_geo USING rtree (pk, min_lat, max_lat, min_lon, max_lon);

CREATE TABLE meeting_favourites (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- No foreign key: a meeting may vanish from its feed for a while and come back with the same id.
    meeting_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (account_id, meeting_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE meeting_attendance (
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    date         TEXT NOT NULL,
    -- '' when the person went to a meeting that is not in the list; the natural key makes retries safe.
    meeting_id   TEXT NOT NULL DEFAULT '',
    -- Kept so the log still reads well when the meeting leaves its feed.
    meeting_name TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (account_id, date, meeting_id)
) STRICT, WITHOUT ROWID;
