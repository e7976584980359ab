"""State as at a position or a time, rebuilt by folding the log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dispatch.center import DispatchCenter
from dispatch.errors import IncidentNotFound
from domain.taxonomy import Agency, Disposition
from replay.errors import InvalidQuery
from replay.positions import event_positions
from replay.state import AsOf, state
from tests.support import FakeClock, a_report
from tests.unit.replay.conftest import a_day, fire_unit


def test_state_at_a_position_shows_the_incident_as_it_was_then(center: DispatchCenter) -> None:
    incident = center.report(a_report()).incident
    center.route(incident.id, [Agency.FIRE])
    center.close_incident(incident.id, Disposition.GENUINE)
    routed_at = event_positions(center, incident.id)[3]
    answer = state(center, AsOf(position=routed_at), incident=incident.number)
    assert answer["incident"]["status"] == "routed"
    assert answer["incident"]["version"] == 3
    assert answer["position"] == routed_at
    assert state(center, AsOf(), incident=str(incident.id))["incident"]["status"] == "closed"


@pytest.mark.timeshift
def test_state_at_a_time_leaves_out_events_recorded_after_it(center: DispatchCenter) -> None:
    incident = center.report(a_report()).incident
    between = datetime.now(UTC)
    center.route(incident.id, [Agency.FIRE])
    then = state(center, AsOf(at=between), incident=incident.number)["incident"]
    assert then["status"] == "new" and then["agencies"] == []
    now = state(center, AsOf(at=datetime.now(UTC)), incident=incident.number)["incident"]
    assert now["status"] == "routed"


@pytest.mark.timeshift
def test_an_incident_reported_after_the_point_asked_for_is_not_found(
    center: DispatchCenter,
) -> None:
    center.report(a_report())
    later = center.report(a_report()).incident
    first_position = min(event_positions(center, later.id).values())
    with pytest.raises(IncidentNotFound):
        state(center, AsOf(position=first_position - 1), incident=str(later.id))
    with pytest.raises(IncidentNotFound):
        state(center, AsOf(at=datetime.now(UTC) - timedelta(hours=1)), incident=later.number)


def test_an_agency_board_shows_its_open_incidents_and_its_units(
    center: DispatchCenter, clock: FakeClock
) -> None:
    day = a_day(center, clock)
    police = center.report(a_report()).incident
    center.route(police.id, [Agency.POLICE])
    board = state(center, AsOf(), board="fire")["board"]
    assert [i["id"] for i in board["incidents"]] == [str(day.fast)]  # slow is closed
    assert [u["code"] for u in board["units"]] == ["F1", "F2"]
    assert board["units"][0]["status"] == "on_scene"


def test_a_board_as_at_an_earlier_position_shows_units_as_they_were(
    center: DispatchCenter, clock: FakeClock
) -> None:
    unit = fire_unit(center, "F9")
    incident = center.report(a_report()).incident
    center.route(incident.id, [Agency.FIRE], unit_ids=[unit.id])
    before_dispatch = min(event_positions(center, incident.id).values()) + 1
    board = state(center, AsOf(position=before_dispatch), board="fire")["board"]
    assert board["units"][0]["status"] == "available"
    assert board["incidents"] == []  # not routed yet at that point


def test_all_open_incidents_leave_out_the_closed_ones(
    center: DispatchCenter, clock: FakeClock
) -> None:
    day = a_day(center, clock)
    answer = state(center, AsOf())
    assert [i["id"] for i in answer["open"]["incidents"]] == [str(day.fast)]
    assert answer["log_head"] == answer["position"]


@pytest.mark.parametrize(
    ("as_of", "kwargs", "field"),
    [
        (lambda: AsOf(position=1, at=datetime.now(UTC)), {}, "position"),
        (lambda: AsOf(position=-1), {}, "position"),
        (lambda: AsOf(at=datetime(2026, 1, 1)), {}, "at"),
        (lambda: AsOf(), {"board": "navy"}, "board"),
        (lambda: AsOf(), {"board": "fire", "incident": "SMD-20261122-0001"}, "board"),
    ],
)
def test_malformed_questions_are_refused_naming_the_field(
    center: DispatchCenter, as_of: object, kwargs: dict[str, str], field: str
) -> None:
    with pytest.raises(InvalidQuery) as error:
        state(center, as_of(), **kwargs)  # type: ignore[operator]
    assert error.value.field == field
