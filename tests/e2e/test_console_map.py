"""A floor's map with many incidents close together stays readable and works from the keyboard."""

from __future__ import annotations

import re
import uuid

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


def view_width(viewbox: str | None) -> float:
    assert viewbox
    return float(viewbox.split()[2])


def test_eight_close_incidents_cluster_only_the_one_at_hand_is_labelled_and_centred(
    browser: Browser, console_server: RunningServer
) -> None:
    # Given eight incidents reported within about 150 m of each other in Sungai Pinang
    operator = {"Authorization": f"Bearer {console_server.tokens['operator']}"}
    for n in range(8):
        answer = httpx.post(
            f"{console_server.url}/api/reports",
            json={
                "report_id": str(uuid.uuid4()),
                "category": "medis",
                "caller_number": f"+62813500031{n:02d}",
                "description": f"orang pingsan {n}",
                "location": {
                    "lat": -0.4550 + n * 0.0002,
                    "lon": 117.1700 + (n % 3) * 0.0003,
                    "accuracy_m": 10,
                    "source": "aml",
                },
            },
            headers=operator,
        )
        assert answer.status_code == 201, answer.text
    watched = open_page(browser, console_server.url)
    page = watched.page
    sign_in_with_keyboard(page, console_server.tokens["operator"])
    incidents = page.locator("#map .layer-incidents")

    # Then, zoomed out, they show as a counted cluster and no incident is labelled
    cluster = incidents.locator(".marker.cluster")
    expect(cluster.first).to_be_attached()
    assert any(int(text) >= 8 for text in cluster.locator(".marker-glyph").all_text_contents())
    assert incidents.locator(".marker-label").filter(visible=True).count() == 0
    # and units say their status in a glyph and in words, not only in colour
    unit = page.locator("#map .layer-units .marker").first
    expect(unit.locator(".unit-status-glyph")).to_have_text(re.compile(r"\S"))
    expect(unit).to_have_accessible_name(re.compile(r" · \w"))
    screenshot(page, "map-eight-close-incidents-clustered")

    # When a call-taker takes a ninth call among them
    number = take_call_with_keyboard(
        page, Call(category="medis", location="-0.45530, 117.17030", description="sesak napas")
    )

    # Then the map zooms to it: centred, selected, the only label shown
    selected = incidents.locator(".marker.incident.selected")
    expect(selected).to_have_accessible_name(re.compile(number))
    page.wait_for_function(
        """() => {
            const m = document.querySelector('#map .marker.selected circle:not(.selection-ring)');
            const s = document.querySelector('#map').getBoundingClientRect();
            const b = m && m.getBoundingClientRect();
            return b && Math.abs(b.x + b.width / 2 - (s.x + s.width / 2)) < 6
                     && Math.abs(b.y + b.height / 2 - (s.y + s.height / 2)) < 6;
        }"""
    )
    labels = incidents.locator(".marker-label").filter(visible=True)
    assert labels.count() <= 1
    expect(selected.locator(".marker-label")).to_be_visible()
    screenshot(page, "map-zoomed-to-the-call-at-hand")

    # When the call-taker uses the keyboard on the map: - zooms out, + zooms in
    page.locator("#map").focus()
    before = view_width(page.locator("#map").get_attribute("viewBox"))
    page.keyboard.press("-")
    after_out = view_width(page.locator("#map").get_attribute("viewBox"))
    page.keyboard.press("+")
    after_in = view_width(page.locator("#map").get_attribute("viewBox"))
    assert after_out > before and after_in < after_out
    # and Tab reaches the markers, each named for a screen reader
    marker = incidents.locator(".marker").first
    marker.focus()
    expect(marker).to_be_focused()
    expect(marker).to_have_accessible_name(re.compile(r"P\d|\d+ insiden"))
    assert watched.foreign_requests == [] and watched.errors == []
