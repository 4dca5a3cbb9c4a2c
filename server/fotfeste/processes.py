"""`fotfeste serve --workers N`: N app processes accepting on one listening socket.

The parent binds the socket, applies the migrations, and forks the app processes; it imports
no part of the app itself (no threads exist at the fork). Each child builds its own app and
serves the inherited socket with uvicorn; the kernel spreads connections among them. A child
that dies (OOM killer, kill -9) is replaced; SIGTERM or SIGINT to the parent stops all of them
gracefully. What the processes must agree on lives in the database: tokens (no cache), the
limits that guard secrets (web/shared_limits.py) and which process runs the scheduler
(workers.leased).
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import time
from collections.abc import Callable
from types import FrameType

log = logging.getLogger(__name__)

# A child that dies this soon after its start is not restarted at once, so a broken setting
# cannot make the parent fork in a tight loop.
_QUICK_DEATH = 5.0


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve_processes(
    count: int, sock: socket.socket, serve_one: Callable[[socket.socket], None]
) -> int:
    """Run `serve_one(sock)` in `count` forked processes until SIGTERM/SIGINT; 0 when stopped."""
    children: dict[int, float] = {}  # pid -> when it started
    stopping = False

    def spawn() -> None:
        pid = os.fork()
        if pid == 0:  # the child: serve until told to stop, never return into the parent's code
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            code = 1
            try:
                serve_one(sock)
                code = 0
            except BaseException:
                log.exception("app process %d failed", os.getpid())
            finally:
                os._exit(code)
        children[pid] = time.monotonic()

    def stop(signum: int, _: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for _ in range(count):
        spawn()
    log.info("serving with %d app processes: %s", count, ", ".join(map(str, children)))
    while children:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        started = children.pop(pid, None)
        if started is None or stopping:
            continue
        log.warning("app process %d ended (status %d); starting another", pid, status)
        if time.monotonic() - started < _QUICK_DEATH:
            time.sleep(_QUICK_DEATH)
        if not stopping:
            spawn()
    sock.close()
    return 0
