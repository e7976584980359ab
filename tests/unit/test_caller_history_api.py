"""GET /api/callers/{number}/history: a number's earlier incidents and repeat counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support import Tokens, auth, report_json

NUMBER = "+6281350007777"


def report(client: TestClient, tokens: Tokens, **fields: Any) -> dict[str, Any]:
    answer = client.post(
        "/api/reports", json=report_json(**fields), headers=auth(tokens, "operator")
    )
    assert answer.status_code == 201, answer.text
    incident: dict[str, Any] = answer.json()["incident"]
    return incident


def history(client: TestClient, tokens: Tokens, number: str, role: str = "operator") -> Any:
    return client.get(
        f"/api/callers/{number.replace('+', '%2B')}/history", headers=auth(tokens, role)
    )


def test_a_numbers_history_lists_its_incidents_newest_first_with_hour_and_day_counts(
    client: TestClient, tokens: Tokens
) -> None:
    now = datetime.now(UTC)
    day_old = report(
        client, tokens, caller_number=NUMBER, received_at=(now - timedelta(hours=3)).isoformat()
    )
    client.post(
        f"/api/incidents/{day_old['id']}/close",
        json={"disposition": "prank", "reason": "ditelepon balik"},
        headers=auth(tokens, "operator"),
    )
    recent = report(
        client,
        tokens,
        caller_number=NUMBER,
        category="medis",
        received_at=(now - timedelta(minutes=20)).isoformat(),
    )
    report(client, tokens, caller_number="+6281350008888")  # another number: not counted

    answer = history(client, tokens, NUMBER)

    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert [i["number"] for i in body["incidents"]] == [recent["number"], day_old["number"]]
    assert (body["calls_1h"], body["calls_24h"], body["total"]) == (1, 2, 2)
    older = body["incidents"][1]
    assert (older["category"], older["disposition"], older["status"]) == (
        "kebakaran",
        "prank",
        "closed",
    )
    assert body["incidents"][0]["category"] == "medis"
    assert body["incidents"][0]["disposition"] is None


def test_a_number_never_heard_has_an_empty_history(client: TestClient, tokens: Tokens) -> None:
    body = history(client, tokens, "+6281350009999").json()
    assert (body["total"], body["calls_1h"], body["incidents"]) == (0, 0, [])


def test_a_number_that_is_not_e164_is_a_422_naming_the_number(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    answer = history(shared_client, shared_tokens, "0812-34")
    assert answer.status_code == 422
    assert [d["field"] for d in answer.json()["detail"]] == ["number"]


@pytest.mark.parametrize("role", ["auditor", "agency:fire"])
def test_only_the_call_center_reads_a_callers_history(
    shared_client: TestClient, shared_tokens: Tokens, role: str
) -> None:
    assert history(shared_client, shared_tokens, NUMBER, role).status_code == 403
