"""When the escalation watchdog must fire, worked out from an incident's own history.

The rules are the server's (``GET /api/escalation-rules``), applied as the watchdog applies
them (adapters/routing/escalation.py): NOT_ACKNOWLEDGED when an agency routed at ``t`` has not
acknowledged by ``t + ack_timeout(priority)``; NO_UNIT_DISPATCHED when no unit is dispatched
by ``received_at + processing_target`` for a priority that expects one; never once closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

NOT_ACKNOWLEDGED = "not_acknowledged"
NO_UNIT = "no_unit_dispatched"


@dataclass(frozen=True)
class EscalationRules:
    """The deadlines the server applies."""

    ack_timeout_s: dict[str, float]
    processing_target_s: float
    unit_expected_for: frozenset[str]

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> EscalationRules:
        """From the GET /api/escalation-rules answer."""
        return cls(
            ack_timeout_s={k: float(v) for k, v in body["ack_timeout_s"].items()},
            processing_target_s=float(body["processing_target_s"]),
            unit_expected_for=frozenset(body["unit_expected_for"]),
        )


@dataclass(frozen=True)
class History:
    """The times in an incident's events that the watchdog looks at."""

    number: str
    priority: str
    received_at: datetime
    routed_at: dict[str, datetime]
    acknowledged_at: dict[str, datetime]
    first_unit_at: datetime | None
    closed_at: datetime | None
    escalated_at: dict[str, datetime]

    @classmethod
    def from_events(cls, number: str, events: list[dict[str, Any]]) -> History:
        """From the GET /api/incidents/{id}/events answer (a reopened incident counts as
        closed at its first closure: the simulator never reopens)."""
        priority, received = "P4", None
        routed: dict[str, datetime] = {}
        acked: dict[str, datetime] = {}
        escalated: dict[str, datetime] = {}
        first_unit = closed = None
        for event in events:
            kind, data, at = event["type"], event["data"], _time(event["at"])
            if kind == "Reported":
                priority, received = data["priority"], _time(data["received_at"])
            elif kind == "Triaged":
                priority = data["priority"]
            elif kind == "Routed":
                for agency in data["agencies"]:
                    routed.setdefault(agency, at)
            elif kind == "Acknowledged":
                acked.setdefault(data["agency"], at)
            elif kind == "UnitAssigned":
                first_unit = first_unit or at
            elif kind == "Closed":
                closed = closed or at
            elif kind == "Escalated":
                escalated.setdefault(data["reason"], at)
        if received is None:
            raise ValueError(f"{number}: no Reported event in its history")
        return cls(number, priority, received, routed, acked, first_unit, closed, escalated)


@dataclass(frozen=True)
class Expectation:
    """One escalation reason of one incident: when it was due, when it fired."""

    number: str
    reason: str
    due_at: datetime | None  # None: never due while the incident was watched
    fired_at: datetime | None
    settled_at: datetime | None  # what stopped it being due (ack, unit, closure), if anything
    unless_settled: datetime | None = None  # when it would have been due without the settling


def expectations(history: History, rules: EscalationRules) -> list[Expectation]:
    """The two escalation reasons of an incident, each with its deadline and firing time."""
    return [_not_acknowledged(history, rules), _no_unit(history, rules)]


def _not_acknowledged(h: History, rules: EscalationRules) -> Expectation:
    timeout = timedelta(seconds=rules.ack_timeout_s[h.priority])
    unmet = sorted(
        (
            (routed + timeout, h.acknowledged_at.get(agency))
            for agency, routed in h.routed_at.items()
            if agency not in h.acknowledged_at or h.acknowledged_at[agency] > routed + timeout
        ),
        key=lambda candidate: candidate[0],
    )
    due: datetime | None = unmet[0][0] if unmet else None
    settled = _earliest(unmet[0][1] if unmet else None, h.closed_at)
    if due is not None and h.closed_at is not None and h.closed_at <= due:
        due = None
    fired = h.escalated_at.get(NOT_ACKNOWLEDGED)
    first_routed = min(h.routed_at.values(), default=None)
    unless = first_routed + timeout if first_routed else None
    if due is None and unless is not None:
        settled = _earliest(*h.acknowledged_at.values(), h.closed_at)
    return Expectation(h.number, NOT_ACKNOWLEDGED, due, fired, settled, unless)


def _no_unit(h: History, rules: EscalationRules) -> Expectation:
    due: datetime | None = None
    unless: datetime | None = None
    if h.priority in rules.unit_expected_for:
        due = unless = h.received_at + timedelta(seconds=rules.processing_target_s)
        if h.first_unit_at is not None and h.first_unit_at <= due:
            due = None
        if h.closed_at is not None and due is not None and h.closed_at <= due:
            due = None
    settled = _earliest(h.first_unit_at, h.closed_at)
    return Expectation(h.number, NO_UNIT, due, h.escalated_at.get(NO_UNIT), settled, unless)


def _earliest(*moments: datetime | None) -> datetime | None:
    present = [m for m in moments if m is not None]
    return min(present, default=None)


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)
