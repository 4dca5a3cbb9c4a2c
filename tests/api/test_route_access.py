"""Every API operation needs a valid token unless it is declared public, found by walking the
OpenAPI document: a new route is covered without anyone remembering to add it here."""

from __future__ import annotations

import httpx

from tests.api.openapi_walk import operations

# Anyone may call these (each within the public rate limit, test_rate_limits.py). Making a route
# public is a decision: declare `guards=[public]` on it and name it here.
PUBLIC = {
    "health",
    "createAccount",
    "recoverAccount",
    "listArticles",
    "getArticle",
    "listFhirQuestionnaires",
    "getFhirQuestionnaire",
    "nearbyMeetings",
    "onlineMeetings",
    "meetingTypes",
    "getMeeting",
    "meetingCalendar",
    "getReferral",
    "getPushKey",
    "listHelpResources",
}


def test_every_operation_not_declared_public_needs_a_valid_token(http: httpx.Client) -> None:
    ops = operations(http)
    assert {op.operation_id for op in ops} >= PUBLIC, "a public operation is gone or renamed"
    wrongly_open, wrongly_closed = [], []
    for op in ops:
        # A broken body: who may call comes before anything about the body.
        body = b"{broken" if op.method in {"POST", "PUT", "PATCH"} else None
        for token in (None, "not-a-token"):
            headers = {"content-type": "application/json"}
            if token:
                headers["authorization"] = f"Bearer {token}"
            answer = http.request(op.method, op.fill(), content=body, headers=headers)
            what = f"{op.method} {op.path} ({op.operation_id}) with token {token}"
            if op.operation_id in PUBLIC:
                if token is None and answer.status_code == 401:
                    wrongly_closed.append(f"{what} -> 401")
            elif answer.status_code != 401:
                wrongly_open.append(f"{what} -> {answer.status_code}")
            else:
                assert answer.headers["www-authenticate"] == 'Bearer realm="fotfeste"', what
    assert wrongly_open == [], "routes that answer without a valid token"
    assert wrongly_closed == [], "routes declared public that want a token"
