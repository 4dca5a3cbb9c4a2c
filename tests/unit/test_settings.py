"""Settings come from FOTFESTE_* variables, with clear errors for unusable values."""

from __future__ import annotations

from pathlib import Path

import pytest

from fotfeste.settings import DEFAULT_PUSH_HOSTS, RateLimit, SettingsError, settings_from_env


def test_defaults_without_environment() -> None:
    settings = settings_from_env({})
    assert settings.data_dir == Path("var")
    assert settings.demo is False  # off unless asked for: `make run` asks (FOTFESTE_DEMO=1)
    assert settings.push_hosts == DEFAULT_PUSH_HOSTS
    assert settings.database_path == Path("var") / "fotfeste.sqlite3"


def test_values_are_read_and_parsed() -> None:
    settings = settings_from_env(
        {
            "FOTFESTE_DATA_DIR": "/srv/fotfeste",
            "FOTFESTE_DEMO": "0",
            "FOTFESTE_PUSH_HOSTS": " fcm.googleapis.com, 127.0.0.1:9000 ,",
            "FOTFESTE_VAPID_SUBJECT": "https://fotfeste.example",
            "FOTFESTE_RATE_RECOVER": "5/60",
            "FOTFESTE_PUBLIC_URL": "https://app.example/",
            "UNRELATED": "ignored",
        }
    )
    assert settings.data_dir == Path("/srv/fotfeste")
    assert settings.demo is False
    assert settings.push_hosts == ("fcm.googleapis.com", "127.0.0.1:9000")
    assert settings.rate_recover == RateLimit(5, 60)
    assert settings.public_url == "https://app.example"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FOTFESTE_DEMO", "maybe"),
        ("FOTFESTE_VAPID_SUBJECT", "ops@example.org"),
        ("FOTFESTE_RATE_RECOVER", "ten"),
        ("FOTFESTE_RATE_RECOVER", "0/60"),
        ("FOTFESTE_MAX_BODY_BYTES", "64k"),
    ],
)
def test_unusable_values_are_refused_by_name(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"^{name}: "):
        settings_from_env({name: value})
