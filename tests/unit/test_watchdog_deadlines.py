"""The watchdog's check looks only at what is due, outside the present's lock, and escalates
exactly what evaluating every open incident would."""

from __future__ import annotations

import random
import threading
from datetime import datetime
from uuid import UUID

from adapters.center import default_router
from adapters.routing import EscalationPolicy
from adapters.routing.rules import RoutingRules
from dispatch.center import DispatchCenter
from dispatch.ports import Escalations
from dispatch.watchdog import EscalationWatchdog
from domain.incident import Incident
from domain.taxonomy import Agency, Category, Disposition, EscalationReason, Priority, UnitType
from domain.values import Location
from tests.support import AWS, FakeClock, a_report


class CountingPolicy(EscalationPolicy):
    """The default policy, counting how many incidents it judged."""

    judged = 0

    def due(self, **timers: object) -> list[EscalationReason]:
        self.judged += 1
        return super().due(**timers)  # type: ignore[arg-type]


class SlowPolicy(EscalationPolicy):
    """The default policy, which meanwhile checks that another thread can read the present."""

    def __init__(self, center: DispatchCenter) -> None:
        super().__init__(default_router().rules)
        self.center = center
        self.others_read: list[bool] = []

    def due(self, **timers: object) -> list[EscalationReason]:
        read = threading.Event()

        def reader() -> None:
            with self.center.present.locked():
                read.set()

        threading.Thread(target=reader, daemon=True).start()
        self.others_read.append(read.wait(timeout=5))
        return super().due(**timers)  # type: ignore[arg-type]


def reports(center: DispatchCenter, count: int, start: int = 0) -> list[UUID]:
    # Distinct callers and places: none is linked as a duplicate of another.
    return [
        center.report(
            a_report(
                caller_number=f"+62812{n:07d}", location=Location(-0.49 - n / 1e4, 117.1, 15.0)
            )
        ).incident.id
        for n in range(start, start + count)
    ]


def judged_with_open(center: DispatchCenter, clock: FakeClock, not_due: int) -> tuple[int, int]:
    """(incidents judged, escalations) by one check with 3 due and ``not_due`` others open."""
    policy = CountingPolicy(default_router().rules)
    watchdog = EscalationWatchdog(center, policy)
    watchdog.check(clock())  # the index follows the present from here
    due = reports(center, 3)
    clock.advance(61)  # past the processing target for these three
    reports(center, not_due, start=3)
    policy.judged = 0
    escalated = watchdog.check(clock.advance(1))
    assert {incident_id for incident_id, _ in escalated} == set(due)
    return policy.judged, len(escalated)


def test_a_check_judges_only_what_is_due_however_many_are_open(
    center: DispatchCenter, clock: FakeClock
) -> None:
    assert judged_with_open(center, clock, 10) == (3, 3)


def test_a_check_with_eight_times_as_many_open_judges_no_more(
    center: DispatchCenter, clock: FakeClock
) -> None:
    # 80, not thousands: each is a real report through intake (a unit test stays in seconds;
    # bench/bench_watchdog.py measures the check at 1,500 open). Judging every open incident
    # would count 83 here, 13 with ten.
    assert judged_with_open(center, clock, 80) == (3, 3)


def test_the_present_is_not_locked_while_the_policy_judges(
    center: DispatchCenter, clock: FakeClock
) -> None:
    policy = SlowPolicy(center)
    incident = center.report(a_report()).incident
    escalated = EscalationWatchdog(center, policy).check(clock.advance(61))
    assert escalated == [(incident.id, EscalationReason.NO_UNIT_DISPATCHED)]
    assert policy.others_read == [True]


def test_a_new_policy_takes_effect_at_the_next_check(
    center: DispatchCenter, clock: FakeClock
) -> None:
    watchdog = EscalationWatchdog(center, EscalationPolicy(default_router().rules))
    incident = center.report(a_report()).incident
    assert watchdog.check(clock.advance(40)) == []
    watchdog.policy = EscalationPolicy(with_target(30))
    assert watchdog.check(clock.advance(1)) == [(incident.id, EscalationReason.NO_UNIT_DISPATCHED)]


def with_target(seconds: float, ack_scale: float = 1.0) -> RoutingRules:
    """The default rules with another processing target and ack timeouts scaled."""
    rules = default_router().rules
    return rules.model_copy(
        update={
            "escalation": rules.escalation.model_copy(update={"processing_target_s": seconds}),
            "ack_timeout_s": {p: t * ack_scale for p, t in rules.ack_timeout_s.items()},
        }
    )


def everything_due(
    center: DispatchCenter, policy: Escalations, now: datetime
) -> set[tuple[UUID, EscalationReason]]:
    """The reference: every open incident judged from its own fields."""
    found = set()
    for incident in center.present.incidents():
        unacked = [a for a in incident.agencies if a not in incident.acknowledged_at]
        reasons = policy.due(
            priority=incident.priority,
            routed_at=min((incident.routed_at[a] for a in unacked), default=None),
            acknowledged=not unacked,
            first_unit_at=incident.first_unit_at,
            reported_at=incident.received_at,
            already=incident.escalations,
            now=now,
        )
        found |= {(incident.id, reason) for reason in reasons}
    return found


def test_the_check_escalates_what_judging_every_incident_would(
    center: DispatchCenter, clock: FakeClock
) -> None:
    rng = random.Random(112)
    policies = [EscalationPolicy(default_router().rules)]
    policies.append(EscalationPolicy(with_target(20, 0.25)))
    policies.append(EscalationPolicy(with_target(90, 2.0)))
    watchdog = EscalationWatchdog(center, policies[0])
    opened: list[UUID] = []
    escalations = 0
    for step in range(400):
        act(center, rng, opened, step)
        if step % 100 == 99:
            watchdog.policy = policies[(step + 1) // 100 % 3]
        now = clock.advance(rng.choice([0, 1, 3, 7, 15, 30]))
        expected = everything_due(center, watchdog.policy, now)
        got = watchdog.check(now)
        assert len(got) == len(set(got))
        assert set(got) == expected, f"step {step}"
        escalations += len(got)
    assert escalations > 30  # the sequence did exercise both reasons
    reasons = {
        e.reason
        for i in opened
        for e in center.incident_events(i)
        if isinstance(e, Incident.Escalated) and e.actor == "system:watchdog"
    }
    assert reasons == {EscalationReason.NOT_ACKNOWLEDGED, EscalationReason.NO_UNIT_DISPATCHED}


def act(center: DispatchCenter, rng: random.Random, opened: list[UUID], step: int) -> None:
    """One random thing a dispatcher does."""
    choice = rng.random()
    if choice < 0.3 or not opened:
        opened.extend(reports(center, 1, start=step))
        return
    incident = center.present.incident(rng.choice(opened))
    assert incident is not None
    if incident.is_closed:
        if choice < 0.5:
            center.reopen(incident.id, "called back")
    elif choice < 0.45:
        center.triage(incident.id, rng.choice(list(Priority)), Category.KEBAKARAN, "re-triage")
    elif choice < 0.6:
        center.route(incident.id, rng.sample([Agency.FIRE, Agency.MEDICAL, Agency.POLICE], 2))
    elif choice < 0.72 and incident.agencies:
        center.acknowledge(incident.id, rng.choice(list(incident.agencies)))
    elif choice < 0.8:
        unit, _ = center.register_unit(
            f"U-{step}", f"Unit {step}", Agency.FIRE, UnitType.FIRE_ENGINE, "A-DAMKAR-P3", AWS
        )
        center.route(incident.id, [Agency.FIRE], unit_ids=[unit.id])
    elif choice < 0.9:
        center.close_incident(incident.id, Disposition.GENUINE)
