"""The console's own path: a call taken with the defaults is scored as what the caller said."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Request, expect

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

SILENCE = re.compile(r"hening|tanpa suara|tidak bersuara|silent", re.IGNORECASE)


def test_a_fire_with_a_child_trapped_taken_with_the_defaults_is_low_with_a_unit_per_agency(
    browser: Browser, console_server: RunningServer
) -> None:
    watched = open_page(browser, console_server.url)
    page = watched.page
    sign_in_with_keyboard(page, console_server.tokens["operator"])
    sent: list[dict[str, Any]] = []

    def keep_report(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/api/reports"):
            sent.append(json.loads(request.post_data or "{}"))

    page.on("request", keep_report)

    # Given a call-taker following the call script, who leaves "caller silent" as it is
    call = Call(persons="3", injuries="1", description="api besar, ada anak terjebak")
    type_call_script(page, call)
    page.keyboard.press("Tab")  # the silence tick is next in the script, and unticked
    expect(page.locator("#f-silent")).to_be_focused()
    expect(page.locator("#f-silent")).not_to_be_checked()
    page.keyboard.press("Control+Enter")
    page.locator("#result-number").wait_for(timeout=10_000)

    # Then the console said the caller spoke, and the result is a genuine fire
    assert sent and sent[-1]["silent"] is False and "first_speech_s" not in sent[-1]
    result = page.locator("#result-body")
    expect(result.locator(".band-word")).to_have_text("RENDAH")
    expect(result.locator(".reasons")).not_to_have_text(SILENCE)
    expect(result.locator(".callback")).to_have_count(0)
    expect(result.locator(".verify-note")).to_have_count(0)

    # And each recommended agency has a first unit to send
    number = page.locator("#result-number").inner_text()
    operator = {"Authorization": f"Bearer {console_server.tokens['operator']}"}
    found = httpx.get(f"{console_server.url}/api/incidents", headers=operator).json()
    incident = next(i for i in found["incidents"] if i["number"] == number)
    advice = httpx.get(
        f"{console_server.url}/api/incidents/{incident['id']}/recommendation", headers=operator
    ).json()["recommendation"]
    agencies = advice["agencies"]
    assert "fire" in agencies
    first = {u["agency"] for u in advice["units"]}
    assert set(agencies) <= first
    choices = result.locator(".agency-list > li:not(.other-agencies) .unit-choice")
    expect(choices).to_have_count(len(agencies))
    for i in range(len(agencies)):
        expect(choices.nth(i)).to_contain_text(re.compile(r"±\d+ mnt"))
    screenshot(page, "console-intake-default-fire")
    assert watched.foreign_requests == [] and watched.errors == []
