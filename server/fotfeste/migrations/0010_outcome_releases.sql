-- Staff outcomes released with differential privacy, one release per clinic and month: made on
-- the first request of the month and shown unchanged until the month ends, so looking again (or
-- before and after one more person links) learns nothing new. Aggregates only, no account id.
CREATE TABLE staff_outcome_releases (
    clinic_id  TEXT NOT NULL REFERENCES clinics (id) ON DELETE CASCADE,
    period     TEXT NOT NULL,  -- YYYY-MM in the release zone (settings.outcomes_zone)
    epsilon    REAL NOT NULL,
    made_at    TEXT NOT NULL,
    report     BLOB NOT NULL,  -- the released figures as JSON (staff/outcomes.py Report)
    PRIMARY KEY (clinic_id, period)
) STRICT;
