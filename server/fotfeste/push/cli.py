"""`fotfeste vapid show|generate`: the server's VAPID key for operators."""

from __future__ import annotations

import argparse
import logging
import sys

from fotfeste.push.keys import VapidKeyError, generate_key_file, key_file, load_key
from fotfeste.settings import Settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="vapid_action", required=True)
    actions.add_parser("show", help="print the public key (applicationServerKey) and its source")
    generate = actions.add_parser("generate", help="create the key file in the data dir")
    generate.add_argument(
        "--force",
        action="store_true",
        help="replace an existing key (every browser must then subscribe again)",
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    try:
        key = load_key(settings)
    except VapidKeyError as exc:
        print(f"fotfeste vapid: {exc}", file=sys.stderr)
        return 2
    if args.vapid_action == "generate":
        if settings.vapid_private_key:
            print(
                "fotfeste vapid: FOTFESTE_VAPID_PRIVATE_KEY is set; not generating", file=sys.stderr
            )
            return 2
        if key is not None and not args.force:
            print(
                f"fotfeste vapid: {key.source} exists; use --force to replace it", file=sys.stderr
            )
            return 1
        key = generate_key_file(settings, overwrite=args.force)
    if key is None:
        path = key_file(settings)
        print(f"no VAPID key yet; `fotfeste vapid generate` or the first start creates {path}")
        return 1
    print(f"public key (applicationServerKey): {key.application_server_key}")
    print(f"source: {key.source}")
    print(f"subject: {settings.vapid_subject}")
    return 0


def add_worker_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from-serve",
        metavar="PID",
        type=int,
        default=None,
        help=argparse.SUPPRESS,  # serve's own: settings on stdin, stop when PID is gone
    )
    parser.add_argument(
        "--produce",
        action="store_true",
        help="also queue due reminders into the outbox (run it in one worker only)",
    )


def run_worker(args: argparse.Namespace, settings: Settings) -> int:
    """Send from the outbox until SIGTERM (beside `fotfeste serve`, on the same database)."""
    import uvloop

    from fotfeste.push.worker import read_settings_line, run_worker

    if args.from_serve is not None:
        settings = read_settings_line()
        logging.getLogger().setLevel(settings.log_level)  # serve's, not the environment's
    return uvloop.run(run_worker(settings, args.from_serve, args.produce))
