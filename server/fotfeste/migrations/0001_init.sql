-- Anonymous accounts, their device tokens, and nothing else that identifies anyone.
CREATE TABLE accounts (
    id              TEXT PRIMARY KEY,
    role            TEXT NOT NULL CHECK (role IN ('self', 'relative')),
    locale          TEXT NOT NULL CHECK (locale IN ('sv', 'nb', 'da', 'en')),
    timezone        TEXT NOT NULL,
    -- ISO 3166 alpha-2; decides crisis resources. Guessed from zone and language, editable.
    country         TEXT CHECK (country IS NULL OR length(country) = 2),
    discreet        INTEGER NOT NULL DEFAULT 0 CHECK (discreet IN (0, 1)),
    created_at      TEXT NOT NULL,
    referral_code   TEXT,
    -- The recovery code is a public lookup part and a secret part; the secret is kept only as argon2id.
    recovery_lookup TEXT UNIQUE,
    recovery_hash   TEXT
) STRICT;

CREATE TABLE tokens (
    id            TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT NOT NULL
) STRICT;
CREATE INDEX tokens_account ON tokens (account_id);
