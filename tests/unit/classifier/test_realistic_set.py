"""The second frozen set: realistic, hand-written, reported per class and channel."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from classifier.breakdown import share, wilson_interval
from classifier.frozen_set import REALISTIC_PATH, UNSEEN_PATH, load_frozen_set
from classifier.inputs import CLASSES
from domain.taxonomy import Channel


def test_the_realistic_set_has_over_three_hundred_cases_of_every_class_and_channel() -> None:
    examples = load_frozen_set(REALISTIC_PATH)
    assert len(examples) >= 300
    assert set(Counter(e.label for e in examples)) == set(CLASSES)
    assert {e.report.channel for e in examples} == {c.value for c in Channel}
    header = " ".join(
        line for line in REALISTIC_PATH.read_text().splitlines() if line.startswith("#")
    )
    assert "apart from the synthetic generator" in header and "never used for training" in header


def test_the_hoax_tick_is_read_only_from_its_own_field() -> None:
    examples = load_frozen_set(REALISTIC_PATH)
    ticked = [e for e in examples if e.report.hoax_observed]
    assert ticked and all(e.label == "prank" for e in ticked)


def test_the_wilson_interval_matches_known_values() -> None:
    assert wilson_interval(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    low, high = wilson_interval(5, 10) or (0.0, 0.0)
    assert low == pytest.approx(0.2366, abs=1e-4) and high == pytest.approx(0.7634, abs=1e-4)
    assert wilson_interval(0, 0) is None


def test_a_share_carries_its_interval() -> None:
    mask = np.array([True, True, True, False])
    hit = np.array([True, False, False, True])
    result = share(mask, hit)
    assert (result["k"], result["n"]) == (1, 3)
    low, high = result["wilson95"]
    assert low < 1 / 3 < high


def test_the_unseen_set_has_every_class_and_the_hard_genuine_cases() -> None:
    examples = load_frozen_set(UNSEEN_PATH)
    assert len(examples) >= 100
    assert set(Counter(e.label for e in examples)) == set(CLASSES)
    genuine = [e.report.description for e in examples if e.label == "genuine"]
    for hard in ("gugup", "berbisik", "anak", "sering iseng", "from netherlands", "ulun"):
        assert any(hard in text for text in genuine), hard
    assert any(e.history.prior_false > 0 for e in examples if e.label == "genuine")
    header = " ".join(line for line in UNSEEN_PATH.read_text().splitlines() if line[:1] == "#")
    assert "BEFORE any model or rule was run on" in header
