"""A life-threat word is a reported event unless its own clause asks, denies, looks back,
supposes or speaks in figures; only the call-taker's hoax tick overrides a reported threat."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from classifier import CallerHistory, ReportInput, SafeScorer
from classifier.context import CONTEXTS, read_threats
from classifier.lexicon import normalize
from domain.taxonomy import ScoreBand

Factory = Callable[..., ReportInput]


@pytest.mark.parametrize(
    ("text", "term", "context"),
    [
        ("kapan banjir di jl. d.i. panjaitan surut?", "banjir", "question"),
        ("apakah benar ada banjir bandang di loa bakung?", "banjir", "question"),
        ("ulun handak batakun, kpn banjir surut", "banjir", "question"),
        ("is it true there was an explosion at the harbour", "explosion", "question"),
        ("tidak ada kebakaran pak, cuma tanya", "kebakaran", "negation"),
        ("kada ada api, aman", "api", "negation"),
        ("kemarin tabrakan kecil di jl. juanda", "tabrakan", "past"),
        ("rumah saya kebakaran tahun lalu, minta surat keterangan", "kebakaran", "past"),
        ("kalau ada kebakaran nomor damkar berapa", "kebakaran", "hypothetical"),
        ("mau daftar pelatihan pemadaman kebakaran", "kebakaran", "hypothetical"),
        ("kebakaran di hati saya pak", "kebakaran", "figurative"),
        ("bos saya kebakaran jenggot", "kebakaran", "figurative"),
        ("tolong diperbaiki lampu jalan di gang 3", "tolong", "request"),
        ("motor saya ditabrak 2 minggu lalu, mau tanya asuransi", "ditabrak", "past"),
        ("dulu rumah ini pernah kebakaran", "kebakaran", "past"),
        ("tetangga membakar sampah daun tiap sore", "membakar", "routine"),
    ],
)
def test_a_life_threat_word_out_of_a_reported_event_is_discounted_with_its_context(
    text: str, term: str, context: str
) -> None:
    reading = read_threats(text)
    assert (term, context) in reading.discounted
    assert term not in reading.reported


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("bapak tdk bernafas", "tidak bernapas"),
        ("pasien tidak sadar sejak tadi", "tidak sadar"),
        ("kapan ambulans datang, bapak saya pingsan", "pingsan"),
        ("apakah damkar sudah berangkat? api di rumah saya makin besar", "api"),
        ("tabrakan kemarin, sekarang dia pingsan", "pingsan"),
        ("demam sejak kemarin lalu kejang", "kejang"),
        ("tidak tahu kenapa tiba2 pingsan", "pingsan"),
        ("hati-hati ada api di dapur", "api"),
        ("rumah terbakar, tidak ada korban jiwa", "terbakar"),
        ("anak2 ketawa lalu bilang ada kebakaran, tolong", "kebakaran"),
        ("ulun di palaran, rumah tabakar, lakasi", "terbakar"),
        ("rumah warga dibakar massa", "dibakar"),
        ("sampah dibakar lalu api merambat ke rumah", "api"),
        # "yang dulu" says who calls, not when the fire is (a past prankster in real trouble)
        ("penelepon yg dulu sering iseng lapor rumahnya sendiri terbakar", "terbakar"),
        ("orang yang kemarin kecelakaan pingsan lagi di depan rumah", "pingsan"),
    ],
)
def test_a_life_threat_word_that_reports_an_event_stays_reported(text: str, term: str) -> None:
    assert term in read_threats(text).reported


def test_every_context_has_indonesian_and_english_text() -> None:
    for text_id, text_en in CONTEXTS.values():
        assert text_id and text_en and text_id != text_en
    assert CONTEXTS["question"][0] == "pertanyaan, bukan laporan kejadian"


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("dkt masjid", "dekat masjid"),
        ("pnlp blm sdh", "penelepon belum sudah"),
        ("org tdk", "orang tidak"),
        ("ulun handak", "saya mau"),
        ("lakasi banyu", "cepat air"),
        ("kpn brp kmrn", "kapan berapa kemarin"),
    ],
)
def test_banjar_and_operator_abbreviations_are_read_as_standard_indonesian(
    raw: str, normal: str
) -> None:
    assert normalize(raw) == normal


def test_a_question_about_a_flood_is_not_forced_low_yet_names_the_word(
    eager_scorer: SafeScorer, report: Factory, now: datetime
) -> None:
    asked = report(description="kapan banjir di jl. pemuda surut?", category="banjir")
    score = eager_scorer.score(asked, CallerHistory(), now)
    assert score.safety_rule != "life_threat_keywords"
    assert score.band is ScoreBand.HIGH  # the eager model decides, not the rule
    seen = score.reasons[0]
    assert seen.code == "life_threat_context"
    assert "banjir" in seen.text_id and "pertanyaan, bukan laporan kejadian" in seen.text_id
    assert "banjir" in seen.text_en and "a question" in seen.text_en
    assert score.features["life_threat_discounted"] == "banjir (question)"


def test_laughter_in_the_words_alone_never_switches_the_life_threat_rule_off(
    eager_scorer: SafeScorer, report: Factory, prankster: CallerHistory, now: datetime
) -> None:
    laughed = report(description="penelepon tertawa, bilang bercanda, ada kebakaran di pasar")
    score = eager_scorer.score(laughed, prankster, now)
    assert score.band is ScoreBand.LOW
    assert score.safety_rule == "life_threat_keywords"


def test_the_call_takers_hoax_tick_lifts_the_rule_and_the_threat_words_stay_visible(
    eager_scorer: SafeScorer, report: Factory, now: datetime
) -> None:
    text = "lapor rumah terbakar di jl. juanda"
    ticked = eager_scorer.score(report(description=text, hoax_observed=True), CallerHistory(), now)
    assert ticked.safety_rule is None
    assert ticked.band is ScoreBand.HIGH
    assert ticked.reasons[0].code == "life_threat_hoax_observed"
    assert "terbakar" in ticked.reasons[0].text_id and "bercanda" in ticked.reasons[0].text_id
    assert ticked.features["hoax_observed"] is True
    unticked = eager_scorer.score(report(description=text), CallerHistory(), now)
    assert unticked.band is ScoreBand.LOW
    assert unticked.safety_rule == "life_threat_keywords"


def test_the_hoax_tick_does_not_lift_the_injuries_rule(
    eager_scorer: SafeScorer, report: Factory, now: datetime
) -> None:
    hurt = report(description="tabrakan motor", injuries=2, hoax_observed=True)
    score = eager_scorer.score(hurt, CallerHistory(), now)
    assert score.band is ScoreBand.LOW
    assert score.safety_rule == "injuries_reported"


def test_a_silent_call_with_signs_of_life_is_never_high_even_with_the_hoax_tick(
    eager_scorer: SafeScorer, silent: Callable[..., ReportInput], now: datetime
) -> None:
    from dataclasses import replace

    breathing = replace(silent("hening, terdengar napas berat"), hoax_observed=True)
    score = eager_scorer.score(breathing, CallerHistory(), now)
    assert score.band is not ScoreBand.HIGH
    assert score.callback_first
