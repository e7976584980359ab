"""Suggesting open incidents that may be the same emergency (stacked calls)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from adapters.routing import Router
from domain.taxonomy import Category
from tests.unit.routing.conftest import IncidentMaker
from tests.unit.routing.samples import NOW, RSUD_AWS, offset

K = Category


def test_only_open_incidents_near_recent_and_compatible_are_suggested_same_category_first(
    router: Router, make_incident: IncidentMaker
) -> None:
    fire_250m = make_incident(offset(RSUD_AWS, 250), K.KEBAKARAN)
    medis_100m = make_incident(offset(RSUD_AWS, -100), K.MEDIS, age=timedelta(minutes=12))
    fire_350m = make_incident(offset(RSUD_AWS, 350), K.KEBAKARAN)
    fire_old = make_incident(offset(RSUD_AWS, 20), K.KEBAKARAN, age=timedelta(minutes=31))
    crime_here = make_incident(offset(RSUD_AWS, 10), K.KRIMINAL)
    fire_unlocated = make_incident(None, K.KEBAKARAN)

    found = router.duplicates(
        RSUD_AWS,
        K.KEBAKARAN,
        NOW,
        [fire_250m, medis_100m, fire_350m, fire_old, crime_here, fire_unlocated],
    ).shown

    assert [d.incident_id for d in found] == [fire_250m.incident_id, medis_100m.incident_id]
    assert found[1].distance_m == pytest.approx(100, rel=0.005)
    assert found[1].age_s == 12 * 60
    assert found[1].category is K.MEDIS
    assert (found[0].same_category, found[1].same_category) == (True, False)
    assert found[1].explanation_id == "100 m · 12 mnt lalu · Medis / gawat darurat"
    assert found[1].explanation_en == "100 m · 12 min ago · Medical emergency"


@pytest.mark.parametrize(
    ("new", "open_", "suggested"),
    [
        (K.KECELAKAAN_LALU_LINTAS, K.MEDIS, True),
        (K.MEDIS, K.KECELAKAAN_LALU_LINTAS, True),
        (K.KEKERASAN, K.KRIMINAL, True),
        (K.BANJIR, K.TANAH_LONGSOR, True),
        (K.LAINNYA, K.HEWAN_BERBAHAYA, True),
        (K.KEBAKARAN, K.KRIMINAL, False),
        (K.BANJIR, K.KEKERASAN, False),
    ],
)
def test_category_compatibility_follows_the_rules_table_in_both_directions(
    router: Router, make_incident: IncidentMaker, new: Category, open_: Category, suggested: bool
) -> None:
    found = router.duplicates(
        RSUD_AWS, new, NOW, [make_incident(offset(RSUD_AWS, 50), open_)]
    ).shown

    assert bool(found) is suggested


def test_a_coarse_caller_location_widens_the_radius_to_its_accuracy(
    router: Router, make_incident: IncidentMaker
) -> None:
    incident = make_incident(offset(RSUD_AWS, 700))
    coarse = replace(RSUD_AWS, accuracy_m=800.0)

    assert router.duplicates(RSUD_AWS, K.KEBAKARAN, NOW, [incident]).shown == []
    assert router.duplicates(coarse, K.KEBAKARAN, NOW, [incident]).total == 1


def test_an_incident_received_just_after_the_report_is_still_suggested(
    router: Router, make_incident: IncidentMaker
) -> None:
    newer = make_incident(offset(RSUD_AWS, 30), age=timedelta(minutes=-2))

    [found] = router.duplicates(RSUD_AWS, K.KEBAKARAN, NOW, router.index_incidents([newer])).shown

    assert found.age_s == -120


def test_both_accuracies_count_towards_the_radius(
    router: Router, make_incident: IncidentMaker
) -> None:
    # 420 m apart, each known to ±70 m: they may be 280 m apart, within the 300 m radius
    incident = make_incident(replace(offset(RSUD_AWS, 420), accuracy_m=70.0), K.MEDIS)
    precise = replace(RSUD_AWS, accuracy_m=70.0)

    [found] = router.duplicates(precise, K.KEBAKARAN, NOW, [incident]).shown
    assert (
        router.duplicates(replace(precise, accuracy_m=40.0), K.KEBAKARAN, NOW, [incident]).total
        == 0
    )
    assert found.uncertainty_m == 140
    assert found.explanation_en.startswith("420 m ±140 m")


def test_coarse_locations_suggest_only_the_same_category(
    router: Router, make_incident: IncidentMaker
) -> None:
    centre = replace(RSUD_AWS, accuracy_m=1_200.0)
    bleeding = make_incident(centre, K.MEDIS, age=timedelta(minutes=22))
    fire = make_incident(centre, K.KEBAKARAN, age=timedelta(minutes=3))

    found = router.duplicates(centre, K.KEBAKARAN, NOW, [bleeding, fire]).shown

    assert [d.incident_id for d in found] == [fire.incident_id]


def test_the_same_caller_is_suggested_without_a_location_and_ranked_first(
    router: Router, make_incident: IncidentMaker
) -> None:
    same_spot = make_incident(offset(RSUD_AWS, 5))
    same_caller = replace(make_incident(offset(RSUD_AWS, 5_000), K.MEDIS), caller_number="+628111")

    found = router.duplicates(None, K.KEBAKARAN, NOW, [same_spot, same_caller]).shown
    ranked = router.duplicates(
        RSUD_AWS, K.KEBAKARAN, NOW, [same_spot, same_caller], caller_number="+628111"
    ).shown

    assert found == []
    assert [d.incident_id for d in ranked] == [same_caller.incident_id, same_spot.incident_id]
    assert ranked[0].same_caller
    assert ranked[0].explanation_id.startswith("nomor penelepon sama · 5.0 km")


def test_an_excluded_incident_is_never_suggested(
    router: Router, make_incident: IncidentMaker
) -> None:
    kept, left_out = make_incident(offset(RSUD_AWS, 5)), make_incident(offset(RSUD_AWS, 6))

    found = router.duplicates(
        RSUD_AWS, K.KEBAKARAN, NOW, [kept, left_out], exclude={left_out.incident_id}
    ).shown

    assert [d.incident_id for d in found] == [kept.incident_id]
