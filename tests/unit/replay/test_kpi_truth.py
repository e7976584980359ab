"""The KPI report tells the truth: misses counted, targets judged, no data is not zero, words."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dispatch.center import DispatchCenter
from domain.taxonomy import Agency, Category, EscalationReason, Priority
from replay.kpi import report
from replay.kpi_charts import charts
from replay.kpi_report import render_html
from tests.support import FakeClock, a_report
from tests.unit.replay.conftest import a_day, fire_unit

WITA = ZoneInfo("Asia/Makassar")
DAY = (datetime(2026, 11, 22, tzinfo=WITA), datetime(2026, 11, 23, tzinfo=WITA))


def page_of(document: dict[str, Any]) -> str:
    """The report's HTML page as write_report writes it, without drawing the PNG charts
    (about 0.35 s of CPU per report; test_kpi.py checks the charts and their embedding)."""
    return render_html(document, {})


def test_an_incident_that_never_got_a_unit_is_a_processing_miss_not_left_out(
    center: DispatchCenter, clock: FakeClock
) -> None:
    unit = fire_unit(center, "F1")
    served = center.report(a_report()).incident.id
    clock.advance(30)
    center.route(served, [Agency.FIRE], unit_ids=[unit.id])
    forgotten = center.report(a_report()).incident.id
    center.route(forgotten, [Agency.FIRE])
    clock.advance(600)
    center.escalate(forgotten, EscalationReason.NO_UNIT_DISPATCHED, "no unit", Agency.FIRE)

    processing = report(center, *DAY)["nfpa1225"]["by_agency"]["all"]["processing"]

    assert (processing["count"], processing["missed"], processing["within_target"]) == (2, 1, 1)
    assert processing["percent_within_target"] == 50.0
    assert processing["status"] == "fail"


def test_an_incident_still_inside_its_target_is_pending_not_a_miss(
    center: DispatchCenter, clock: FakeClock
) -> None:
    center.report(a_report())
    clock.advance(20)

    processing = report(center, *DAY)["nfpa1225"]["by_agency"]["all"]["processing"]

    assert (processing["count"], processing["pending"], processing["status"]) == (0, 1, "no_data")


def test_a_false_call_closed_without_a_unit_is_not_a_processing_miss(
    center: DispatchCenter, clock: FakeClock
) -> None:
    a_day(center, clock)  # the prank is verified false after 120 s and never gets a unit
    processing = report(center, *DAY)["nfpa1225"]["by_agency"]["all"]["processing"]
    assert (processing["count"], processing["missed"]) == (2, 0)


def test_an_acknowledgement_past_the_priority_deadline_fails_its_target(
    center: DispatchCenter, clock: FakeClock
) -> None:
    p1 = center.report(a_report()).incident.id  # a fire with injuries: P1, 60 s
    center.route(p1, [Agency.FIRE])
    clock.advance(89)
    center.acknowledge(p1, Agency.FIRE)
    p3 = center.report(a_report(injuries=0)).incident.id
    center.triage(p3, Priority.P3, Category.POHON_TUMBANG, "pohon tumbang")
    center.route(p3, [Agency.FIRE])
    clock.advance(89)  # within P3's 300 s
    center.acknowledge(p3, Agency.FIRE)

    ack = report(center, *DAY)["nfpa1225"]["by_agency"]["fire"]["acknowledgement"]

    assert ack["by_priority"]["P1"]["target_s"] == 60.0
    assert ack["by_priority"]["P1"]["status"] == "fail"
    assert ack["by_priority"]["P3"]["status"] == "pass"
    assert (ack["count"], ack["within_target"], ack["status"]) == (2, 1, "fail")


def test_escalations_are_counted_by_reason_and_agency(
    center: DispatchCenter, clock: FakeClock
) -> None:
    first = center.report(a_report()).incident.id
    second = center.report(a_report()).incident.id
    center.route(first, [Agency.FIRE, Agency.MEDICAL])
    clock.advance(120)
    center.escalate(first, EscalationReason.NOT_ACKNOWLEDGED, "late", Agency.FIRE)
    center.escalate(first, EscalationReason.NO_UNIT_DISPATCHED, "none")
    center.escalate(second, EscalationReason.NO_UNIT_DISPATCHED, "none")

    escalations = report(center, *DAY)["escalations"]

    assert (escalations["total"], escalations["incidents"]) == (3, 2)
    assert escalations["by_reason"] == {"no_unit_dispatched": 2, "not_acknowledged": 1}
    assert escalations["by_agency"] == {
        "fire": {"not_acknowledged": 1},
        "none": {"no_unit_dispatched": 2},
    }


def test_a_measure_with_nothing_to_count_says_no_data_never_zero(
    center: DispatchCenter, clock: FakeClock
) -> None:
    incident = center.report(a_report()).incident.id
    center.route(incident, [Agency.FIRE])
    clock.advance(30)
    center.acknowledge(incident, Agency.FIRE)
    document = report(center, *DAY)
    on_scene = document["nfpa1225"]["by_agency"]["fire"]["on_scene"]
    assert (on_scene["count"], on_scene["percent_within_target"]) == (0, None)
    assert on_scene["status"] == "no_data"

    chart = charts(document)["on_scene_within_target"]
    assert chart.values == [None, None]  # all and fire: no bar height pretending to be 0 %

    html = page_of(document)
    assert "tidak ada data" in html
    assert "n=0" not in html and "<td>0</td><td>0</td><td>0</td><td>–</td>" not in html


def test_labels_are_translated_and_the_period_is_in_wita(
    center: DispatchCenter, clock: FakeClock
) -> None:
    center.report(a_report(category=Category.KECELAKAAN_LALU_LINTAS))
    clock.advance(120)
    indonesian = report(center, *DAY)
    english = report(center, *DAY, lang="en")

    assert indonesian["period"]["from_local"] == "22 Nov 2026 00:00 WITA"
    assert indonesian["labels"]["kecelakaan_lalu_lintas"] == "Kecelakaan lalu lintas"
    assert english["labels"]["kecelakaan_lalu_lintas"] == "Traffic accident"
    assert "Kecelakaan lalu lintas" in charts(indonesian)["calls_by_category"].labels
    page_id = page_of(indonesian)
    page_en = page_of(english)
    assert "lang='id'" in page_id and "Pemrosesan panggilan" in page_id
    assert "lang='en'" in page_en and "Call processing" in page_en
    for page in (page_id, page_en):
        assert "kecelakaan_lalu_lintas" not in page and "no_unit_dispatched" not in page


def test_percentages_are_shown_as_percent_in_the_readers_notation(
    center: DispatchCenter, clock: FakeClock
) -> None:
    a_day(center, clock)
    page = page_of(report(center, *DAY))
    assert "50,0 % (1/2)" in page and "GAGAL" in page


def test_an_incident_passed_from_police_to_fire_is_a_hand_off_with_the_time_lost(
    center: DispatchCenter, clock: FakeClock
) -> None:
    thrown = center.report(a_report()).incident.id
    center.route(thrown, [Agency.POLICE])
    clock.advance(300)
    center.route(thrown, [Agency.FIRE])
    clock.advance(60)
    center.acknowledge(thrown, Agency.FIRE)
    joint = center.report(a_report()).incident.id
    center.route(joint, [Agency.FIRE, Agency.MEDICAL])
    clock.advance(30)
    center.acknowledge(joint, Agency.MEDICAL)

    document = report(center, *DAY)
    found = document["handoffs"]

    assert found["incidents"] == 1
    assert found["by_pair"] == [
        {
            "week": "2026-W47",
            "from": "police",
            "to": "fire",
            "count": 1,
            "time_lost_p50_s": 360.0,
            "time_lost_p90_s": 360.0,
            "time_lost_max_s": 360.0,
        }
    ]
    page = page_of(document)
    assert "Polri (Polresta/Polsek) → Damkar" in page


def test_the_screening_is_judged_by_what_each_banded_call_turned_out_to_be(
    center: DispatchCenter, clock: FakeClock
) -> None:
    a_day(center, clock)  # the prank was banded high and the call-back confirmed it false
    document = report(center, *DAY)
    by_band = document["screening"]["by_band"]
    assert by_band["high"] == {"false": 1, "genuine": 0, "unknown": 0}
    page = page_of(document)
    assert "Kinerja penyaringan panggilan palsu" in page
    assert "kemungkinan palsu tinggi" in page
