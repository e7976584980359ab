"""A call-taker on a headset takes a call without touching the mouse."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.browser import (  # noqa: F401 (module fixtures: browser, console_server)
    Call,
    browser_fixture,
    console_server_fixture,
    open_page,
    screenshot,
    sign_in_with_keyboard,
    take_call_with_keyboard,
)
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e


@pytest.mark.timeshift  # the radio number and the board timers follow the WITA day
def test_a_call_taker_logs_in_and_takes_a_call_with_the_keyboard_only(
    browser: Browser, console_server: RunningServer
) -> None:
    # Given the console, showing nothing but the login
    watched = open_page(browser, console_server.url)
    page = watched.page
    expect(page.locator("#app")).to_be_hidden()

    # When the call-taker signs in and takes the call with keys only
    sign_in_with_keyboard(page, console_server.tokens["operator"])
    expect(page.locator("#who")).to_contain_text("operator")
    number = take_call_with_keyboard(page, Call(caller="0813 5000 1234"))

    # Then the incident is saved as typed, and it is in the live queue
    assert re.fullmatch(r"SMD-\d{8}-\d{4}", number)
    expect(page.locator("#queue")).to_contain_text(number)
    operator = {"Authorization": f"Bearer {console_server.tokens['operator']}"}
    found = httpx.get(f"{console_server.url}/api/incidents", headers=operator).json()
    incident = next(i for i in found["incidents"] if i["number"] == number)
    assert incident["category"]["code"] == "kebakaran"
    assert (incident["persons_involved"], incident["injuries"]) == (3, 2)
    assert incident["caller_number"] == "+6281350001234"
    assert incident["location"]["source"] == "typed"
    assert incident["address_text"] == "dekat Masjid Raya"
    assert incident["place"]["kecamatan"]
    screenshot(page, "console-intake-keyboard")
    assert watched.foreign_requests == [] and watched.errors == []


def test_a_refused_field_is_named_and_highlighted(
    browser: Browser, console_server: RunningServer
) -> None:
    watched = open_page(browser, console_server.url)
    page = watched.page
    sign_in_with_keyboard(page, console_server.tokens["operator"])
    page.keyboard.press("F2")
    page.keyboard.type("medis")
    page.keyboard.press("Tab")
    page.keyboard.type("Sempaja Selatn")  # a misspelt kelurahan: resolved on screen
    expect(page.locator("#location-preview")).to_contain_text("Sempaja Selatan")
    page.locator("#f-caller").focus()
    page.keyboard.type("12ab")  # not a phone number: the server refuses it, naming the field
    page.keyboard.press("Control+Enter")

    expect(page.locator("#intake-error")).to_contain_text("Nomor penelepon")
    expect(page.locator("#f-caller")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#f-caller")).to_be_focused()
    screenshot(page, "console-intake-422")
    assert watched.foreign_requests == [] and watched.errors == []
