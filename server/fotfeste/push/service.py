"""What other domains may call in push: queue a notification for every device of an account (now,
or inside the caller's own write as one more statement), the texts and size limit of a payload,
and the sender that app.py provides to routes as `Push` (wake it after queueing)."""

from __future__ import annotations

from litestar.di import NamedDependency

from fotfeste.push.logic import check_payload
from fotfeste.push.outbox import INSERT_FOR_ACCOUNT, Notification, enqueue
from fotfeste.push.sender import PushService
from fotfeste.push.texts import notification

Push = NamedDependency[PushService]

__all__ = [
    "INSERT_FOR_ACCOUNT",
    "Notification",
    "Push",
    "PushService",
    "check_payload",
    "enqueue",
    "notification",
]
