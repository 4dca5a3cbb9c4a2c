"""Push settings and the `fotfeste vapid` command."""

from __future__ import annotations

from pathlib import Path

import pytest

from fotfeste.cli import main
from fotfeste.settings import SettingsError, settings_from_env


@pytest.mark.parametrize(
    ("subject", "ok"),
    [
        ("mailto:ops@fotfeste.example.org", True),
        ("https://fotfeste.example.org", True),
        ("https://fotfeste.example.org/contact", True),
        ("mailto: ops@example.org", False),  # Apple refuses the space
        ("mailto:ops@localhost", False),
        ("https://localhost", False),
        ("http://example.org", False),
        ("ops@example.org", False),
    ],
)
def test_vapid_subject(subject: str, ok: bool) -> None:
    if ok:
        assert settings_from_env({"FOTFESTE_VAPID_SUBJECT": subject}).vapid_subject == subject
    else:
        with pytest.raises(SettingsError):
            settings_from_env({"FOTFESTE_VAPID_SUBJECT": subject})


def test_push_hosts_may_carry_ports_and_wildcards() -> None:
    settings = settings_from_env({"FOTFESTE_PUSH_HOSTS": " A.example.org:8443, *.push.example "})
    assert settings.push_hosts == ("a.example.org:8443", "*.push.example")


def test_serve_sends_from_one_worker_process_unless_told_otherwise() -> None:
    assert settings_from_env({}).push_workers == 1
    assert settings_from_env({"FOTFESTE_PUSH_WORKERS": "0"}).push_workers == 0
    assert settings_from_env({"FOTFESTE_PUSH_WORKERS": "3"}).push_workers == 3
    with pytest.raises(SettingsError, match=r"^FOTFESTE_PUSH_WORKERS: "):
        settings_from_env({"FOTFESTE_PUSH_WORKERS": "-1"})


def test_vapid_cli_generates_shows_and_refuses_to_overwrite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FOTFESTE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("FOTFESTE_VAPID_PRIVATE_KEY", raising=False)
    assert main(["vapid", "show"]) == 1
    capsys.readouterr()
    assert main(["vapid", "generate"]) == 0
    first = capsys.readouterr().out
    assert "applicationServerKey" in first
    assert (tmp_path / "vapid_private_key.pem").stat().st_mode & 0o077 == 0
    assert main(["vapid", "generate"]) == 1
    assert main(["vapid", "show"]) == 0
    assert capsys.readouterr().out.splitlines()[-3] == first.splitlines()[0]
    assert main(["vapid", "generate", "--force"]) == 0
    assert capsys.readouterr().out.splitlines()[0] != first.splitlines()[0]


def test_vapid_cli_shows_a_deployer_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FOTFESTE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("FOTFESTE_VAPID_PRIVATE_KEY", "AQ" * 21 + "A")  # 32 bytes, base64url
    assert main(["vapid", "show"]) == 0
    assert "source: FOTFESTE_VAPID_PRIVATE_KEY" in capsys.readouterr().out
    assert main(["vapid", "generate"]) == 2
    monkeypatch.setenv("FOTFESTE_VAPID_PRIVATE_KEY", "short")
    assert main(["vapid", "show"]) == 2
