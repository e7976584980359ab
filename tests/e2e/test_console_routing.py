"""The answer to a call: score advice and recommendation; one key routes and dispatches."""

from __future__ import annotations

import re
import uuid

import httpx
import pytest
from playwright.sync_api import Browser, Route, expect

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


def test_the_result_shows_the_score_band_and_the_recommendation_and_enter_routes_it(
    browser: Browser, console_server: RunningServer
) -> None:
    watched = open_page(browser, console_server.url)
    page = watched.page
    sign_in_with_keyboard(page, console_server.tokens["operator"])
    # A spot of its own: near another open call, the suggested duplicate would take the focus
    number = take_call_with_keyboard(page, Call(location="-0.4700, 117.1600"))

    # The score is advice in words (a band with reasons), never a verdict
    result = page.locator("#result-body")
    expect(result.locator(".band-word")).to_have_text(re.compile("^(RENDAH|SEDANG|TINGGI)$"))
    expect(result).to_contain_text("Kemungkinan laporan palsu")
    expect(result).not_to_contain_text("PALSU")
    # The recommendation: fire, with a station and a unit with its ETA
    expect(result.locator(".agency-list")).to_contain_text("Damkar")
    expect(result.locator(".unit-choice").first).to_contain_text(re.compile(r"±\d+ mnt"))
    expect(page.locator("#route-button")).to_be_focused()
    screenshot(page, "console-result")

    # One key: route the recommended agencies and dispatch the first unit of each
    page.keyboard.press("Enter")
    expect(page.locator("#route-outcome")).to_contain_text("Dirutekan ke Damkar")
    expect(page.locator("#result-status")).to_have_text("unit dikirim")
    expect(page.locator("#queue")).to_contain_text(number)
    operator = {"Authorization": f"Bearer {console_server.tokens['operator']}"}
    found = httpx.get(f"{console_server.url}/api/incidents", headers=operator).json()
    incident = next(i for i in found["incidents"] if i["number"] == number)
    assert "fire" in {a["agency"] for a in incident["agencies"]}
    assert incident["status"] == "dispatched" and incident["first_unit_at"]
    screenshot(page, "console-routed")
    assert watched.foreign_requests == [] and watched.errors == []


def test_the_incident_detail_shows_the_timeline_and_a_stale_version_is_refused(
    browser: Browser, console_server: RunningServer
) -> None:
    watched = open_page(browser, console_server.url)
    page = watched.page
    sign_in_with_keyboard(page, console_server.tokens["operator"])
    number = take_call_with_keyboard(page)
    page.keyboard.press("F8")
    expect(page.locator("#queue button:focus")).to_contain_text(re.compile(r"SMD-"))
    page.locator("#queue-panel button.q-item", has_text=number).click()
    dialog = page.locator("#detail")
    expect(dialog.locator("#detail-timeline")).to_contain_text("Laporan diterima")
    expect(dialog.locator("#detail-timeline")).to_contain_text("operator")

    # Someone else adds a note just before the operator's note reaches the server
    incident_id = page.locator("#queue-panel li", has_text=number).get_attribute("data-id")
    supervisor = {"Authorization": f"Bearer {console_server.tokens['supervisor']}"}

    def someone_else_first(route: Route) -> None:
        other = httpx.post(
            f"{console_server.url}/api/incidents/{incident_id}/notes",
            json={"text": "penelepon kedua: asap terlihat dari jalan"},
            headers=supervisor,
        )
        assert other.status_code == 200
        page.unroute("**/notes", someone_else_first)
        route.continue_()

    page.route("**/notes", someone_else_first)
    note_form = dialog.locator("form", has_text="Tambah catatan")
    note_form.locator("input").fill("api sudah padam")
    note_form.locator("button[type=submit]").click()

    # Then the console says so, shows the latest state, and nothing was overwritten
    expect(dialog.locator("#detail-banner")).to_contain_text("diubah oleh orang lain")
    expect(dialog.locator("#detail-state")).to_contain_text("penelepon kedua")
    expect(dialog.locator("#detail-state")).not_to_contain_text("api sudah padam")
    screenshot(page, "console-detail-conflict")
    assert watched.foreign_requests == [] and watched.errors == []


def test_a_second_call_about_the_same_fire_is_merged_with_one_click(
    browser: Browser, console_server: RunningServer
) -> None:
    # Given an open fire reported a minute ago at a market in Samarinda Seberang
    operator = {"Authorization": f"Bearer {console_server.tokens['operator']}"}
    first = httpx.post(
        f"{console_server.url}/api/reports",
        json={
            "report_id": str(uuid.uuid4()),
            "category": "kebakaran",
            "location": {"lat": -0.5189, "lon": 117.1356, "source": "typed"},
        },
        headers=operator,
    ).json()["incident"]
    watched = open_page(browser, console_server.url)
    page = watched.page
    sign_in_with_keyboard(page, console_server.tokens["operator"])

    # When another caller reports smoke 30 m away
    take_call_with_keyboard(
        page, Call(location="-0.5191, 117.1358", description="asap tebal dari pasar")
    )
    duplicate = page.locator(".duplicates li", has_text=first["number"])
    expect(duplicate).to_contain_text("m")
    screenshot(page, "console-duplicate-suggested")
    duplicate.get_by_role("button", name="Gabungkan").click()

    # Then it is linked to the first, and the one action becomes closing it as a duplicate
    expect(page.locator("#result-body")).to_contain_text(f"Digabung ke {first['number']}")
    expect(page.locator("#route-button")).to_contain_text("duplikat")
    expect(page.locator("#route-button")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#result-status")).to_have_text("ditutup")
    primary = httpx.get(f"{console_server.url}/api/incidents/{first['id']}", headers=operator)
    assert [d["number"] for d in primary.json()["duplicates"]] == [
        page.locator("#result-number").inner_text()
    ]
    assert watched.foreign_requests == [] and watched.errors == []


def test_a_merged_second_caller_s_words_appear_on_the_routed_primary_s_detail(
    browser: Browser, console_server: RunningServer
) -> None:
    # Given a fire reported at a house in Samarinda Ulu and already routed to Damkar
    operator = {"Authorization": f"Bearer {console_server.tokens['operator']}"}
    first = httpx.post(
        f"{console_server.url}/api/reports",
        json={
            "report_id": str(uuid.uuid4()),
            "category": "kebakaran",
            "caller_number": "+6281350001111",
            "description": "Rumah terbakar",
            "location": {"lat": -0.4870, "lon": 117.1500, "accuracy_m": 10, "source": "aml"},
        },
        headers=operator,
    ).json()["incident"]
    routed = httpx.post(
        f"{console_server.url}/api/incidents/{first['id']}/route",
        json={"agencies": ["fire"]},
        headers=operator,
    )
    assert routed.status_code == 200, routed.text
    board = open_page(browser, console_server.url, "/board/fire")
    sign_in_with_keyboard(board.page, console_server.tokens["agency:fire"])
    board_row = board.page.locator("#incidents tbody tr", has_text=first["number"])
    expect(board_row).to_be_visible()
    watched = open_page(browser, console_server.url)
    page = watched.page
    sign_in_with_keyboard(page, console_server.tokens["operator"])

    # When a second caller, 8 m away, says a child is not breathing
    words = "anak di kamar belakang tidak bernapas"
    take_call_with_keyboard(page, Call(location="-0.48707, 117.15", description=words))
    # Then the routed incident is the first suggestion, saying it is already routed
    suggestion = page.locator(".duplicates li").first
    expect(suggestion).to_contain_text(first["number"])
    expect(suggestion).to_contain_text("sudah dirutekan ke Damkar")
    suggestion.get_by_role("button", name="Gabungkan").click()
    expect(page.locator("#result-body")).to_contain_text(f"Digabung ke {first['number']}")

    # And the primary's detail shows the second caller's words, in its state and its timeline
    page.locator("#queue-panel button.q-item", has_text=first["number"]).click()
    dialog = page.locator("#detail")
    expect(dialog.locator("#detail-state")).to_contain_text(words)
    expect(dialog.locator("#detail-timeline")).to_contain_text("Kabar dari penelepon lain")
    screenshot(page, "console-detail-second-caller")
    # And the fire board shows them live on the incident's row, without the caller's number
    expect(board_row).to_contain_text("Kabar dari penelepon lain")
    expect(board_row).to_contain_text(words)
    primary = httpx.get(f"{console_server.url}/api/incidents/{first['id']}", headers=operator)
    [stacked] = primary.json()["stacked_calls"]
    assert stacked["description"] == words and stacked["caller_number"]
    expect(board_row).not_to_contain_text(stacked["caller_number"])
    screenshot(board.page, "board-fire-second-caller")
    for opened in (watched, board):
        assert opened.foreign_requests == [] and opened.errors == []


def test_a_flood_typed_at_sei_pinang_lands_in_sungai_pinang_and_says_bpbd_has_no_unit(
    browser: Browser, console_server: RunningServer
) -> None:
    watched = open_page(browser, console_server.url)
    page = watched.page
    sign_in_with_keyboard(page, console_server.tokens["operator"])

    take_call_with_keyboard(page, Call(category="banjir", location="sei pinang", injuries="0"))

    result = page.locator("#result-body")
    expect(result.locator(".place")).to_contain_text("Kel. Sungai Pinang Dalam")
    expect(result.locator(".agency-list")).to_contain_text(
        "BPBD: tidak ada unit terdaftar — hubungi instansi langsung"
    )
    expect(result.locator(".unit-choice").nth(1)).to_contain_text(re.compile(r"±\d+ mnt"))
    assert watched.foreign_requests == [] and watched.errors == []


def test_a_crowd_of_calls_at_one_fire_shows_the_best_five_and_how_many_more(
    browser: Browser, console_server: RunningServer
) -> None:
    # Given eight open fires reported at one spot (a crowd calling about one big fire)
    operator = {"Authorization": f"Bearer {console_server.tokens['operator']}"}
    answers = [
        httpx.post(
            f"{console_server.url}/api/reports",
            json={
                "report_id": str(uuid.uuid4()),
                "category": "kebakaran",
                "location": {"lat": -0.5050, "lon": 117.1100, "source": "typed"},
            },
            headers=operator,
        ).json()
        for _ in range(8)
    ]
    # The API answer carries the best five and the number of all that matched
    last = answers[-1]["recommendation"]
    assert (len(last["duplicates"]), last["duplicates_total"]) == (5, 7)
    assert [a["recommendation"]["duplicates_total"] for a in answers[:3]] == [0, 1, 2]
    watched = open_page(browser, console_server.url)
    page = watched.page
    sign_in_with_keyboard(page, console_server.tokens["operator"])

    # When a ninth caller reports the same fire at the console
    take_call_with_keyboard(page, Call(location="-0.5050, 117.1100"))

    # Then five suggestions are listed, and "and 3 more" next to them
    expect(page.locator(".duplicates li")).to_have_count(5)
    expect(page.locator(".duplicates .duplicates-more")).to_have_text("dan 3 lainnya")
    screenshot(page, "console-duplicates-more")
    assert watched.foreign_requests == [] and watched.errors == []
