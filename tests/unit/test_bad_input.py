"""Bad input is a clear 422 (or 413) naming the field and the reason, never a 500, and
nothing is written: one table of what real clients and attackers have sent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dispatch.settings import Settings
from tests.support import Tokens, auth, make_client, report_json


def raw(**overrides: object) -> str:
    """A valid report body as JSON text, with fields replaced by raw JSON fragments."""
    body = report_json(**{name: f"@@{name}@@" for name in overrides})
    text = json.dumps(body)
    for name, fragment in overrides.items():
        text = text.replace(json.dumps(f"@@{name}@@"), str(fragment))
    return text


def with_location(fragment: str) -> str:
    return raw(location=f'{{"lat": {fragment}, "lon": 117.14, "accuracy_m": 10}}')


# (case, body, status, field path or None for the whole body, words in the reason)
CASES: list[tuple[str, str | bytes, int, str | None, str]] = [
    ("NaN latitude", with_location("NaN"), 422, "location.lat", "finite"),
    ("Infinity latitude", with_location("Infinity"), 422, "location.lat", "finite"),
    ("1e400 duration", raw(call_duration_s="1e400"), 422, "call_duration_s", "finite"),
    (
        "NaN accuracy",
        raw(location='{"lat": -0.5, "lon": 117.1, "accuracy_m": NaN}'),
        422,
        "location.accuracy_m",
        "finite",
    ),
    ("NaN injuries", raw(injuries="NaN"), 422, "injuries", "finite"),
    ("NUL in description", raw(description='"api\\u0000besar"'), 422, "description", "NUL"),
    ("NUL in address", raw(address_text='"Jl. A\\u0000B"'), 422, "address_text", "NUL"),
    (
        "NUL in kelurahan",
        raw(location="null", kelurahan='"Sidodadi\\u0000"'),
        422,
        "kelurahan",
        "NUL",
    ),
    ("NUL in a hazard", raw(hazards='["gas\\u0000"]'), 422, "hazards", "NUL"),
    ("lone surrogate", raw(description='"a\\ud800b"'), 422, "description", "unicode"),
    (
        "year 1 at +14:00",
        raw(received_at='"0001-01-01T00:00:00+14:00"'),
        422,
        "received_at",
        "range",
    ),
    ("year 1999", raw(received_at='"1999-12-31T23:00:00+08:00"'), 422, "received_at", "2000"),
    ('"silent": "yes"', raw(silent='"yes"'), 422, "silent", "boolean"),
    ('"sim_present": 1', raw(sim_present="1"), 422, "sim_present", "boolean"),
    ("JSON 1,000 deep", raw(hazards="[" * 1000 + "]" * 1000), 422, None, "deep"),
    ("JSON 20 deep", raw(hazards="[" * 20 + "]" * 20), 422, None, "deep"),
    ("5,001-digit integer", raw(injuries="9" * 5001), 422, None, "JSON"),
    ("invalid UTF-8", raw().encode().replace(b"Rumah", b"\xff\xfe"), 422, None, "UTF-8"),
    ("5,000,000 hazards", raw(hazards="[" + ",".join(["1"] * 5_000_000) + "]"), 413, None, ""),
]


@pytest.mark.parametrize(
    ("body", "status", "field", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    shared_client: TestClient,
    shared_tokens: Tokens,
    body: str | bytes,
    status: int,
    field: str | None,
    words: str,
) -> None:
    # One app for every case: each case refuses, so the store stays empty unless one writes,
    # and that case is the one that fails.
    client, tokens = shared_client, shared_tokens
    headers = {**auth(tokens, "operator"), "Content-Type": "application/json"}
    answer = client.post("/api/reports", content=body, headers=headers)
    assert answer.status_code == status, answer.text
    if status == 422:
        [problem] = answer.json()["detail"]
        expected = ["body", *field.split(".")] if field else ["body"]
        assert problem["loc"] == expected
        assert words.lower() in problem["msg"].lower()
    listed = client.get("/api/incidents", headers=auth(tokens, "operator"))
    assert listed.json() == [] or listed.json().get("incidents") == []
    assert client.get("/healthz").status_code == 200


def test_a_note_holding_nul_is_refused_and_the_incident_keeps_its_version(
    client: TestClient, tokens: Tokens
) -> None:
    created = client.post("/api/reports", json=report_json(), headers=auth(tokens, "operator"))
    incident = created.json()["incident"]
    answer = client.post(
        f"/api/incidents/{incident['id']}/notes",
        json={"text": "a\x00b"},
        headers=auth(tokens, "operator"),
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "text"]
    again = client.get(f"/api/incidents/{incident['id']}", headers=auth(tokens, "operator"))
    assert again.json()["version"] == incident["version"]


def test_an_expected_version_past_64_bits_is_a_422(client: TestClient, tokens: Tokens) -> None:
    created = client.post("/api/reports", json=report_json(), headers=auth(tokens, "operator"))
    incident_id = created.json()["incident"]["id"]
    answer = client.post(
        f"/api/incidents/{incident_id}/notes",
        json={"text": "catatan", "expected_version": 2**63},
        headers=auth(tokens, "operator"),
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "expected_version"]


@pytest.fixture
def sqlite_client(tmp_path: Path, tokens: Tokens) -> Iterator[TestClient]:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/events.db", var_dir=tmp_path)
    with make_client(settings, tokens) as test_client:
        yield test_client


def test_a_log_position_past_64_bits_is_a_422_on_sqlite(
    sqlite_client: TestClient, tokens: Tokens
) -> None:
    answer = sqlite_client.get(
        f"/api/audit/state?position={2**63}", headers=auth(tokens, "auditor")
    )
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["query", "position"]
    assert sqlite_client.get("/healthz").status_code == 200
