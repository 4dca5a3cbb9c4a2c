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
