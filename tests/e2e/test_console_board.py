"""A routed incident reaches the fire board live; its acknowledgement reaches the console."""

from __future__ import annotations

import time

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
def test_a_routed_call_shows_on_the_fire_board_within_2_s_and_its_acknowledgement_on_the_console(
    browser: Browser, console_server: RunningServer
) -> None:
    # Given a call-taker's console and the fire dispatchers' board, both signed in
    console = open_page(browser, console_server.url)
    sign_in_with_keyboard(console.page, console_server.tokens["operator"])
    board = open_page(browser, console_server.url, "/board/fire")
    sign_in_with_keyboard(board.page, console_server.tokens["agency:fire"])
    expect(board.page.locator("#board-title")).to_contain_text("Damkar")
    expect(board.page.locator("#units tbody tr").first).to_be_visible()

    # When a fire call is taken and routed with one key
    # (at a spot of its own: near another open call, the suggested duplicate takes the focus)
    number = take_call_with_keyboard(console.page, Call(location="-0.4650, 117.1550"))
    console.page.keyboard.press("Enter")
    expect(console.page.locator("#route-outcome")).to_contain_text("Dirutekan")
    routed_at = time.monotonic()

    # Then the board shows it within 2 seconds, waiting for acknowledgement
    row = board.page.locator("#incidents tbody tr", has_text=number)
    expect(row).to_be_visible(timeout=2000)
    assert time.monotonic() - routed_at <= 2.0
    expect(row).to_contain_text("belum dikonfirmasi")
    screenshot(board.page, "board-fire-new-incident")

    # When the fire dispatcher acknowledges it on the board
    row.get_by_role("button", name="Konfirmasi").click()
    expect(row).to_contain_text("✓ dikonfirmasi")

    # Then the console shows the acknowledgement, in the queue and on the result
    item = console.page.locator("#queue li", has_text=number)
    expect(item.locator(".ack-mark.acked")).to_contain_text("Damkar ✓", timeout=3000)
    expect(console.page.locator("#result-body")).to_contain_text("✓ dikonfirmasi")
    screenshot(console.page, "console-acknowledged-by-fire")
    screenshot(board.page, "board-fire-acknowledged")
    for page in (console, board):
        assert page.foreign_requests == [] and page.errors == []
