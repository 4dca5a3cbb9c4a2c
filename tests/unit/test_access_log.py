"""The access summary: counts, errors and latency buckets per route, then a fresh start."""

from __future__ import annotations

from fotfeste.web.access_log import AccessStats


def test_summary_counts_per_route_busiest_first_and_starts_afresh() -> None:
    stats = AccessStats()
    for _ in range(98):
        stats.add("PUT", "/api/checkins/{day}", 200, 3.0)
    stats.add("PUT", "/api/checkins/{day}", 400, 0.5)
    stats.add("PUT", "/api/checkins/{day}", 500, 700.0)
    stats.add("GET", "/api/progress", 200, 12.0)

    lines = stats.summary()

    assert lines[0].startswith("101 requests in the last ")
    assert lines[1:] == [
        "PUT /api/checkins/{day}: 100 (4xx 1, 5xx 1), p50 ≤ 5 ms, p99 ≤ 5 ms",
        "GET /api/progress: 1 (4xx 0, 5xx 0), p50 ≤ 20 ms, p99 ≤ 20 ms",
    ]
    assert stats.summary() == []  # counted afresh: a quiet minute logs nothing


def test_the_slow_tail_shows_in_p99() -> None:
    stats = AccessStats()
    for _ in range(95):
        stats.add("GET", "/api/progress", 200, 1.5)
    for _ in range(5):
        stats.add("GET", "/api/progress", 200, 15_000.0)
    assert stats.summary()[1] == "GET /api/progress: 100 (4xx 0, 5xx 0), p50 ≤ 2 ms, p99 > 10000 ms"
