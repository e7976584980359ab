"""The escalation watchdog with an injected clock."""

from __future__ import annotations

import pytest

from adapters.center import default_router
from adapters.routing import EscalationPolicy
from dispatch.center import DispatchCenter
from dispatch.watchdog import EscalationWatchdog
from domain.incident import Incident
from domain.taxonomy import Agency, EscalationReason, Priority, UnitType
from tests.support import AWS, FakeClock, a_report


@pytest.fixture
def watchdog(center: DispatchCenter) -> EscalationWatchdog:
    return EscalationWatchdog(center, EscalationPolicy(default_router().rules))


def test_nothing_is_escalated_before_a_deadline(
    center: DispatchCenter, clock: FakeClock, watchdog: EscalationWatchdog
) -> None:
    incident = center.report(a_report()).incident
    center.route(incident.id, [Agency.FIRE])
    assert watchdog.check(clock.advance(30)) == []


def test_an_unacknowledged_p1_is_escalated_once_naming_the_agency(
    center: DispatchCenter, clock: FakeClock, watchdog: EscalationWatchdog
) -> None:
    incident = center.report(a_report()).incident
    assert incident.priority is Priority.P1
    center.route(incident.id, [Agency.FIRE])
    timeout = default_router().ack_timeout(Priority.P1).total_seconds()
    escalated = watchdog.check(clock.advance(timeout + 1))
    assert (incident.id, EscalationReason.NOT_ACKNOWLEDGED) in escalated
    assert watchdog.check(clock.advance(60)) == []  # once per reason
    events = [e for e in center.incident_events(incident.id) if isinstance(e, Incident.Escalated)]
    not_acked = [e for e in events if e.reason is EscalationReason.NOT_ACKNOWLEDGED]
    assert len(not_acked) == 1
    assert not_acked[0].agency is Agency.FIRE
    assert not_acked[0].actor == "system:watchdog"


def test_no_unit_within_the_processing_target_is_escalated(
    center: DispatchCenter, clock: FakeClock, watchdog: EscalationWatchdog
) -> None:
    incident = center.report(a_report()).incident
    escalated = watchdog.check(clock.advance(61))
    assert escalated == [(incident.id, EscalationReason.NO_UNIT_DISPATCHED)]


def test_a_dispatched_and_acknowledged_incident_is_not_escalated(
    center: DispatchCenter, clock: FakeClock, watchdog: EscalationWatchdog
) -> None:
    unit, _ = center.register_unit(
        "P3-1", "Damkar P3-1", Agency.FIRE, UnitType.FIRE_ENGINE, "A-DAMKAR-P3", AWS
    )
    incident = center.report(a_report()).incident
    center.route(incident.id, [Agency.FIRE], unit_ids=[unit.id])
    center.acknowledge(incident.id, Agency.FIRE)
    assert watchdog.check(clock.advance(3600)) == []
