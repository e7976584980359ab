"""Each agency's record: its weeks against targets, its misses and escalations, with links."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any
from uuid import UUID

import pytest
from fastapi.testclient import TestClient

from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.taxonomy import Agency, EscalationReason
from tests.support import FakeClock, Tokens, auth, make_client, report_json, services_of


@pytest.fixture
def timed_client(
    memory_settings: Settings, tokens: Tokens, clock: FakeClock
) -> Iterator[TestClient]:
    # No background watchdog: it reads the clock this test moves by hand, and would escalate
    # "no unit dispatched" whenever it happened to check after a move (a race the test lost
    # every time under libfaketime); the test escalates by hand what it means to.
    settings = memory_settings.model_copy(update={"watchdog_enabled": False})
    with make_client(settings, tokens) as test_client:
        services_of(test_client).center.clock = clock
        yield test_client


def routed_to_fire(client: TestClient, tokens: Tokens) -> dict[str, Any]:
    operator = auth(tokens, "operator")
    made = client.post("/api/reports", json=report_json(), headers=operator)
    incident: dict[str, Any] = made.json()["incident"]
    routed = client.post(
        f"/api/incidents/{incident['id']}/route", json={"agencies": ["fire"]}, headers=operator
    )
    assert routed.status_code == 200, routed.text
    return incident


@pytest.mark.timeshift  # ISO weeks in WITA; the watchdog race showed only under libfaketime
def test_an_agency_reads_its_weeks_misses_and_escalations_with_links_to_the_events(
    timed_client: TestClient, tokens: Tokens, clock: FakeClock
) -> None:
    client = timed_client
    center: DispatchCenter = services_of(client).center
    answered = routed_to_fire(client, tokens)
    clock.advance(30)
    acknowledged = client.post(
        f"/api/incidents/{answered['id']}/acknowledge", json={}, headers=auth(tokens, "agency:fire")
    )
    assert acknowledged.status_code == 200, acknowledged.text
    ignored = routed_to_fire(client, tokens)
    clock.advance(120)
    center.escalate(UUID(ignored["id"]), EscalationReason.NOT_ACKNOWLEDGED, "late", Agency.FIRE)

    answer = client.get("/api/agencies/fire/record", headers=auth(tokens, "agency:fire"))

    assert answer.status_code == 200, answer.text
    record = answer.json()
    assert len(record["weeks"]) == 12
    week = record["weeks"][-1]
    assert (week["routed"], week["escalated"]) == (2, 1)
    ack = week["acknowledgement"]
    assert (ack["count"], ack["missed"], ack["within_target"], ack["status"]) == (2, 1, 1, "fail")
    earlier = {r["acknowledgement"]["status"] for r in record["weeks"][:-1]}
    assert earlier == {"no_data"}  # weeks with nothing routed say so, not 0 %
    events = f"/api/incidents/{ignored['id']}/events"
    assert [i["events"] for i in record["unacknowledged"]] == [events]
    assert record["escalated"][0]["reasons"] == ["not_acknowledged"]
    assert client.get(events, headers=auth(tokens, "agency:fire")).status_code == 200
    assert {i["number"] for i in week["incidents"]} == {answered["number"], ignored["number"]}


def test_another_agency_may_not_read_the_record_and_a_supervisor_may(
    client: TestClient, tokens: Tokens
) -> None:
    url = "/api/agencies/fire/record"
    assert client.get(url, headers=auth(tokens, "agency:police")).status_code == 403
    assert client.get(url, headers=auth(tokens, "supervisor")).status_code == 200
    assert (
        client.get("/api/agencies/navy/record", headers=auth(tokens, "auditor")).status_code == 404
    )


def test_the_record_exports_as_csv_one_value_per_row(
    timed_client: TestClient, tokens: Tokens
) -> None:
    routed_to_fire(timed_client, tokens)
    answer = timed_client.get(
        "/api/agencies/fire/record", params={"format": "csv"}, headers=auth(tokens, "supervisor")
    )
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    routed = [r["value"] for r in rows if r["metric"] == "routed"]
    assert len(routed) == 12 and routed[-1] == "1"
