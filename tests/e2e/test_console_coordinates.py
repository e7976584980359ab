"""GPS on screen to 5 decimals (about a metre) wherever the console and the boards show it: a
handset's location arrives with 16 decimals, and a call-taker reading it aloud needs five."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import (  # noqa: F401 (module fixtures: browser, console_server)
    Call,
    browser_fixture,
    console_server_fixture,
    open_page,
    screenshot,
    sign_in_with_keyboard,
    type_call_script,
)
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e

LONG = {"lat": -0.4809935940697633, "lon": 117.14423817263541}
SHOWN = "-0.48099, 117.14424"
# A coordinate-like number with more than five decimals, anywhere in the text.
TOO_PRECISE = re.compile(r"\d{1,3}\.\d{6,}")


def reported(server: RunningServer) -> dict[str, Any]:
    """A call with a handset's long-decimal location, taken at another console and routed."""
    operator = {"Authorization": f"Bearer {server.tokens['operator']}"}
    body = {
        "report_id": str(uuid.uuid4()),
        "category": "kebakaran",
        "description": "Asap dari dapur rumah makan",
        "location": {**LONG, "accuracy_m": 11, "source": "aml"},
    }
    answer = httpx.post(f"{server.url}/api/reports", json=body, headers=operator)
    assert answer.status_code == 201, answer.text
    incident: dict[str, Any] = answer.json()["incident"]
    routed = httpx.post(
        f"{server.url}/api/incidents/{incident['id']}/route",
        json={"agencies": ["fire"]},
        headers=operator,
    )
    assert routed.status_code == 200, routed.text
    return incident


def too_precise(page: Page) -> list[str]:
    found: list[str] = TOO_PRECISE.findall(page.locator("body").inner_text())
    return found


def test_a_long_decimal_location_shows_to_five_decimals_on_intake_result_detail_and_board(
    browser: Browser, console_server: RunningServer
) -> None:
    incident = reported(console_server)
    watched = open_page(browser, console_server.url)
    page = watched.page
    sign_in_with_keyboard(page, console_server.tokens["operator"])

    # Intake: the typed 16 decimals are read back to five, and so is the saved result
    type_call_script(page, Call(location=f"{LONG['lat']}, {LONG['lon']}"))
    expect(page.locator("#location-preview")).to_contain_text(f"Koordinat {SHOWN}")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#result-body .place")).to_contain_text(SHOWN)
    assert too_precise(page) == []  # the field keeps what was typed: a value, not page text

    # Detail of the routed one: GPS to five decimals, with its accuracy and source
    page.locator("#queue-panel button.q-item", has_text=incident["number"]).click()
    gps = page.locator("#detail-state .kv", has_text="GPS")
    expect(gps).to_contain_text(f"{SHOWN} ±11 m")
    screenshot(page, "console-detail-gps-5-decimals")
    assert too_precise(page) == []

    # A point picked on the map goes into the location field with five decimals too
    page.keyboard.press("Escape")
    page.keyboard.press("F2")
    box = page.locator("#map").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.8)
    expect(page.locator("#f-location")).to_have_value(re.compile(r"^-?\d+\.\d{5}, \d+\.\d{5}$"))
    assert watched.foreign_requests == [] and watched.errors == []

    # The fire board: the row shows the same five decimals
    board = open_page(browser, console_server.url, "/board/fire")
    sign_in_with_keyboard(board.page, console_server.tokens["agency:fire"])
    row = board.page.locator("#incidents tbody tr", has_text=incident["number"])
    expect(row).to_contain_text(SHOWN)
    assert too_precise(board.page) == []
    screenshot(board.page, "board-gps-5-decimals")
    assert board.foreign_requests == [] and board.errors == []
