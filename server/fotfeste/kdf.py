"""argon2id hashing off the event loop, shared by recovery codes and staff passwords."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2id:
    """An argon2id profile whose hash and verify run in a thread, so the API keeps answering."""

    def __init__(self, *, time_cost: int, memory_cost: int, parallelism: int = 1) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism
        )

    def hash_now(self, secret: str) -> str:
        """Blocking: for start-up work such as a dummy hash."""
        return self._hasher.hash(secret)

    async def hash(self, secret: str) -> str:
        return await asyncio.to_thread(self._hasher.hash, secret)

    async def verify(self, hashed: str, secret: str) -> bool:
        try:
            return await asyncio.to_thread(self._hasher.verify, hashed, secret)
        except (VerificationError, InvalidHashError):
            return False
