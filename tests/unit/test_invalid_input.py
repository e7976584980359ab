"""Every 422 has one shape, whichever part refused the input: the request schema, a body that
is not JSON, the application or the domain. Each names the field (a JSON path) and the reason."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support import Tokens, auth, report_json


@pytest.fixture
def client(shared_client: TestClient) -> TestClient:
    """One app for the module: each test refuses a request about an incident of its own."""
    return shared_client


@pytest.fixture
def tokens(shared_tokens: Tokens) -> Tokens:
    return shared_tokens


CALLER = "+6281350001234"


@dataclass(frozen=True)
class Case:
    """One bad request and what the answer must say about it."""

    name: str
    path: str
    body: str
    field: str
    reason: str
    headers: tuple[tuple[str, str], ...] = ()


def without_report_id() -> dict[str, Any]:
    body = report_json()
    del body["report_id"]
    return body


CASES = [
    Case(
        "schema: a latitude that is not a number",
        "/api/reports",
        json.dumps(report_json(location={"lat": "north", "lon": 117.14})),
        "location.lat",
        "valid number",
    ),
    Case(
        "schema: a hazard that is not a string",
        "/api/reports",
        json.dumps(report_json(hazards=["gas", 7])),
        "hazards[1]",
        "valid string",
    ),
    Case(
        "schema: a caller number that is not E.164",
        "/api/reports",
        json.dumps(report_json(caller_number="0813-5000-1234")),
        "caller_number",
        "should match pattern",
    ),
    Case(
        "parse: a body cut off in the middle",
        "/api/reports",
        json.dumps(report_json(caller_number=CALLER))[:-20],
        "body",
        "the body is not valid JSON",
    ),
    Case(
        "application: neither report_id nor Idempotency-Key",
        "/api/reports",
        json.dumps(without_report_id()),
        "report_id",
        "report_id or the Idempotency-Key header is required so a retried POST never makes a "
        "second incident",
    ),
    Case(
        "application: a kelurahan that Samarinda does not have",
        "/api/reports",
        json.dumps(report_json(location=None, kelurahan="Atlantis Raya")),
        "kelurahan",
        "Atlantis",
    ),
    Case(
        "domain: triage with a blank reason",
        "/api/incidents/{id}/triage",
        json.dumps({"priority": "P1", "category": "kebakaran", "reason": "   "}),
        "reason",
        "triage needs a reason",
    ),
    Case(
        "domain: a note of blanks",
        "/api/incidents/{id}/notes",
        json.dumps({"text": "   "}),
        "text",
        "a note cannot be empty",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_refusal_is_one_422_shape_naming_the_field_and_the_reason(
    client: TestClient, tokens: Tokens, case: Case
) -> None:
    operator = auth(tokens, "operator")
    incident = client.post("/api/reports", json=report_json(), headers=operator).json()
    headers = {**operator, "Content-Type": "application/json", **dict(case.headers)}

    response = client.post(
        case.path.format(id=incident["incident"]["id"]), content=case.body, headers=headers
    )

    assert response.status_code == 422, response.text
    body = response.json()
    assert set(body) == {"error", "detail"} and body["error"] == "invalid"
    assert [set(d) for d in body["detail"]] == [{"field", "msg", "type", "loc"}]
    (detail,) = body["detail"]
    assert detail["field"] == case.field
    assert case.reason in detail["msg"]


def test_a_refusal_never_echoes_the_callers_number_back(client: TestClient, tokens: Tokens) -> None:
    too_long = CALLER + "99999"
    response = client.post(
        "/api/reports", json=report_json(caller_number=too_long), headers=auth(tokens, "operator")
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "caller_number"
    assert CALLER not in response.text
