"""The shipped model on the 132 genuine calls written to probe it (probed_genuine.txt).

One of them is still banded HIGH (classifier/README.md, "Still HIGH among the probes"); this
test keeps that list from growing: any other probe banded HIGH, as voice or SMS, with or
without a prankster's history, fails it. Four more were HIGH until the readings of
:mod:`classifier.framing` (someone else's joke that hurt a person, a question that reports a
present danger) capped them at MEDIUM. When the last is fixed, remove it here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from classifier import BatchScorer, CallerHistory, ReportInput, load_scorer
from domain.taxonomy import ScoreBand

Factory = Callable[..., ReportInput]
PROBES = Path(__file__).with_name("probed_genuine.txt")
STILL_HIGH = {
    "mau info aja, jembatan kayu di rt 5 udah goyang banget, banyak anak sekolah lewat",
}


def probes() -> list[str]:
    lines = PROBES.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@pytest.fixture(scope="module")
def shipped() -> Iterator[BatchScorer]:
    scorer = load_scorer(timeout_ms=0)
    yield scorer
    scorer.close()


def test_the_probe_set_is_the_one_the_readme_reports() -> None:
    texts = probes()
    assert len(texts) == 132 and len(set(texts)) == 132
    assert set(texts) >= STILL_HIGH


def test_no_probe_beyond_the_known_one_is_banded_high(
    shipped: BatchScorer, report: Factory, now: datetime
) -> None:
    histories = (CallerHistory(), CallerHistory(calls_30d=20, prior_false=15))
    items = [
        (report(description=text, category=None, channel=channel), history)
        for text in probes()
        for channel in ("voice", "sms")
        for history in histories
    ]
    scores = shipped.score_batch(items, now)
    high = {
        r.description for (r, _), s in zip(items, scores, strict=True) if s.band is ScoreBand.HIGH
    }
    assert high <= STILL_HIGH, sorted(high - STILL_HIGH)
