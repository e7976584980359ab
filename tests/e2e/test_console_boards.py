"""An agency works from its board: the report's details, a call-back number, time in status,
a map, acknowledgement with one key, nothing sideways at 1366, the center's clock, axe clean."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.axe import serious_violations
from tests.e2e.browser import (  # noqa: F401 (module fixtures: browser, console_server)
    VIEWPORT,
    browser_fixture,
    console_server_fixture,
    open_page,
    screenshot,
    sign_in_with_keyboard,
)
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e
AT = {"lat": -0.5021, "lon": 117.1536, "accuracy_m": 15, "source": "aml"}


def report_and_route(server: RunningServer, agency: str, **fields: Any) -> dict[str, Any]:
    """A call recorded and routed through the API, as the console does it."""
    operator = {"Authorization": f"Bearer {server.tokens['operator']}"}
    body = {"report_id": str(uuid.uuid4()), **fields}
    incident: dict[str, Any] = httpx.post(
        f"{server.url}/api/reports", json=body, headers=operator
    ).json()["incident"]
    routed = httpx.post(
        f"{server.url}/api/incidents/{incident['id']}/route",
        json={"agencies": [agency]},
        headers=operator,
    )
    assert routed.status_code == 200, routed.text
    return incident


def sideways(page: Page) -> list[str]:
    """The page, or any panel, that is wider than it shows (it would scroll sideways)."""
    found: list[str] = page.evaluate(
        """() => [document.scrollingElement, ...document.querySelectorAll('.panel, main')]
            .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollLeft > 0)
            .map((el) => `${el.className || el.tagName} ${el.scrollWidth}>${el.clientWidth}`)"""
    )
    return found


def test_a_fire_board_shows_the_callers_words_and_acknowledges_the_selected_row_with_a(
    browser: Browser, console_server: RunningServer
) -> None:
    # Given a routed fire with a child trapped, a hazard and a second caller's words
    incident = report_and_route(
        console_server,
        "fire",
        category="kebakaran",
        caller_number="+6281350002222",
        description="anak terjebak di lantai dua",
        injuries=2,
        persons_involved=4,
        hazards=["tabung gas"],
        address_text="Gang Mawar no. 7, rumah cat hijau dekat warung",
        location={"lat": -0.4906123, "lon": 117.1442987, "accuracy_m": 9, "source": "aml"},
    )
    board = open_page(browser, console_server.url, "/board/fire")
    page = board.page
    sign_in_with_keyboard(page, console_server.tokens["agency:fire"])

    # Then its row carries the words, the hurt, the hazard, a call-back number and coordinates
    row = page.locator("#incidents tbody tr", has_text=incident["number"])
    expect(row).to_contain_text("anak terjebak di lantai dua")
    expect(row).to_contain_text("2 korban luka")
    expect(row).to_contain_text("tabung gas")
    expect(row.locator(".bd-callback a")).to_have_attribute("href", "tel:+6281350002222")
    expect(row).to_contain_text("-0.49061, 117.14430")
    # and each unit its time in status, ticking
    in_status = page.locator("#units tbody tr .bd-in-status").first
    expect(in_status).to_contain_text("dalam status ini")
    before = in_status.inner_text()
    expect(in_status).not_to_have_text(before, timeout=3000)
    # and the map shows the agency's incidents
    expect(page.locator("#board-map .layer-incidents .marker").first).to_be_attached()

    # When the dispatcher selects the row with the arrow keys and presses A
    page.locator("#incidents tbody tr").first.focus()
    rows = page.locator("#incidents tbody tr")
    for _ in range(rows.count()):
        if page.locator("#incidents tbody tr.selected", has_text=incident["number"]).count():
            break
        page.keyboard.press("ArrowDown")
    expect(row).to_have_class(re.compile("selected"))
    page.keyboard.press("a")

    # Then it is acknowledged, and nothing on the board scrolls sideways at 1366
    expect(row).to_contain_text("✓ dikonfirmasi")
    page.locator("#units tbody select").first.focus()
    page.keyboard.press("End")
    assert page.viewport_size == VIEWPORT
    assert page.evaluate("document.scrollingElement.scrollWidth") <= VIEWPORT["width"]
    assert sideways(page) == []
    screenshot(page, "board-fire-details-acknowledged-with-a")
    assert board.foreign_requests == [] and board.errors == []


def test_the_board_clock_shows_the_centers_time_on_a_workstation_set_to_utc(
    browser: Browser, console_server: RunningServer
) -> None:
    # Given a workstation whose clock is set to UTC
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID", timezone_id="UTC")
    page = context.new_page()
    page.goto(f"{console_server.url}/board/police")
    sign_in_with_keyboard(page, console_server.tokens["agency:police"])
    # When the board's clock runs, then it shows WITA (UTC+8), not UTC
    clock = page.locator("#clock")
    expect(clock).to_have_text(re.compile(r"\d\d\.\d\d\.\d\d"))
    shown = datetime.strptime(clock.inner_text(), "%H.%M.%S").time()
    wita = datetime.now(ZoneInfo("Asia/Makassar"))
    candidates = [(wita + timedelta(seconds=s)).time().replace(microsecond=0) for s in range(-5, 2)]
    assert shown in candidates, f"{shown} is not WITA {wita.time()}"
    screenshot(page, "board-police-clock-wita-on-utc-workstation")
    context.close()


@pytest.mark.parametrize("agency", ["police", "fire", "medical", "bpbd", "sar"])
def test_each_board_has_no_serious_accessibility_violation(
    browser: Browser, console_server: RunningServer, agency: str
) -> None:
    # Given the board with an incident waiting (rows, timers, a marker on the map)
    incident = report_and_route(console_server, agency, description="jalan tertutup", location=AT)
    board = open_page(browser, console_server.url, f"/board/{agency}")
    sign_in_with_keyboard(board.page, console_server.tokens[f"agency:{agency}"])
    expect(board.page.locator("#incidents tbody tr", has_text=incident["number"])).to_be_visible()
    expect(board.page.locator("#board-map .layer-incidents .marker").first).to_be_attached()
    # Then axe-core finds nothing serious
    assert serious_violations(board.page) == []


def test_the_console_has_no_serious_accessibility_violation(
    browser: Browser, console_server: RunningServer
) -> None:
    # Given the console with an incident on the map and in the queue
    incident = report_and_route(console_server, "police", description="perkelahian", location=AT)
    console = open_page(browser, console_server.url)
    sign_in_with_keyboard(console.page, console_server.tokens["operator"])
    console.page.locator("#map path.area").first.wait_for(timeout=5000)
    expect(console.page.locator("#queue li", has_text=incident["number"])).to_be_visible()
    expect(console.page.locator("#map .layer-incidents .marker").first).to_be_attached()
    # Then axe-core finds nothing serious
    assert serious_violations(console.page) == []
