"""Escalation deadlines worked out from an incident's events, as the watchdog applies them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from simulator.deadlines import NO_UNIT, NOT_ACKNOWLEDGED, EscalationRules, History, expectations

T0 = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)
RULES = EscalationRules(
    ack_timeout_s={"P1": 60, "P2": 120, "P3": 300, "P4": 900},
    processing_target_s=60,
    unit_expected_for=frozenset({"P1", "P2", "P3"}),
)


def event(kind: str, second: float, **data: Any) -> dict[str, Any]:
    return {"type": kind, "at": (T0 + timedelta(seconds=second)).isoformat(), "data": data}


def reported(priority: str = "P1") -> dict[str, Any]:
    return event("Reported", 0, priority=priority, received_at=T0.isoformat())


def by_reason(events: list[dict[str, Any]]) -> dict[str, Any]:
    history = History.from_events("SMD-20261206-0001", events)
    return {e.reason: e for e in expectations(history, RULES)}


def test_an_agency_that_never_acknowledges_is_due_its_priority_timeout_after_routing() -> None:
    found = by_reason(
        [
            reported(),
            event("Routed", 5, agencies=["fire", "medical"]),
            event("Acknowledged", 20, agency="fire"),
            event("UnitAssigned", 5),
            event("Escalated", 65.4, reason="not_acknowledged"),
        ]
    )
    assert found[NOT_ACKNOWLEDGED].due_at == T0 + timedelta(seconds=65)
    assert found[NOT_ACKNOWLEDGED].fired_at == T0 + timedelta(seconds=65.4)
    assert found[NO_UNIT].due_at is None  # a unit went at 5 s


def test_no_unit_is_due_at_the_processing_target_unless_a_unit_or_the_closure_came_first() -> None:
    assert by_reason([reported()])[NO_UNIT].due_at == T0 + timedelta(seconds=60)
    closed = by_reason([reported(), event("Closed", 30)])[NO_UNIT]
    assert closed.due_at is None and closed.settled_at == T0 + timedelta(seconds=30)
    assert by_reason([reported("P4")])[NO_UNIT].due_at is None


def test_a_late_acknowledgement_does_not_cancel_the_deadline_it_missed() -> None:
    found = by_reason(
        [
            reported("P2"),
            event("Routed", 0, agencies=["police"]),
            event("Acknowledged", 130, agency="police"),
        ]
    )
    assert found[NOT_ACKNOWLEDGED].due_at == T0 + timedelta(seconds=120)
    assert found[NOT_ACKNOWLEDGED].settled_at == T0 + timedelta(seconds=130)
