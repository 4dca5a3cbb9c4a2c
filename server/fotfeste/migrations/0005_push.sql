-- Web Push: subscriptions, reminders and the outbox of notifications waiting to be sent.
CREATE TABLE push_subscriptions (
    id            TEXT PRIMARY KEY,
    account_id    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- The push service's URL for one browser; attacker-controlled, checked against the allowlist.
    endpoint      TEXT NOT NULL UNIQUE,
    p256dh        TEXT NOT NULL,
    auth          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
) STRICT;
CREATE INDEX push_subscriptions_account ON push_subscriptions (account_id);

-- One row per account and kind. Times are local ('HH:MM' in the account's zone); next_fire_at is
-- the UTC instant computed from them for `zone`, so a change of zone is noticed and recomputed.
CREATE TABLE reminders (
    account_id      TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('checkin', 'followup', 'meeting', 'milestone')),
    enabled         INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    local_time      TEXT NOT NULL,
    days            TEXT NOT NULL,
    minutes_before  INTEGER NOT NULL DEFAULT 60,
    zone            TEXT NOT NULL,
    next_fire_at    TEXT,
    last_fired_at   TEXT,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (account_id, kind)
) STRICT;
-- The scheduler asks only for what is due: a range scan on this index, never the whole table.
CREATE INDEX reminders_due ON reminders (next_fire_at) WHERE next_fire_at IS NOT NULL;

-- Quiet hours: no reminder is shown between start and end (local times; may wrap past midnight).
CREATE TABLE reminder_settings (
    account_id   TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    quiet_start  TEXT,
    quiet_end    TEXT,
    updated_at   TEXT NOT NULL
) STRICT;

-- Notifications that are due, written before anything is sent so a crash loses nothing.
-- available_at is both "retry after" and the claim's lease: a claimed row is invisible until then.
CREATE TABLE push_outbox (
    id               TEXT PRIMARY KEY,
    account_id       TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    subscription_id  TEXT NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    payload          TEXT NOT NULL,
    topic            TEXT,
    urgency          TEXT NOT NULL CHECK (urgency IN ('very-low', 'low', 'normal', 'high')),
    ttl              INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    available_at     TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX push_outbox_available ON push_outbox (available_at);
CREATE INDEX push_outbox_subscription ON push_outbox (subscription_id);
CREATE INDEX push_outbox_account ON push_outbox (account_id);
