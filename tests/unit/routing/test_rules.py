"""Routing rules as data: who answers which category, priorities, and validation on load."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from adapters.routing import Router, RoutingDataError, RoutingRulesError, load_rules
from adapters.routing.geodata import DEFAULT_DATA_DIR
from adapters.routing.rules import DEFAULT_RULES_PATH
from domain.taxonomy import Agency, Category, Priority

A = Agency


@pytest.mark.parametrize(
    ("category", "injuries", "agencies"),
    [
        (Category.KEBAKARAN, 0, [A.FIRE]),
        (Category.KEBAKARAN, 2, [A.FIRE, A.MEDICAL]),
        (Category.KEBAKARAN, None, [A.FIRE]),
        (Category.KECELAKAAN_LALU_LINTAS, 0, [A.POLICE, A.MEDICAL]),
        (Category.ORANG_TENGGELAM, None, [A.SAR, A.FIRE, A.MEDICAL]),
        (Category.BANJIR, 0, [A.BPBD, A.FIRE]),
        (Category.TANAH_LONGSOR, 1, [A.BPBD, A.FIRE, A.MEDICAL]),
        (Category.HEWAN_BERBAHAYA, 0, [A.FIRE]),
        (Category.POHON_TUMBANG, 0, [A.FIRE, A.BPBD]),
        (Category.KEKERASAN, 1, [A.POLICE, A.MEDICAL]),
        (Category.MEDIS, None, [A.MEDICAL]),
        (Category.LAINNYA, 0, [A.POLICE]),
    ],
)
def test_each_category_goes_to_the_agencies_the_rules_name(
    router: Router, category: Category, injuries: int | None, agencies: list[Agency]
) -> None:
    assert router.agencies_for(category, injuries=injuries) == agencies


def test_hazard_tags_add_agencies_once_whatever_their_spelling(router: Router) -> None:
    agencies = router.agencies_for(
        Category.KECELAKAAN_LALU_LINTAS, injuries=1, hazards=["Terjepit", "gas-leak", "Luka"]
    )

    assert agencies == [A.POLICE, A.MEDICAL, A.FIRE]


def test_priorities_and_acknowledgement_deadlines_come_from_the_rules(router: Router) -> None:
    assert router.default_priority(Category.KEBAKARAN) is Priority.P1
    assert router.default_priority(Category.POHON_TUMBANG) is Priority.P3
    assert router.default_priority(Category.POHON_TUMBANG, injuries=1) is Priority.P1
    assert [router.ack_timeout(p) for p in Priority] == [
        timedelta(seconds=s) for s in (60, 120, 300, 900)
    ]


def _broken_rules(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_RULES_PATH.read_text(encoding="utf-8")
    assert old in text, f"the rules file no longer contains {old!r}"
    path = tmp_path / "rules.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key", "reason"),
    [
        ("[categories.medis]", "[categories.medic]", "categories.medic", "not a known key"),
        (
            'agencies = ["fire"]',
            'agencies = ["firefighters"]',
            "categories.kebakaran.agencies.0",
            "Input should be",
        ),
        ("fire_engine = 30", "fire_engine = -30", "units.speed_kmh.fire_engine", "greater than 0"),
        ("rescue_boat = 20", "", "units.speed_kmh", "no speed for rescue_boat"),
        ("road_factor = 1.4", "", "units.road_factor", "missing key"),
        ("P2 = 120", "", "ack_timeout_s", "no timeout for P2"),
        ("radius_m = 300", "radius_m = 0", "duplicates.radius_m", "greater than 0"),
        (
            '["kebakaran", "medis"],',
            '["kebakaran", "medis"],\n    ["medis", "kebakaran"],',
            "duplicates.compatible",
            "listed twice",
        ),
        (
            '["kebakaran", "medis"],',
            '["kebakaran", "kebakaran"],',
            "duplicates.compatible",
            "always compatible with itself",
        ),
        (
            'match_any = ["lainnya"]',
            'match_any = ["lainnya", "lainnya"]',
            "duplicates.match_any",
            "listed twice",
        ),
        (
            '["hewan_berbahaya", "medis"]',
            '["hewan_berbahaya", "ular"]',
            "duplicates.compatible.12.1",
            "Input should be",
        ),
        ("same_caller_window_s = 1800\n", "", "duplicates.same_caller_window_s", "missing key"),
        ("version = 1", "version = 1\nlanguage = 'id'", "language", "Extra inputs"),
        ('priority = "P1"', 'priority = "P0"', "categories.kebakaran.priority", "P0"),
    ],
)
def test_an_invalid_rules_file_is_refused_naming_the_file_and_key(
    tmp_path: Path, old: str, new: str, key: str, reason: str
) -> None:
    path = _broken_rules(tmp_path, old, new)

    with pytest.raises(RoutingRulesError) as caught:
        load_rules(path)

    assert caught.value.key == key
    assert reason in caught.value.reason
    assert str(path) in str(caught.value)


def test_a_rule_naming_a_station_that_is_not_a_police_station_is_refused(tmp_path: Path) -> None:
    path = _broken_rules(tmp_path, '"64.72.03" = "C-POL-SMDULU"', '"64.72.03" = "A-RS-AWS"')

    with pytest.raises(RoutingRulesError, match="not a police station id") as caught:
        Router.load(rules_path=path)

    assert caught.value.key == "police.jurisdiction.64.72.03"


def test_a_rules_file_with_broken_toml_syntax_is_refused(tmp_path: Path) -> None:
    path = _broken_rules(tmp_path, "[units]", "[units")

    with pytest.raises(RoutingRulesError) as caught:
        load_rules(path)

    assert caught.value.key == "(syntax)"


def test_a_data_folder_without_the_boundaries_is_refused_naming_the_file(tmp_path: Path) -> None:
    for name in ("samarinda_kelurahan.geojson", "samarinda_stations.geojson"):
        (tmp_path / name).write_bytes((DEFAULT_DATA_DIR / name).read_bytes())

    with pytest.raises(RoutingDataError, match=r"samarinda_kecamatan\.geojson") as caught:
        Router.load(data_dir=tmp_path)

    assert caught.value.key == "(file)"


def test_a_station_with_an_unknown_agency_is_refused_naming_the_feature(tmp_path: Path) -> None:
    for name in ("samarinda_kecamatan.geojson", "samarinda_kelurahan.geojson"):
        (tmp_path / name).write_bytes((DEFAULT_DATA_DIR / name).read_bytes())
    stations = (DEFAULT_DATA_DIR / "samarinda_stations.geojson").read_text(encoding="utf-8")
    (tmp_path / "samarinda_stations.geojson").write_text(
        stations.replace('"agency": "police"', '"agency": "army"', 1), encoding="utf-8"
    )

    with pytest.raises(RoutingDataError, match="unknown agency 'army'") as caught:
        Router.load(data_dir=tmp_path)

    assert caught.value.key == "features[0].properties.agency"
