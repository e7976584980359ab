"""/docs and /redoc render in Chromium with every request to another host refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, ConsoleMessage, expect

from tests.e2e.browser import (  # noqa: F401 (module fixtures: browser, console_server)
    browser_fixture,
    console_server_fixture,
    open_page,
    screenshot,
)
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e


def policy_violations(messages: list[ConsoleMessage]) -> list[str]:
    return [m.text for m in messages if "Content Security Policy" in m.text]


def test_swagger_ui_lists_the_operations_offline_under_the_consoles_policy(
    browser: Browser, console_server: RunningServer
) -> None:
    docs = open_page(browser, console_server.url, "/docs")
    messages: list[ConsoleMessage] = []
    docs.page.on("console", lambda message: messages.append(message))
    docs.page.reload()  # again, now that every console message is heard

    intake = docs.page.locator(".opblock-post", has_text="/api/reports").first
    expect(intake).to_be_visible(timeout=15_000)
    expect(intake.locator(".opblock-summary-method")).to_have_text("POST")
    events = docs.page.locator(".opblock-get", has_text="/api/incidents/{incident_id}/events")
    expect(events.first).to_be_visible()
    screenshot(docs.page, "api-docs-swagger-ui")

    assert docs.foreign_requests == []
    assert docs.errors == []
    assert policy_violations(messages) == []


def test_redoc_lists_the_operations_offline_under_the_consoles_policy(
    browser: Browser, console_server: RunningServer
) -> None:
    redoc = open_page(browser, console_server.url, "/redoc")
    messages: list[ConsoleMessage] = []
    redoc.page.on("console", lambda message: messages.append(message))
    redoc.page.reload()  # again, now that every console message is heard

    operation = redoc.page.get_by_text("/api/reports", exact=True).first
    expect(operation).to_be_attached(timeout=15_000)
    expect(redoc.page.locator("[data-section-id]").first).to_be_visible()
    screenshot(redoc.page, "api-docs-redoc")

    assert redoc.foreign_requests == []
    assert redoc.errors == []
    assert policy_violations(messages) == []
