"""A reload with a token kept in the tab: a polite "checking the session" status, never the sign-in
form (whose field took the call-taker's keystrokes while the check ran); the form, with words,
only for a refused token; an unreachable server keeps the session and retries."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from tests.e2e.axe import serious_violations
from tests.e2e.browser import (  # noqa: F401 (module fixtures: browser, console_server)
    browser_fixture,
    console_server_fixture,
    open_page,
    sign_in_with_keyboard,
)
from tests.e2e.server import RunningServer

pytestmark = pytest.mark.e2e

# Installed before the page's own scripts in every document: notes whether the sign-in form was
# ever displayed, or its field ever focused, at any moment of the page's life.
WATCH_SIGN_IN_FORM = """
window.__signIn = { formShown: false, fieldFocused: false };
const look = () => {
  const form = document.getElementById("login-form");
  if (form && form.checkVisibility()) window.__signIn.formShown = true;
};
new MutationObserver(look).observe(document, { subtree: true, childList: true, attributes: true });
document.addEventListener("focusin", (event) => {
  if (event.target.id === "login-token") window.__signIn.fieldFocused = true;
}, true);
"""


def signed_in(browser: Browser, server: RunningServer) -> Page:
    page = open_page(browser, server.url).page
    page.add_init_script(WATCH_SIGN_IN_FORM)
    sign_in_with_keyboard(page, server.tokens["operator"])
    expect(page.locator("#conn")).to_contain_text("terhubung")
    return page


def hold_session_checks(page: Page) -> tuple[list[Route], dict[str, bool]]:
    """Hold /api/me (the real server answers once released); later calls go through."""
    held: list[Route] = []
    released = {"now": False}

    def hold(route: Route) -> None:
        if released["now"]:
            route.fallback()
        else:
            held.append(route)

    page.route("**/api/me", hold)
    return held, released


def test_a_reload_checks_the_kept_session_without_ever_showing_the_sign_in_form(
    browser: Browser, console_server: RunningServer
) -> None:
    page = signed_in(browser, console_server)
    held, released = hold_session_checks(page)

    # When the tab is reloaded and the session check takes a second
    page.reload(wait_until="commit")
    status = page.locator("#session-status")
    expect(status).to_have_text("Memeriksa sesi…")
    expect(status).to_have_attribute("role", "status")
    expect(page.locator("#session-check")).to_be_visible()
    page.keyboard.type("api di gudang")  # the call-taker already talking and typing
    page.wait_for_timeout(1000)
    expect(page.locator("#login-form")).to_be_hidden()
    expect(page.locator("#app")).to_be_hidden()
    assert serious_violations(page) == []
    assert len(held) == 1
    released["now"] = True
    held[0].fallback()

    # Then the console, with the keyboard where a sign-in leaves it: the call's first field
    expect(page.locator("#app")).to_be_visible()
    expect(page.locator("#login")).to_be_hidden()
    expect(page.locator("#f-category")).to_be_focused()
    expect(page.locator("#conn")).to_contain_text("terhubung")
    # and the sign-in form was never shown nor focused, nor did it keep what was typed
    assert page.evaluate("window.__signIn") == {"formShown": False, "fieldFocused": False}
    assert page.input_value("#login-token") == ""


def test_a_refused_kept_token_brings_the_sign_in_form_with_the_reason(
    browser: Browser, console_server: RunningServer
) -> None:
    page = open_page(browser, console_server.url).page
    page.add_init_script(WATCH_SIGN_IN_FORM)
    page.wait_for_selector("#login-token:focus")
    # A token the server does not know: expired, revoked, or from another installation
    page.evaluate("sessionStorage.setItem('siaga112.token', 'dicabut-0000000000000000')")
    page.reload()
    expect(page.locator("#login-form")).to_be_visible()
    expect(page.locator("#login-error")).to_contain_text("Sesi berakhir")
    expect(page.locator("#login-token")).to_be_focused()
    expect(page.locator("#session-check")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('siaga112.token')") is None
    # (the watcher of the other tests sees a shown and focused form)
    assert page.evaluate("window.__signIn") == {"formShown": True, "fieldFocused": True}
    # and a valid token signs in from there
    sign_in_with_keyboard(page, console_server.tokens["operator"])
    expect(page.locator("#f-category")).to_be_focused()


def test_an_unreachable_server_keeps_the_session_and_retries(
    browser: Browser, console_server: RunningServer
) -> None:
    page = signed_in(browser, console_server)
    blocked = {"on": True}

    def me(route: Route) -> None:
        if blocked["on"]:
            route.abort()  # the link is down: no answer at all
        else:
            route.fallback()

    page.route("**/api/me", me)
    page.reload()
    status = page.locator("#session-status")
    expect(status).to_contain_text("Server tidak terjangkau")
    expect(status).to_contain_text("sesi tetap tersimpan")
    retry = page.locator("#session-retry")
    expect(retry).to_be_focused()
    expect(page.locator("#login-form")).to_be_hidden()
    kept = page.evaluate("sessionStorage.getItem('siaga112.token')")
    assert kept == console_server.tokens["operator"]
    assert serious_violations(page) == []
    # When the link is back, Enter on the retry button resumes the session
    blocked["on"] = False
    page.keyboard.press("Enter")
    expect(page.locator("#app")).to_be_visible()
    expect(page.locator("#f-category")).to_be_focused()
    assert page.evaluate("window.__signIn") == {"formShown": False, "fieldFocused": False}
