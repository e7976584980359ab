"""Thresholds come from a stated cost ratio."""

from __future__ import annotations

import itertools

import pytest

from classifier import Thresholds
from classifier.score import band_for
from classifier.thresholds import DEFAULT_COST_RATIO, InvalidThresholds
from domain.taxonomy import ScoreBand


def test_thresholds_rise_with_the_cost_of_missing_a_genuine_call() -> None:
    ratios = [1, 2, 5, 9, 19, 49, 99, 999]
    ladder = [Thresholds.from_cost_ratio(r) for r in ratios]
    assert all(a.high < b.high and a.medium < b.medium for a, b in itertools.pairwise(ladder))
    assert all(t.medium <= t.high for t in ladder)


def test_the_high_threshold_is_the_cost_ratios_break_even_point() -> None:
    assert Thresholds.from_cost_ratio(19).high == pytest.approx(0.95)
    assert Thresholds.from_cost_ratio(999).high == pytest.approx(0.999)
    assert Thresholds.from_cost_ratio(DEFAULT_COST_RATIO).cost_ratio == DEFAULT_COST_RATIO


def test_bands_follow_the_thresholds() -> None:
    t = Thresholds(medium=0.8, high=0.95)
    assert [band_for(p, t) for p in (0.1, 0.8, 0.949, 0.95)] == [
        ScoreBand.LOW,
        ScoreBand.MEDIUM,
        ScoreBand.MEDIUM,
        ScoreBand.HIGH,
    ]


@pytest.mark.parametrize("medium, high", [(0.9, 0.8), (0.0, 0.5), (0.5, 1.0)])
def test_inconsistent_thresholds_are_refused(medium: float, high: float) -> None:
    with pytest.raises(InvalidThresholds):
        Thresholds(medium, high)


def test_a_non_positive_cost_ratio_is_refused() -> None:
    with pytest.raises(InvalidThresholds):
        Thresholds.from_cost_ratio(0)
