"""Duplicate suggestions a dispatcher can trust, on the path a shift takes them."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from dispatch.advice import DuplicateSuggestion
from dispatch.center import DispatchCenter
from domain.taxonomy import Agency, Category, LocationSource
from domain.values import Location
from tests.support import FakeClock, a_report

DEGREES_PER_METRE = 1 / 111_320
POINT = Location(-0.4906, 117.1442, 10.0, LocationSource.AML)


def north(location: Location, metres: float) -> Location:
    return replace(location, lat=location.lat + metres * DEGREES_PER_METRE)


def east(location: Location, metres: float) -> Location:
    return replace(location, lon=location.lon + metres * DEGREES_PER_METRE)


def duplicates(center: DispatchCenter, **report: Any) -> list[DuplicateSuggestion]:
    advice = center.report(a_report(**report)).recommendation
    assert advice is not None
    return list(advice.duplicates)


def test_a_routed_incident_stays_the_first_suggestion_for_the_next_caller(
    center: DispatchCenter, clock: FakeClock
) -> None:
    # Given a fire reported at a point
    first = center.report(a_report(location=POINT, caller_number="+6281100000001")).incident
    clock.advance(40)
    # When a second caller reports it 4 m away, the first is suggested
    second_found = duplicates(center, location=north(POINT, 4), caller_number="+6281100000002")
    assert [d.number for d in second_found] == [first.number]
    # And once the first is routed to fire (the engines are on their way)
    center.route(first.id, [Agency.FIRE])
    clock.advance(40)
    # Then a third caller 8 m away is offered the routed first, ranked first, saying so
    third_found = duplicates(center, location=north(POINT, -8), caller_number="+6281100000003")
    assert third_found[0].number == first.number
    assert len(third_found) == 2
    assert "Damkar" in third_found[0].explanation_id
    assert "fire" in third_found[0].explanation_en.lower()


def test_a_note_on_an_incident_does_not_remove_it_from_the_suggestions(
    center: DispatchCenter, clock: FakeClock
) -> None:
    first = center.report(a_report(location=POINT, caller_number="+6281100000001")).incident
    clock.advance(30)
    center.add_note(first.id, "Pemilik rumah sudah keluar")
    clock.advance(30)

    found = duplicates(center, location=east(POINT, 5), caller_number="+6281100000002")

    assert [d.number for d in found] == [first.number]


def test_the_same_caller_a_minute_later_is_suggested_first_whatever_the_distance(
    center: DispatchCenter, clock: FakeClock
) -> None:
    first = center.report(a_report(location=POINT, caller_number="+6281300000009")).incident
    center.report(a_report(location=north(POINT, 30), caller_number="+6281100000002"))
    clock.advance(60)
    # 73 m away, and once again 4 km away (a caller who moved, or a wrong AML fix)
    near = duplicates(center, location=east(POINT, 73), caller_number="+6281300000009")
    far = duplicates(
        center,
        location=east(POINT, 4_000),
        caller_number="+6281300000009",
        category=Category.MEDIS,
    )

    assert near[0].number == first.number
    assert near[0].same_caller is True
    assert "penelepon sama" in near[0].explanation_id.lower()
    assert "same caller" in near[0].explanation_en.lower()
    assert first.number in [d.number for d in far if d.same_caller]


def test_the_same_caller_is_not_suggested_once_the_window_has_passed(
    center: DispatchCenter, clock: FakeClock
) -> None:
    center.report(a_report(location=POINT, caller_number="+6281300000009"))
    clock.advance(31 * 60)

    found = duplicates(center, location=east(POINT, 4_000), caller_number="+6281300000009")

    assert found == []


def test_two_kelurahan_centroids_of_unrelated_categories_are_not_suggested(
    center: DispatchCenter, clock: FakeClock
) -> None:
    # A pregnancy bleeding located only by its kelurahan name, 22 minutes earlier
    bleeding = center.report(
        a_report(
            location=None,
            kelurahan="Sidodadi",
            category=Category.MEDIS,
            description="Ibu hamil pendarahan",
            caller_number="+6281200000001",
        )
    ).incident
    assert bleeding.location is not None
    assert bleeding.location.source is LocationSource.KELURAHAN
    clock.advance(22 * 60)

    # A house fire in the same kelurahan, also located by name only: not the same emergency
    fire = duplicates(center, location=None, kelurahan="Sidodadi", caller_number="+6281200000002")
    # while a second fire located the same way would be (same category, same area)
    center.report(a_report(location=None, kelurahan="Sidodadi", caller_number="+6281200000003"))
    again = duplicates(center, location=None, kelurahan="Sidodadi", caller_number="+6281200000004")

    assert bleeding.number not in [d.number for d in fire]
    assert bleeding.number not in [d.number for d in again]
    assert len(again) == 2
    assert (again[0].uncertainty_m or 0) > 1_000
