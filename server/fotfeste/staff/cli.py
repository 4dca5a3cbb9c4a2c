"""`fotfeste staff add-clinic | add-user | reset-password`: the operator's side of the portal."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable

from fotfeste.clock import SystemClock
from fotfeste.db import Database, open_database
from fotfeste.errors import DomainError
from fotfeste.settings import Settings
from fotfeste.staff import logic, sessions, store, user_store


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="staff_command", required=True)
    clinic = commands.add_parser("add-clinic", help="add a clinic (treatment unit)")
    clinic.add_argument("name")
    user = commands.add_parser("add-user", help="add a staff user; prints a one-time password")
    user.add_argument("--clinic", required=True, help="the clinic's name or id")
    user.add_argument("--email", required=True, help="the staff member's work e-mail")
    reset = commands.add_parser(
        "reset-password", help="give a staff user a new one-time password (also lifts a lockout)"
    )
    reset.add_argument("--email", required=True)


def run(args: argparse.Namespace, settings: Settings) -> int:
    commands: dict[str, Callable[[Database], Awaitable[str]]] = {
        "add-clinic": lambda db: _add_clinic(db, args.name),
        "add-user": lambda db: _add_user(db, args.clinic, args.email),
        "reset-password": lambda db: _reset(db, args.email),
    }
    try:
        print(asyncio.run(_with_db(settings, commands[args.staff_command])))
    except DomainError as exc:
        print(f"fotfeste staff: {exc.detail}", file=sys.stderr)
        return 1
    return 0


async def _with_db(settings: Settings, action: Callable[[Database], Awaitable[str]]) -> str:
    db = open_database(settings, readers=1)
    await db.connect()
    try:
        await db.migrate(SystemClock())
        return await action(db)
    finally:
        await db.close()


async def _add_clinic(db: Database, name: str) -> str:
    name = name.strip()
    if not name or len(name) > 200:
        raise DomainError("A clinic name has 1 to 200 characters")
    clinic_id = await store.create_clinic(db, SystemClock(), name)
    return f"clinic {name!r} added (id {clinic_id})"


def _email(text: str) -> str:
    email = text.strip().lower()
    local, at, domain = email.partition("@")
    if not at or not local or "." not in domain or len(email) > 254 or " " in email:
        raise DomainError(f"{text!r} is not an e-mail address")
    return email


async def _add_user(db: Database, clinic: str, email_text: str) -> str:
    email = _email(email_text)
    row = await store.find_clinic(db, clinic)
    if row is None:
        raise DomainError(
            f"No clinic named {clinic!r}; add it first with `fotfeste staff add-clinic`"
        )
    password = logic.one_time_password()
    await user_store.create_user(
        db, SystemClock(), row["id"], email, await sessions.hash_password(password)
    )
    return (
        f"staff user {email} added to {row['name']!r}.\n"
        f"One-time password (to be changed at first login): {password}"
    )


async def _reset(db: Database, email_text: str) -> str:
    email = _email(email_text)
    user = await user_store.user_by_email(db, email)
    if user is None:
        raise DomainError(f"No staff user {email!r}")
    password = logic.one_time_password()
    await user_store.set_password(
        db, SystemClock(), user["id"], await sessions.hash_password(password), must_change=True
    )
    return f"One-time password for {email} (to be changed at first login): {password}"
