"""The per-account write quota's windows, and its settings read from the environment."""

from __future__ import annotations

import pytest

from fotfeste.accounts.quota import WriteQuota
from fotfeste.errors import TooManyWrites
from fotfeste.settings import RateLimit, SettingsError, settings_from_env


def test_each_window_refuses_over_its_limit_and_opens_again() -> None:
    now = [0.0]
    quota = WriteQuota((RateLimit(3, 60), RateLimit(5, 3600)), monotonic=lambda: now[0])
    assert [quota.wait("plan", "a") for _ in range(3)] == [None, None, None]
    assert quota.wait("plan", "a") == 60  # refused, and not counted
    assert quota.wait("responses", "a") is None  # another kind
    assert quota.wait("plan", "b") is None  # another account
    now[0] = 60.0
    assert [quota.wait("plan", "a") for _ in range(2)] == [None, None]
    assert quota.wait("plan", "a") == pytest.approx(3540)  # the hour's five are spent
    with pytest.raises(TooManyWrites) as refused:
        quota.spend("plan", "a")
    assert refused.value.status_code == 429 and refused.value.retry_after == 3540


def test_quota_settings_come_from_the_environment() -> None:
    settings = settings_from_env(
        {
            "FOTFESTE_QUOTA_WRITES_MINUTE": "30/60",
            "FOTFESTE_QUOTA_WRITES_HOUR": "300/3600",
            "FOTFESTE_MAX_RESPONSES_PER_DAY": "5",
            "FOTFESTE_MAX_ATTENDANCE_PER_DAY": "4",
        }
    )
    assert settings.quota_writes_minute == RateLimit(30, 60)
    assert settings.quota_writes_hour == RateLimit(300, 3600)
    assert (settings.max_responses_per_day, settings.max_attendance_per_day) == (5, 4)
    with pytest.raises(SettingsError, match="FOTFESTE_MAX_RESPONSES_PER_DAY"):
        settings_from_env({"FOTFESTE_MAX_RESPONSES_PER_DAY": "0"})
