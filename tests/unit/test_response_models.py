"""Every JSON route declares its response shape, so /docs shows it and drift fails loudly."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from dispatch.settings import Settings
from formats.models import IncidentJSON
from tests.support import Tokens, auth, make_client

#: Routes whose success is not JSON: pages, files, the metrics text and the map layers.
NOT_JSON = {
    "/",
    "/board/{agency}",
    "/static/{name}",
    "/docs",
    "/redoc",
    "/publik",
    "/publik/data.csv",
    "/api/geo/{layer}",
}


def _success(operation: dict[str, Any]) -> dict[str, Any]:
    responses = operation["responses"]
    code = next(c for c in responses if c.startswith("2"))
    body: dict[str, Any] = responses[code]
    return body


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The app's OpenAPI document, generated once for the module (about 0.15 s each time)."""
    settings = Settings(database_url="memory://", var_dir=tmp_path_factory.mktemp("app"))
    with make_client(settings, Tokens()) as client:
        answer = client.get("/openapi.json")
    assert answer.status_code == 200, answer.text
    document: dict[str, Any] = answer.json()
    return document


def test_every_json_route_names_its_response_schema(spec: dict[str, Any]) -> None:
    unnamed = []
    for path, methods in spec["paths"].items():
        if path in NOT_JSON or path.startswith("/docs/"):
            continue
        for method, operation in methods.items():
            schema = _success(operation).get("content", {}).get("application/json", {})
            ref = schema.get("schema", {}).get("$ref", "")
            if not ref.startswith("#/components/schemas/"):
                unnamed.append(f"{method.upper()} {path}")
    assert unnamed == []


def test_the_incident_shape_lists_every_field_in_the_docs(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    incident = schemas["IncidentJSON"]
    assert set(incident["properties"]) == set(IncidentJSON.model_fields)
    assert {"score", "verification", "agencies", "stacked_calls"} <= set(incident["required"])


def test_a_response_that_drifts_from_its_shape_is_refused() -> None:
    """The shapes forbid unknown fields: a field added to the JSON but not to the model would
    fail the route (and the suite) rather than reach a client undocumented."""
    with pytest.raises(ValidationError, match="surprise"):
        IncidentJSON.model_validate({"surprise": 1})


def test_a_created_incident_validates_against_its_published_shape(
    client: TestClient, tokens: Tokens
) -> None:
    body = {
        "report_id": "5b0c9f52-1d3a-4c44-9a55-3f1f0a1e9a01",
        "channel": "voice",
        "caller_number": "+6281234567890",
        "category": "kebakaran",
        "description": "rumah terbakar di dekat pasar",
        "kelurahan": "Sidodadi",
    }
    created = client.post("/api/reports", json=body, headers=auth(tokens, "operator"))
    assert created.status_code == 201, created.text
    incident = IncidentJSON.model_validate(created.json()["incident"])
    assert incident.number == created.json()["incident"]["number"]
