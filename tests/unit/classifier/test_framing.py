"""Whose joke, and what a question reports (classifier.framing), and the cap they put on HIGH.

The readings are checked on wording written for this test, not on the frozen sets; the cap is
checked through the shipped scorer: it only lowers HIGH to MEDIUM and never acts on a ticked
hoax, so the caller's own joke and real information requests stay HIGH.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from classifier import CallerHistory, ReportInput, framing, load_scorer
from domain.taxonomy import ScoreBand

Factory = Callable[..., ReportInput]


@pytest.mark.parametrize(
    "text",
    [
        "ada bocah iseng manjat pagar sekolah, jatuh kepalanya berdarah",
        "remaja2 bercanda di dermaga, satu tenggelam",
        "becanda2 di sungai, kawan sy tidak muncul lagi",
        "anak2 main2 di gorong2, satu nyangkut ga bisa keluar",  # stuck, trapped: harm too
    ],
)
def test_someone_elses_joke_that_hurt_a_person_is_read(text: str) -> None:
    assert framing.read(text) == ("third_party_joke",)


@pytest.mark.parametrize(
    "text",
    [
        "sy iseng aja, maaf pak",  # the caller's own
        "cuma bercanda, ga ada yg luka",  # the caller's own, even with a harm word after it
        "anak2 iseng nelpon 112, terus jatuh ketawa",  # the call itself is the joke
        "ada anak iseng coret2 tembok",  # someone else's joke, nobody hurt
    ],
)
def test_the_callers_own_joke_or_a_harmless_one_is_not_read(text: str) -> None:
    assert "third_party_joke" not in framing.read(text)


@pytest.mark.parametrize(
    "text",
    [
        "numpang tanya, ada ular kobra di teras rumah",
        "mau info, ada warga pingsan di pasar",
        "mau nanya, kalau ada orang bawa pisau di depan rumah dari tadi gimana?",
    ],
)
def test_a_question_that_reports_a_present_danger_is_read(text: str) -> None:
    assert framing.read(text) == ("present_danger_asked",)


@pytest.mark.parametrize(
    "text",
    [
        "mau tanya, tidak ada kejadian, cuma soal anak magang",  # denied
        "mau tanya, kalau ada ular masuk rumah nanti telp siapa?",  # supposed
        "mau tanya, ada lowongan buat warga tidak?",  # a yes/no question
        "ada ular di teras",  # no question: the model's own reading stands
    ],
)
def test_denied_supposed_or_asked_ada_is_not_read(text: str) -> None:
    assert "present_danger_asked" not in framing.read(text)


def test_the_cap_lowers_high_to_medium_and_never_acts_on_a_ticked_hoax(
    report: Factory, now: datetime
) -> None:
    scorer = load_scorer(timeout_ms=0)
    try:
        text = "ada anak iseng lempar batu ke mobil, kaca pecah kena bayi"
        plain = scorer.score(report(description=text, category=None), CallerHistory(), now)
        ticked = scorer.score(
            report(description=text, category=None, hoax_observed=True), CallerHistory(), now
        )
        own = scorer.score(
            report(description="sy iseng aja pak nelpon, wkwk", category=None),
            CallerHistory(),
            now,
        )
    finally:
        scorer.close()
    assert plain.band is ScoreBand.MEDIUM
    assert "third_party_joke" in {r.code for r in plain.reasons}
    assert ticked.band is ScoreBand.HIGH  # the call-taker's observation is not overridden
    assert own.band is ScoreBand.HIGH
