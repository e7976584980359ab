"""Duplicate advice stays exact while the routing indexes are updated incrementally."""

from __future__ import annotations

import pytest

from dispatch.center import DispatchCenter
from dispatch.routing_adapter import PENDING_MAX
from domain.taxonomy import Disposition
from domain.values import Location
from tests.support import AWS, FakeClock, a_report

FAR_AWAY = Location(-0.60, 117.20, 20.0)


def suggested(center: DispatchCenter, location: Location) -> list[str]:
    advice = center.report(a_report(location=location)).recommendation
    assert advice is not None
    return [d["number"] for d in advice["duplicates"]]


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
