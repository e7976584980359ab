"""A call-taker at the console of a node that runs two serving processes (`serve --workers 2`):
the console's requests and its live feed may land on different workers; it behaves as one server.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.browser import (  # noqa: F401 (module fixture: browser)
    Call,
    browser_fixture,
    open_page,
    sign_in_with_keyboard,
    take_call_with_keyboard,
)
from tests.e2e.server import running_server

pytestmark = pytest.mark.e2e


def test_a_call_taken_at_the_console_of_two_workers_is_in_its_live_queue(
    browser: Browser, tmp_path: Path
) -> None:
    with running_server(tmp_path / "var", workers=2) as server:
        watched = open_page(browser, server.url)
        page = watched.page
        sign_in_with_keyboard(page, server.tokens["operator"])
        page.wait_for_selector("#conn[data-state=live]")
        numbers = [
            take_call_with_keyboard(page, Call(caller=f"0813 5000 12{n:02d}")) for n in range(3)
        ]
        for number in numbers:  # each shown live, whichever worker saved it
            assert re.fullmatch(r"SMD-\d{8}-\d{4}", number)
            expect(page.locator("#queue")).to_contain_text(number)
        assert len(set(numbers)) == 3
        assert watched.foreign_requests == [] and watched.errors == []
