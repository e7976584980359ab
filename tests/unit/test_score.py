"""The score an incident records: a frozen value whose probability is a probability."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import pytest

from domain.score import InvalidScore, Reason, Score, unscored
from domain.taxonomy import ScoreBand

SCORE = Score(
    model_version="sha256:abc",
    p_false=0.8,
    band=ScoreBand.HIGH,
    reasons=(Reason("laughing", "Penelepon tertawa", "Caller laughed", 1.25),),
    features={"calls_24h": 2, "silent": False, "accuracy": None},
    p_class={"genuine": 0.2, "prank": 0.8},
    safety_rule=None,
    callback_first=False,
)


@pytest.mark.parametrize("p_false", [math.nan, math.inf, -0.01, 1.01])
def test_a_probability_that_is_not_one_is_refused(p_false: float) -> None:
    with pytest.raises(InvalidScore, match="p_false"):
        replace(SCORE, p_false=p_false)


@pytest.mark.parametrize("p_false", [0.0, 1.0])
def test_certainty_either_way_is_a_probability(p_false: float) -> None:
    assert replace(SCORE, p_false=p_false).p_false == p_false


def test_a_score_is_plain_json_with_its_thresholds_only_when_known() -> None:
    data = json.loads(json.dumps(SCORE.to_dict()))
    assert data["band"] == "high" and "thresholds" not in data
    assert data["reasons"] == [
        {
            "code": "laughing",
            "text_id": "Penelepon tertawa",
            "text_en": "Caller laughed",
            "weight": 1.25,
        }
    ]
    limits = {"medium": 0.5, "high": 0.8}
    assert replace(SCORE, thresholds=limits).to_dict()["thresholds"] == limits


def test_no_model_means_genuine_and_says_why() -> None:
    score = unscored("model_unavailable")
    assert (score.band, score.p_false, score.safety_rule) == (
        ScoreBand.LOW,
        0.0,
        "model_unavailable",
    )
    assert [r.code for r in score.reasons] == ["model_unavailable"]
