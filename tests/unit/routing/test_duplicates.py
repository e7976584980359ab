"""Suggesting open incidents that may be the same emergency (stacked calls)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from dispatch.routing import Router
from domain.taxonomy import Category
from tests.unit.routing.conftest import IncidentMaker
from tests.unit.routing.samples import NOW, RSUD_AWS, offset

K = Category


def test_only_open_incidents_near_recent_and_compatible_are_suggested_nearest_first(
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
    )

    assert [d.incident_id for d in found] == [medis_100m.incident_id, fire_250m.incident_id]
    assert found[0].distance_m == pytest.approx(100, rel=0.005)
    assert found[0].age_s == 12 * 60
    assert found[0].category is K.MEDIS


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
    found = router.duplicates(RSUD_AWS, new, NOW, [make_incident(offset(RSUD_AWS, 50), open_)])

    assert bool(found) is suggested


def test_a_coarse_caller_location_widens_the_radius_to_its_accuracy(
    router: Router, make_incident: IncidentMaker
) -> None:
    incident = make_incident(offset(RSUD_AWS, 700))
    coarse = replace(RSUD_AWS, accuracy_m=800.0)

    assert router.duplicates(RSUD_AWS, K.KEBAKARAN, NOW, [incident]) == []
    assert len(router.duplicates(coarse, K.KEBAKARAN, NOW, [incident])) == 1


def test_an_incident_received_just_after_the_report_is_still_suggested(
    router: Router, make_incident: IncidentMaker
) -> None:
    newer = make_incident(offset(RSUD_AWS, 30), age=timedelta(minutes=-2))

    [found] = router.duplicates(RSUD_AWS, K.KEBAKARAN, NOW, router.index_incidents([newer]))

    assert found.age_s == -120
