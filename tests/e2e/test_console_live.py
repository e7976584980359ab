"""The console's live feed against the websocket contract: snapshot, deltas, resume, resync.

The browser's WebSocket is replaced by a scripted one, so the client's side of the contract
is checked on its own: what it shows, and which URL it reconnects with.
"""

from __future__ import annotations

import copy
import re
import time
import uuid
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.browser import (  # noqa: F401 (module fixtures: browser, console_server)
    browser_fixture,
    console_server_fixture,
    open_page,
    screenshot,
    sign_in_with_keyboard,
)
from tests.e2e.server import RunningServer
from tests.proxy import CuttableProxy

pytestmark = pytest.mark.e2e

SCRIPTED_WEBSOCKET = """
window.__sockets = [];
window.WebSocket = class {
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    window.__sockets.push(this);
    setTimeout(() => { this.readyState = 1; this.onopen && this.onopen({}); }, 10);
  }
  send() {}
  close(code = 1000) { this.drop(code); }
  drop(code) {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.onclose && this.onclose({ code });
  }
  push(message) { this.onmessage && this.onmessage({ data: JSON.stringify(message) }); }
};
"""


NO_WEBSOCKET = """
window.WebSocket = class {
  constructor(url) { setTimeout(() => this.onclose && this.onclose({ code: 1006 }), 10); }
  send() {}
  close() {}
};
"""


def report(server: RunningServer, **fields: Any) -> dict[str, Any]:
    """A real incident document from the server (the shape the feed sends)."""
    body = {"report_id": str(uuid.uuid4()), "category": "medis", **fields}
    headers = {"Authorization": f"Bearer {server.tokens['operator']}"}
    answer = httpx.post(f"{server.url}/api/reports", json=body, headers=headers)
    assert answer.status_code == 201, answer.text
    incident: dict[str, Any] = answer.json()["incident"]
    return incident


def wait_for_sockets(page: Page, count: int, timeout_s: float = 10) -> None:
    """Until the page has opened `count` sockets (the page's CSP forbids wait_for_function)."""
    deadline = time.monotonic() + timeout_s
    while page.evaluate("window.__sockets.length") < count:
        assert time.monotonic() < deadline, f"no websocket #{count} opened"
        page.wait_for_timeout(20)


def sockets(page: Page) -> list[str]:
    urls: list[str] = page.evaluate("window.__sockets.map(s => s.url)")
    return urls


def push(page: Page, message: dict[str, Any]) -> None:
    page.evaluate("m => window.__sockets.at(-1).push(m)", message)


def test_the_queue_follows_the_feed_and_resumes_after_a_drop_from_the_last_position(
    browser: Browser, console_server: RunningServer
) -> None:
    silent = report(console_server, silent=True, description="")
    flagged = copy.deepcopy(silent)
    flagged["verification"] = {
        "pending": True,
        "callback_first": True,
        "flagged_at": silent["received_at"],
        "verified_genuine": None,
    }
    flagged["status"] = "verifying"
    fire = report(console_server, category="kebakaran", location={"lat": -0.5021, "lon": 117.1536})
    fire["escalations"] = ["no_unit_dispatched"]
    watched = open_page(browser, console_server.url)
    page = watched.page
    page.add_init_script(SCRIPTED_WEBSOCKET)
    page.reload()
    sign_in_with_keyboard(page, console_server.tokens["operator"])

    # A first connection without `after`, answered by a snapshot
    wait_for_sockets(page, 1)
    assert "token=" in sockets(page)[0] and "after=" not in sockets(page)[0]
    push(page, {"type": "snapshot", "position": 10, "incidents": [flagged], "units": []})
    expect(page.locator("#conn")).to_contain_text("terhubung")
    verify = page.locator("#verify-queue")
    expect(verify).to_contain_text(flagged["number"])
    expect(verify).to_contain_text("telepon balik lebih dulu")
    expect(verify).to_contain_text("hening")

    # Deltas and heartbeats move the position; a new incident appears without reload
    push(page, {"type": "incident", "position": 11, "event": "Reported", "incident": fire})
    escalated = page.locator("#queue li", has_text=fire["number"])
    expect(escalated).to_contain_text("ESKALASI: belum ada unit dikirim")
    push(page, {"type": "heartbeat", "position": 12, "at": fire["received_at"]})
    screenshot(page, "console-live-verification-queue")

    # A dropped link: "reconnecting", then a reconnect that resumes after position 12
    page.evaluate("window.__sockets.at(-1).drop(1006)")
    expect(page.locator("#conn")).to_contain_text("menyambung ulang")
    wait_for_sockets(page, 2)
    assert "after=12" in sockets(page)[1]
    closed = {**fire, "status": "closed", "version": fire["version"] + 1}
    push(page, {"type": "incident", "position": 13, "event": "Closed", "incident": closed})
    expect(page.locator("#conn")).to_contain_text("terhubung")
    expect(page.locator("#queue")).not_to_contain_text(fire["number"])

    # A resync: reconnect without `after`, for a fresh snapshot
    push(page, {"type": "resync", "reason": "gap too large"})
    page.evaluate("window.__sockets.at(-1).drop(4000)")
    wait_for_sockets(page, 3)
    assert "after=" not in sockets(page)[2]
    assert watched.foreign_requests == [] and watched.errors == []


def test_after_a_network_drop_the_console_resumes_from_its_position_and_misses_no_incident(
    browser: Browser, console_server: RunningServer
) -> None:
    # Given a console that reaches the server through a link the test can cut
    server_port = int(console_server.url.rsplit(":", 1)[1])
    link = CuttableProxy("127.0.0.1", server_port)
    link.start()
    watched = open_page(browser, f"http://127.0.0.1:{link.port}")
    page = watched.page
    opened: list[str] = []
    page.on("websocket", lambda socket: opened.append(socket.url))
    sign_in_with_keyboard(page, console_server.tokens["operator"])
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    page.locator("#map path.area").first.wait_for(timeout=15_000)  # map loaded before the drop

    # When the link drops and three calls are taken meanwhile at another desk
    link.cut()
    expect(page.locator("#conn")).to_have_attribute(
        "data-state", re.compile("reconnecting|offline")
    )
    missed = [report(console_server, category="kriminal")["number"] for _ in range(3)]
    restored = CuttableProxy("127.0.0.1", server_port)
    restored.port = link.port
    restored.start()

    # Then the console reconnects, resumes after its last position, and shows all three
    for number in missed:
        expect(page.locator("#queue-panel")).to_contain_text(number, timeout=15_000)
    expect(page.locator("#conn")).to_have_attribute("data-state", "live", timeout=15_000)
    assert any("after=" in url for url in opened[1:]), opened
    screenshot(page, "console-resumed-after-drop")
    restored.cut()
    assert watched.foreign_requests == [] and watched.errors == []


def test_without_a_websocket_the_console_polls_and_says_so(
    browser: Browser, console_server: RunningServer
) -> None:
    watched = open_page(browser, console_server.url)
    page = watched.page
    page.add_init_script(NO_WEBSOCKET)
    page.reload()
    sign_in_with_keyboard(page, console_server.tokens["operator"])
    expect(page.locator("#conn")).to_contain_text("polling (websocket tidak tersedia)")
    number = report(console_server, category="banjir")["number"]
    expect(page.locator("#queue-panel")).to_contain_text(number, timeout=2500)
    assert watched.foreign_requests == [] and watched.errors == []


def test_a_map_that_failed_to_load_is_loaded_once_the_link_is_back(
    browser: Browser, console_server: RunningServer
) -> None:
    # Given a console whose map layers cannot be fetched at first
    watched = open_page(browser, console_server.url)
    page = watched.page
    blocked = {"on": True}

    def geo(route: Route) -> None:
        if blocked["on"]:
            route.abort()
        else:
            route.continue_()

    page.route("**/api/geo/**", geo)
    sign_in_with_keyboard(page, console_server.tokens["operator"])
    expect(page.locator("#map-notice")).to_be_visible()
    # When the layers can be fetched again
    blocked["on"] = False
    # Then the console draws the map by itself, without a reload
    page.locator("#map path.area").first.wait_for(timeout=15_000)
    expect(page.locator("#map-notice")).to_be_hidden()
