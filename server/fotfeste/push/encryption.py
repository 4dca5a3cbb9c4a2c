"""RFC 8291 (aes128gcm) encryption with the webpush package, off the event loop."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from typing import Any

from webpush import WebPush
from webpush.vapid import VAPID

from fotfeste.push.logic import check_payload

# (payload, p256dh, auth): what one message needs to be encrypted for one subscription.
Plain = tuple[bytes, str, str]


@dataclass(frozen=True)
class _Keys:
    auth: str
    p256dh: str


@dataclass(frozen=True)
class _Subscription:
    # WebPush._encrypt reads only subscription.keys; a plain object spares a pydantic URL parse.
    keys: _Keys


@cache
def _webpush() -> Any:
    # The instance is used only for its encryption: its VAPID signing and per-call options
    # (TTL, subscriber) stick to the instance, so headers and JWTs are made elsewhere.
    private_pem, public_pem, _ = VAPID.generate_keys()
    return WebPush(private_key=private_pem, public_key=public_pem)


def encrypt_one(payload: bytes, p256dh: str, auth: str) -> bytes:
    """The aes128gcm body for one subscription (new ephemeral key and salt every time)."""
    encrypted: bytes = _webpush()._encrypt(
        check_payload(payload), _Subscription(_Keys(auth=auth, p256dh=p256dh))
    )
    return encrypted


def encrypt_batch(items: Sequence[Plain]) -> list[bytes]:
    """Runs in a worker: one round trip per batch keeps the pool's overhead small."""
    return [encrypt_one(*item) for item in items]


def _exit_with_parent(parent: int) -> None:
    """A pool process's start: it ends when its parent is gone (a sender killed with -9 never
    shuts its pool down), instead of waiting for work for ever as an orphan."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="exit-with-parent").start()


class Encryptor:
    """Encrypts in worker processes (CPU work must not stall the API), or a thread when 0."""

    def __init__(self, processes: int) -> None:
        self.processes = processes
        self._executor: Executor | None = None

    def _pool(self) -> Executor:
        if self._executor is None:
            if self.processes > 0:
                # spawn, not fork: the server has threads (aiosqlite, uvicorn in tests).
                self._executor = ProcessPoolExecutor(
                    self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_exit_with_parent,
                    initargs=(os.getpid(),),
                )
            else:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="push-encrypt")
        return self._executor

    def submit(self, items: Sequence[Plain]) -> asyncio.Future[list[bytes]]:
        loop = asyncio.get_running_loop()
        try:
            return loop.run_in_executor(self._pool(), encrypt_batch, list(items))
        except BrokenExecutor:
            # A pool process died (the OOM killer, a stray kill): a broken pool takes no more
            # work, so a new one takes this batch and the ones after it.
            self.discard()
            return loop.run_in_executor(self._pool(), encrypt_batch, list(items))

    def discard(self) -> None:
        """Let go of a broken pool without waiting for it; the next batch starts a new one."""
        if self._executor is not None:
            executor, self._executor = self._executor, None
            executor.shutdown(wait=False, cancel_futures=True)

    async def encrypt(self, items: Sequence[Plain]) -> list[bytes]:
        return await self.submit(items)

    async def close(self) -> None:
        if self._executor is not None:
            executor, self._executor = self._executor, None
            # Waits for the workers to exit, so none outlives the server.
            await asyncio.to_thread(executor.shutdown, wait=True, cancel_futures=True)
