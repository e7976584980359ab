"""Training refuses data in which one metadata value alone tells false from genuine."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from classifier import train
from classifier.features import extract
from classifier.importance import MetadataShortcut, single_feature_auc
from classifier.synthetic import generate_tagged


def test_a_location_only_genuine_calls_carry_fails_training() -> None:
    tagged = generate_tagged(600, seed=5, split="train")
    shortcut = [
        replace(
            t.example,
            report=replace(
                t.example.report,
                has_location=t.example.label == "genuine",
                location_source="aml" if t.example.label == "genuine" else None,
                location_accuracy_m=15.0 if t.example.label == "genuine" else None,
            ),
        )
        for t in tagged
    ]
    with pytest.raises(MetadataShortcut, match="has_location"):
        train(shortcut, seed=5, groups=[t.template for t in tagged], max_features=500)


def test_the_generators_metadata_overlaps_so_no_feature_alone_separates_the_classes() -> None:
    examples = [t.example for t in generate_tagged(3000, seed=11, split="train")]
    rows = [extract(e.report, e.history) for e in examples]
    y = np.array([e.label != "genuine" for e in examples], dtype=np.int64)
    separation = single_feature_auc(rows, y)
    assert "has_location" in separation and "log_duration" in separation
    assert max(separation.values()) <= 0.9, separation
