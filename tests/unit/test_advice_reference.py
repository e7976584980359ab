"""Duplicate advice over many open incidents, updated in place, equals a brute-force reference:
every open, unlinked incident checked one by one against the rules of rules.toml."""

from __future__ import annotations

import random

import pytest

from adapters.routing import Router
from adapters.routing.projection import haversine_m
from adapters.routing_adapter import RoutingAdvisor
from dispatch.center import DispatchCenter
from dispatch.ports import IntakeResult
from domain.incident import Incident
from domain.taxonomy import Agency, Category, Disposition
from domain.values import Location
from tests.support import AWS, FakeClock, a_report

CATEGORIES = [Category.KEBAKARAN, Category.MEDIS, Category.KECELAKAAN_LALU_LINTAS, Category.LAINNYA]
ACCURACIES = [5.0, 20.0, 80.0, 250.0, 900.0]


def somewhere(rng: random.Random) -> Location:
    """Within about 1.5 km of RSUD AWS, as precise as a GPS fix or as coarse as a cell."""
    return Location(
        AWS.lat + rng.uniform(-0.013, 0.013),
        AWS.lon + rng.uniform(-0.013, 0.013),
        rng.choice(ACCURACIES),
    )


def reference(router: Router, new: Incident, open_incidents: list[Incident]) -> list[str]:
    """The numbers the rules suggest for ``new``, one incident at a time (no index), best first:
    same caller, same category, distance beyond both accuracies, routed, distance, number."""
    rules = router.rules.duplicates
    assert new.location is not None
    found: list[tuple[bool, bool, float, bool, float, str]] = []
    for other in open_incidents:
        if other.id == new.id or other.primary_id is not None or other.location is None:
            continue
        age = abs((new.received_at - other.received_at).total_seconds())
        same_caller = bool(new.caller_number) and other.caller_number == new.caller_number
        a, b = new.location, other.location
        distance = haversine_m(a.lat, a.lon, b.lat, b.lon)
        uncertainty = (a.accuracy_m or 0.0) + (b.accuracy_m or 0.0)
        if uncertainty <= rules.radius_m:
            kind = router.rules.compatible(new.category, other.category)
        else:
            kind = new.category is other.category
        near = age <= rules.window_s and distance - uncertainty <= rules.radius_m and kind
        if (same_caller and age <= rules.same_caller_window_s) or near:
            beyond = max(0.0, distance - uncertainty)
            same = other.category is new.category
            routed = bool(other.agencies)
            found.append((not same_caller, not same, beyond, not routed, distance, other.number))
    return [key[-1] for key in sorted(found)]


def report_somewhere(
    center: DispatchCenter, rng: random.Random, near: Location | None = None
) -> IntakeResult:
    """A report of a random category from one of a dozen numbers (or none), anywhere around
    RSUD AWS or within about 100 m of ``near``."""
    number = rng.choice([None, *(f"+6281100{k:02d}" for k in range(12))])
    location = somewhere(rng)
    if near is not None:
        location = Location(
            near.lat + rng.uniform(-0.001, 0.001),
            near.lon + rng.uniform(-0.001, 0.001),
            rng.choice(ACCURACIES),
        )
    report = a_report(location=location, category=rng.choice(CATEGORIES), caller_number=number)
    return center.report(report)


def change_one(center: DispatchCenter, rng: random.Random, incident: Incident) -> None:
    """Route, note, close or link the incident (to another open one), at random."""
    change = rng.choice(["route", "note", "close", "link"])
    current = center.present.incident(incident.id)
    if current is None or current.is_closed or current.primary_id is not None:
        return
    if change == "route":
        center.route(incident.id, [Agency.FIRE])
    elif change == "note":
        center.add_note(incident.id, "warga sudah dievakuasi")
    elif change == "close":
        center.close_incident(incident.id, Disposition.GENUINE, "selesai")
    else:
        primary = center.present.incidents()[-1]  # the oldest open one
        if primary.id != incident.id and primary.primary_id is None:
            center.link_duplicate(incident.id, primary.id)


@pytest.mark.parametrize("opened", [0, 40, 200])  # 200: the slots grow twice
def test_advice_over_many_open_incidents_equals_the_rules_applied_one_by_one(
    center: DispatchCenter, clock: FakeClock, opened: int
) -> None:
    rng = random.Random(opened)
    # Given incidents reported over about two hours (older ones fall out of the windows)
    incidents = []
    for _ in range(opened):
        clock.advance(rng.uniform(0, 2 * 7200 / max(opened, 1)))
        incidents.append(report_somewhere(center, rng).incident)
    advisor = center.advisor
    assert isinstance(advisor, RoutingAdvisor)
    suggested_any = capped_any = 0
    for _ in range(20):
        # And some of them then routed, noted, closed or linked
        changed = rng.sample(incidents, min(3, len(incidents)))
        for incident in changed:
            change_one(center, rng, incident)
        # When a new caller reports, near one of them, answered from the index kept in place
        clock.advance(rng.uniform(0, 60))
        near = changed[0].location if changed else None
        result = report_somewhere(center, rng, near=near)
        new = result.incident
        incidents.append(new)
        assert result.recommendation is not None
        incremental = result.recommendation.duplicates  # intake's advice, over its index
        fresh = RoutingAdvisor(advisor.router).advise(new, fleet=center.present, at=clock())
        # Then the suggestions are those of a fresh index, and exactly what the rules say
        assert incremental == fresh.duplicates
        expected = reference(advisor.router, new, center.present.incidents())
        shown = advisor.router.rules.duplicates.shown
        assert [d.number for d in incremental] == expected[:shown]
        assert result.recommendation.duplicates_total == fresh.duplicates_total == len(expected)
        suggested_any += bool(expected)
        capped_any += len(expected) > shown
    if opened:
        assert suggested_any > 5  # the reports do land near open incidents
    if opened == 200:
        assert capped_any > 3  # and more often than not there are more than the list shows
