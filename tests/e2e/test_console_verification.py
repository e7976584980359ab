"""The call-back queue: flagged reports wait visibly, call-back-first on top; one key confirms."""

from __future__ import annotations

import random
import uuid
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.browser import (  # noqa: F401 (module fixtures: browser, console_server)
    browser_fixture,
    console_server_fixture,
    open_page,
    screenshot,
    sign_in_with_keyboard,
)
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e
MAHAKAM_BANK = {"lat": -0.5012, "lon": 117.1489, "source": "aml", "accuracy_m": 15}


def report(server: RunningServer, **fields: Any) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {server.tokens['operator']}"}
    body = {"report_id": str(uuid.uuid4()), "location": MAHAKAM_BANK, **fields}
    answer = httpx.post(f"{server.url}/api/reports", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    incident: dict[str, Any] = answer.json()["incident"]
    return incident


def test_a_silent_repeat_call_is_called_back_first_confirmed_and_routed_with_the_keyboard(
    browser: Browser, console_server: RunningServer
) -> None:
    # Given a silent call, then a second silent call from the same number
    number = f"+62812{random.randint(10_000_000, 99_999_999)}"
    report(console_server, caller_number=number, silent=True, category="lainnya")
    again = report(console_server, caller_number=number, silent=True, category="lainnya")
    assert again["verification"]["callback_first"], again["verification"]
    watched = open_page(browser, console_server.url)
    page = watched.page
    sign_in_with_keyboard(page, console_server.tokens["operator"])

    # The repeat call waits at the top of the call-back queue, with its waiting time
    first = page.locator("#verify-queue > li").first
    expect(first).to_contain_text(again["number"])
    expect(first).to_contain_text("telepon balik lebih dulu")
    expect(first).to_contain_text("menunggu")
    page.keyboard.press("F9")
    expect(page.locator("#verify-queue button:focus")).to_contain_text(again["number"])
    screenshot(page, "console-verification-queue")

    # When the call-back confirms a real emergency: Tab to "genuine, route", Enter
    page.keyboard.press("Tab")
    expect(page.locator("#verify-queue button:focus")).to_contain_text("Asli, rute")
    page.keyboard.press("Enter")

    # Then it leaves the call-back queue and is routed as recommended
    expect(page.locator("#verify-queue")).not_to_contain_text(again["number"])
    routed = page.locator("#queue li", has_text=again["number"])
    expect(routed.locator(".chip.status-routed, .chip.status-dispatched")).to_be_visible()
    assert watched.foreign_requests == [] and watched.errors == []


def test_a_prank_is_dismissed_with_a_disposition_and_a_reason(
    browser: Browser, console_server: RunningServer
) -> None:
    prank = report(
        console_server,
        caller_number=f"+62813{random.randint(10_000_000, 99_999_999)}",
        category="lainnya",
        description="halo halo cuma iseng hahaha",
        call_duration_s=5,
    )
    assert prank["verification"]["pending"], prank["score"]
    watched = open_page(browser, console_server.url)
    page = watched.page
    sign_in_with_keyboard(page, console_server.tokens["operator"])
    item = page.locator("#verify-queue > li", has_text=prank["number"])
    item.get_by_role("button", name="Palsu…").click()

    dialog = page.locator("#dismiss")
    expect(dialog.locator("select")).to_be_focused()
    dialog.locator("select").select_option("prank")
    dialog.get_by_role("button", name="Terapkan").click()
    expect(dialog).to_contain_text("Alasan")  # no reason: refused, the field is named
    expect(dialog.locator("input[name=reason]")).to_have_attribute("aria-invalid", "true")
    dialog.locator("input[name=reason]").fill("ditelepon balik: anak-anak bermain telepon")
    dialog.get_by_role("button", name="Terapkan").click()

    expect(dialog).to_be_hidden()
    expect(page.locator("#verify-queue")).not_to_contain_text(prank["number"])
    operator = {"Authorization": f"Bearer {console_server.tokens['operator']}"}
    closed = httpx.get(f"{console_server.url}/api/incidents/{prank['id']}", headers=operator)
    assert (closed.json()["status"], closed.json()["disposition"]) == ("closed", "prank")
    assert watched.foreign_requests == [] and watched.errors == []
