"""PUT /api/checkins/{day}, the hottest write, answered in its plain case without Litestar.

Litestar's request pipeline (routing, the request object, dependencies, the signature model, the
response objects) cost as much CPU as the whole bare endpoint of the foundation benchmark. The
plain case of a check-in needs none of it: a valid token, a JSON body that decodes into
`CheckinInput`, a date the account may check in for. This answers exactly that case, with the
code the route itself runs (`accounts.service.account_for_token`, `recovery.service.save_checkin`).
Anything else returns None, and the edge hands the request, body and all, to the route
(recovery/routes.py), which gives every error its usual answer, rate limits included. A test
sends each kind of request both ways and compares the answers (tests/api/test_fast_checkin.py).
"""

from __future__ import annotations

import msgspec
from litestar.types import HTTPScope

from fotfeste.accounts.service import WriteQuota, account_for_token, bearer_token
from fotfeste.clock import Clock
from fotfeste.db import Database
from fotfeste.errors import DomainError
from fotfeste.recovery.models import CheckinInput
from fotfeste.recovery.service import save_checkin

_decoder = msgspec.json.Decoder(CheckinInput)
_encoder = msgspec.json.Encoder()


class FastCheckin:
    """A `web.edge.FastRoute` for PUT /api/checkins/{day}."""

    method = "PUT"
    prefix = "/api/checkins/"
    template = "/api/checkins/{day}"

    def __init__(self, db: Database, clock: Clock, max_body_bytes: int, quota: WriteQuota) -> None:
        self.db = db
        self.clock = clock
        self.max_body_bytes = max_body_bytes  # larger bodies get the route's 413
        self.quota = quota  # over it, the route answers 429 (a refused write is not counted)

    async def answer(self, scope: HTTPScope, body: bytes) -> bytes | None:
        day = scope["path"][len(self.prefix) :]
        authorization = content_type = None
        for name, value in scope["headers"]:  # the first of each, as the route reads them
            if name == b"authorization" and authorization is None:
                authorization = value
            elif name == b"content-type" and content_type is None:
                content_type = value
        token = None if authorization is None else bearer_token(authorization.decode("latin-1"))
        if (
            token is None
            or content_type != b"application/json"
            or "/" in day
            or len(body) > self.max_body_bytes
        ):
            return None
        try:
            data = _decoder.decode(body)
        except msgspec.MsgspecError:
            return None
        account = await account_for_token(self.db, self.clock, token)
        if account is None or self.quota.wait("checkins", account.id) is not None:
            return None
        try:
            checkin = await save_checkin(self.db, self.clock, account, day, data)
        except DomainError:
            return None
        return _encoder.encode(checkin)
