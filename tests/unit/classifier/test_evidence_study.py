"""The studied cap (classifier/evidence_study.py): HIGH for a spoken call needs a clear sign."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from classifier import CallerHistory, ReportInput
from classifier.evidence_study import (
    FALSE_CALL_EVIDENCE,
    capped_band,
    false_call_evidence,
    narrow_evidence,
    weak_only_band,
)
from classifier.features import FeatureValue, extract
from domain.taxonomy import ScoreBand

Factory = Callable[..., ReportInput]
SPOKEN: dict[str, FeatureValue] = {"silent": False, "kw_silence_marker": False}


@pytest.mark.parametrize("evidence", FALSE_CALL_EVIDENCE)
def test_a_spoken_call_with_a_clear_sign_may_stay_high(evidence: str) -> None:
    features = {**SPOKEN, evidence: True if evidence != "threat_contexts" else "question"}
    assert false_call_evidence(features) == (evidence,)
    assert capped_band(ScoreBand.HIGH, features) is ScoreBand.HIGH


@pytest.mark.parametrize("band", list(ScoreBand))
def test_a_spoken_call_with_no_clear_sign_is_never_high(band: ScoreBand) -> None:
    features = {**SPOKEN, **{name: False for name in FALSE_CALL_EVIDENCE}, "threat_contexts": None}
    expected = ScoreBand.MEDIUM if band is ScoreBand.HIGH else band
    assert capped_band(band, features) is expected


@pytest.mark.parametrize("quiet", [{"silent": True}, {"silent": False, "kw_silence_marker": True}])
def test_silent_calls_keep_their_own_rules(quiet: dict[str, FeatureValue]) -> None:
    assert capped_band(ScoreBand.HIGH, quiet) is ScoreBand.HIGH


@pytest.mark.parametrize(
    ("text", "hoax", "sign"),
    [
        ("ada ular masuk ke dapur, anak2 ketakutan", False, False),
        ("pohon tumbang nutup jalan di gang mawar", False, False),
        ("pohon tumbang nutup jalan di gang mawar", True, True),
        ("penelepon ketawa2 lalu tutup telepon", False, True),
        ("hp kepencet di kantong, maaf", False, True),
        ("mau tanya nomor wa samsat pak", False, True),
        ("kapan banjir surut?", False, True),
    ],
)
def test_the_extractor_records_the_signs_the_cap_reads(
    report: Factory, now: datetime, text: str, hoax: bool, sign: bool
) -> None:
    row = extract(report(description=text, hoax_observed=hoax), CallerHistory(), now)
    assert bool(false_call_evidence(row.record)) is sign
    expected = ScoreBand.HIGH if sign else ScoreBand.MEDIUM
    assert capped_band(ScoreBand.HIGH, row.record) is expected


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("ada anak iseng lempar batu ke mobil, kaca pecah kena bayi", False),
        ("maaf kalau ganggu, mau tanya, ada buaya di parit depan sd", False),
        ("penelepon iseng ketawa2 lalu tutup telepon", True),
        ("mau tanya jam buka kantor samsat", True),
    ],
)
def test_the_narrower_reading_drops_joking_words_and_questions_that_report_something(
    report: Factory, now: datetime, text: str, sign: bool
) -> None:
    row = extract(report(description=text), CallerHistory(), now)
    assert false_call_evidence(row.record)  # the widest reading sees a sign in each
    assert bool(narrow_evidence(text, row.record)) is sign


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("becanda2 di kolam renang, teman sy ga muncul2 dari tadi", ScoreBand.MEDIUM),
        ("penelepon iseng ketawa2 lalu tutup telepon", ScoreBand.HIGH),
        ("pohon tumbang nutup jalan di gang mawar", ScoreBand.HIGH),  # no sign: the model's band
    ],
)
def test_weak_signs_alone_do_not_make_a_spoken_call_high(
    report: Factory, now: datetime, text: str, expected: ScoreBand
) -> None:
    row = extract(report(description=text), CallerHistory(), now)
    assert weak_only_band(ScoreBand.HIGH, text, row.record) is expected
    assert weak_only_band(ScoreBand.MEDIUM, text, row.record) is ScoreBand.MEDIUM
