"""Only the best few duplicate suggestions are shown, with the number of all that matched."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.routing import OpenIncidentSnapshot, Router
from adapters.routing.duplicates import rank
from adapters.routing.rules import DEFAULT_RULES_PATH
from domain.taxonomy import Agency, Category
from tests.unit.routing.conftest import IncidentMaker
from tests.unit.routing.samples import NOW, RSUD_AWS, offset

K = Category
ALL = 10_000  # a limit above any number of matches here


def crowd(make_incident: IncidentMaker, seed: int, n: int) -> list[OpenIncidentSnapshot]:
    """Incidents around RSUD AWS of mixed categories, accuracies, ages, routed or not, some
    at exactly one spot (ties in every part of the rank but the number)."""
    rng = random.Random(seed)
    numbers = rng.sample(range(10_000), n)  # unique, in no order of the slots
    made = []
    for k in range(n):
        spot = (
            RSUD_AWS
            if k % 4 == 0
            else offset(RSUD_AWS, rng.uniform(-350, 350), rng.uniform(-350, 350))
        )
        spot = replace(spot, accuracy_m=rng.choice([None, 5.0, 20.0, 150.0, 900.0]))
        category = rng.choice([K.KEBAKARAN, K.MEDIS, K.KRIMINAL, K.LAINNYA])
        incident = make_incident(spot, category, age=timedelta(minutes=rng.uniform(0, 40)))
        routed = (Agency.FIRE,) if rng.random() < 0.4 else ()
        caller = "+628111" if k % 9 == 0 else None
        number = f"SMD-20261122-{numbers[k]:04d}"
        made.append(replace(incident, number=number, agencies=routed, caller_number=caller))
    return made


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_best_n_are_the_first_n_of_the_full_ranking_and_the_total_counts_all(
    router: Router, make_incident: IncidentMaker, seed: int
) -> None:
    index = router.index_incidents(crowd(make_incident, seed, 120))
    everything = router.duplicates(
        RSUD_AWS, K.KEBAKARAN, NOW, index, caller_number="+628111", limit=ALL
    )

    assert everything.total == len(everything.shown) > 20
    assert everything.shown == rank(reversed(everything.shown))  # ranked as ``rank`` does
    for limit in [1, 2, 5, 13, everything.total - 1, everything.total, everything.total + 3]:
        best = router.duplicates(
            RSUD_AWS, K.KEBAKARAN, NOW, index, caller_number="+628111", limit=limit
        )
        assert best.shown == everything.shown[:limit]
        assert best.total == everything.total


def test_a_mass_event_at_one_spot_shows_five_by_number_of_hundreds(
    router: Router, make_incident: IncidentMaker
) -> None:
    numbers = random.Random(300).sample(range(10_000), 300)
    same_spot = [
        replace(make_incident(RSUD_AWS, K.KEBAKARAN), number=f"SMD-20261122-{k:04d}")
        for k in numbers
    ]

    found = router.duplicates(RSUD_AWS, K.KEBAKARAN, NOW, same_spot)

    assert found.total == 300
    assert [d.number for d in found.shown] == sorted(i.number for i in same_spot)[:5]


def test_the_same_caller_is_first_even_far_away_among_hundreds_near(
    router: Router, make_incident: IncidentMaker
) -> None:
    near = [make_incident(offset(RSUD_AWS, k % 50), K.KEBAKARAN) for k in range(200)]
    far = replace(make_incident(offset(RSUD_AWS, 6_000), K.MEDIS), caller_number="+628222")

    found = router.duplicates(RSUD_AWS, K.KEBAKARAN, NOW, [*near, far], caller_number="+628222")

    assert found.total == 201
    assert found.shown[0].incident_id == far.incident_id and found.shown[0].same_caller
    assert [d.distance_m for d in found.shown[1:]] == [0.0, 0.0, 0.0, 0.0]


def test_the_cap_comes_from_the_rules(
    router: Router, make_incident: IncidentMaker, tmp_path: Path
) -> None:
    text = DEFAULT_RULES_PATH.read_text(encoding="utf-8")
    assert "\nshown = 5" in text
    path = tmp_path / "rules.toml"
    path.write_text(text.replace("\nshown = 5", "\nshown = 2"), encoding="utf-8")
    two = Router.load(rules_path=path)
    open_ = [make_incident(offset(RSUD_AWS, 10 * k), K.KEBAKARAN) for k in range(9)]

    shown = {
        r.rules.duplicates.shown: r.recommend(
            RSUD_AWS,
            None,
            K.KEBAKARAN,
            injuries=None,
            hazards=[],
            at=NOW,
            units=[],
            open_incidents=open_,
        )
        for r in (router, two)
    }

    assert [len(rec.duplicates) for rec in shown.values()] == [5, 2]
    assert [rec.duplicates_total for rec in shown.values()] == [9, 9]
    assert shown[2].duplicates == shown[5].duplicates[:2]
    assert shown[5].to_dict()["duplicates_total"] == 9
