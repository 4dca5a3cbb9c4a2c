-- Staff portal: clinics, staff users and their sessions, referral codes, links and the audit log.
-- Nothing here identifies a person in recovery: clinic_links holds only an account id and a code.
CREATE TABLE clinics (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE staff_users (
    id                    TEXT PRIMARY KEY,
    clinic_id             TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    -- A work address; it never touches patient data.
    email                 TEXT NOT NULL UNIQUE,
    password_hash         TEXT NOT NULL,
    must_change_password  INTEGER NOT NULL DEFAULT 1 CHECK (must_change_password IN (0, 1)),
    failed_logins         INTEGER NOT NULL DEFAULT 0,
    locked_until          TEXT,
    locale                TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('sv', 'nb', 'da', 'en')),
    created_at            TEXT NOT NULL
) STRICT;
CREATE INDEX staff_users_clinic ON staff_users (clinic_id);

-- Server-side sessions: the cookie holds a random token, the table only its SHA-256.
CREATE TABLE staff_sessions (
    token_hash    TEXT PRIMARY KEY,
    staff_id      TEXT NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    csrf_token    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL
) STRICT;
CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);

CREATE TABLE referral_codes (
    code             TEXT PRIMARY KEY,
    clinic_id        TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    programme        TEXT NOT NULL CHECK (programme IN ('aftercare', 'waiting-list', 'clinic-16')),
    locale           TEXT NOT NULL CHECK (locale IN ('sv', 'nb', 'da', 'en')),
    contact_phone    TEXT NOT NULL DEFAULT '',
    contact_hours    TEXT NOT NULL DEFAULT '',
    contact_address  TEXT NOT NULL DEFAULT '',
    home_area        TEXT NOT NULL DEFAULT '',
    home_lat         REAL,
    home_lon         REAL,
    -- How many accounts ever accepted the code: a counter, so it survives unlinking and deletion.
    activations      INTEGER NOT NULL DEFAULT 0,
    created_by       TEXT REFERENCES staff_users (id) ON DELETE SET NULL,
    created_at       TEXT NOT NULL,
    revoked_at       TEXT
) STRICT;
CREATE INDEX referral_codes_clinic ON referral_codes (clinic_id, created_at);

-- A person's consent to count in their clinic's programme outcomes; deleted on unlink.
CREATE TABLE clinic_links (
    account_id  TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    code        TEXT NOT NULL REFERENCES referral_codes (code) ON DELETE CASCADE,
    linked_at   TEXT NOT NULL
) STRICT;
CREATE INDEX clinic_links_code ON clinic_links (code);

CREATE TABLE staff_audit (
    id         TEXT PRIMARY KEY,
    clinic_id  TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    staff_id   TEXT REFERENCES staff_users (id) ON DELETE SET NULL,
    -- Kept beside the id so the log still says who after a user is removed.
    staff_email TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
) STRICT;
CREATE INDEX staff_audit_clinic ON staff_audit (clinic_id, at);

-- Which codes a person has answered (accepted or declined), so a code typed at onboarding is
-- offered once and never again after an answer, even after unlinking.
CREATE TABLE clinic_code_answers (
    account_id   TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code         TEXT NOT NULL,
    accepted     INTEGER NOT NULL CHECK (accepted IN (0, 1)),
    answered_at  TEXT NOT NULL,
    PRIMARY KEY (account_id, code)
) STRICT;
