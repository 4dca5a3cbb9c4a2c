-- Drug-free days: one sobriety start date per account and one check-in per account and day.
CREATE TABLE sobriety (
    account_id  TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    -- The person's own calendar date ('YYYY-MM-DD'), not an instant.
    start_date  TEXT NOT NULL CHECK (date(start_date) IS start_date),
    updated_at  TEXT NOT NULL
) STRICT;

-- Keyed by (account, date) so a retried or replayed PUT updates the same row and never duplicates.
CREATE TABLE checkins (
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    date        TEXT NOT NULL CHECK (date(date) IS date),
    used        INTEGER NOT NULL CHECK (used IN (0, 1)),
    craving     INTEGER CHECK (craving BETWEEN 0 AND 10),
    mood        INTEGER CHECK (mood BETWEEN 1 AND 5),
    -- A JSON array of names from a fixed set (see recovery/models.py), sorted, without repeats.
    substances  TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(substances)),
    note        TEXT CHECK (length(note) <= 2000),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, date)
) STRICT, WITHOUT ROWID;
