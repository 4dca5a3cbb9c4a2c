-- The personal relapse-prevention plan and the treatment status the person states.
-- All of it is written by the person for themselves: the server stores it, exports it and
-- deletes it, and never acts on it (it never calls or texts the numbers in plan_people).

-- Warning signs, high-risk situations, coping actions and reasons for change, one row per line.
CREATE TABLE plan_entries (
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Made on the device, so a write replayed from the offline outbox never duplicates a line.
    id          TEXT NOT NULL,
    section     TEXT NOT NULL CHECK (
        section IN ('warning_signs', 'high_risk_situations', 'coping_actions', 'reasons')
    ),
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
) STRICT, WITHOUT ROWID;

-- People to contact: a name and a number exactly as the person typed them.
CREATE TABLE plan_people (
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    position    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
) STRICT, WITHOUT ROWID;

-- Waiting-list mode: what the person says about treatment, and since which local date.
CREATE TABLE treatment_status (
    account_id  TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    status      TEXT NOT NULL CHECK (status IN ('none', 'waiting', 'in_treatment', 'after')),
    since       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
