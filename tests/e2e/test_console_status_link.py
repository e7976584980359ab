"""The caller's status link from the incident detail: created (or sent by SMS) by a call-center
role, copied with one button, and showing the caller the progress and nothing else."""

from __future__ import annotations

import re
import uuid
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.browser import (  # noqa: F401 (module fixtures: browser, console_server)
    browser_fixture,
    console_server_fixture,
    open_page,
    screenshot,
    sign_in_with_keyboard,
)
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e
CALLER = "+6281350007777"
WORDS = "Api di dapur, ada anak di dalam"


def reported(server: RunningServer) -> dict[str, Any]:
    operator = {"Authorization": f"Bearer {server.tokens['operator']}"}
    body = {
        "report_id": str(uuid.uuid4()),
        "category": "kebakaran",
        "caller_number": CALLER,
        "description": WORDS,
        "location": {"lat": -0.4871, "lon": 117.1502, "accuracy_m": 10, "source": "aml"},
    }
    answer = httpx.post(f"{server.url}/api/reports", json=body, headers=operator)
    assert answer.status_code == 201, answer.text
    incident: dict[str, Any] = answer.json()["incident"]
    return incident


def open_detail(page: Page, number: str) -> None:
    page.locator("#queue-panel button.q-item", has_text=number).click()
    expect(page.locator("#detail-state")).to_contain_text("GPS")


def test_a_call_taker_creates_copies_and_sends_a_status_link_the_caller_sees_progress_only(
    browser: Browser, console_server: RunningServer
) -> None:
    incident = reported(console_server)
    watched = open_page(browser, console_server.url)
    page = watched.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=console_server.url)
    sign_in_with_keyboard(page, console_server.tokens["operator"])
    open_detail(page, incident["number"])

    # One button makes the link; it is shown, selected, ready to read out
    page.locator("#status-link-create").click()
    link = page.locator("#status-link-url")
    expect(link).to_have_value(re.compile(rf"^{re.escape(console_server.url)}/s/[\w-]{{8,64}}$"))
    expect(link).to_be_focused()
    url = link.input_value()

    # Copy puts it on the clipboard
    page.locator("#status-link-copy").click()
    expect(page.locator("#status-link-outcome")).to_have_text("✓ Tautan disalin")
    assert page.evaluate("navigator.clipboard.readText()") == url

    # Sent by SMS to the caller's number: the console says where it went (masked, as the
    # server gives it back)
    page.locator("#status-link-sms").click()
    expect(page.locator("#status-link-outcome")).to_have_text(
        re.compile(r"^✓ Dikirim lewat SMS ke \+62813\*+777$")
    )
    assert link.input_value() != url  # a new link, with its own token
    screenshot(page, "console-detail-status-link")
    assert watched.foreign_requests == [] and watched.errors == []

    # The caller opens it without signing in: the progress, not the report
    caller = open_page(browser, console_server.url, url.removeprefix(console_server.url))
    expect(caller.page.locator("main")).to_contain_text("Laporan diterima")
    shown = caller.page.locator("body").inner_text()
    assert WORDS not in shown and CALLER not in shown and "117.15" not in shown
    screenshot(caller.page, "status-link-caller-page")


def test_an_auditor_reads_the_detail_but_is_offered_no_status_link(
    browser: Browser, console_server: RunningServer
) -> None:
    incident = reported(console_server)
    watched = open_page(browser, console_server.url)
    page = watched.page
    sign_in_with_keyboard(page, console_server.tokens["auditor"])
    open_detail(page, incident["number"])
    expect(page.locator("#detail-timeline")).to_contain_text("Laporan diterima")
    expect(page.locator("#detail-status-link")).to_have_count(0)
    assert watched.errors == []
