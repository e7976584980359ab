"""Finding a kelurahan by the name a caller or operator types."""

from __future__ import annotations

import pytest

from adapters.routing import AmbiguousPlace, Router, UnknownPlace
from domain.taxonomy import LocationSource


@pytest.mark.parametrize(
    ("typed", "kelurahan"),
    [
        ("sidodadi", "Sidodadi"),
        ("Kel. Sidodadi", "Sidodadi"),
        ("KELURAHAN  SIDODADI", "Sidodadi"),
        ("sungai pinang dlm", "Sungai Pinang Dalam"),
        ("Sei Pinang Dalam", "Sungai Pinang Dalam"),
        ("Sei. Kapih", "Sungai Kapih"),
        ("Teluk Lerong Hilir", "Teluk Lerong Ilir"),
        ("kel sungai kledang", "Sungai Keledang"),
        ("Karang Asem Ilir", "Karang Asam Ilir"),
        ("Masjid", "Mesjid"),
        ("Mangku Palas", "Mangkupalas"),
        ("Loa Bakung, Kec. Sungai Kunjang", "Loa Bakung"),
        ("Sungai Siring Pelita", "Sungai Siring"),  # its 2025 Kepmendagri name
    ],
)
def test_a_kelurahan_is_found_despite_case_prefixes_spelling_variants_and_typos(
    router: Router, typed: str, kelurahan: str
) -> None:
    match = router.find_kelurahan(typed)

    assert match.place.kelurahan == kelurahan
    assert match.score >= 80


def test_a_kelurahan_match_carries_a_point_inside_it_with_a_kelurahan_sized_accuracy(
    router: Router,
) -> None:
    match = router.find_kelurahan("Kel. Sidodadi")

    assert match.place.kecamatan == "Samarinda Ulu"
    assert match.location.source is LocationSource.KELURAHAN
    assert router.locate(match.location) == match.place
    # Sidodadi is ~2.1 km²: the radius of a circle of that area is ~0.8 km.
    assert match.location.accuracy_m is not None
    assert 700 < match.location.accuracy_m < 950


def test_a_name_shared_by_several_kelurahan_is_ambiguous_and_lists_them(router: Router) -> None:
    with pytest.raises(AmbiguousPlace) as caught:
        router.find_kelurahan("Sempaja")

    assert set(caught.value.suggestions) == {
        "Sempaja Selatan",
        "Sempaja Utara",
        "Sempaja Barat",
        "Sempaja Timur",
    }


def test_a_name_close_to_no_kelurahan_raises_unknown_place(router: Router) -> None:
    with pytest.raises(UnknownPlace) as caught:
        router.find_kelurahan("Jalan Pahlawan")

    assert caught.value.name == "Jalan Pahlawan"
    assert not isinstance(caught.value, AmbiguousPlace)


@pytest.mark.parametrize(
    ("typed", "kelurahan"),
    [
        ("sei pinang", "Sungai Pinang Dalam"),
        ("SEI. PINANG", "Sungai Pinang Dalam"),
        ("sungai pinang", "Sungai Pinang Dalam"),
        ("sei pinag", "Sungai Pinang Dalam"),  # typo
        ("Sei Pinang Dalam", "Sungai Pinang Dalam"),
        ("sungai pinang luar", "Sungai Pinang Luar"),
        ("sei pinang luar", "Sungai Pinang Luar"),
        ("kel. sidodadi", "Sidodadi"),
        ("kel sidodaddi", "Sidodadi"),  # typo
    ],
)
def test_sei_pinang_means_the_sungai_pinang_kelurahan_of_kecamatan_sungai_pinang(
    router: Router, typed: str, kelurahan: str
) -> None:
    # "Sei Pinang" alone matches Sungai Pinang Dalam and Luar equally; the rule: a name that
    # is also a kecamatan's (Kecamatan Sungai Pinang) means that kecamatan's kelurahan.
    match = router.find_kelurahan(typed)

    assert match.place.kelurahan == kelurahan
    assert match.place.kelurahan != "Bukit Pinang"
    assert router.locate(match.location).kelurahan == kelurahan
