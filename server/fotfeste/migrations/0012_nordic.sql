-- Denmark's out-of-hours medical number depends on the region: a person may choose theirs.
-- No row (or a null region) means none chosen: every region's number is shown, each named.
CREATE TABLE help_settings (
    account_id  TEXT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    region      TEXT CHECK (region IS NULL OR region IN
                  ('hovedstaden', 'sjaelland', 'syddanmark', 'midtjylland', 'nordjylland'))
) STRICT;

-- A staff member's portal language follows the login page until they pick one; then it is kept.
ALTER TABLE staff_users ADD COLUMN locale_chosen INTEGER NOT NULL DEFAULT 0
    CHECK (locale_chosen IN (0, 1));
