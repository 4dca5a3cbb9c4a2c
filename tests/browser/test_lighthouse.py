"""Lighthouse (npm's, mobile settings, /usr/bin/chromium) on home, meetings, follow-up and help:
accessibility 100 and best practices 100. Performance is printed by bench/lighthouse.py only,
since it depends on how busy the machine is.

Lighthouse is installed on first use into ~/.cache/fotfeste (bench.lighthouse.lighthouse_command,
bounded to 5 minutes). If it cannot run, the test is skipped with the reason, and fails when
FOTFESTE_REQUIRE_BROWSER is set, as in CI.
"""

from __future__ import annotations

import os

import pytest
from bench.lighthouse import (
    SCREENS,
    failed_audits,
    lighthouse_command,
    run_lighthouse,
    scores,
    signed_in_chromium,
)
from playwright.sync_api import Browser

CATEGORIES = ("accessibility", "best-practices")


@pytest.fixture(scope="module")
def lighthouse() -> list[str]:
    command = lighthouse_command(install=True)
    if command is None:
        reason = "lighthouse is not installed and npm could not install it"
        if os.environ.get("FOTFESTE_REQUIRE_BROWSER"):
            pytest.fail(f"FOTFESTE_REQUIRE_BROWSER is set but {reason}", pytrace=False)
        pytest.skip(reason)
    return command


def test_accessibility_and_best_practices_are_100(
    browser: Browser, app_url: str, lighthouse: list[str]
) -> None:
    problems: list[str] = []
    with signed_in_chromium(app_url, browser.browser_type) as port:
        for name, route in SCREENS.items():
            report = run_lighthouse(lighthouse, f"{app_url}/{route}", port, CATEGORIES)
            got = scores(report)
            print(f"\n{name}: {got}")
            for category in CATEGORIES:
                if got[category] != 1:
                    lines = failed_audits(report, category)
                    problems.append(f"{name} {category} {got[category]}: {lines}")
    assert problems == []
