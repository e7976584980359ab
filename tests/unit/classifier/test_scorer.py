"""The scorer the core calls: records what it used, explains itself, never raises."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from classifier import (
    CallerHistory,
    ReportInput,
    SafeScorer,
    Score,
    Thresholds,
    TrainedModel,
    load_scorer,
)
from classifier.compiled import CompiledModel, Scored, reference_proba
from classifier.features import Extracted, extract
from classifier.synthetic import generate
from domain.taxonomy import ScoreBand

Factory = Callable[..., ReportInput]


def _assert_treated_as_genuine(score: Score, rule: str) -> None:
    assert score.band is ScoreBand.LOW
    assert score.p_false == 0.0
    assert score.p_class["genuine"] == 1.0
    assert score.safety_rule == rule
    assert score.reasons[0].code == f"rule:{rule}"
    assert len(score.reasons) == 2


def test_a_missing_model_file_scores_every_report_as_genuine(
    tmp_path: Path, report: Factory, now: datetime
) -> None:
    scorer = load_scorer(tmp_path / "nowhere.skops")
    score = scorer.score(report(description="anak2 ketawa"), CallerHistory(), now)
    _assert_treated_as_genuine(score, "model_unavailable")
    assert score.model_version == "none"


def test_the_kill_switch_scores_every_report_as_genuine(
    tiny_model_path: Path, silent: Factory, prankster: CallerHistory, now: datetime
) -> None:
    scorer = load_scorer(tiny_model_path, enabled=False)
    _assert_treated_as_genuine(scorer.score(silent(), prankster, now), "disabled")
    assert all(
        s.safety_rule == "disabled" for s in scorer.score_batch([(silent(), prankster)], now)
    )


@pytest.mark.parametrize(
    "change",
    [
        {"channel": "fax"},
        {"category": "alien"},
        {"location_source": "psychic"},
        {"call_duration_s": float("nan")},
        {"injuries": -1},
        {"received_at": datetime(2025, 1, 1)},
    ],
)
def test_unknown_input_is_treated_as_genuine(
    eager_scorer: SafeScorer, report: Factory, now: datetime, change: dict[str, object]
) -> None:
    score = eager_scorer.score(report(**change), CallerHistory(), now)
    _assert_treated_as_genuine(score, "unknown_input")
    assert score.features["input_problems"]


def test_an_error_inside_the_model_is_treated_as_genuine(
    compiled: CompiledModel, report: Factory, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    scorer = SafeScorer(compiled, version="v", thresholds=Thresholds(0.5, 0.9))

    def broken(*_: object) -> object:
        raise RuntimeError("boom")

    monkeypatch.setattr(compiled, "score_many", broken)
    _assert_treated_as_genuine(scorer.score(report(), CallerHistory(), now), "scoring_error")
    batch = scorer.score_batch([(report(), CallerHistory())] * 3, now)
    assert [s.safety_rule for s in batch] == ["scoring_error"] * 3
    scorer.close()


def test_a_model_slower_than_the_budget_is_treated_as_genuine(
    tiny_model: TrainedModel, report: Factory, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = CompiledModel(tiny_model)
    fast_score = slow.score_many

    release, finished = threading.Event(), threading.Event()

    def stuck(rows: Sequence[Extracted]) -> list[Scored]:
        release.wait(60)  # until the test has its answer (not a duration: the machine may be busy)
        finished.set()
        return fast_score(rows)

    monkeypatch.setattr(slow, "score_many", stuck)
    scorer = SafeScorer(slow, version="v", thresholds=tiny_model.thresholds, timeout_ms=20)
    score = scorer.score(report(), CallerHistory(), now)
    model_still_running = not finished.is_set()
    release.set()
    assert model_still_running  # intake did not wait for the slow model
    _assert_treated_as_genuine(score, "timeout")
    scorer.close()


def test_every_score_has_two_to_four_bilingual_reasons(
    tiny_model_path: Path, now: datetime
) -> None:
    scorer = load_scorer(tiny_model_path, timeout_ms=0)
    examples = generate(300, seed=11, split="test")
    for score in scorer.score_batch([(e.report, e.history) for e in examples], now):
        assert 2 <= len(score.reasons) <= 4
        for reason in score.reasons:
            assert reason.text_id and reason.text_en and reason.text_id != reason.text_en
            assert reason.code


def test_a_score_records_version_features_and_probabilities_as_plain_json(
    tiny_model_path: Path, report: Factory, now: datetime
) -> None:
    scorer = load_scorer(tiny_model_path)
    score = scorer.score(report(), CallerHistory(calls_24h=2), now)
    data = json.loads(json.dumps(score.to_dict()))
    assert data["model_version"].startswith("sha256:") and data["band"] in {"low", "medium", "high"}
    assert set(data["p_class"]) == {"genuine", "prank", "silent", "accidental", "non_emergency"}
    assert sum(data["p_class"].values()) == pytest.approx(1.0, abs=1e-5)
    assert data["p_false"] == pytest.approx(1 - data["p_class"]["genuine"], abs=1e-5)
    assert data["features"]["calls_24h"] == 2 and data["features"]["text_words"] > 0
    scorer.close()


def test_batch_scores_equal_one_by_one_scores(tiny_model_path: Path, now: datetime) -> None:
    scorer = load_scorer(tiny_model_path, timeout_ms=0)
    items = [(e.report, e.history) for e in generate(120, seed=12, split="test")]
    assert scorer.score_batch(items, now) == [scorer.score(r, h, now) for r, h in items]


def test_the_fast_path_gives_scikit_learns_probabilities(
    tiny_model: TrainedModel, compiled: CompiledModel
) -> None:
    rows = [extract(e.report, e.history) for e in generate(400, seed=13, split="test")]
    fast = compiled.score_many(rows)
    assert np.allclose(
        [s.p_false for s in fast], reference_proba(tiny_model.pipeline, rows), atol=1e-9
    )
    assert tiny_model.type_model is not None
    kinds = tiny_model.pipeline[0].transform(
        np.array([[r.text, *r.meta] for r in rows], dtype=object)
    )
    expected = tiny_model.type_model.predict_proba(kinds)
    got = [[s.p_class[c] / s.p_false for c in tiny_model.type_classes] for s in fast]
    assert np.allclose(got, expected, atol=1e-9)


def test_contributions_add_up_to_the_scores_log_odds(compiled: CompiledModel) -> None:
    rows = [extract(e.report, e.history) for e in generate(50, seed=14)]
    a, b = compiled._calibration  # the sigmoid maps log-odds z to p_false
    for scored in compiled.score_many(rows):
        z = (np.log((1 - scored.p_false) / scored.p_false) - b) / a
        explained = sum(scored.words.values()) + sum(scored.groups.values()) + compiled._intercept
        assert explained == pytest.approx(z, abs=1e-6)
