"""The model shipped in classifier/models: loadable, versioned, sane on hand-written reports."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from classifier import BatchScorer, CallerHistory, ReportInput, load_scorer
from classifier.persistence import card_path
from classifier.scorer import DEFAULT_MODEL_PATH
from domain.taxonomy import ScoreBand

Factory = Callable[..., ReportInput]

# Written by hand for this test, not by the generator: everyday genuine reports without any
# life-threat word (the rules do not protect them; only the model does).
GENUINE = [
    ("ada ular masuk ke dapur, anak2 ketakutan", "hewan_berbahaya"),
    ("pohon mangga roboh nutup jalan di gang mawar, motor tdk bisa lewat", "pohon_tumbang"),
    ("motor saya hilang di parkiran pasar barusan", "kriminal"),
    ("ulun handak lapor, rumah tatangga kemalingan tadi malam", "kriminal"),
    ("air sungai naik masuk rumah, barang2 sudah diangkat ke atas", "banjir"),
    ("lansia sendirian di rumah jatuh dari tempat tidur, tdk bisa bangun", "medis"),
    ("ada sarang tawon besar di teras, anak saya disengat", "hewan_berbahaya"),
    ("orang mabuk ngamuk di warung, pecahkan kaca", "gangguan_ketertiban"),
]
# Genuine calls with speech written while probing the model after the unseen set was frozen
# (tuned on: each was banded HIGH once and its cause fixed in general: asking after help sent
# or whether this is the right number, a self-correction, a turn to a real event or from
# "tadi" to "sekarang", a finding ("ternyata"), "eh tunggu", nervous laughter explained in
# the next clause, someone's acquaintance, "sesak", a fall, not moving, choking, "datang2").
PROBED = [
    "mau tanya, ambulans sudah jalan belum? bapak sy sesak",
    "hp sy kepencet tadi, tp skrg beneran ada maling di rumah",
    "penelepon tertawa terbahak2 lalu bilang temannya jatuh dari motor, ternyata beneran",
    "iseng nanya, eh nggak deng, beneran ini, ada ular kobra di dapur",
    "info lowongan? bukan, mau lapor orang hilang, adik sy 3 hari ga pulang",
    "tanya, kok petugasnya belum datang2? rumah sy kemasukan air setinggi dada",
    "tadi cuma bercanda dorong2an, skrg teman sy ga gerak",
    "sy salah sambung tadi ke nomor lain, ini mau lapor ada orang jatuh ke sumur",
    "pak sy mau tanya, ini bener nomor polisi? sy diikutin orang bawa motor dari tadi",
    "ketawa2 dulu ya pak, saking paniknya, anak sy ketelen mainan",
    "iseng2 ngecek jendela, ternyata ada orang di atap rumah sy",
    "halo, salah pencet kayaknya, eh tunggu, ada yg gedor2 pintu depan rumah sy",
    "kenalan sy hilang di hutan raya, ga bisa dihubungi sejak kemarin",
]
FALSE = [
    "mau tanya nomor wa samsat pak",
    "anak2 ketawa lalu ditutup",
    "minta kenalan sama mbak operator",
    "hp kepencet di kantong, maaf",
]


@pytest.fixture(scope="module")
def shipped() -> Iterator[BatchScorer]:
    scorer = load_scorer()
    yield scorer
    scorer.close()


def test_the_shipped_model_loads_with_the_version_in_its_card(shipped: BatchScorer) -> None:
    card = json.loads(card_path(DEFAULT_MODEL_PATH).read_text())
    assert shipped.version == card["version"]
    assert DEFAULT_MODEL_PATH.stat().st_size < 5_000_000


def test_hand_written_genuine_reports_are_never_banded_high(
    shipped: BatchScorer, report: Factory, now: datetime
) -> None:
    for text, category in GENUINE:
        for history in (CallerHistory(), CallerHistory(calls_30d=20, prior_false=8)):
            score = shipped.score(report(description=text, category=category), history, now)
            assert score.band is not ScoreBand.HIGH, (text, score.p_false)


@pytest.mark.parametrize("text", PROBED)
def test_probed_genuine_calls_are_never_banded_high(
    shipped: BatchScorer, report: Factory, now: datetime, text: str
) -> None:
    for history in (CallerHistory(), CallerHistory(calls_30d=20, prior_false=15)):
        for channel in ("voice", "sms"):
            call = report(description=text, category=None, channel=channel)
            score = shipped.score(call, history, now)
            assert score.band is not ScoreBand.HIGH, (text, channel, score.p_false)


def test_obvious_false_calls_are_not_banded_low(
    shipped: BatchScorer, report: Factory, now: datetime
) -> None:
    for text in FALSE:
        score = shipped.score(report(description=text, category=None), CallerHistory(), now)
        assert score.band is not ScoreBand.LOW, (text, score.p_false)


def test_the_shipped_model_on_the_frozen_hand_written_set(shipped: BatchScorer) -> None:
    # Reports written by hand apart from the generator (classifier/frozen/reports.psv): the
    # shipped model bands HIGH no genuine report someone spoke in, at most the 2 plain silent
    # genuine calls, and most of the false ones.
    from classifier.frozen_set import load_frozen_set

    examples = load_frozen_set()
    scores = shipped.score_batch([(e.report, e.history) for e in examples], datetime.now(UTC))
    high = [(e, s) for e, s in zip(examples, scores, strict=True) if s.band is ScoreBand.HIGH]
    genuine_high = [e for e, _ in high if e.label == "genuine"]
    assert all(e.report.silent for e in genuine_high), [e.report.description for e in genuine_high]
    assert len(genuine_high) <= 2
    false_total = sum(1 for e in examples if e.label != "genuine")
    assert len(high) - len(genuine_high) >= 0.6 * false_total


def test_the_shipped_model_on_the_realistic_set_bands_no_spoken_genuine_call_high(
    shipped: BatchScorer,
) -> None:
    # classifier/frozen/realistic.psv was written before the context features and the
    # retrained model; as recorded and as the console sends it, no genuine call with speech is
    # banded HIGH, and most false calls are.
    from classifier.breakdown import breakdown
    from classifier.evaluation import score_all
    from classifier.frozen_set import REALISTIC_PATH, as_the_console_sends, load_frozen_set

    recorded = load_frozen_set(REALISTIC_PATH)
    for examples in (recorded, [as_the_console_sends(e) for e in recorded]):
        rates = breakdown(score_all(shipped, examples))
        spoken = rates["genuine_with_speech_banded_high"]
        assert spoken["n"] >= 140 and spoken["k"] == 0
        assert rates["false_banded_high"]["rate"] >= 0.6


def test_the_shipped_model_on_the_unseen_set_bands_no_spoken_genuine_call_high(
    shipped: BatchScorer,
) -> None:
    # classifier/frozen/unseen.psv was written and committed before any model ran on it.
    from classifier.breakdown import breakdown
    from classifier.evaluation import score_all
    from classifier.frozen_set import UNSEEN_PATH, as_the_console_sends, load_frozen_set

    recorded = load_frozen_set(UNSEEN_PATH)
    for examples in (recorded, [as_the_console_sends(e) for e in recorded]):
        rates = breakdown(score_all(shipped, examples))
        spoken = rates["genuine_with_speech_banded_high"]
        assert spoken["n"] >= 45 and spoken["k"] == 0
        assert rates["false_banded_high"]["rate"] >= 0.6
        by_class = rates["banded_high_by_class"]
        assert all(by_class[c]["rate"] >= 0.5 for c in by_class if c != "genuine")
