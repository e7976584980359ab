"""The evaluation report: safety headline with confidence bounds, JSON + HTML + plots."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from classifier.evaluation import score_all, upper_bound
from classifier.inputs import GENUINE, LabeledExample
from classifier.report import DEFAULT_EVAL_N, MIN_GENUINE, run_evaluation
from classifier.scorer import load_scorer
from classifier.synthetic import DEFAULT_PRESET, exact_counts, generate, mix_of


def test_evaluate_writes_json_html_and_two_png_plots(tiny_model_path: Path, tmp_path: Path) -> None:
    report = run_evaluation(tiny_model_path, out_dir=tmp_path, n=200, prior_shift_n=100)
    written = json.loads((tmp_path / "evaluation.json").read_text())
    assert written["headline"] == report["headline"]
    for key in ("genuine_banded_high", "false_banded_high"):
        assert {"k", "n", "rate", "upper95"} <= set(written["headline"][key])
    assert set(written["ranking"]["pr_auc"]) >= {"genuine", "prank", "false_vs_genuine"}
    assert {"silent", "no_sim", "repeat_caller", "night", "dialect_text"} <= set(written["groups"])
    assert set(written["prior_shift"]) == {"jakarta2024", "purworejo"}
    html = (tmp_path / "evaluation.html").read_text()
    assert 'src="calibration.png"' in html and 'src="precision_recall.png"' in html
    for png in ("calibration.png", "precision_recall.png"):
        assert (tmp_path / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_default_evaluation_has_at_least_two_thousand_genuine_reports() -> None:
    counts = exact_counts(DEFAULT_EVAL_N, mix_of(DEFAULT_PRESET))
    assert counts["genuine"] >= MIN_GENUINE == 2000


def test_zero_misses_give_the_rule_of_three_upper_bound() -> None:
    assert upper_bound(0, 600)["clopper_pearson"] == pytest.approx(3 / 600, rel=0.01)
    bounds = upper_bound(5, 2000)
    for bound in (bounds["clopper_pearson"], bounds["wilson"]):
        assert bound is not None and 5 / 2000 < bound < 0.006


def test_a_missing_model_cannot_be_evaluated(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        run_evaluation(tmp_path / "none.skops", n=10)


def test_with_speech_means_someone_spoke_not_that_a_flag_was_sent(tiny_model_path: Path) -> None:
    # The generator knows who spoke; a client may send no silence flag. A silent call sent
    # without its flag is not a call with speech, and a call with no flag and no truth known
    # counts as speech (unknown is never taken for silence).
    scorer = load_scorer(tiny_model_path, timeout_ms=0)
    try:
        silent = silent_without_a_flag()
        assert silent.report.silent is None and silent.spoke is False
        unknown = replace(silent, spoke=None)
        flagged = replace(silent, report=replace(silent.report, silent=True), spoke=None)
        result = score_all(scorer, [silent, unknown, flagged])
    finally:
        scorer.close()
    assert result.spoke.tolist() == [False, True, False]


def silent_without_a_flag() -> LabeledExample:
    """The first held-out genuine call nobody spoke on that came with no silence flag."""
    for example in generate(5000, seed=2025, split="test", label_noise=0.0):
        if example.label == GENUINE and example.spoke is False and example.report.silent is None:
            return example
    raise AssertionError("the generator sent every silent call with its flag")
