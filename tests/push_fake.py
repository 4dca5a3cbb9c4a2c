"""A fake push service on loopback: checks the VAPID JWT and decrypts every body like a browser."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import http_ece
import jwt
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

_REASONS = {200: "OK", 201: "Created", 301: "Moved", 400: "Bad Request", 404: "Not Found"}


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Subscriber:
    """A browser's side of a subscription: its own key pair and auth secret."""

    id: str
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_secret: bytes

    @property
    def p256dh(self) -> str:
        return b64(
            self.private_key.public_key().public_bytes(
                Encoding.X962, PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64(self.auth_secret)

    def as_json(self) -> dict[str, Any]:
        """What PushSubscription.toJSON() gives."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


@dataclass
class Received:
    subscriber_id: str
    headers: dict[str, str]
    claims: dict[str, Any]
    message: dict[str, Any]
    status: int


@dataclass
class FakePushService:
    """Answers POST /push/<id>. Scripted answers per subscriber (default 201)."""

    subject: str | None = None  # the `sub` the JWT must carry, if given
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    verify: bool = True
    host: str = "127.0.0.1"
    port: int = 0
    received: list[Received] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    count: int = 0
    _subscribers: dict[str, Subscriber] = field(default_factory=dict)
    _scripts: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    _loop: asyncio.AbstractEventLoop | None = None
    _thread: threading.Thread | None = None
    _server: asyncio.Server | None = None
    _cond: threading.Condition = field(default_factory=threading.Condition)
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def subscribe(self) -> Subscriber:
        sub_id = b64(os.urandom(12))
        sub = Subscriber(
            sub_id,
            f"{self.origin}/push/{sub_id}",
            ec.generate_private_key(ec.SECP256R1()),
            os.urandom(16),
        )
        self._subscribers[sub_id] = sub
        return sub

    def restarted(self) -> FakePushService:
        """The same service back after an outage: its port and subscribers, a fresh log."""
        back = FakePushService(subject=self.subject, now=self.now, host=self.host, port=self.port)
        back._subscribers = dict(self._subscribers)
        return back.start()

    def script(self, sub: Subscriber, *answers: int | tuple[int, dict[str, str]]) -> None:
        """The next answers for this subscriber, in order; afterwards 201 again."""
        self._scripts[sub.id] = [a if isinstance(a, tuple) else (a, {}) for a in answers]

    def messages_for(self, sub: Subscriber) -> list[Received]:
        return [r for r in self.received if r.subscriber_id == sub.id]

    def delivered_to(self, sub: Subscriber) -> list[dict[str, Any]]:
        """Messages the subscriber's browser would show (answered 201)."""
        return [r.message for r in self.messages_for(sub) if r.status == 201]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 10) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    # --- checking a request, as a real push service and browser would ------------------------

    def _check(self, sub_id: str, headers: dict[str, str], body: bytes) -> Received:
        sub = self._subscribers.get(sub_id)
        if sub is None:
            raise ValueError(f"unknown subscriber {sub_id}")
        scheme, _, params = headers.get("authorization", "").partition(" ")
        if scheme != "vapid":
            raise ValueError("Authorization is not 'vapid t=…, k=…'")
        parts = dict(p.strip().split("=", 1) for p in params.split(","))
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(parts["k"]))
        if jwt.get_unverified_header(parts["t"]).get("alg") != "ES256":
            raise ValueError("JWT is not ES256")
        claims = jwt.decode(
            parts["t"],
            public,
            algorithms=["ES256"],
            audience=self.origin,
            options={"verify_exp": False, "require": ["aud", "exp", "sub"]},
        )
        now = self.now()
        exp = datetime.fromtimestamp(claims["exp"], UTC)
        if not now < exp <= now + timedelta(hours=24):
            raise ValueError(f"JWT exp {exp} is not within 24 h of {now}")
        if not str(claims["sub"]).startswith(("mailto:", "https:")):
            raise ValueError(f"JWT sub {claims['sub']!r} is not mailto: or https:")
        if self.subject is not None and claims["sub"] != self.subject:
            raise ValueError(f"JWT sub {claims['sub']!r} != {self.subject!r}")
        if headers.get("content-encoding") != "aes128gcm":
            raise ValueError("Content-Encoding is not aes128gcm")
        if not headers.get("ttl", "").isdigit():
            raise ValueError("TTL header missing")
        plain = http_ece.decrypt(
            body, private_key=sub.private_key, auth_secret=sub.auth_secret, version="aes128gcm"
        )
        return Received(sub_id, headers, claims, json.loads(plain), 0)

    def _answer(
        self, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str]]:
        self.count += 1
        if not path.startswith("/push/"):
            return 404, {}
        sub_id = path.removeprefix("/push/")
        if not self.verify:
            return 201, {}
        try:
            received = self._check(sub_id, headers, body)
        except Exception as exc:
            self.errors.append(f"{type(exc).__name__}: {exc}")
            return 400, {}
        script = self._scripts.get(sub_id)
        status, extra = script.pop(0) if script else (201, {})
        received.status = status
        with self._cond:
            self.received.append(received)
            self._cond.notify_all()
        return status, extra

    # --- a small HTTP/1.1 server (keep-alive, Content-Length bodies) --------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                _method, path, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                status, extra = self._answer(path, headers, body)
                reply = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}", "content-length: 0"]
                reply += [f"{k}: {v}" for k, v in extra.items()]
                writer.write(("\r\n".join(reply) + "\r\n\r\n").encode())
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def serve(self) -> None:
        """Run in the current loop until cancelled (the benchmark runs it in its own process)."""
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]
        async with self._server:
            await self._server.serve_forever()

    def start(self) -> FakePushService:
        """Serve from a thread with its own event loop (tests)."""
        loop = self._loop = asyncio.new_event_loop()
        ready = threading.Event()

        async def listen() -> None:
            self._server = await asyncio.start_server(self._handle, self.host, self.port)
            self.port = self._server.sockets[0].getsockname()[1]

        def run() -> None:
            # Everything on the thread: the caller's thread may have a loop running already
            # (Playwright's sync API does).
            loop.run_until_complete(listen())
            ready.set()
            loop.run_forever()

        self._thread = threading.Thread(target=run, daemon=True, name="fake-push")
        self._thread.start()
        ready.wait(5)
        return self

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        # Closing the connections ends each handler at its next read.
        for writer in list(self._writers):
            writer.transport.abort()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        await asyncio.wait(tasks, timeout=2) if tasks else None

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)
        self._loop.close()


_CREATED = b"HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n"
# What the cheap fake has answered: POSTs, when the last one came (time.time()), its CPU seconds.
STATS = {"count": 0, "last": 0.0}


class Answer201(asyncio.Protocol):
    """The benchmark's push service: 201 to every request, reading only what it must (where the
    head ends and how long the body is) so that it costs the shared cores as little as possible
    and the figures measure the sender, not the rig. Keep-alive HTTP/1.1 with Content-Length."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: Any = transport  # uvloop's TCPTransport is no asyncio.Transport subclass
        self.buffer = bytearray()
        self.skip = 0  # body bytes of the current request still to come

    def data_received(self, data: bytes) -> None:
        buffer = self.buffer
        buffer += data
        while True:
            if self.skip:
                taken = min(self.skip, len(buffer))
                del buffer[:taken]
                self.skip -= taken
                if self.skip:
                    return
                self.transport.write(_CREATED)
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buffer[:end]).lower()
            del buffer[: end + 4]
            if head.startswith(b"get /stats"):
                # The benchmark asks how far the fan-out got and what the fake cost.
                stats = json.dumps({**STATS, "cpu": time.process_time()}).encode()
                self.transport.write(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: "
                    + str(len(stats)).encode() + b"\r\n\r\n" + stats
                )  # fmt: skip
                continue
            STATS["count"] += 1
            STATS["last"] = time.time()
            at = head.find(b"\r\ncontent-length:")
            if at >= 0:
                stop = head.find(b"\r\n", at + 2)
                self.skip = int(head[at + 17 : stop if stop >= 0 else None])
            if not self.skip:
                self.transport.write(_CREATED)


async def serve_cheap(host: str = "127.0.0.1") -> None:
    """Print the port, then answer until killed."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Answer201, host, 0, backlog=1024)
    print(server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    # `python -m tests.push_fake`: the benchmark's cheap fake, in its own process, on uvloop.
    import sys

    import uvloop

    try:
        uvloop.run(serve_cheap())
    except KeyboardInterrupt:
        sys.exit(0)
