"""GET /api/callers/{number}/history reads the ``caller_history`` projection on SQLite and
PostgreSQL (every call a number ever made, not a window of them) and lists exactly what the
in-process present lists for the same log."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.incident import Incident
from entrypoints.http.callers import LISTED, CallOut
from projections.callers import CallersProjection
from projections.catalog import CATALOG
from projections.host import ProjectionHost
from tests.support import Tokens, auth, make_client, report_json

NUMBER = "+6281350004444"


@pytest.fixture
def durable_client(any_settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    with make_client(any_settings, tokens) as test_client:
        yield test_client


def post(client: TestClient, tokens: Tokens, path: str, body: dict[str, Any]) -> Any:
    answer = client.post(path, json=body, headers=auth(tokens, "operator"))
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def caught_up(client: TestClient, center: DispatchCenter) -> None:
    host = client.app.state.background.host  # type: ignore[attr-defined]
    assert isinstance(host, ProjectionHost)
    topics = CATALOG["caller_history"].projection.topics
    last = center.recorder.select_notifications(0, 1_000_000, topics=topics)[-1].id
    deadline = time.monotonic() + 30
    while True:
        loop = host.runner("caller_history")
        if loop is not None and loop.view.wait_for(last, timeout=0.2):
            return
        assert time.monotonic() < deadline, host.health()


def test_a_numbers_history_comes_from_the_projection_as_the_index_has_it(
    durable_client: TestClient, tokens: Tokens
) -> None:
    # Given a number that called more often than the history lists, each call going its way
    client = durable_client
    center: DispatchCenter = client.app.state.services.center  # type: ignore[attr-defined]
    made = [
        post(client, tokens, "/api/reports", report_json(caller_number=NUMBER))["incident"]
        for _ in range(LISTED + 2)
    ]
    post(client, tokens, "/api/reports", report_json(caller_number="+6281350005555"))
    oldest = made[0]["id"]
    first, second, third = made[-1]["id"], made[-2]["id"], made[-3]["id"]
    post(client, tokens, f"/api/incidents/{first}/close", {"disposition": "prank", "reason": "x"})
    post(client, tokens, f"/api/incidents/{second}/route", {"agencies": ["fire"]})
    post(
        client,
        tokens,
        f"/api/incidents/{third}/triage",
        {"priority": "P1", "category": "medis", "reason": "sesak napas"},
    )
    caught_up(client, center)

    # When the history is asked for
    answer = client.get(
        f"/api/callers/{NUMBER.replace('+', '%2B')}/history", headers=auth(tokens, "operator")
    )

    # Then it is read from the projection, and lists what the present lists
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["source"] == "projection" and body["position"] > 0
    assert body["total"] == LISTED + 2
    expected = [
        CallOut.of(i).model_dump(mode="json") for i in center.present.calls_from(NUMBER)[:LISTED]
    ]
    assert body["incidents"] == expected
    by_id = {i["incident_id"]: i for i in body["incidents"]}
    assert oldest not in by_id  # beyond the listed 20, still counted in the total
    assert (by_id[first]["status"], by_id[first]["disposition"]) == ("closed", "prank")
    assert (by_id[second]["status"], by_id[third]["category"]) == ("routed", "medis")


def test_the_call_just_taken_is_in_the_history_while_the_projection_is_behind(
    any_settings: Settings, tokens: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a caller_history projection that stops before every call (the far end of "a moment
    # behind", which is where the result panel asks: right after the save)
    def cannot(*args: object) -> None:
        raise RuntimeError("held back for the test")

    monkeypatch.setitem(CallersProjection.handlers, Incident.Reported, cannot)
    with make_client(any_settings, tokens) as client:
        # When a call-taker takes the number's third call and asks for its history at once
        made = [
            post(client, tokens, "/api/reports", report_json(caller_number=NUMBER))["incident"]
            for _ in range(3)
        ]
        answer = client.get(
            f"/api/callers/{NUMBER.replace('+', '%2B')}/history",
            headers=auth(tokens, "operator"),
        )

    # Then all three calls are there, the one just taken first, and counted in the last hour
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [i["incident_id"] for i in body["incidents"]] == [m["id"] for m in reversed(made)]
    assert (body["calls_1h"], body["total"]) == (3, 3)
