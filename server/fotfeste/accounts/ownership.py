"""Which tables hold account data: the basis of export and delete, checked against the schema.

Every table that holds anything about an account has an `account_id` column that references
accounts(id) ON DELETE CASCADE, so deleting the account row deletes everything and export finds
everything by looking at the schema. A table without `account_id` must be listed here with
the reason it holds no account data; a test fails for any table that is neither.
"""

from __future__ import annotations

SHARED_TABLES: dict[str, str] = {
    "schema_migrations": "migration bookkeeping",
    "meeting_sources": "imported meeting feeds and their fetch state",
    "meetings": "public meeting lists from Meeting Guide feeds and BMLT servers",
    "meetings_geo": "where each public meeting is, for nearby searches (SQLite: an R*Tree)",
    "clinics": "treatment units (staff side); no person in recovery",
    "staff_users": "clinic staff log-ins (work e-mail); no person in recovery",
    "staff_sessions": "staff log-in sessions",
    "referral_codes": "codes a clinic prints; the activation counter names no account",
    "staff_audit": "what staff did (codes created, revoked, log-ins); no person in recovery",
    "staff_login_key": "the key that hashes unknown staff log-in addresses",
    "staff_unknown_logins": "failed staff log-ins for unknown work addresses, hashed",
    "staff_outcome_releases": "a clinic's monthly outcome figures, aggregated with noise",
    "rate_hits": "attempts per limit, keyed by a keyed hash; kept only for the limit's window",
    "rate_limit_key": "the key that hashes rate-limited addresses and accounts",
    "leases": "which app process runs the scheduler and the feed refresher",
}

# Columns never exported: secrets stored as hashes and lookup keys.
SECRET_COLUMNS: dict[str, frozenset[str]] = {
    "accounts": frozenset({"recovery_lookup", "recovery_hash"}),
    "tokens": frozenset({"token_hash"}),
    "supporter_invitations": frozenset({"code_hash"}),
}
