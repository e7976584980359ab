"""The triage-first queue and its alarms: sections by what the floor must do next, live moves,
a tone made in the page for what needs a person, a mute, and the count in the tab title."""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
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
from tests.e2e.fold import IN_VIEW
from tests.e2e.server import RunningServer, running_server

pytestmark = pytest.mark.e2e


SEMPAJA = {"lat": -0.4450, "lon": 117.1620, "source": "aml", "accuracy_m": 12}

# Counts the tones the page makes: every oscillator started by any AudioContext.
COUNT_TONES = """
window.__tones = 0;
window.__permissionAsked = 0;
const Real = window.AudioContext;
window.AudioContext = class extends Real {
  createOscillator() {
    const oscillator = super.createOscillator();
    const start = oscillator.start.bind(oscillator);
    oscillator.start = (...args) => { window.__tones += 1; return start(...args); };
    return oscillator;
  }
};
if (window.Notification) {
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = (...args) => {
    window.__permissionAsked += 1;
    return ask(...args);
  };
}
"""


def headers(server: RunningServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.tokens['operator']}"}


def report(server: RunningServer, ago_s: float = 0, **fields: Any) -> dict[str, Any]:
    """A call taken at another console (through the API), received `ago_s` seconds ago."""
    body = {
        "report_id": str(uuid.uuid4()),
        "location": SEMPAJA,
        "category": "kebakaran",
        "description": "Api besar di gudang, asap tebal",
        "silent": False,
        "received_at": (datetime.now(UTC) - timedelta(seconds=ago_s)).isoformat(),
        **fields,
    }
    answer = httpx.post(f"{server.url}/api/reports", json=body, headers=headers(server))
    assert answer.status_code == 201, answer.text
    incident: dict[str, Any] = answer.json()["incident"]
    return incident


def command(server: RunningServer, incident: dict[str, Any], path: str, **body: Any) -> None:
    url = f"{server.url}/api/incidents/{incident['id']}/{path}"
    answer = httpx.post(url, json=body, headers=headers(server))
    assert answer.status_code == 200, answer.text


def section_of(page: Page, number: str) -> str:
    item = page.locator("#queue li", has_text=number)
    expect(item).to_have_count(1)
    found: str = item.evaluate("li => li.closest('[data-section]').dataset.section")
    return found


def expect_section(page: Page, number: str, section: str) -> None:
    expect(page.locator(f"[data-section={section}] li", has_text=number)).to_have_count(1)


def signed_in(browser: Browser, server: RunningServer, init: str = "") -> Page:
    watched = open_page(browser, server.url)
    page = watched.page
    if init:
        page.add_init_script(init)
        page.reload()
    sign_in_with_keyboard(page, server.tokens["operator"])
    expect(page.locator("#conn")).to_contain_text("terhubung")
    return page


def test_incidents_sit_in_the_section_of_what_must_be_done_next_and_move_there_live(
    browser: Browser, console_server: RunningServer
) -> None:
    page = signed_in(browser, console_server)
    older = report(console_server, ago_s=30)
    newer = report(console_server, ago_s=5)
    # Unrouted, oldest first (both shown: each arrives on the feed in its own time)
    expect_section(page, older["number"], "unrouted")
    expect_section(page, newer["number"], "unrouted")
    unrouted = page.locator("[data-section=unrouted] .q-number").all_inner_texts()
    assert unrouted.index(older["number"]) < unrouted.index(newer["number"])
    expect(page.locator("[data-section=unrouted] .count")).to_have_text(
        re.compile(rf"\({len(unrouted)}\)")
    )

    # Routed without a unit: "no unit"; a unit sent: in progress
    command(console_server, older, "route", agencies=["fire"])
    expect_section(page, older["number"], "no_unit")
    fire_units = httpx.get(
        f"{console_server.url}/api/units?agency=fire", headers=headers(console_server)
    ).json()["units"]
    unit = next(u for u in fire_units if u["status"] == "available")
    command(console_server, older, "units", unit_id=unit["id"])
    expect_section(page, older["number"], "in_progress")

    # Acknowledged and the unit released: waiting for closure; closed: gone
    command(console_server, older, "acknowledge", agency="fire")
    command(console_server, older, f"units/{unit['id']}/release")
    expect_section(page, older["number"], "closure")
    command(console_server, older, "close", disposition="genuine", reason="api padam")
    expect(page.locator("#queue")).not_to_contain_text(older["number"])

    # A routed P2 nobody sent a unit to for over 60 s is escalated by the watchdog: it moves up
    late = report(console_server, ago_s=70, category="kriminal", description="pencurian motor")
    command(console_server, late, "route", agencies=["police"])
    expect_section(page, late["number"], "escalated")
    item = page.locator("#queue li", has_text=late["number"])
    expect(item).to_contain_text("ESKALASI")
    box, queue = item.bounding_box(), page.locator("#queue").bounding_box()
    assert box and queue and box["y"] + box["height"] <= queue["y"] + queue["height"]
    screenshot(page, "console-queue-sections")


def test_the_sectioning_rule_follows_the_cause_not_the_history(
    browser: Browser, console_server: RunningServer
) -> None:
    page = signed_in(browser, console_server)
    cases = page.evaluate(
        """async () => {
      const { sectionOf } = await import('/static/js/triage.js');
      const base = { priority: 'P1', agencies: [], units: [], escalations: [],
                     first_unit_at: null, verification: { pending: false } };
      const acked = { agency: 'fire', acknowledged_at: '2026-01-01T00:00:00Z' };
      const waiting = { agency: 'fire', acknowledged_at: null };
      const unit = { unit_id: 'u1', callsign: 'F-1' };
      const at = '2026-01-01T00:00:00Z';
      const of = (fields, status) => sectionOf({ ...base, ...fields }, () => status);
      return {
        flagged: of({ verification: { pending: true } }),
        fresh: of({}),
        overdue_ack: of({ agencies: [waiting], units: [unit], first_unit_at: at,
                         escalations: ['not_acknowledged'] }, 'en_route'),
        acked_since: of({ agencies: [acked], units: [unit], first_unit_at: at,
                         escalations: ['not_acknowledged'] }, 'en_route'),
        no_unit: of({ agencies: [acked] }),
        p4_no_unit: of({ priority: 'P4', agencies: [waiting] }),
        unit_back: of({ agencies: [acked], units: [unit], first_unit_at: at }, 'available'),
        flagged_late: of({ verification: { pending: true }, escalations: ['no_unit_dispatched'] }),
      };
    }"""
    )
    assert cases == {
        "flagged": "callback",
        "fresh": "unrouted",
        "overdue_ack": "escalated",
        "acked_since": "in_progress",
        "no_unit": "no_unit",
        "p4_no_unit": "in_progress",
        "unit_back": "closure",
        "flagged_late": "escalated",
    }


def test_ten_incidents_fit_in_the_queue_at_1366_by_768(browser: Browser, tmp_path: Path) -> None:
    # A server of its own: on the shared one the queue also holds what the console tests before
    # it left open, escalated by then or not, so "the tenth" was whichever incident came tenth.
    with running_server(tmp_path / "var") as server:
        for _ in range(10):
            report(server, category="medis", description="sesak napas")
        page = signed_in(browser, server)
        expect(page.locator("#queue button.q-item")).to_have_count(10)
        ten_fit(page)


def ten_fit(page: Page) -> None:
    items = page.locator("#queue button.q-item")
    expect(items.nth(9)).to_be_visible()
    queue = page.locator("#queue").bounding_box()
    tenth = items.nth(9).bounding_box()
    assert queue and tenth
    assert tenth["y"] + tenth["height"] <= queue["y"] + queue["height"], (tenth, queue)
    screenshot(page, "console-queue-ten")


def needs_action(page: Page) -> int:
    counts = page.locator(".q-section.needs-action .count").all_inner_texts()
    return sum(int(c.strip("()")) for c in counts)


def tones(page: Page) -> int:
    count: int = page.evaluate("window.__tones")
    return count


def wait_for_tone_after(page: Page, before: int, timeout_s: float = 10) -> None:
    """Poll the tone count (the page's CSP refuses wait_for_function's evaluated predicate)."""
    deadline = time.monotonic() + timeout_s
    while tones(page) <= before:
        assert time.monotonic() < deadline, f"no tone after {before}"
        page.wait_for_timeout(50)


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[RunningServer]:
    """A server of its own, for tests that read the whole queue, its alarms or its order: on the
    shared console server, incidents earlier modules left open escalate while these run (their
    cards take the top of the escalated section, their alarms the toast)."""
    with running_server(tmp_path / "var") as server:
        yield server


def test_a_new_p1_and_an_escalation_sound_a_tone_the_mute_stops_it_and_the_title_counts(
    browser: Browser, own_server: RunningServer
) -> None:
    page = signed_in(browser, own_server, COUNT_TONES)
    mute = page.locator("#mute")
    expect(mute).to_have_attribute("aria-pressed", "false")
    waiting = needs_action(page)  # whatever earlier tests left on the shared floor, or none
    expect(page).to_have_title(
        f"({waiting}) SIAGA 112 · Konsol" if waiting else "SIAGA 112 · Konsol"
    )
    assert page.evaluate("window.__permissionAsked") == 0  # never asked without a gesture

    # A new P1 from another console: a tone, and the title counts what needs action
    before = tones(page)
    p1 = report(own_server)
    expect_section(page, p1["number"], "unrouted")
    wait_for_tone_after(page, before)
    expect(page).to_have_title(f"({needs_action(page)}) SIAGA 112 · Konsol")

    # An escalation (a P2 left without a unit): a tone, though it was no P1
    before = tones(page)
    late = report(own_server, ago_s=70, category="kriminal", description="perampokan")
    command(own_server, late, "route", agencies=["police"])
    expect_section(page, late["number"], "escalated")
    wait_for_tone_after(page, before)

    # The title follows the needs-action sections live
    command(own_server, p1, "close", disposition="test", reason="latihan")
    expect(page.locator("#queue")).not_to_contain_text(p1["number"])
    expect(page).to_have_title(f"({needs_action(page)}) SIAGA 112 · Konsol")

    # Browser notifications: permission is asked for on the operator's click, not before
    page.locator("#notify-toggle").click()
    assert page.evaluate("window.__permissionAsked") == 1

    # Muted: the alarm is still shown, but no tone
    mute.click()
    expect(mute).to_have_attribute("aria-pressed", "true")
    before = tones(page)
    quiet = report(own_server)
    expect_section(page, quiet["number"], "unrouted")
    expect(page.locator("#toast")).to_contain_text(quiet["number"])
    assert tones(page) == before
    screenshot(page, "console-queue-muted")

    # A reload of the tab keeps it signed in (the token is in its sessionStorage) and muted. The
    # sign-in form shows only while the stored token is checked (under 0.1 s here): typing the token
    # again raced that check and failed whenever the console was faster than the test.
    page.reload()
    expect(page.locator("#app")).to_be_visible()
    expect(page.locator("#login")).to_be_hidden()
    expect(page.locator("#conn")).to_contain_text("terhubung")
    expect(page.locator("#mute")).to_have_attribute("aria-pressed", "true")


def test_a_call_back_left_waiting_past_two_minutes_sounds_once(
    browser: Browser, console_server: RunningServer
) -> None:
    page = signed_in(browser, console_server, COUNT_TONES)
    flagged = report(
        console_server,
        category="lainnya",
        description="halo halo cuma iseng hahaha",
        caller_number="+6281377700011",
        call_duration_s=4,
    )
    assert flagged["verification"]["pending"], flagged["score"]
    expect_section(page, flagged["number"], "callback")
    before = tones(page)
    # The page's clock jumps two minutes on (the server's clock is not touched)
    if "FAKETIME" not in os.environ:  # else open_page installed the page clock already
        page.clock.install()
    page.clock.fast_forward("02:05")
    page.clock.run_for(2000)
    wait_for_tone_after(page, before)
    expect(page.locator("#toast")).to_contain_text(flagged["number"])
    after = tones(page)
    page.clock.run_for(5000)
    assert tones(page) == after  # once per incident, not every second


def test_an_escalated_p1_stays_in_view_above_older_escalations_and_keeps_its_call_back(
    browser: Browser, own_server: RunningServer
) -> None:
    # Given eleven P2s left without a unit for over a minute (escalated, older than any P1)
    older = [
        report(own_server, ago_s=90 + n, category="kriminal", description="pencurian motor")
        for n in range(11)
    ]
    # and two P1s past their minute: one flagged as a likely prank, waiting for its call-back
    flagged = report(
        own_server,
        ago_s=70,
        description="halo halo cuma iseng hahaha",
        caller_number=f"+62813{uuid.uuid4().int % 10**8:08d}",
        call_duration_s=4,
    )
    assert flagged["priority"] == "P1" and flagged["verification"]["pending"], flagged
    fire = report(own_server, ago_s=65)
    # and a silent caller who called twice, to be called back first, past its minute too
    repeat = f"+62812{uuid.uuid4().int % 10**8:08d}"
    earlier = report(own_server, ago_s=80, category="lainnya", silent=True, caller_number=repeat)
    silent = report(own_server, ago_s=75, category="lainnya", silent=True, caller_number=repeat)
    assert silent["verification"]["callback_first"], silent["verification"]
    page = signed_in(browser, own_server)
    try:
        # Then both P1s head the escalated section, whole in the 1366×768 window
        for incident in (flagged, fire):
            expect_section(page, incident["number"], "escalated")
        chips = page.locator("[data-section=escalated] .chip.prio").all_inner_texts()
        assert chips == sorted(chips), chips  # every P1 before the first P2
        expect_section(page, silent["number"], "escalated")
        sightings = page.evaluate(IN_VIEW, [flagged["id"], fire["id"]])
        assert [s["state"] for s in sightings] == ["in_view", "in_view"], sightings
        # No card widens the queue past its panel (a shift found a call-back-first card did)
        wide = page.evaluate(
            """() => [...document.querySelectorAll('#queue li')]
              .filter((li) => li.getBoundingClientRect().right >
                              document.querySelector('#queue').getBoundingClientRect().right + 1)
              .map((li) => li.innerText.split('\\n')[0])"""
        )
        assert wide == [], wide
        # and the flagged one keeps its call-back actions there
        card = page.locator("[data-section=escalated] li", has_text=flagged["number"])
        expect(card.get_by_role("button", name=re.compile("Asli, rute"))).to_be_visible()
        expect(card).to_contain_text("menunggu")
        expect(card).to_contain_text("ESKALASI")
        screenshot(page, "console-queue-escalated-p1-first")
    finally:
        for incident in (*older, flagged, fire, earlier, silent):
            command(own_server, incident, "close", disposition="test", reason="latihan")
