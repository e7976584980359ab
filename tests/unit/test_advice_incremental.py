"""Duplicate advice stays exact while the routing indexes are updated incrementally."""

from __future__ import annotations

import pytest

from dispatch import routing_adapter
from dispatch.center import DispatchCenter
from dispatch.routing_adapter import RoutingAdvisor
from domain.taxonomy import Agency, Disposition
from domain.values import Location
from tests.support import AWS, FakeClock, a_report

FAR_AWAY = Location(-0.60, 117.20, 20.0)
#: The pending list's bound in these tests (production: routing_adapter.PENDING_MAX, 64). The
#: branches are the same (pending, then rebuilt into the array index); each report a test
#: makes to fill the list costs ~2.5 ms, so a bound of 8 saves ~0.5 s of CPU.
PENDING_MAX = 8


@pytest.fixture(autouse=True)
def small_pending_list(monkeypatch: pytest.MonkeyPatch) -> None:
    assert routing_adapter.PENDING_MAX > PENDING_MAX
    monkeypatch.setattr(routing_adapter, "PENDING_MAX", PENDING_MAX)


def suggested(center: DispatchCenter, location: Location) -> list[str]:
    advice = center.report(a_report(location=location)).recommendation
    assert advice is not None
    return [d.number for d in advice.duplicates]


@pytest.mark.parametrize("filler", [0, PENDING_MAX + 5])
def test_a_closed_incident_is_never_suggested_as_a_duplicate(
    center: DispatchCenter, clock: FakeClock, filler: int
) -> None:
    # Given an open fire near RSUD AWS, indexed or still pending depending on the filler
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


def test_suggestions_are_nearest_first_across_index_and_pending(
    center: DispatchCenter, clock: FakeClock
) -> None:
    near = Location(AWS.lat + 0.0003, AWS.lon, 10.0)
    nearer = Location(AWS.lat + 0.0001, AWS.lon, 10.0)
    far_one = center.report(a_report(location=near)).incident
    for _ in range(PENDING_MAX + 1):  # pushes far_one into the array index
        center.report(a_report(location=FAR_AWAY))
    near_one = center.report(a_report(location=nearer)).incident  # still pending
    clock.advance(5)
    found = suggested(center, AWS)
    assert found[:2] == [near_one.number, far_one.number]


@pytest.mark.parametrize("filler", [0, PENDING_MAX + 5])
def test_incremental_suggestions_equal_a_fresh_search_whatever_happened_to_the_incidents(
    center: DispatchCenter, clock: FakeClock, filler: int
) -> None:
    # Given fires around RSUD AWS, indexed or pending, each then changed in its own way
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
    new = center.report(a_report(location=AWS, caller_number="+628114")).incident
    advisor = center.advisor
    assert isinstance(advisor, RoutingAdvisor)
    incremental = advisor.advise(new, fleet=center.present, at=clock()).duplicates
    fresh = RoutingAdvisor(advisor.router).advise(new, fleet=center.present, at=clock()).duplicates

    # Then the incremental answer is the fresh one: open, unlinked fires, the caller's first
    assert incremental == fresh
    assert [d.number for d in incremental] == [
        fires[4].number,
        fires[0].number,
        fires[1].number,
        fires[5].number,
    ]
