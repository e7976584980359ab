"""The present: what it keeps, what it forgets, and who sees what of it."""

from __future__ import annotations

from dataclasses import dataclass

from dispatch.center import DispatchCenter
from dispatch.permissions import visible_to
from domain.taxonomy import Agency, Disposition
from tests.support import FakeClock, a_report

DAY = 24 * 3600
NUMBER = "+6285200000077"


@dataclass(frozen=True)
class Viewer:
    agency: Agency | None


def test_a_closed_incident_leaves_the_present_after_its_window_and_an_open_one_stays(
    center: DispatchCenter, clock: FakeClock
) -> None:
    still_open = center.report(a_report(caller_number="+6285200000001")).incident
    closed = center.report(a_report(caller_number="+6285200000002")).incident
    center.close_incident(closed.id, Disposition.GENUINE, "padam")
    assert closed.id in {i.id for i in center.present.incidents(include_closed=True)}
    # When a day and more has passed on the floor (a later call moves the present's horizon)
    clock.advance(DAY + 120)
    center.report(a_report(caller_number="+6285200000003"))
    # Then the closed incident has left the present; the open one is there however old
    kept = {i.id for i in center.present.incidents(include_closed=True)}
    assert closed.id not in kept
    assert still_open.id in kept


def test_a_callers_prior_dispositions_stay_counted_after_the_calls_leave_the_window(
    center: DispatchCenter, clock: FakeClock
) -> None:
    prank = center.report(a_report(caller_number=NUMBER)).incident
    center.close_incident(prank.id, Disposition.PRANK, "iseng")
    clock.advance(31 * DAY)
    center.report(a_report(caller_number="+6285200000009"))  # the horizon moves on
    history = center.present.caller_history(NUMBER, clock.now)
    assert (history.calls_30d, history.prior_false) == (0, 1)
    assert center.present.calls_from(NUMBER) == []  # the call itself left the window


def test_a_late_note_on_an_incident_that_left_brings_it_back_as_it_is(
    center: DispatchCenter, clock: FakeClock
) -> None:
    closed = center.report(a_report()).incident
    center.close_incident(closed.id, Disposition.GENUINE, "padam")
    clock.advance(2 * DAY)
    center.report(a_report(caller_number="+6285200000010"))
    center.reopen(closed.id, "api menyala lagi")
    reopened = center.present.incident(closed.id)
    assert reopened is not None and not reopened.is_closed
    assert reopened.version == center.get_incident(closed.id).version


def test_a_note_does_not_change_what_the_router_reads(center: DispatchCenter) -> None:
    incident = center.report(a_report()).incident
    since = center.present.refresh()
    center.add_note(incident.id, "pemilik rumah sudah keluar")
    changed = center.present.routing_changes(since)
    assert changed is not None and incident.id not in changed[1]
    center.route(incident.id, [Agency.FIRE])
    changed = center.present.routing_changes(since)
    assert changed is not None and incident.id in changed[1]


def test_catch_up_sees_a_write_just_made(center: DispatchCenter) -> None:
    incident = center.report(a_report()).incident
    head = center.recorder.max_notification_id() or 0
    assert center.present.catch_up(head) >= head
    assert center.present.incident(incident.id) is not None


def test_an_agency_sees_only_incidents_routed_to_it_and_the_call_center_sees_all(
    center: DispatchCenter,
) -> None:
    incident = center.route(center.report(a_report()).incident.id, [Agency.FIRE])
    assert visible_to(Viewer(None), incident)
    assert visible_to(Viewer(Agency.FIRE), incident)
    assert not visible_to(Viewer(Agency.POLICE), incident)
