"""What other domains may call in accounts: who a bearer token belongs to, a profile, when
accounts were last seen, and the per-account write quota.

`Account` itself is a shape: import it from `fotfeste.accounts.models`.
"""

from __future__ import annotations

from fotfeste.accounts.auth import (
    account_from_token,
    bearer_token,
    provide_account,
    requires_account,
)
from fotfeste.accounts.quota import WriteQuota
from fotfeste.accounts.store import account_for_token, export, last_seen, profile_row

__all__ = [
    "WriteQuota",
    "account_for_token",
    "account_from_token",
    "bearer_token",
    "export",
    "last_seen",
    "profile_row",
    "provide_account",
    "requires_account",
]
