"""An agency reads its own record on its board: weeks against targets, the incidents it never
acknowledged (each opening its events), and the same figures as a CSV file."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.axe import serious_violations
from tests.e2e.browser import (  # noqa: F401 (module fixtures: browser, console_server)
    browser_fixture,
    console_server_fixture,
    open_page,
    screenshot,
    sign_in_with_keyboard,
)
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e


def routed_to_police(server: RunningServer, description: str) -> dict[str, Any]:
    """A call recorded and routed to the police through the API, as the console does it."""
    operator = {"Authorization": f"Bearer {server.tokens['operator']}"}
    body = {
        "report_id": str(uuid.uuid4()),
        "category": "kriminal",
        "description": description,
        "caller_number": "+6281350007777",
        "location": {"lat": -0.5021, "lon": 117.1536, "accuracy_m": 15, "source": "aml"},
    }
    incident: dict[str, Any] = httpx.post(
        f"{server.url}/api/reports", json=body, headers=operator
    ).json()["incident"]
    routed = httpx.post(
        f"{server.url}/api/incidents/{incident['id']}/route",
        json={"agencies": ["police"]},
        headers=operator,
    )
    assert routed.status_code == 200, routed.text
    return incident


def test_the_police_board_shows_its_record_opens_an_unacknowledged_incident_and_exports_csv(
    browser: Browser, console_server: RunningServer
) -> None:
    # Given two calls routed to the police, one acknowledged by them and one not
    acknowledged = routed_to_police(console_server, "pencurian motor di parkiran pasar")
    waiting = routed_to_police(console_server, "perkelahian di depan warung")
    police = {"Authorization": f"Bearer {console_server.tokens['agency:police']}"}
    ack = httpx.post(
        f"{console_server.url}/api/incidents/{acknowledged['id']}/acknowledge",
        json={"agency": "police"},
        headers=police,
    )
    assert ack.status_code == 200, ack.text

    # When the police open their board and then their record
    board = open_page(browser, console_server.url, "/board/police")
    page = board.page
    sign_in_with_keyboard(page, console_server.tokens["agency:police"])
    page.locator("#record-details summary").click()

    # Then the weeks are judged against the stated targets, in words and not by colour alone
    record = page.locator("#record-body")
    expect(record.locator("table caption")).to_contain_text("Target: konfirmasi P1")
    expect(record.locator("tbody tr")).to_have_count(12)
    expect(record.locator(".verdict").first).to_be_visible()
    # and the call they never acknowledged is listed, the acknowledged one is not
    unacknowledged = record.locator(".record-list").first
    expect(unacknowledged).to_contain_text(waiting["number"])
    expect(unacknowledged).not_to_contain_text(acknowledged["number"])

    # When they open it, its events show, starting with the report
    unacknowledged.get_by_role("button", name=waiting["number"]).click()
    events = page.locator("#record-events")
    expect(events).to_contain_text(f"Riwayat {waiting['number']}")
    expect(events).to_contain_text("perkelahian di depan warung")

    # And the CSV export carries the same weeks
    with page.expect_download() as download:
        page.locator("#record-csv").click()
    path = download.value.path()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("week,measure,metric,value\n")
    assert text.count(",routed,") == 12

    # Nothing scrolls sideways, axe finds nothing serious, nothing left the server
    overflow = page.evaluate("document.scrollingElement.scrollWidth > innerWidth + 1")
    assert overflow is False
    assert serious_violations(page) == []
    assert board.foreign_requests == [] and board.errors == []
    screenshot(page, "board-record")
