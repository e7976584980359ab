"""An incident's timeline, by id or radio number, as JSON and as a text table."""

from __future__ import annotations

import pytest

from dispatch.center import DispatchCenter
from dispatch.context import acting_as
from dispatch.errors import IncidentNotFound
from domain.taxonomy import Agency
from replay.timeline import render_text, timeline
from tests.support import a_report


def test_a_timeline_lists_every_event_with_its_position_actor_and_type(
    center: DispatchCenter,
) -> None:
    with acting_as("operator:sari"):
        incident = center.report(a_report()).incident
        center.route(incident.id, [Agency.FIRE])
        center.add_note(incident.id, "penelepon di lokasi")
    document = timeline(center, str(incident.id))
    events = document["events"]
    assert [e["type"] for e in events] == ["Reported", "Scored", "Routed", "NoteAdded"]
    assert [e["actor"] for e in events] == [
        "operator:sari",
        "system:classifier",
        "operator:sari",
        "operator:sari",
    ]
    positions = [e["position"] for e in events]
    assert positions == sorted(positions) and len(set(positions)) == 4
    assert events[3]["data"] == {"text": "penelepon di lokasi"}


@pytest.mark.timeshift
def test_a_timeline_can_be_asked_for_by_radio_number(center: DispatchCenter) -> None:
    center.report(a_report())
    second = center.report(a_report()).incident
    document = timeline(center, second.number)
    assert document["incident_id"] == str(second.id)
    assert document["number"] == "SMD-20261122-0002"


@pytest.mark.parametrize("reference", ["SMD-20261122-0099", "SMD-20261399-0001", "not-an-id"])
def test_an_unknown_reference_is_not_found(center: DispatchCenter, reference: str) -> None:
    center.report(a_report())
    with pytest.raises(IncidentNotFound, match=reference):
        timeline(center, reference)


@pytest.mark.timeshift
def test_the_text_table_shows_one_row_per_event_in_local_time(center: DispatchCenter) -> None:
    incident = center.report(a_report()).incident
    center.add_note(incident.id, "x" * 200)
    text = render_text(timeline(center, incident.number))
    rows = [line for line in text.splitlines() if line[:1].isdigit()]
    assert len(rows) == 3
    assert "2026-11-22 09:30:00" in rows[0]  # 01:30 UTC is 09:30 WITA
    assert "NoteAdded" in rows[2] and "x" * 89 + "…" in rows[2] and "x" * 91 not in rows[2]
