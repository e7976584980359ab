"""A second caller adds to the first: linking a duplicate carries its words to the primary,
its history, its agencies' feeds and nobody else's."""

from __future__ import annotations

from tests.feeds import Desk, Message, has_event, until
from tests.unit.feeds.conftest import Connect

SECOND_CALLER = "+6281350002222"
WORDS = "Anak di lantai dua tidak bernapas"


def link_second_call(desk: Desk, primary: str) -> str:
    second = desk.report(
        caller_number=SECOND_CALLER, description=WORDS, injuries=2, persons_involved=3
    )
    desk.post(f"/api/incidents/{second}/link", {"primary_id": primary})
    return second


def test_linking_a_duplicate_records_the_second_callers_words_in_the_primarys_history(
    desk: Desk,
) -> None:
    primary = desk.report(caller_number="+6281350001111")
    desk.route(primary, "fire")

    second = link_second_call(desk, primary)

    events = desk.get(f"/api/incidents/{primary}/events").json()["events"]
    [stacked] = [e for e in events if e["type"] == "StackedCallAdded"]
    assert stacked["data"]["description"] == WORDS
    assert stacked["data"]["injuries"] == 2
    assert stacked["data"]["persons_involved"] == 3
    assert stacked["data"]["caller_number"] == SECOND_CALLER
    assert stacked["data"]["duplicate_id"] == second
    assert stacked["data"]["location"]["source"] == "aml"
    state = desk.get(f"/api/incidents/{primary}").json()
    assert [c["description"] for c in state["stacked_calls"]] == [WORDS]
    assert state["description"] != WORDS  # the first caller's words are kept as they were


def test_the_primarys_agency_gets_the_update_from_a_second_caller_and_no_other_agency_does(
    desk: Desk, connect: Connect
) -> None:
    primary = desk.report(caller_number="+6281350001111")
    desk.route(primary, "fire")
    with (
        connect("/ws/agencies/fire", "agency:fire") as fire,
        connect("/ws/agencies/police", "agency:police") as police,
    ):
        fire.receive_json(), police.receive_json()
        link_second_call(desk, primary)
        theft = desk.report(category="kriminal")
        desk.route(theft, "police")
        to_fire = until(fire, has_event("StackedCallAdded", primary))
        to_police = until(police, has_event("Routed", theft))

    [update] = [m for m in to_fire if m.get("event") == "StackedCallAdded"]
    assert update["update"]["title_en"] == "Update from a second caller"
    assert update["update"]["description"] == WORDS
    assert update["update"]["caller_number"] == SECOND_CALLER
    notes = update["eido"]["notesComponent"]
    assert any(WORDS in n["notesActionComments"] for n in notes)
    assert not [m for m in to_police if _mentions(m, primary)]


def _mentions(message: Message, incident_id: str) -> bool:
    incident = message.get("incident") or {}
    return bool(incident.get("id") == incident_id)
