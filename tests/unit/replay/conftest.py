"""Helpers for the replay tests: a scorer that always flags, a small day of incidents."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from classifier import CallerHistory
from dispatch.center import DispatchCenter
from dispatch.ports import ReportRequest, ScoredReport
from domain.score import Reason, Score
from domain.taxonomy import Agency, Disposition, ScoreBand, UnitStatus, UnitType
from domain.unit import Unit
from domain.values import Location
from tests.support import AWS, FakeClock, a_report


class Flagging:
    """A scorer whose every score is 'high likelihood of a false call'."""

    def score_report(
        self,
        request: ReportRequest,
        location: Location | None,
        history: CallerHistory,
        now: datetime,
    ) -> ScoredReport:
        return ScoredReport(
            Score(
                model_version="sha256:test",
                p_false=0.97,
                band=ScoreBand.HIGH,
                reasons=(
                    Reason(code="prank_marker", text_id="iseng", text_en="prank", weight=2.0),
                ),
                features={"calls_1h": 0},
                p_class={"prank": 0.9},
                safety_rule=None,
                callback_first=False,
            )
        )


def fire_unit(center: DispatchCenter, code: str) -> Unit:
    unit, _ = center.register_unit(
        code, f"Damkar {code}", Agency.FIRE, UnitType.FIRE_ENGINE, "A-DAMKAR-P3", AWS
    )
    return unit


@dataclass
class Day:
    """Three incidents with known timings (FakeClock starts 09:30 WITA on 22 Nov 2026)."""

    fast: (
        UUID  # fire, dispatched after 40 s, acknowledged after 20 s, on scene 380 s after dispatch
    )
    slow: UUID  # fire, dispatched after 90 s, closed genuine
    prank: UUID  # flagged, verified false after 120 s


def a_day(center: DispatchCenter, clock: FakeClock) -> Day:
    f1, f2 = fire_unit(center, "F1"), fire_unit(center, "F2")
    fast = center.report(a_report()).incident.id
    clock.advance(40)
    center.route(fast, [Agency.FIRE], unit_ids=[f1.id])
    clock.advance(20)
    center.acknowledge(fast, Agency.FIRE)
    clock.advance(40)
    center.update_unit_status(f1.id, UnitStatus.EN_ROUTE)
    clock.advance(320)
    center.update_unit_status(f1.id, UnitStatus.ON_SCENE)

    slow = center.report(a_report()).incident.id
    clock.advance(90)
    center.route(slow, [Agency.FIRE], unit_ids=[f2.id])
    clock.advance(30)
    center.acknowledge(slow, Agency.FIRE)
    center.close_incident(slow, Disposition.GENUINE, "api padam")

    center.scoring = Flagging()
    prank = center.report(a_report(description="hahaha iseng")).incident.id
    center.scoring = None
    clock.advance(120)
    center.verify(prank, genuine=False, reason="penelepon tertawa", disposition=Disposition.PRANK)
    return Day(fast, slow, prank)
