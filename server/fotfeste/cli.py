"""The `fotfeste` command: serve, migrate, and the operators' tools of each domain."""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import sys
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from fotfeste.clock import SystemClock
from fotfeste.db import open_database
from fotfeste.settings import Settings, SettingsError, settings_from_env

Command = Callable[[argparse.Namespace, Settings], int]


class Extension(NamedTuple):
    """A domain's subcommand: `fotfeste NAME …`."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Command


def _extensions() -> list[Extension]:
    """Each domain with operator commands lists its Extension here."""
    from fotfeste import backup, copy_to
    from fotfeste.meetings import cli as meetings_cli
    from fotfeste.push import cli as push_cli
    from fotfeste.scales import cli as resources_cli
    from fotfeste.staff import cli as staff

    return [
        Extension("meetings", "import meeting lists", meetings_cli.add_arguments, meetings_cli.run),
        Extension(
            "backup",
            "copy the live database to PATH (consistent while serving)",
            backup.add_backup_arguments,
            backup.run_backup,
        ),
        Extension(
            "restore",
            "replace the database with the backup at PATH (server stopped)",
            backup.add_restore_arguments,
            backup.run_restore,
        ),
        Extension(
            "copy-to",
            "copy the SQLite database into an empty PostgreSQL one (server stopped)",
            copy_to.add_arguments,
            copy_to.run,
        ),
        Extension(
            "resources",
            "crisis and support lines: check sources and dates",
            resources_cli.add_arguments,
            resources_cli.run,
        ),
        Extension("staff", "clinics and staff users of the portal", staff.add_arguments, staff.run),
        Extension(
            "vapid",
            "show or generate the VAPID key for Web Push",
            push_cli.add_arguments,
            push_cli.run,
        ),
        Extension(
            "push-worker",
            "send push notifications from the outbox (serve starts FOTFESTE_PUSH_WORKERS of these)",
            push_cli.add_worker_arguments,
            push_cli.run_worker,
        ),
    ]


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from fotfeste.app import create_app
    from fotfeste.web.proxy import ForwardedFor

    # One API process: SQLite has one writer, and the Database owns it (the push workers it starts,
    # FOTFESTE_PUSH_WORKERS, write only the outbox rows they claim). uvicorn with uvloop/httptools
    # gives production-grade HTTP; no reload loop. Proxy headers only from the local reverse proxy,
    # read by our own ForwardedFor (IP literals only), not uvicorn's.
    options: dict[str, Any] = {
        "access_log": False,  # uvicorn's access log carries client addresses; ours does not
        "proxy_headers": False,
        "server_header": False,
        "log_level": settings.log_level.lower(),
        "timeout_graceful_shutdown": 10,
    }
    if args.workers > 1:
        return _serve_processes(args, settings, options)
    uvicorn.run(
        ForwardedFor(create_app(settings), args.forwarded_allow_ips),
        host=args.host,
        port=args.port,
        **options,
    )
    return 0


def _serve_processes(args: argparse.Namespace, settings: Settings, options: dict[str, Any]) -> int:
    """--workers N: the parent migrates, binds and forks; each child imports and serves the app."""
    from fotfeste.processes import listening_socket, serve_processes

    sock = listening_socket(args.host, args.port)
    _migrate(args, settings)  # once, before the children race to do it

    def serve_one(sock: socket.socket) -> None:
        import uvicorn

        from fotfeste.app import create_app
        from fotfeste.web.proxy import ForwardedFor

        app = ForwardedFor(create_app(settings), args.forwarded_allow_ips)
        uvicorn.Server(uvicorn.Config(app, **options)).run(sockets=[sock])

    return serve_processes(args.workers, sock, serve_one)


def _migrate(_: argparse.Namespace, settings: Settings) -> int:
    async def run() -> list[str]:
        db = open_database(settings, readers=1)
        await db.connect()
        try:
            return await db.migrate(SystemClock())
        finally:
            await db.close()

    applied = asyncio.run(run())
    print(f"{len(applied)} migration(s) applied" + (f": {', '.join(applied)}" if applied else ""))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fotfeste", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="serve the API and the PWA")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--forwarded-allow-ips",
        default="127.0.0.1",
        help="proxies trusted for X-Forwarded-For (default: 127.0.0.1)",
    )
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="app processes sharing the socket (default 1; see deploy/README.md)",
    )
    serve.set_defaults(run=_serve)

    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.set_defaults(run=_migrate)

    for extension in _extensions():
        sub = commands.add_parser(extension.name, help=extension.help)
        extension.add_arguments(sub)
        sub.set_defaults(run=extension.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = settings_from_env()
    except SettingsError as exc:
        print(f"fotfeste: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    result: int = args.run(args, settings)
    return result


if __name__ == "__main__":
    sys.exit(main())
