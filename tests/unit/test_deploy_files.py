"""The deploy files keep their promises: hardening, cache rules, no access log, every setting."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fotfeste import settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _text(name: str) -> str:
    return (DEPLOY / name).read_text(encoding="utf-8")


def _directives(text: str) -> list[str]:
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_every_setting_is_in_the_operators_guide() -> None:
    read = set(re.findall(r'"(FOTFESTE_[A-Z_]+)"', Path(settings.__file__).read_text()))
    assert read, "settings.py reads no FOTFESTE_ variables?"
    guide = _text("README.md")
    assert sorted(name for name in read if f"`{name}`" not in guide) == []


@pytest.mark.parametrize(
    "directive",
    [
        "User=fotfeste",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=/var/lib/fotfeste",
        "PrivateTmp=yes",
        "CapabilityBoundingSet=",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
        "SystemCallFilter=@system-service",
        "MemoryDenyWriteExecute=yes",
        "ProtectHome=yes",
    ],
)
def test_the_systemd_unit_is_hardened(directive: str) -> None:
    assert directive in _directives(_text("fotfeste.service"))


def test_the_unit_serves_on_loopback_only() -> None:
    unit = _text("fotfeste.service")
    assert "--host 127.0.0.1" in unit and "--workers" not in unit


def test_caddy_has_no_access_log_and_revalidates_the_service_worker() -> None:
    lines = _directives(_text("Caddyfile"))
    assert not any(line == "log" or line.startswith("log ") for line in lines)
    shell = next(line for line in lines if line.startswith("@shell"))
    assert "/sw.js" in shell and "/index.html" in shell
    assert 'header @shell Cache-Control "no-cache"' in lines
    assert any("immutable" in line for line in lines if line.startswith("header @versioned"))
    assert any(line.startswith("reverse_proxy 127.0.0.1:8000") for line in lines)


def test_the_container_runs_unprivileged_with_a_healthcheck() -> None:
    lines = _directives(_text("Containerfile"))
    assert lines[0] == "FROM python:3.11-slim"
    assert "USER fotfeste:fotfeste" in lines
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    assert any("/api/health" in line for line in lines)
    assert 'VOLUME ["/data"]' in lines


def test_the_threat_model_names_tests_that_exist() -> None:
    root = DEPLOY.parent
    model = _text("THREAT_MODEL.md")
    named = set(re.findall(r"`(tests/[\w/]+\.py)(?:::(\w+))?", model))
    assert len(named) >= 10
    for path, test in named:
        source = (root / path).read_text(encoding="utf-8")
        if test:
            assert f"def {test}(" in source, f"{path}::{test} is named in the threat model"
