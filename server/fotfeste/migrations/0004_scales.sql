-- Follow-up scales: answers to instruments, the programme an account follows, its cut-off choice.
CREATE TABLE scale_responses (
    id           TEXT PRIMARY KEY,
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- Made by the PWA, so a retried POST never stores the same answers twice.
    client_id    TEXT,
    instrument   TEXT NOT NULL,
    version      TEXT NOT NULL,
    answers      TEXT NOT NULL CHECK (json_valid(answers)),
    score        INTEGER,
    band         TEXT,
    safety       INTEGER NOT NULL CHECK (safety IN (0, 1)),
    answered_at  TEXT NOT NULL,
    -- The account's local date when answered: follow-up windows are calendar days.
    answered_on  TEXT NOT NULL,
    UNIQUE (account_id, client_id)
) STRICT;
CREATE INDEX scale_responses_history ON scale_responses (account_id, instrument, answered_at);

-- No row means the default programme from the account's first day.
CREATE TABLE enrolments (
    account_id  TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    programme   TEXT NOT NULL,
    start_date  TEXT NOT NULL
) STRICT;

-- Sex-specific cut-offs apply only when the person chose a set; most never will.
CREATE TABLE scale_settings (
    account_id  TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    cutoff_set  TEXT CHECK (cutoff_set IS NULL OR cutoff_set IN ('men', 'women'))
) STRICT;
