"""Absent is unknown, and unknown is never evidence of a false call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from classifier import CallerHistory, ReportInput, SafeScorer
from classifier.compiled import CompiledModel
from classifier.features import extract, is_silent
from classifier.synthetic import generate

Factory = Callable[..., ReportInput]
#: A report as the console sent it before it said "the caller spoke": nothing about timing,
#: silence, location, persons or the caller.
NOTHING_SAID = {
    "call_duration_s": None,
    "first_speech_s": None,
    "silent": None,
    "has_location": False,
    "location_source": None,
    "location_accuracy_m": None,
    "persons_involved": None,
    "injuries": None,
    "caller_number": None,
    "sim_present": None,
}
UNKNOWN_GROUPS = ("duration", "speech", "location", "persons")


def test_a_call_is_silent_only_when_someone_said_so(report: Factory) -> None:
    assert not is_silent(report(silent=None, first_speech_s=None))
    assert not is_silent(report(silent=False, first_speech_s=None))
    assert is_silent(report(silent=True, first_speech_s=None))


def test_unknown_values_contribute_nothing_and_are_named_unknown_not_false(
    report: Factory, compiled: CompiledModel, eager_scorer: SafeScorer, now: datetime
) -> None:
    unknown = report(**NOTHING_SAID)
    row = extract(unknown, CallerHistory())
    assert row.silent is False
    assert set(row.unknown) == {"duration", "silence", "location", "persons", "caller"}
    groups = compiled.score(row).groups
    assert {g: groups[g] for g in UNKNOWN_GROUPS} == dict.fromkeys(UNKNOWN_GROUPS, 0.0)

    score = eager_scorer.score(unknown, CallerHistory(), now)
    codes = [r.code for r in score.reasons]
    assert not set(codes) & set(UNKNOWN_GROUPS), score.reasons
    told = next(r for r in score.reasons if r.code == "unknown")
    assert "Tidak diketahui" in told.text_id and "Unknown" in told.text_en
    assert told.weight == 0.0
    assert not [r for r in score.reasons if "tanpa suara" in r.text_id.lower()]


def test_the_generator_leaves_data_unknown_alike_in_every_class() -> None:
    examples = generate(3000, seed=11, label_noise=0.0)

    def share(label: str, missing: Callable[[ReportInput], bool]) -> float:
        reports = [e.report for e in examples if e.label == label]
        return sum(missing(r) for r in reports) / len(reports)

    def voice(r: ReportInput) -> bool:
        return r.channel in ("voice", "aml")

    checks: dict[str, Callable[[ReportInput], bool]] = {
        "no location": lambda r: not r.has_location and r.channel in ("voice", "sms", "app"),
        "no timing on a voice call": lambda r: voice(r) and r.call_duration_s is None,
        "no silence flag on a voice call": lambda r: voice(r) and r.silent is None,
    }
    for name, missing in checks.items():
        shares = [share(label, missing) for label in ("genuine", "prank", "non_emergency")]
        assert max(shares) - min(shares) < 0.12, (name, shares)


def test_no_spoken_genuine_call_of_the_frozen_set_sent_without_timing_goes_to_call_back() -> None:
    # The hand-written calls someone spoke in, as the console sends them (no timing, no
    # counts), with the silence tick left unticked or with no silence flag at all.
    from dataclasses import replace
    from datetime import UTC

    from classifier import load_scorer
    from classifier.frozen_set import as_the_console_sends, load_frozen_set

    spoken = [
        as_the_console_sends(e)
        for e in load_frozen_set()
        if e.label == "genuine" and not e.report.silent
    ]
    scorer = load_scorer(timeout_ms=0)
    try:
        for flag in (False, None):
            items = [(replace(e.report, silent=flag), e.history) for e in spoken]
            scores = scorer.score_batch(items, datetime.now(UTC))
            held = [
                (report.description, score.band.value)
                for (report, _), score in zip(items, scores, strict=True)
                if score.band.value == "high" or score.callback_first
            ]
            assert held == [], (flag, held)
    finally:
        scorer.close()
    assert len(spoken) > 50
