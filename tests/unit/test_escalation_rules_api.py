"""GET /api/escalation-rules: the watchdog's deadlines, read-only, for clients that check them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from adapters.center import default_router
from domain.taxonomy import Priority
from tests.support import Tokens, auth


def test_the_escalation_rules_are_the_deadlines_the_watchdog_applies(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    operator = auth(shared_tokens, "operator")
    response = shared_client.get("/api/escalation-rules", headers=operator)
    assert response.status_code == 200, response.text
    body = response.json()
    rules = default_router().rules
    assert body["ack_timeout_s"] == {
        p.value: rules.ack_timeout(p).total_seconds() for p in Priority
    }
    assert body["processing_target_s"] == rules.escalation.processing_target_s
    assert body["unit_expected_for"] == [p.value for p in rules.escalation.unit_expected_for]
    assert body["watchdog_interval_s"] > 0


def test_the_escalation_rules_need_a_token(shared_client: TestClient) -> None:
    assert shared_client.get("/api/escalation-rules").status_code == 401
