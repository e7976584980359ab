"""What the model may see: nothing from after the call, no SIM or dialect penalty."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from classifier import CallerHistory, LabeledExample, ReportInput
from classifier.features import META_NAMES, RECORDED_ONLY, extract
from classifier.lexicon import normalize
from classifier.synthetic import generate

Factory = Callable[..., ReportInput]
_LEAKY = ("label", "disposition", "callback", "outcome", "verified", "closed", "dispatch")


def test_no_label_or_outcome_field_reaches_the_features(report: Factory) -> None:
    row = extract(report(), CallerHistory())
    names = [*META_NAMES, *row.record]
    assert not [n for n in names if any(word in n for word in _LEAKY)]
    example = generate(1, seed=1)[0]
    relabelled = [
        LabeledExample(example.report, example.history, label) for label in ("genuine", "prank")
    ]
    first, second = (extract(e.report, e.history) for e in relabelled)
    assert first == second


def test_sim_caller_id_and_dialect_are_recorded_but_never_model_inputs(report: Factory) -> None:
    with_sim = extract(report(), CallerHistory())
    without = extract(
        report(sim_present=False, caller_number=None, description="kada ada sim, pohon tumbang"),
        CallerHistory(),
    )
    assert not set(RECORDED_ONLY) & set(META_NAMES)
    assert without.record["sim_present"] is False and without.record["has_caller_id"] is False
    assert without.record["dialect_text"] is True
    assert set(RECORDED_ONLY) <= set(with_sim.record)


def test_the_same_report_in_banjar_and_indonesian_normalises_alike() -> None:
    assert normalize("Ulun kada tahu, tlg lakasi") == normalize("saya tidak tahu, tolong cepat")
    assert normalize("TOLOOONG!!! rumah 12") == "tolong rumah 0"


def test_the_hour_is_read_in_samarinda_time(report: Factory) -> None:
    base = report()
    utc_night = replace(base, received_at=base.received_at.replace(hour=23))  # 23:00 WITA
    assert extract(utc_night, CallerHistory()).record["night"] is True
