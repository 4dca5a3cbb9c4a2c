-- Motivation: what the person used to spend (for "money not spent"). Optional, the person's own
-- estimate; it is never shown to anyone else.
CREATE TABLE spending (
    account_id    TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    -- In the currency's minor unit (öre, øre, cent): exact sums, no floating point.
    amount_minor  INTEGER NOT NULL CHECK (amount_minor >= 0),
    per           TEXT NOT NULL CHECK (per IN ('day', 'week', 'month')),
    currency      TEXT NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
    updated_at    TEXT NOT NULL
) STRICT;

-- A supporter (a relative, a friend, a sponsor) sees a person's milestones, and the streak if
-- the person chooses, nothing else. The person invites with a one-time code; each side owns its
-- own row, so each side's export holds its side and deleting either account ends the link.
CREATE TABLE supporter_invitations (
    -- SHA-256 of the normalised code: the code itself is shown once, to the person.
    code_hash   TEXT NOT NULL PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    shares      TEXT NOT NULL CHECK (shares IN ('milestones', 'milestones,streak')),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
) STRICT;
CREATE INDEX supporter_invitations_account ON supporter_invitations (account_id);

-- The person's side: who may see what, since when, and when it ended.
CREATE TABLE supporter_links (
    id          TEXT NOT NULL PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    shares      TEXT NOT NULL CHECK (shares IN ('milestones', 'milestones,streak')),
    created_at  TEXT NOT NULL,
    ended_at    TEXT,
    -- The highest milestone the supporter was told of; NULL until the first look, which takes
    -- the milestones already reached as known (a new supporter is not sent old news).
    notified_milestone  INTEGER
) STRICT;
CREATE INDEX supporter_links_account ON supporter_links (account_id);

-- The supporter's side of the same link.
CREATE TABLE supporting (
    link_id     TEXT NOT NULL PRIMARY KEY REFERENCES supporter_links (id) ON DELETE CASCADE,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX supporting_account ON supporting (account_id);

-- Encouragements a person received: one of a few fixed kinds, never free text, never who sent
-- it beyond "a supporter".
CREATE TABLE encouragements (
    id          TEXT NOT NULL PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('proud', 'thinking_of_you', 'here_for_you')),
    at          TEXT NOT NULL
) STRICT;
CREATE INDEX encouragements_account ON encouragements (account_id, at);
