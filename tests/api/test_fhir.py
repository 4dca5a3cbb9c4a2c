"""FHIR R4 exports over HTTP: the instruments as Questionnaires, a person's answers as a Bundle.

Every resource is validated with fhir.resources (its R4B models: R4B only adds to R4 for the
resources used here), and the scores in the export are compared with the API's own.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from tests.api.conftest import Person

PHQ9 = {"1": 1, "2": 2, "3": 0, "4": 3, "5": 0, "6": 1, "7": 0, "8": 0, "9": 0}
GAD7 = {"1": 2, "2": 1, "3": 1, "4": 0, "5": 0, "6": 3, "7": 1}
ORDINAL = "http://hl7.org/fhir/StructureDefinition/ordinalValue"


def _loinc(resource: dict[str, Any]) -> list[str]:
    return [c["code"] for c in resource.get("code", []) if c["system"] == "http://loinc.org"]


@pytest.mark.parametrize("lang", ["sv", "nb", "da", "en"])
def test_every_questionnaire_is_valid_fhir_with_the_apps_wording(
    http: httpx.Client, person_factory: Callable[..., Person], lang: str
) -> None:
    answer = http.get("/fhir/Questionnaire", params={"lang": lang})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/fhir+json")
    searchset = answer.json()
    Bundle.model_validate(searchset)
    # What a person with this language sees in the app is what the Questionnaire says.
    instruments = person_factory(locale=lang).get("/api/instruments").json()["instruments"]
    seen = {i["id"]: i for i in instruments}
    by_id = {e["resource"]["id"]: e["resource"] for e in searchset["entry"]}
    assert {"phq9", "gad7", "audit", "audit-c", "dudit", "dudit-c", "checkup"} <= set(by_id)
    for stem, resource in by_id.items():
        Questionnaire.model_validate(resource)
        assert resource["url"].endswith(f"/fhir/Questionnaire/{stem}")
        assert resource["copyright"]
        if stem == "checkup-relative":
            continue  # a relative's version: compared in the relative's test below
        mine = seen[stem]
        assert resource["language"] == mine["language"]
        questions = [i for i in resource["item"] if i["linkId"] not in ("instructions", "total")]
        assert [q["text"] for q in questions] == [i["text"] for i in mine["items"]]
        for question, item in zip(questions, mine["items"], strict=True):
            if item["options"] is None:
                assert question["type"] == "integer"
                continue
            options = question["answerOption"]
            assert [o["valueCoding"]["display"] for o in options] == [
                o["label"] for o in item["options"]
            ]
            assert [o["extension"][0]["valueDecimal"] for o in options] == [
                o["score"] for o in item["options"]
            ]


def test_loinc_codes_where_they_exist_and_none_where_not(http: httpx.Client) -> None:
    phq9 = http.get("/fhir/Questionnaire/phq9").json()
    assert _loinc(phq9) == ["44249-1"]
    assert [_loinc(i) for i in phq9["item"] if i["linkId"] == "9"] == [["44260-8"]]
    assert _loinc(next(i for i in phq9["item"] if i["linkId"] == "total")) == ["44261-6"]
    first = next(i for i in phq9["item"] if i["linkId"] == "1")
    assert first["answerOption"][0]["valueCoding"]["code"] == "LA6568-5"
    assert _loinc(http.get("/fhir/Questionnaire/gad7").json()) == ["69737-5"]
    assert _loinc(http.get("/fhir/Questionnaire/audit-c").json()) == ["72109-2"]
    dudit = http.get("/fhir/Questionnaire/dudit").json()
    assert _loinc(dudit) == []
    assert all(_loinc(i) == [] for i in dudit["item"])


def test_language_from_query_then_accept_language(http: httpx.Client) -> None:
    def language(**kw: Any) -> str:
        answer = http.get("/fhir/Questionnaire/checkup", **kw)
        assert answer.status_code == 200, answer.text
        return str(answer.json()["language"])

    assert language() == "en"
    assert language(params={"lang": "da"}) == "da"
    assert language(headers={"Accept-Language": "nb-NO,nb;q=0.9,en;q=0.5"}) == "nb"
    assert language(headers={"Accept-Language": "de-DE, sv;q=0.8, en;q=0.9"}) == "en"
    assert language(headers={"Accept-Language": "no"}) == "nb"
    assert language(params={"lang": "sv"}, headers={"Accept-Language": "da"}) == "sv"
    assert http.get("/fhir/Questionnaire/checkup", params={"lang": "de"}).status_code == 400
    missing = http.get("/fhir/Questionnaire/nothing-here")
    assert missing.status_code == 404 and "nothing-here" in missing.json()["detail"]


def test_export_holds_the_persons_answers_with_the_apis_scores(
    person_factory: Callable[..., Person],
) -> None:
    me = person_factory(locale="sv")
    other = person_factory()
    scored = {}
    for instrument, answers in (("phq9", PHQ9), ("gad7", GAD7)):
        answer = me.post("/api/responses", json={"instrument": instrument, "answers": answers})
        assert answer.status_code == 201, answer.text
        scored[instrument] = answer.json()
    checkup = {"instrument": "checkup", "answers": {"1": 6, "2": 4, "3": 7}}
    scored["checkup"] = me.post("/api/responses", json=checkup).json()
    other.post("/api/responses", json={"instrument": "gad7", "answers": {k: 3 for k in GAD7}})

    answer = me.get("/api/me/export/fhir")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/fhir+json")
    bundle = answer.json()
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    responses = [e["resource"] for e in bundle["entry"]]
    assert all(r["resourceType"] == "QuestionnaireResponse" for r in responses)
    assert len(responses) == 3  # the other person's answer is not here
    for response in responses:
        stem = response["questionnaire"].split("/")[-1].split("|")[0]
        api = scored[stem]
        assert response["questionnaire"].endswith(f"/fhir/Questionnaire/{stem}|{api['version']}")
        items = {i["linkId"]: i["answer"][0] for i in response["item"]}
        # The check-up has no total (three separate measures); the others have the API's.
        total = items.pop("total", None)
        assert (total and total["valueInteger"]) == api["score"], stem
        for key, value in items.items():
            sent = api["answers"][key]
            if "valueCoding" in value:
                assert value["valueCoding"]["extension"] == [{"url": ORDINAL, "valueDecimal": sent}]
            else:
                assert value["valueInteger"] == sent
    phq9 = next(r for r in responses if "phq9" in r["questionnaire"])
    assert phq9["item"][0]["answer"][0]["valueCoding"]["code"] == "LA6569-3"  # "Several days"
    # Nothing that identifies the person, their device or their token.
    text = json.dumps(bundle)
    for secret in (me.account_id, me.token, "Europe/Stockholm", "subject", "identifier"):
        assert secret not in text


def test_days_with_use_only_when_asked(person_factory: Callable[..., Person]) -> None:
    me = person_factory(locale="nb")
    assert me.put("/api/sobriety", json={"start_date": "2026-01-01"}).status_code == 200
    for day, used in (("2026-03-01", True), ("2026-03-10", True), ("2026-03-12", False)):
        assert me.put(f"/api/checkins/{day}", json={"used": used}).status_code == 200
    me.put("/api/checkins/2026-02-01", json={"used": True})  # more than 30 days back

    plain = me.get("/api/me/export/fhir").json()
    assert plain["entry"] == []
    bundle = me.get("/api/me/export/fhir", params={"days_with_use": "true"}).json()
    Bundle.model_validate(bundle)
    observations = [e["resource"] for e in bundle["entry"]]
    count, *days = observations
    progress = me.get("/api/progress").json()
    assert count["valueQuantity"]["value"] == progress["days_used_last_30"] == 2
    assert count["effectivePeriod"] == {"start": "2026-02-15", "end": "2026-03-16"}
    assert count["code"]["text"].startswith("Dager med bruk")
    assert [d["effectiveDateTime"] for d in days] == ["2026-03-01", "2026-03-10"]


def test_export_needs_the_persons_own_token(http: httpx.Client) -> None:
    assert http.get("/api/me/export/fhir").status_code == 401
    wrong = http.get("/api/me/export/fhir", headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401


def test_a_relatives_export_points_at_the_relatives_checkup(
    person_factory: Callable[..., Person], http: httpx.Client
) -> None:
    relative = person_factory(role="relative", locale="da")
    seen = next(
        i for i in relative.get("/api/instruments").json()["instruments"] if i["id"] == "checkup"
    )
    body = {"instrument": "checkup", "answers": {"1": 3, "2": 5}}
    answer = relative.post("/api/responses", json=body)
    assert answer.status_code == 201, answer.text
    response = relative.get("/api/me/export/fhir").json()["entry"][0]["resource"]
    assert "/fhir/Questionnaire/checkup-relative|" in response["questionnaire"]
    questionnaire = http.get("/fhir/Questionnaire/checkup-relative", params={"lang": "da"}).json()
    texts = [
        i["text"] for i in questionnaire["item"] if i["linkId"] not in ("instructions", "total")
    ]
    assert texts == [i["text"] for i in seen["items"]]
