"""The demo fleet: units at the real stations, with callsigns a dispatcher can say."""

from __future__ import annotations

import re
from collections import Counter

from domain.taxonomy import Agency
from entrypoints.cli.demo import demo_units, station_label


def test_every_police_fire_and_hospital_location_gets_units() -> None:
    units = demo_units()
    assert Counter(u.agency for u in units) == {
        Agency.POLICE: 12,
        Agency.FIRE: 18,
        Agency.MEDICAL: 19,
    }
    assert len({u.code for u in units}) == len(units)


def test_callsigns_are_unique_and_free_of_map_database_ids() -> None:
    callsigns = [u.callsign for u in demo_units()]
    assert len(set(callsigns)) == len(callsigns)
    assert not [c for c in callsigns if re.search(r"\d{5,}", c)]
    assert "Damkar Posko III-1" in callsigns


def test_a_station_label_drops_the_words_every_name_repeats() -> None:
    assert station_label("Pemadam Kebakaran Posko III", "x") == "Posko III"
    assert station_label("Polsekta Samarinda Utara", "x") == "Polsekta Utara"
    assert station_label("Pemadam Kebakaran", "Sambutan") == "Sambutan"
