-- PostgreSQL's text of 0002_recovery.sql: SQLite's date() and json_valid() checks as functions.
-- Drug-free days: one sobriety start date per account and one check-in per account and day.

-- True for what SQLite's `date(x) IS x` accepts: YYYY-MM-DD, month 01-12, day 01-31 (SQLite
-- 3.40 takes 2026-02-30 as written; the API refuses impossible dates before they get here).
CREATE FUNCTION fotfeste_is_date(value TEXT) RETURNS BOOLEAN LANGUAGE sql IMMUTABLE AS $$
    SELECT value ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'
$$;

-- True when the text is JSON, as SQLite's json_valid().
CREATE FUNCTION fotfeste_json_valid(value TEXT) RETURNS BOOLEAN LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    PERFORM value::json;
    RETURN TRUE;
EXCEPTION WHEN others THEN
    RETURN FALSE;
END $$;

CREATE TABLE sobriety (
    account_id  TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    -- The person's own calendar date ('YYYY-MM-DD'), not an instant.
    start_date  TEXT NOT NULL CHECK (fotfeste_is_date(start_date)),
    updated_at  TEXT NOT NULL
);

-- Keyed by (account, date) so a retried or replayed PUT updates the same row and never duplicates.
CREATE TABLE checkins (
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    date        TEXT NOT NULL CHECK (fotfeste_is_date(date)),
    used        BIGINT NOT NULL CHECK (used IN (0, 1)),
    craving     BIGINT CHECK (craving BETWEEN 0 AND 10),
    mood        BIGINT CHECK (mood BETWEEN 1 AND 5),
    -- A JSON array of names from a fixed set (see recovery/models.py), sorted, without repeats.
    substances  TEXT NOT NULL DEFAULT '[]' CHECK (fotfeste_json_valid(substances)),
    note        TEXT CHECK (length(note) <= 2000),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, date)
);
