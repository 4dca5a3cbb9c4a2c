"""Named dependencies that handlers ask for by name: `db: DB`, `account: CurrentAccount`, …"""

from __future__ import annotations

from litestar.di import NamedDependency
from litestar.params import SkipValidation

from fotfeste.accounts.models import Account
from fotfeste.accounts.quota import WriteQuota
from fotfeste.clock import Clock
from fotfeste.db import Database
from fotfeste.settings import Settings

# The values come from the app itself, so validating them on every request is pure cost (the
# Clock protocol is runtime-checkable: an isinstance check against it walks its members).
DB = NamedDependency[SkipValidation[Database]]
AppClock = NamedDependency[SkipValidation[Clock]]
AppSettings = NamedDependency[SkipValidation[Settings]]
CurrentAccount = NamedDependency[SkipValidation[Account]]
# The signed-in account's write quota (accounts/quota.py); resolved after the account.
Quota = NamedDependency[SkipValidation[WriteQuota]]
