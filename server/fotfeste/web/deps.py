"""Named dependencies that handlers ask for by name: `db: DB`, `account: CurrentAccount`, …"""

from __future__ import annotations

from litestar.di import NamedDependency

from fotfeste.accounts.models import Account
from fotfeste.clock import Clock
from fotfeste.db import Database
from fotfeste.settings import Settings

DB = NamedDependency[Database]
AppClock = NamedDependency[Clock]
AppSettings = NamedDependency[Settings]
CurrentAccount = NamedDependency[Account]
