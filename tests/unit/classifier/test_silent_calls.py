"""What a silent call shows: a person, only the room, or an empty message (issue 14, class 4)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

import pytest

from classifier import CallerHistory, ReportInput, SafeScorer
from classifier.features import extract, is_silent, unknown_groups
from classifier.keywords import BACKGROUND_SOUND, SCANNER, SIGNS_OF_LIFE
from classifier.lexicon import normalize
from classifier.sounds import read
from domain.taxonomy import ScoreBand

Factory = Callable[..., ReportInput]


def heard(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    found = SCANNER.scan(normalize(text))
    result = read(text, found[SIGNS_OF_LIFE.name], found[BACKGROUND_SOUND.name])
    return result.signs_of_life, result.background


@pytest.mark.parametrize(
    "text",
    [
        "tidak ada suara orang, cuma bunyi angin kencang",
        "hening, ada suara orang mengaji dari radio",
        "tidak ada suara orang, terdengar suara genset dan jangkrik",
        "silent, background wind and traffic noise",
    ],
)
def test_a_denied_voice_or_one_from_a_device_is_not_a_sign_of_life(text: str) -> None:
    signs, background = heard(text)
    assert signs == ()
    assert background


@pytest.mark.parametrize(
    "text",
    [
        "hening, terdengar napas berat, tv menyala",
        "tidak ada suara, terdengar perempuan menangis dan suara radio",
        "tanpa suara, suara orang minta tolong dari dalam kamar",
        "diam, ada suara orang berbicara pelan",
        "silent, background ada suara pria marah2 dan barang pecah",
    ],
)
def test_distress_and_a_voice_of_its_own_still_count_whatever_else_is_heard(text: str) -> None:
    signs, _ = heard(text)
    assert signs


def test_a_silent_call_with_only_background_sound_shows_nothing_heard(silent: Factory) -> None:
    row = extract(silent("hening, hanya terdengar suara tv sinetron"), CallerHistory())
    assert row.record["silent_no_signs"] is True
    assert row.record["silent_background"] is True
    assert row.record["background_terms"] == "tv,sinetron"
    breathing = extract(silent("hening, terdengar napas dan suara tv"), CallerHistory())
    assert breathing.record["silent_no_signs"] is False
    assert breathing.record["silent_background"] is False


def test_background_sound_on_a_call_where_someone_spoke_is_not_a_feature(
    report: Factory,
) -> None:
    row = extract(
        report(description="hujan deras, air masuk rumah setinggi lutut"), CallerHistory()
    )
    assert row.record["silent_no_signs"] is False
    assert row.record["silent_background"] is False


@pytest.mark.parametrize("text", ["", ".", "  ?  "])
@pytest.mark.parametrize("channel", ["sms", "app"])
def test_an_empty_message_is_the_text_channels_silent_call(
    report: Factory, channel: str, text: str
) -> None:
    empty = report(channel=channel, description=text, silent=False, call_duration_s=None)
    assert is_silent(empty)
    assert "summary" not in unknown_groups(empty)
    assert extract(empty, CallerHistory()).record["silent"] is True


def test_an_empty_summary_of_a_voice_call_is_unknown_not_silent(report: Factory) -> None:
    unwritten = report(description="", silent=None, first_speech_s=None)
    assert not is_silent(unwritten)
    assert "summary" in unknown_groups(unwritten)
    assert not is_silent(report(channel="sms", description="tlg ada api"))


def test_a_repeated_empty_panic_press_is_called_back_first_and_never_high(
    eager_scorer: SafeScorer, report: Factory, now: datetime
) -> None:
    press = report(channel="app", description="", silent=False, location_source="device")
    score = eager_scorer.score(press, CallerHistory(calls_1h=4, calls_24h=5), now)
    assert score.callback_first
    assert score.safety_rule == "silent_repeat_caller"
    assert score.band is ScoreBand.MEDIUM


@pytest.mark.parametrize(
    ("text", "prank"),
    [
        ("kabel putus jatuh di jalan, kedengaran org ketawa di belakang plp", False),
        ("penelepon ketawa grogi, panik, rumahnya kemasukan air", False),
        ("penelepon tertawa lalu menutup telepon", True),
        ("anak2 ketawa terus, ditanya alamat diam", True),
    ],
)
def test_nervous_or_background_laughter_is_not_a_prank_marker(
    report: Factory, text: str, prank: bool
) -> None:
    row = extract(report(description=text), CallerHistory())
    assert row.record["kw_prank_marker"] is prank


@pytest.mark.parametrize(
    "text",
    [
        "hening, lalu terdengar suara minta tloog pelan",  # the typo hides "tolong"
        "tidak ada yang bicara, kedengaran suara lirih",
        "diam, ada suara di ujung telepon lalu putus",
        "silent line, a voice heard once",
    ],
)
def test_a_voice_heard_on_a_silent_line_is_a_sign_of_life(text: str) -> None:
    signs, _ = heard(text)
    assert signs


@pytest.mark.parametrize(
    "text",
    [
        "tidak ada suara sama sekali",
        "kadada suara, cuma bunyi hujan",
        "tidak terdengar suara apa pun",
        "hening, ada suara tv dengan suara pelan",
    ],
)
def test_no_voice_or_a_device_voice_is_not_a_sign_of_life(text: str) -> None:
    signs, _ = heard(text)
    assert signs == ()


@pytest.mark.parametrize(
    "text",
    [
        "panggilan kosong, terdengar napas berat",
        "tidak ada suara, lalu bunyi benda jatuh",
        "hening, ada bisikan pelan lalu putus",
    ],
)
def test_without_a_silence_flag_a_summary_that_says_nobody_spoke_keeps_the_silent_rules(
    eager_scorer: SafeScorer, report: Factory, now: datetime, text: str
) -> None:
    # A client that sends no silence flag must not take the silent-call safety away: the
    # call-taker's summary says the line was silent and someone is there.
    call = report(description=text, silent=None, first_speech_s=None, category=None)
    score = eager_scorer.score(call, CallerHistory(), now)
    assert score.callback_first
    assert score.safety_rule == "silent_with_signs_of_life"
    assert score.band is not ScoreBand.HIGH
    # The same words with the caller said to have spoken: no silent-call rule.
    spoke = eager_scorer.score(
        replace(call, silent=False, first_speech_s=2.0), CallerHistory(), now
    )
    assert not spoke.callback_first


@pytest.mark.parametrize(
    ("text", "prank", "accidental"),
    [
        ("hp sy kepencet tadi, tp skrg beneran ada maling di rumah", False, False),
        ("penelepon tertawa lalu bilang temannya celaka, ternyata beneran", False, False),
        ("kepencet di saku, tapi serius tidak ada apa2", False, True),
        ("anak2 ketawa lalu tutup telepon, tapi aman tidak ada apa2", True, False),
        ("anak2 ketawa lalu tutup telepon", True, False),
        ("iseng nanya, eh nggak deng, beneran ini, ada ular kobra di dapur", False, False),
        ("ada kebakaran? bukan, cuma bercanda wkwk", True, False),
        ("anak2 ketawa2, bilang beneran ada hantu di rumah kosong", True, False),
        ("tadi cuma bercanda dorong2an, skrg teman sy ga gerak", False, False),
        ("sy salah sambung tadi, ini mau lapor ada orang jatuh ke sumur", False, False),
        ("tadi kepencet, ini ga ada apa2", False, True),
        ("iseng2 ngecek jendela, ternyata ada orang di atap rumah sy", False, False),
        ("halo, salah pencet kayaknya, eh tunggu, ada yg gedor2 pintu", False, False),
        ("ditanya alamat, ternyata cuma bercanda", True, False),
        ("kenalan sy hilang di hutan raya, ga bisa dihubungi sejak kemarin", False, False),
        ("pacarnya ngamuk dan mengunci dia di kamar", False, False),
        ("penelepon ngajak kenalan operator", True, False),
        ("nanya operator udah punya pacar blm", True, False),
        ("ketawa2 dulu ya pak, saking paniknya, anak sy ketelen koin", False, False),
    ],
)
def test_false_call_markers_before_a_turn_to_a_real_event_do_not_count(
    report: Factory, text: str, prank: bool, accidental: bool
) -> None:
    # What came first ("kepencet tadi", laughter) is not what the call is when the summary
    # turns to a real event; a turn that denies anything happened changes nothing.
    row = extract(report(description=text), CallerHistory())
    assert row.record["kw_prank_marker"] is prank
    assert row.record["kw_accidental_marker"] is accidental


def test_asking_whether_help_has_left_is_not_an_information_request(report: Factory) -> None:
    asking = extract(report(description="mau tanya, ambulans sudah jalan belum?"), CallerHistory())
    assert asking.record["kw_awaiting_help"] is True
    assert asking.record["kw_info_request"] is False


def test_a_self_corrected_question_is_not_an_information_request(report: Factory) -> None:
    text = "info lowongan? bukan, mau lapor orang hilang, adik sy 3 hari ga pulang"
    assert extract(report(description=text), CallerHistory()).record["kw_info_request"] is False
    asked = "info lowongan kerja di pemkot?"
    assert extract(report(description=asked), CallerHistory()).record["kw_info_request"] is True


def test_a_doubled_word_reads_as_the_word() -> None:
    assert normalize("anak2 nangis, petugas belum datang2") == "anak nangis petugas belum datang"


def test_asking_whether_this_is_the_right_number_is_not_an_information_request(
    report: Factory,
) -> None:
    text = "pak sy mau tanya, ini bener nomor polisi? sy diikutin orang bawa motor dari tadi"
    assert extract(report(description=text), CallerHistory()).record["kw_info_request"] is False
