"""Duplicate advice stays exact while the routing indexes are updated incrementally."""

from __future__ import annotations

import pytest

from adapters.routing_adapter import RoutingAdvisor
from dispatch.center import DispatchCenter
from domain.taxonomy import Agency, Disposition
from domain.values import Location
from tests.support import AWS, FakeClock, a_report

FAR_AWAY = Location(-0.60, 117.20, 20.0)
MANY = 10  # reports in between: the fire is one entry among many changes


def suggested(center: DispatchCenter, location: Location) -> list[str]:
    advice = center.report(a_report(location=location)).recommendation
    assert advice is not None
    return [d.number for d in advice.duplicates]


@pytest.mark.parametrize("filler", [0, MANY])
def test_a_closed_incident_is_never_suggested_as_a_duplicate(
    center: DispatchCenter, clock: FakeClock, filler: int
) -> None:
    # Given an open fire near RSUD AWS, the latest change or one among many
    first = center.report(a_report(location=AWS)).incident
    for _ in range(filler):
        center.report(a_report(location=FAR_AWAY))
    clock.advance(10)
    # When a second caller reports the same fire, it is suggested
    assert first.number in suggested(center, AWS)
    # And once the first incident is closed, it is not suggested any more
    center.close_incident(first.id, Disposition.GENUINE, "padam")
    for _ in range(filler):
        center.report(a_report(location=FAR_AWAY))
    assert first.number not in suggested(center, AWS)


def test_suggestions_are_nearest_first_across_old_and_new_entries(
    center: DispatchCenter, clock: FakeClock
) -> None:
    near = Location(AWS.lat + 0.0003, AWS.lon, 10.0)
    nearer = Location(AWS.lat + 0.0001, AWS.lon, 10.0)
    far_one = center.report(a_report(location=near)).incident
    for _ in range(MANY):  # far_one is an old entry of the index, near_one a new one
        center.report(a_report(location=FAR_AWAY))
    near_one = center.report(a_report(location=nearer)).incident  # the newest entry
    clock.advance(5)
    found = suggested(center, AWS)
    assert found[:2] == [near_one.number, far_one.number]


@pytest.mark.parametrize("filler", [0, MANY])
def test_incremental_suggestions_equal_a_fresh_search_whatever_happened_to_the_incidents(
    center: DispatchCenter, clock: FakeClock, filler: int
) -> None:
    # Given fires around RSUD AWS, old or new entries, each then changed in its own way
    fires = [
        center.report(
            a_report(
                location=Location(AWS.lat + k * 0.00003, AWS.lon, 10.0), caller_number=f"+62811{k}"
            )
        ).incident
        for k in range(6)
    ]
    for k in range(filler):
        center.report(a_report(location=FAR_AWAY, caller_number=f"+62812{k}"))
    center.route(fires[0].id, [Agency.FIRE])
    center.add_note(fires[1].id, "pemilik rumah sudah keluar")
    center.close_incident(fires[2].id, Disposition.GENUINE, "padam")
    center.link_duplicate(fires[3].id, fires[0].id)
    clock.advance(10)
    # When a new caller reports the fire (from the number that reported the fifth one)
    result = center.report(a_report(location=AWS, caller_number="+628114"))
    new, advice = result.incident, result.recommendation
    advisor = center.advisor
    assert isinstance(advisor, RoutingAdvisor) and advice is not None
    incremental = advice.duplicates  # intake's own advice, over the index it keeps
    fresh = RoutingAdvisor(advisor.router).advise(new, fleet=center.present, at=clock()).duplicates

    # Then the incremental answer is the fresh one: open, unlinked fires, the caller's first
    assert incremental == fresh
    assert [d.number for d in incremental] == [
        fires[4].number,
        fires[0].number,
        fires[1].number,
        fires[5].number,
    ]
