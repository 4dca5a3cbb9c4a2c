"""A NUL character (U+0000) in text. PostgreSQL cannot hold or compare it: there it is a 400
saying so, never a 500, and the server is not taken for lost. SQLite keeps it as sent."""

from __future__ import annotations

import httpx

from tests import engine
from tests.api.conftest import Person

NUL = "a\u0000b"


def test_nul_in_text_is_refused_or_kept_never_a_server_error(
    person: Person, http: httpx.Client
) -> None:
    answers = [
        # A plain check-in (the fast path) and one with more in it (the Litestar route).
        person.put("/api/checkins/2026-03-16", json={"used": False, "note": NUL}),
        person.put("/api/checkins/2026-03-15", json={"used": True, "note": NUL, "mood": 3}),
        # Reads: a filter compared in SQL.
        http.get("/api/meetings/online", params={"fellowship": NUL}),
        http.get("/api/meetings/nearby", params={"lat": 59.3, "lon": 18.0, "fellowship": NUL}),
    ]
    for answer in answers:
        assert answer.status_code < 500, (answer.request.url, answer.text)
    checkins = person.get("/api/checkins", params={"from": "2026-03-15", "to": "2026-03-16"})
    if engine.engine == "postgresql":
        for answer in answers:
            assert answer.status_code == 400, (answer.request.url, answer.text)
            assert "U+0000" in answer.json()["detail"]
        assert checkins.json()["checkins"] == []  # nothing half-stored
    else:
        assert [c["note"] for c in checkins.json()["checkins"]] == [NUL, NUL]
    # The next requests are answered as usual: nobody else pays for it.
    saved = person.put("/api/checkins/2026-03-16", json={"used": False, "note": "ok"})
    assert saved.status_code == 200, saved.text
    assert http.get("/api/meetings/online").status_code == 200
