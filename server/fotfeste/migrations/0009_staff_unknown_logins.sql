-- Issue 22, findings 7 and 9.
-- Failed staff log-ins for e-mail addresses that have no staff user, kept beside staff_users' own
-- counters so a restart forgets neither: after one, a real address and an unknown one must still
-- answer alike. Rows are keyed by a keyed BLAKE2b hash of the address, never the address; the key
-- is made here, once per database. A row goes when its lock has lifted; the oldest beyond 10,000
-- are forgotten (staff/sessions.py).
CREATE TABLE staff_login_key (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    key  BLOB NOT NULL
) STRICT;
INSERT INTO staff_login_key (id, key) VALUES (1, randomblob(32));

CREATE TABLE staff_unknown_logins (
    address_hash   BLOB PRIMARY KEY,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TEXT,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX staff_unknown_logins_updated ON staff_unknown_logins (updated_at);

-- Whether this account's acceptance of this code has been counted in referral_codes.activations:
-- linking, leaving and linking again (or declining and accepting) counts once per account and code.
ALTER TABLE clinic_code_answers
    ADD COLUMN counted INTEGER NOT NULL DEFAULT 0 CHECK (counted IN (0, 1));
UPDATE clinic_code_answers SET counted = accepted;
