"""The result panel and the incident detail: the caller's history on screen, a result that fits
unclipped, focus on a suggested duplicate, a question before closing what is still out, and
focus that always lands on something useful."""

from __future__ import annotations

import random
import uuid
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from adapters.routing.projection import haversine_m
from adapters.routing.rules import load_rules
from tests.e2e.browser import (  # noqa: F401 (module fixtures: browser, console_server)
    Call,
    browser_fixture,
    console_server_fixture,
    open_page,
    screenshot,
    sign_in_with_keyboard,
    take_call_with_keyboard,
)
from tests.e2e.focus import (
    focused_is_useful,
    focused_path,
    had_focus_at_close,
    has_focus,
    watch_focus_at_close,
)
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e


# Every element of the result panel that clips its text: sideways overflow, an ellipsis, a clamp.
CLIPPED = """() => {
  const clipped = [];
  for (const el of document.querySelectorAll('#result-body, #result-body *')) {
    const style = getComputedStyle(el);
    if (style.display === 'inline' || el.clientWidth === 0) continue;
    const what = `${el.tagName}.${el.className}: ${el.textContent.slice(0, 60)}`;
    if (el.scrollWidth > el.clientWidth + 1) clipped.push(`overflows: ${what}`);
    if (style.textOverflow === 'ellipsis' && style.overflowX !== 'visible') {
      clipped.push(`ellipsis: ${what}`);
    }
    if (style.webkitLineClamp !== 'none' && style.webkitLineClamp !== '') {
      clipped.push(`clamped: ${what}`);
    }
  }
  const panel = document.querySelector('#result');
  if (panel.scrollHeight > panel.clientHeight + 1) clipped.push('the panel scrolls');
  return clipped;
}"""


def headers(server: RunningServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.tokens['operator']}"}


def somewhere() -> dict[str, Any]:
    """A point in central Samarinda of its own, so no earlier test's call is a duplicate."""
    return {
        "lat": round(-0.49 - random.uniform(0, 0.02), 6),
        "lon": round(117.13 + random.uniform(0, 0.03), 6),
        "source": "aml",
        "accuracy_m": 10,
    }


def somewhere_alone(server: RunningServer) -> dict[str, Any]:
    """As :func:`somewhere`, and out of the duplicate search's reach of every incident the
    shared server holds (its radius plus both accuracies, with 100 m to spare): a random point
    once fell 141 m from five earlier tests' incidents, and their suggestions made the panel
    scroll."""
    radius = load_rules().duplicates.radius_m
    listed = httpx.get(
        f"{server.url}/api/incidents?include_closed=true&limit=1000", headers=headers(server)
    ).json()["incidents"]
    others = [i["location"] for i in listed if i["location"] is not None]
    for _ in range(2000):
        point = somewhere()
        if all(
            haversine_m(point["lat"], point["lon"], o["lat"], o["lon"])
            > radius + point["accuracy_m"] + (o["accuracy_m"] or 0.0) + 100
            for o in others
        ):
            return point
    raise AssertionError(f"no point out of reach of the {len(others)} incidents on the server")


def report(server: RunningServer, **fields: Any) -> dict[str, Any]:
    body = {
        "report_id": str(uuid.uuid4()),
        "location": somewhere(),
        "category": "kebakaran",
        "description": "Api besar di rumah warga",
        "silent": False,
        **fields,
    }
    answer = httpx.post(f"{server.url}/api/reports", json=body, headers=headers(server))
    assert answer.status_code == 201, answer.text
    incident: dict[str, Any] = answer.json()["incident"]
    return incident


def post(server: RunningServer, incident: dict[str, Any], path: str, **body: Any) -> Any:
    url = f"{server.url}/api/incidents/{incident['id']}/{path}"
    answer = httpx.post(url, json=body, headers=headers(server))
    assert answer.status_code == 200, answer.text
    return answer.json()


def state(server: RunningServer, incident: dict[str, Any]) -> Any:
    url = f"{server.url}/api/incidents/{incident['id']}"
    return httpx.get(url, headers=headers(server)).json()


def signed_in(browser: Browser, server: RunningServer) -> Page:
    page = open_page(browser, server.url).page
    sign_in_with_keyboard(page, server.tokens["operator"])
    return page


def at(place: dict[str, Any], **fields: Any) -> Call:
    return Call(location=f"{place['lat']}, {place['lon']}", **fields)


def test_the_callers_earlier_incidents_and_repeat_counts_show_on_the_result_and_the_detail(
    browser: Browser, console_server: RunningServer
) -> None:
    digits = f"{random.randint(10_000_000, 99_999_999)}"
    prank = report(console_server, caller_number=f"+62813{digits}", category="lainnya")
    post(console_server, prank, "close", disposition="prank", reason="anak bermain telepon")
    earlier = report(console_server, caller_number=f"+62813{digits}")
    page = signed_in(browser, console_server)

    number = take_call_with_keyboard(page, at(somewhere(), caller=f"0813{digits}"))

    history = page.locator("#result-history")
    expect(history).to_contain_text("3× dalam 1 jam · 3× dalam 24 jam")
    expect(history.locator("li", has_text=prank["number"])).to_contain_text("iseng / prank")
    expect(history.locator("li", has_text=earlier["number"])).to_contain_text("Kebakaran")
    expect(history).not_to_contain_text(number)  # this call is not its own history
    screenshot(page, "console-result-caller-history")
    page.locator("#queue-panel button.q-item", has_text=number).click()
    detail = page.locator("#detail-history")
    expect(detail.locator("li", has_text=prank["number"])).to_contain_text("iseng / prank")
    expect(detail).to_contain_text("3× dalam 1 jam")


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_the_result_panel_shows_reasons_agencies_and_units_unclipped(
    browser: Browser, console_server: RunningServer, width: int, height: int
) -> None:
    page = signed_in(browser, console_server)
    page.set_viewport_size({"width": width, "height": height})
    # A fire with people hurt: two agencies, stations, alternative units and several reasons
    place = somewhere_alone(console_server)  # no suggested duplicates: their list is long
    take_call_with_keyboard(page, at(place, description="Api besar, ada anak di dalam"))
    expect(page.locator(".agency-list .unit-choice")).to_have_count(2)
    expect(page.locator("#result-history")).to_contain_text("dalam 1 jam")
    expect(page.locator(".duplicates li")).to_have_count(0)
    screenshot(page, f"console-result-fits-{width}")
    assert page.evaluate(CLIPPED) == []


def test_a_suggested_duplicate_takes_the_focus_so_enter_merges_it(
    browser: Browser, console_server: RunningServer
) -> None:
    place = somewhere()
    first = report(console_server, location=place)
    page = signed_in(browser, console_server)

    number = take_call_with_keyboard(page, at(place, description="asap hitam dari rumah"))

    expect(page.locator(".duplicates")).to_contain_text(first["number"])
    suggested = page.locator(".duplicates li").first
    expect(suggested.locator("button.merge-button")).to_be_focused()
    primary = suggested.locator(".num").inner_text()
    screenshot(page, "console-result-duplicate-focused")
    page.keyboard.press("Enter")
    expect(page.locator("#route-outcome")).to_contain_text(f"⇄ Digabung ke {primary}")
    expect(page.locator("#route-button")).to_be_focused()
    listed = httpx.get(f"{console_server.url}/api/incidents", headers=headers(console_server))
    second = next(i for i in listed.json()["incidents"] if i["number"] == number)
    assert second["primary"]["number"] == primary
    assert (second["agencies"], second["units"]) == ([], [])  # no second engine was sent


def test_closing_with_a_unit_out_asks_first_and_focus_never_falls_to_the_page(
    browser: Browser, console_server: RunningServer
) -> None:
    fire = report(console_server)
    units = httpx.get(
        f"{console_server.url}/api/units?agency=fire", headers=headers(console_server)
    ).json()["units"]
    unit = next(u for u in units if u["status"] == "available")
    post(console_server, fire, "route", agencies=["fire"], unit_ids=[unit["id"]])
    page = signed_in(browser, console_server)
    page.locator("#queue-panel button.q-item", has_text=fire["number"]).click()
    close = page.locator("#detail form[data-command=close]")
    close.locator("input[name=reason]").fill("api sudah padam")
    submit = close.locator("button[type=submit]")
    submit.focus()

    # Enter asks: the dialog names the unit out and the agency that never acknowledged
    page.keyboard.press("Enter")
    confirm = page.locator("#confirm")
    expect(confirm).to_contain_text(unit["callsign"])
    expect(confirm).to_contain_text("Belum dikonfirmasi oleh: Damkar")
    expect(page.locator("#confirm-yes")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#confirm-no")).to_be_focused()
    page.keyboard.press("Tab")  # the focus stays in the dialog
    expect(page.locator("#confirm-yes")).to_be_focused()
    screenshot(page, "console-close-confirm")

    # Esc cancels: nothing sent, the focus back on the close button in the same task (the
    # dialog's close event comes a task later: a key typed meanwhile went nowhere)
    watch_focus_at_close(page)
    page.keyboard.press("Escape")
    assert has_focus(submit) and had_focus_at_close(submit), focused_path(page)
    expect(confirm).to_be_hidden()
    expect(close.locator(".form-status")).to_contain_text("Dibatalkan")
    assert state(console_server, fire)["status"] != "closed"
    page.keyboard.press("Enter")  # and so does its cancel button
    expect(page.locator("#confirm-yes")).to_be_focused()
    watch_focus_at_close(page)
    page.locator("#confirm-no").press("Enter")
    assert has_focus(submit) and had_focus_at_close(submit), focused_path(page)

    # Enter, Enter: closed; Esc on the closed incident's detail lands on the queue, not the body
    page.keyboard.press("Enter")
    expect(page.locator("#confirm-yes")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#detail form[data-command=reopen]")).to_be_visible()
    assert state(console_server, fire)["status"] == "closed"
    page.keyboard.press("Escape")
    expect(page.locator("#detail")).to_be_hidden()
    assert focused_is_useful(page), focused_path(page)


def test_dismissing_a_call_from_the_verification_dialog_leaves_the_focus_somewhere_useful(
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
    page = signed_in(browser, console_server)
    item = page.locator("#verify-queue > li", has_text=prank["number"])
    opener = item.get_by_role("button", name="Palsu…")
    dialog = page.locator("#dismiss")

    def open_dismiss() -> None:
        opener.focus()
        page.keyboard.press("Enter")
        expect(dialog.locator("select")).to_be_focused()

    # Esc leaves it with the focus back on the opener in the same task; so does its close button
    open_dismiss()
    watch_focus_at_close(page)
    page.keyboard.press("Escape")
    assert has_focus(opener) and had_focus_at_close(opener), focused_path(page)
    expect(dialog).to_be_hidden()
    open_dismiss()
    watch_focus_at_close(page)
    dialog.get_by_role("button", name="Tutup").press("Enter")
    assert has_focus(opener) and had_focus_at_close(opener), focused_path(page)
    open_dismiss()
    dialog.locator("input[name=reason]").fill("ditelepon balik: salah sambung")
    dialog.locator("input[name=reason]").press("Enter")
    expect(dialog).to_be_hidden()
    expect(page.locator("#verify-queue")).not_to_contain_text(prank["number"])
    assert focused_is_useful(page), focused_path(page)
