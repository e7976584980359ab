"""Silent calls need stronger evidence; a number's past alone never makes a report HIGH;
keyword markers fire only in the sense they mean; the frozen hand-written set stays valid."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from classifier import CallerHistory, ReportInput, SafeScorer, Thresholds
from classifier.compiled import CompiledModel
from classifier.features import extract
from classifier.frozen_set import load_frozen_set
from classifier.inputs import GENUINE, input_problems
from classifier.keywords import INFO_REQUEST, LIFE_THREAT, SCANNER, SIGNS_OF_LIFE
from classifier.lexicon import normalize
from classifier.score import band_for
from classifier.thresholds import DEFAULT_SILENT_COST_RATIO, InvalidThresholds
from dispatch.settings import Settings
from domain.taxonomy import ScoreBand

Factory = Callable[..., ReportInput]


def test_silent_calls_are_banded_against_their_own_higher_thresholds() -> None:
    t = Thresholds.from_cost_ratio(4)
    assert t.high == pytest.approx(0.8)
    assert t.silent_high == pytest.approx(
        DEFAULT_SILENT_COST_RATIO / (1 + DEFAULT_SILENT_COST_RATIO)
    )
    assert band_for(0.85, t, silent=False) is ScoreBand.HIGH
    assert band_for(0.85, t, silent=True) is not ScoreBand.HIGH
    # a spoken ratio above the silent default lifts the silent one with it, never the reverse
    strict = Thresholds.from_cost_ratio(99)
    assert strict.silent_high == pytest.approx(strict.high)


def test_silent_thresholds_below_the_spoken_ones_are_refused() -> None:
    with pytest.raises(InvalidThresholds, match="silent calls need at least"):
        Thresholds(medium=0.7, high=0.9, silent_medium=0.6, silent_high=0.8)
    with pytest.raises(InvalidThresholds):
        Thresholds.from_cost_ratio(9, silent_cost_ratio=4)
    with pytest.raises(ValueError, match="SILENT_COST_RATIO"):
        Settings(classifier_cost_ratio=9, classifier_silent_cost_ratio=4)


def test_recorded_thresholds_round_trip_and_older_records_mean_one_set() -> None:
    t = Thresholds.from_cost_ratio(4)
    assert Thresholds.from_dict(t.to_dict()) == t
    older = Thresholds.from_dict({"medium": 0.8, "high": 0.95, "cost_ratio": 19.0})
    assert older.for_call(silent=True) == older.for_call(silent=False) == (0.8, 0.95)


def test_a_known_pranksters_report_is_not_high_on_its_past_alone(
    compiled: CompiledModel,
    report: Factory,
    prankster: CallerHistory,
    now: datetime,
) -> None:
    # Given a report from a number with 25 false calls, whose past pushes the score up
    text = report(description="minta dicek ke rumah, ada yang aneh", category=None)
    scored = compiled.score(extract(text, prankster, now))
    assert scored.p_without_history < scored.p_false
    # and thresholds where the report is HIGH with its past and not HIGH without it
    high = (scored.p_false + scored.p_without_history) / 2
    between = Thresholds(medium=scored.p_without_history / 2, high=high)
    scorer = SafeScorer(compiled, version="v", thresholds=between, timeout_ms=0)
    # When it is scored
    score = scorer.score(text, prankster, now)
    # Then it is MEDIUM, and the reason says to judge the report on what it says
    assert score.band is ScoreBand.MEDIUM
    assert score.safety_rule == "history_alone"
    assert score.reasons[0].code == "rule:history_alone"
    # while a report that is HIGH on its own content stays HIGH
    low_bar = Thresholds(medium=scored.p_without_history / 4, high=scored.p_without_history / 2)
    plain = SafeScorer(compiled, version="v", thresholds=low_bar, timeout_ms=0)
    assert plain.score(text, prankster, now).band is ScoreBand.HIGH
    assert plain.score(text, prankster, now).safety_rule is None


@pytest.mark.parametrize(
    "text, lexicon_name, expected",
    [
        ("kabel listrik putus jatuh ke jalan", "silence_marker", []),
        ("panggilan kosong, putus", "silence_marker", ["pangilan kosong"]),
        ("lahan kosong terbakar", "silence_marker", []),
        ("telp langsung putus", "silence_marker", ["langsung putus"]),
        ("info warga: asap tebal dari ruko", "info_request", []),
        ("penelepon tanpa pulsa minta ambulans", "info_request", []),
        ("mau isi pulsa tidak bisa", "info_request", ["isi pulsa"]),
        ("lapor jalan berlubang, bukan darurat pls", "life_threat", []),
        ("help help rumah terbakar", "life_threat", ["tolong", "terbakar", "tolong tolong"]),
        ("no voice, terdengar tnagisan bayi", "signs_of_life", ["tangisan"]),
    ],
)
def test_markers_fire_only_in_the_sense_they_mean(
    text: str, lexicon_name: str, expected: list[str]
) -> None:
    assert SCANNER.scan(normalize(text))[lexicon_name] == expected


def test_electrical_and_collapse_hazards_are_life_threats() -> None:
    for text in (
        "kabel listrik putus menjuntai",
        "rumah korsleting",
        "tanah longsor",
        "atap ambruk",
    ):
        assert LIFE_THREAT.matches(normalize(text)), text
    assert not INFO_REQUEST.matches(normalize("kabel pln jatuh"))
    assert SIGNS_OF_LIFE.matches(normalize("terdengar org merintih"))


def test_the_frozen_hand_written_set_is_valid_and_covers_both_sides() -> None:
    examples = load_frozen_set()
    assert all(not input_problems(e.report, e.history) for e in examples)
    genuine = [e for e in examples if e.label == GENUINE]
    assert len(genuine) >= 80 and len(examples) - len(genuine) >= 80
    assert {e.label for e in examples} == {
        "genuine",
        "prank",
        "silent",
        "accidental",
        "non_emergency",
    }
    assert any(e.report.silent for e in genuine)  # genuine silent calls are in it
