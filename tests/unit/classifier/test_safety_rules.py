"""The rules around the model: life threats win, silence is not evidence of a false call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from classifier import CallerHistory, ReportInput, SafeScorer
from classifier.keywords import LIFE_THREAT, SIGNS_OF_LIFE
from classifier.lexicon import normalize
from domain.taxonomy import ScoreBand

Factory = Callable[..., ReportInput]


def test_life_threat_text_overrides_to_low_even_when_metadata_looks_like_a_prank(
    eager_scorer: SafeScorer, report: Factory, prankster: CallerHistory, now: datetime
) -> None:
    # Given a night call from a number with 25 false reports, short, laughing
    prank_like = report(
        description="anak2 ketawa lalu bilang ada kebakaran, tolong",
        call_duration_s=12.0,
        category=None,
        has_location=False,
        location_source=None,
        location_accuracy_m=None,
    )
    # When it is scored by a model that would band it HIGH
    score = eager_scorer.score(prank_like, prankster, now)
    # Then the life-threat rule bands it LOW and says so
    assert score.band is ScoreBand.LOW
    assert score.safety_rule == "life_threat_keywords"
    assert score.reasons[0].code == "rule:life_threat_keywords"
    without_threat = report(description="anak2 ketawa lalu menutup telepon", category=None)
    assert eager_scorer.score(without_threat, prankster, now).band is ScoreBand.HIGH


@pytest.mark.parametrize(
    "text",
    [
        "Toloooong rumah sebelah tebakar",
        "kebakran gudang",
        "anak tenggelem di sungai",
        "tlg pak",
        "korban bedarah",
        "diancam pakai parang",
        "bapak tdk bernafas",
        "korban pinsan di jalan",
        "api ganal banar",
        "tabrakn motor di simpang",
        "bapak sy sesak",
        "temannya jatuh dari motor",
        "kakek terjatuh dari atap",
        "anak jatuh ke sumur",
        "teman sy ga gerak",
        "anak sy ketelen koin",
    ],
)
def test_typo_slang_and_banjar_forms_of_life_threats_are_recognised(text: str) -> None:
    assert LIFE_THREAT.matches(normalize(text))


@pytest.mark.parametrize(
    "text",
    [
        "tapi sapi di kebun",
        "barang hilang ke arah pasar",
        "tulang ikan",
        "tidak sengaja",
        "mengenang",
        "masih bernapas",
        "tanya token listrik",
        "hp jatuh dari saku",
    ],
)
def test_everyday_words_are_not_mistaken_for_life_threats(text: str) -> None:
    assert LIFE_THREAT.matches(normalize(text)) == []


def test_hazards_from_the_intake_form_count_as_life_threats(
    eager_scorer: SafeScorer, report: Factory, now: datetime
) -> None:
    with_fire = report(description="cek lokasi", hazards=("fire",), category=None)
    assert eager_scorer.score(with_fire, CallerHistory(), now).safety_rule == "life_threat_keywords"


def test_reported_injuries_override_to_low(
    eager_scorer: SafeScorer, report: Factory, prankster: CallerHistory, now: datetime
) -> None:
    injured = report(description="motor senggolan", injuries=2, category=None)
    score = eager_scorer.score(injured, prankster, now)
    assert score.band is ScoreBand.LOW
    assert score.safety_rule == "injuries_reported"


@pytest.mark.parametrize(
    "description",
    [
        "Tidak ada suara, hanya terdengar napas berat",
        "tanpa suara, terdengar perempuan menangis",
        "hening, ada suara gaduh",
        "diam, terdengar teriakan dari jauh",
    ],
)
def test_a_silent_call_with_signs_of_life_goes_to_the_top_of_the_callback_queue(
    eager_scorer: SafeScorer, silent: Factory, now: datetime, description: str
) -> None:
    score = eager_scorer.score(silent(description), CallerHistory(), now)
    assert score.callback_first
    assert score.safety_rule == "silent_with_signs_of_life"
    assert score.band is not ScoreBand.HIGH
    assert SIGNS_OF_LIFE.matches(normalize(description))


def test_a_silent_repeat_caller_is_called_back_first_and_never_banded_high(
    eager_scorer: SafeScorer, silent: Factory, now: datetime
) -> None:
    # The Lithuania and UK cases: someone who cannot speak may try again. A number with no
    # silent or false call on record that calls silently again is never banded HIGH.
    for history in (
        CallerHistory(calls_1h=1, calls_24h=1),
        CallerHistory(calls_1h=2, calls_24h=3, calls_30d=3, prior_genuine=1),
    ):
        score = eager_scorer.score(silent(), history, now)
        assert score.callback_first
        assert score.safety_rule == "silent_repeat_caller"
        assert score.band is ScoreBand.MEDIUM


def test_a_silent_repeat_call_from_a_number_on_record_is_still_called_back_first(
    eager_scorer: SafeScorer, silent: Factory, now: datetime
) -> None:
    # A number whose earlier calls were closed as silent or false keeps the band its report
    # earns on its own (issue 14: silent repeat callers stayed MEDIUM whatever they showed);
    # the tenth silent call from one number can be the real one, so it is called back first.
    chronic = CallerHistory(calls_24h=4, calls_30d=18, prior_silent=12, prior_false=12)
    score = eager_scorer.score(silent("tidak ada suara, hanya suara tv"), chronic, now)
    assert score.callback_first
    assert score.safety_rule == "silent_repeat_caller"
    assert score.band is ScoreBand.HIGH


@pytest.mark.parametrize(
    "description",
    [
        "hening, terdengar napas berat",
        "diam, ada bisikan pelan",
        "tidak ada suara, terdengar benda jatuh",
        "hening, lalu terdengar suara minta tloog pelan",
    ],
)
def test_a_chronic_silent_caller_with_signs_of_distress_is_never_high(
    eager_scorer: SafeScorer, silent: Factory, now: datetime, description: str
) -> None:
    # The record lets a chronic silent number reach HIGH when nothing is heard; it never
    # overrides the signs of someone there.
    chronic = CallerHistory(calls_24h=4, calls_30d=18, prior_silent=12, prior_false=12)
    score = eager_scorer.score(silent(description), chronic, now)
    assert score.callback_first
    assert score.safety_rule == "silent_with_signs_of_life"
    assert score.band is ScoreBand.MEDIUM


def test_a_single_silent_call_without_signs_of_life_keeps_the_model_band(
    eager_scorer: SafeScorer, silent: Factory, now: datetime
) -> None:
    score = eager_scorer.score(silent(), CallerHistory(), now)
    assert not score.callback_first
    assert score.safety_rule is None
    assert score.band is ScoreBand.HIGH


def test_a_life_threat_in_a_silent_call_bands_low_and_still_calls_back_first(
    eager_scorer: SafeScorer, silent: Factory, now: datetime
) -> None:
    score = eager_scorer.score(silent("terdengar suara minta tolong"), CallerHistory(), now)
    assert score.band is ScoreBand.LOW
    assert score.safety_rule == "life_threat_keywords"
    assert score.callback_first
