"""Playwright helpers: Debian's Chromium, pages that may reach only the test server, screenshots."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar, cast
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, ViewportSize, sync_playwright

from tests.e2e.server import RunningServer, running_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT: ViewportSize = {"width": 1366, "height": 768}  # the console's design screen
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
T = TypeVar("T")


# One server and one browser for every console test module: starting a server takes seconds.
# (A session fixture imported into several modules would still start once per module.)
_shared: dict[str, object] = {}


def _once(config: pytest.Config, key: str, start: AbstractContextManager[T]) -> T:
    if key not in _shared:
        stack = ExitStack()
        _shared[key] = stack.enter_context(start)
        config.add_cleanup(stack.close)
    return cast(T, _shared[key])


@pytest.fixture(name="console_server")
def console_server_fixture(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> RunningServer:
    """The demo server of the console tests (`siaga112 demo` + `serve`, shared)."""
    var_dir = tmp_path_factory.getbasetemp() / "console" / "var"
    return _once(request.config, "server", running_server(var_dir))


@pytest.fixture(name="browser")
def browser_fixture(request: pytest.FixtureRequest) -> Browser:
    """The headless Chromium of the console tests (shared)."""
    return _once(request.config, "browser", chromium())


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless Chromium from the Debian package (never a downloaded browser build)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=_without_faketime(os.environ)
        )
        try:
            yield browser
        finally:
            browser.close()


def _without_faketime(environ: os._Environ[str]) -> dict[str, str | float | bool]:
    """The environment minus libfaketime: Chromium hangs under it (scripts/at-time).

    Pages get the test's clock from Playwright instead (``open_page``)."""
    return {
        name: value
        for name, value in environ.items()
        if not name.startswith("FAKETIME") and name != "LD_PRELOAD"
    }


@dataclass
class Watched:
    """A page and what it tried that it should not have: foreign requests, script errors."""

    page: Page
    foreign_requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_page(browser: Browser, base_url: str, path: str = "/") -> Watched:
    """A 1366×768 page on the test server; any request to another host is refused and noted."""
    context = browser.new_context(viewport=VIEWPORT, locale="id-ID", timezone_id="Asia/Makassar")
    if "FAKETIME" in os.environ:  # the clock is moved (scripts/at-time): the page's too
        context.clock.install(time=datetime.now(UTC))
    page = context.new_page()
    watched = Watched(page)
    own = urlsplit(base_url).netloc

    def only_own_server(route: Route) -> None:
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            watched.foreign_requests.append(route.request.url)
            route.abort()

    page.route("**/*", only_own_server)
    page.on("pageerror", lambda error: watched.errors.append(str(error)))
    page.goto(base_url + path)
    return watched


def sign_in_with_keyboard(page: Page, token: str) -> None:
    """Type the token into the focused login field and press Enter (no mouse)."""
    page.wait_for_selector("#login-token:focus")
    page.keyboard.type(token)
    page.keyboard.press("Enter")
    page.wait_for_selector("#app:not([hidden])")


def screenshot(page: Page, name: str) -> Path:
    """Save a PNG under artifacts/screenshots/ and return its path."""
    if page.locator("#map").count():  # the console: let the boundaries arrive first
        page.locator("#map path.area").first.wait_for(timeout=5000)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


@dataclass(frozen=True)
class Call:
    """What a call-taker types, field by field, in the call script's order."""

    category: str = "kebak"
    location: str = "-0.4906, 117.1442"
    address: str = "dekat Masjid Raya"
    persons: str = "3"
    injuries: str = "2"
    description: str = "Api besar di rumah warga, ada anak di dalam"
    # A new number per call by default: repeated calls from one number change the score.
    caller: str = field(
        default_factory=lambda: f"0813 {random.randint(1000, 9999)} {random.randint(1000, 9999)}"
    )


def type_call_script(page: Page, call: Call) -> None:
    """F2, then the call script's answers with Tab between them, up to the caller's number."""
    page.keyboard.press("F2")
    for answer in (
        call.category,
        call.location,
        call.address,
        call.persons,
        call.injuries,
        call.description,
    ):
        page.keyboard.type(answer)
        page.keyboard.press("Tab")
    page.keyboard.type(call.caller)


def take_call_with_keyboard(page: Page, call: Call | None = None) -> str:
    """F2, the call script with Tab between answers, Ctrl+Enter; returns the incident number."""
    type_call_script(page, call or Call())
    page.keyboard.press("Control+Enter")
    number = page.locator("#result-number")
    number.wait_for(timeout=10_000)
    return number.inner_text()
