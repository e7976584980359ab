"""Random command sequences on an Incident and a Unit keep their rules, and replay equals live.

Hypothesis draws sequences of commands (including ones the rules refuse). After each step the
invariants hold, a refused command changes nothing, and replaying every event recorded so far
from nothing gives exactly the live aggregate.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import reduce
from typing import Any, TypeVar

from eventsourcing.domain import Aggregate
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import DomainError
from domain.incident import Incident
from domain.taxonomy import (
    Agency,
    Category,
    Channel,
    Disposition,
    IncidentStatus,
    Priority,
    UnitStatus,
    UnitType,
)
from domain.unit import Unit
from domain.values import Location

AT = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
UNITS = [uuid.UUID(int=n) for n in range(1, 4)]
AGENCIES = [Agency.FIRE, Agency.POLICE, Agency.MEDICAL]

A = TypeVar("A", Incident, Unit)
Command = Callable[[Incident, datetime], object]
agencies = st.sampled_from(AGENCIES)
reasons = st.sampled_from(["", "  ", "caller confirmed", "api membesar"])
incident_commands: st.SearchStrategy[Command] = st.one_of(
    st.builds(lambda a: lambda i, at: i.route(a, actor="op", at=at), st.lists(agencies)),
    st.builds(lambda a: lambda i, at: i.acknowledge(a, actor="fire", at=at), agencies),
    st.builds(
        lambda u, a: lambda i, at: i.assign_unit(u, a, f"U{u.int}", actor="op", at=at),
        st.sampled_from(UNITS),
        agencies,
    ),
    st.builds(
        lambda u: lambda i, at: i.release_unit(u, "back", actor="op", at=at),
        st.sampled_from(UNITS),
    ),
    st.builds(
        lambda p, c, r: lambda i, at: i.triage(p, c, r, actor="op", at=at),
        st.sampled_from(list(Priority)),
        st.sampled_from(list(Category)),
        reasons,
    ),
    st.builds(lambda r: lambda i, at: i.add_note(r or "-", actor="op", at=at), reasons),
    st.builds(
        lambda cb: (
            lambda i, at: i.flag_for_verification("high", callback_first=cb, actor="c", at=at)
        ),
        st.booleans(),
    ),
    st.builds(
        lambda g, r: lambda i, at: i.verify(genuine=g, reason=r, actor="op", at=at),
        st.booleans(),
        reasons,
    ),
    st.builds(
        lambda d, r: lambda i, at: i.close(d, r, actor="op", at=at),
        st.sampled_from(list(Disposition)),
        reasons,
    ),
    st.builds(lambda r: lambda i, at: i.reopen(r, actor="op", at=at), reasons),
)


def new_incident() -> Incident:
    return Incident(
        report_id=uuid.uuid4(),
        number="SMD-20261122-0001",
        received_at=AT,
        channel=Channel.VOICE,
        caller_number=None,
        sim_present=True,
        call_duration_s=40.0,
        first_speech_s=1.0,
        silent=False,
        location=None,
        place=None,
        address_text="Jl. Juanda",
        category=Category.KEBAKARAN,
        priority=Priority.P1,
        description="rumah terbakar",
        persons_involved=3,
        injuries=1,
        hazards=["gas"],
        actor="op",
        at=AT,
    )


def state(aggregate: Aggregate) -> dict[str, Any]:
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


def replayed(events: Sequence[Any]) -> Aggregate:
    result: Aggregate | None = reduce(lambda a, e: e.mutate(a), events, None)
    assert result is not None
    return result


def apply(aggregate: A, command: Callable[[A, datetime], object], at: datetime) -> None:
    """Run a command; when the rules refuse it, nothing has changed."""
    before = copy.deepcopy(state(aggregate))
    pending = len(aggregate.pending_events)
    try:
        command(aggregate, at)
    except DomainError:
        assert state(aggregate) == before
        assert len(aggregate.pending_events) == pending


def check_incident(incident: Incident) -> None:
    assert set(incident.acknowledged_at) <= set(incident.agencies)
    assert len(set(incident.agencies)) == len(incident.agencies)
    assert len(set(incident.unit_ids)) == len(incident.unit_ids)
    assert incident.is_closed == (incident.disposition is not None)
    assert (incident.status is IncidentStatus.CLOSED) == incident.is_closed
    if incident.is_closed:
        assert not incident.verification_pending
    assert incident.version == len(incident.pending_events)


@settings(max_examples=150, deadline=None)
@given(st.lists(incident_commands, max_size=25))
def test_random_commands_keep_an_incident_whole_and_replay_gives_the_same_incident(
    commands: list[Command],
) -> None:
    incident = new_incident()
    for step, command in enumerate(commands, start=1):
        at = AT + timedelta(seconds=step)
        apply(incident, command, at)
        check_incident(incident)
        assert state(replayed(incident.pending_events)) == state(incident)


unit_commands = st.one_of(
    st.builds(lambda: lambda u, at: u.dispatch_to(uuid.UUID(int=9), actor="op", at=at)),
    st.builds(
        lambda s: lambda u, at: u.change_status(s, location=None, actor="fire", at=at),
        st.sampled_from(list(UnitStatus)),
    ),
    st.builds(
        lambda lat: (
            lambda u, at: u.report_position(Location(lat, 117.14, 10.0), actor="gps", at=at)
        ),
        st.floats(-0.6, -0.4),
    ),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(unit_commands, max_size=25))
def test_random_commands_keep_a_unit_on_its_status_machine_and_replay_gives_the_same_unit(
    commands: list[Callable[[Unit, datetime], object]],
) -> None:
    unit = Unit(
        code="DAMKAR-01",
        callsign="Damkar 1",
        agency=Agency.FIRE,
        unit_type=UnitType.FIRE_ENGINE,
        station_id="posko-3",
        location=None,
        actor="sup",
        at=AT,
    )
    for step, command in enumerate(commands, start=1):
        at = AT + timedelta(seconds=step)
        apply(unit, command, at)
        # on an incident exactly while dispatched, en route, on scene, transporting or at hospital
        free = unit.status in (UnitStatus.AVAILABLE, UnitStatus.OUT_OF_SERVICE)
        assert (unit.incident_id is None) == free
        assert unit.version == len(unit.pending_events)
        assert state(replayed(unit.pending_events)) == state(unit)
