"""Domain errors: raised by logic and stores, turned into 4xx answers by web/errors.py."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses, with a message a person can read."""

    status_code = 400

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class InvalidInput(DomainError):
    status_code = 400


class NotFound(DomainError):
    """Unknown, or owned by another account: the two are never told apart."""

    status_code = 404


class Conflict(DomainError):
    status_code = 409


class TooManyWrites(DomainError):
    """An account over its write quota: 429 with Retry-After (seconds until it may write again)."""

    status_code = 429

    def __init__(self, detail: str, *, retry_after: int, field: str | None = None) -> None:
        super().__init__(detail, field=field)
        self.retry_after = max(1, retry_after)


class Unauthorized(DomainError):
    status_code = 401
