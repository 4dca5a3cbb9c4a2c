"""The API's shapes for Web Push."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

Base64Url = Annotated[str, Meta(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_-]+={0,2}$")]


class PublicKey(msgspec.Struct):
    public_key: Annotated[str, Meta(description="The VAPID applicationServerKey, base64url")]


class SubscriptionKeys(msgspec.Struct, forbid_unknown_fields=True):
    p256dh: Base64Url
    auth: Base64Url


class SubscriptionCreate(msgspec.Struct, forbid_unknown_fields=True):
    """What PushSubscription.toJSON() gives (expirationTime is accepted and ignored)."""

    endpoint: Annotated[str, Meta(min_length=8, max_length=1024)]
    keys: SubscriptionKeys
    expirationTime: int | float | None = None  # the browser's own name


class SubscriptionCreated(msgspec.Struct):
    id: str


class TestQueued(msgspec.Struct):
    queued: Annotated[int, Meta(description="Notifications queued: one per subscription")]
