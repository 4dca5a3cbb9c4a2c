"""Random identifiers and secrets: nothing sequential ever leaves the server."""

from __future__ import annotations

import hashlib
import secrets


def new_id() -> str:
    """A 128-bit random, url-safe id (22 characters)."""
    return secrets.token_urlsafe(16)


def new_token() -> str:
    """A 256-bit bearer token."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """Tokens are stored only as SHA-256: they are 256-bit random, so a fast hash is enough."""
    return hashlib.sha256(token.encode()).hexdigest()
