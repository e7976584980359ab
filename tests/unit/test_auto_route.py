"""Auto-routing: the recommendation's agencies, taken as they are, route the new incident."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.incident import Incident
from domain.taxonomy import Agency, Category
from tests.support import FakeClock, a_report


@pytest.fixture
def auto_routing(tmp_path: Path, clock: FakeClock) -> Iterator[DispatchCenter]:
    built = build_center(Settings(database_url="memory://", var_dir=tmp_path, auto_route=True))
    built.clock = clock
    yield built
    built.close()


def test_a_report_is_routed_to_the_agencies_it_is_recommended(
    auto_routing: DispatchCenter,
) -> None:
    # Given a fire with an injured person, reported with auto-routing on
    result = auto_routing.report(a_report(category=Category.KEBAKARAN, injuries=1))
    advice = result.recommendation
    assert advice is not None and Agency.FIRE in advice.agencies
    # Then the incident is routed to exactly those agencies, by the system
    incident = auto_routing.get_incident(result.incident.id)
    assert incident.agencies == list(advice.agencies)
    routed = [
        e for e in auto_routing.incident_events(incident.id) if isinstance(e, Incident.Routed)
    ]
    assert [(e.agencies, e.actor) for e in routed] == [(list(advice.agencies), "system:auto-route")]


def test_without_auto_routing_a_report_waits_for_the_operator(center: DispatchCenter) -> None:
    result = center.report(a_report(category=Category.KEBAKARAN, injuries=1))
    assert result.recommendation is not None and result.recommendation.agencies
    assert center.get_incident(result.incident.id).agencies == []
