"""/publik and the KPI report render in Chromium with every request to another host refused."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Route, expect

from adapters.center import build_center
from dispatch.settings import Settings
from replay.kpi import report
from replay.kpi_report import write_report
from tests.e2e.browser import (  # noqa: F401 (module fixtures: browser, console_server)
    VIEWPORT,
    browser_fixture,
    console_server_fixture,
    open_page,
    screenshot,
)
from tests.e2e.server import RunningServer
from tests.support import FakeClock, report_json
from tests.unit.replay.conftest import a_day

pytestmark = pytest.mark.e2e
WITA = ZoneInfo("Asia/Makassar")


def test_the_public_page_renders_offline_under_the_consoles_policy_without_a_login(
    browser: Browser, console_server: RunningServer
) -> None:
    public = open_page(browser, console_server.url, "/publik")
    messages: list[ConsoleMessage] = []
    public.page.on("console", lambda message: messages.append(message))
    public.page.reload()  # again, now that every console message is heard

    expect(public.page.locator("h1")).to_have_text("Siaga 112 Samarinda — Data Terbuka")
    expect(public.page.locator("#panduan h2")).to_have_text("Kapan menelepon 112")
    expect(public.page.locator("#aturan li").first).to_be_visible()
    # The stylesheet arrived (the policy allows this server's own files only).
    colour = public.page.locator("h1").evaluate("e => getComputedStyle(e).color")
    assert colour == "rgb(140, 29, 24)"
    public.page.set_viewport_size({"width": VIEWPORT["width"], "height": 2000})
    screenshot(public.page, "publik")

    assert public.foreign_requests == []
    assert public.errors == []
    assert [m.text for m in messages if "Content Security Policy" in m.text] == []


def test_the_kpi_report_shows_its_charts_and_verdicts_in_chromium(
    browser: Browser, tmp_path: Path
) -> None:
    clock = FakeClock()
    center = build_center(Settings(database_url="memory://", var_dir=tmp_path))
    center.clock = clock
    try:
        a_day(center, clock)
        document = report(
            center, datetime(2026, 11, 22, tzinfo=WITA), datetime(2026, 11, 23, tzinfo=WITA)
        )
    finally:
        center.close()
    page_html = write_report(document, tmp_path / "kpi")["html"].read_text()

    context = browser.new_context(viewport={"width": 1100, "height": 3200}, locale="id-ID")
    page = context.new_page()
    foreign: list[str] = []

    def refuse(route: Route) -> None:
        foreign.append(route.request.url)
        route.abort()

    page.route("**/*", refuse)
    page.set_content(page_html)

    expect(page.locator("h1")).to_have_text("Laporan KPI Siaga112")
    expect(page.locator("td.fail").first).to_have_text("GAGAL")
    images = page.locator("img")
    expect(images).to_have_count(7)
    widths = images.evaluate_all("all => all.map(i => i.naturalWidth)")
    assert all(w > 0 for w in widths)  # every chart decoded
    screenshot(page, "kpi-report")
    context.close()
    assert foreign == []


def test_the_callers_status_link_shows_the_progress_offline_on_a_phone(
    browser: Browser, console_server: RunningServer
) -> None:
    operator = {"Authorization": f"Bearer {console_server.tokens['operator']}"}
    made = httpx.post(f"{console_server.url}/api/reports", json=report_json(), headers=operator)
    assert made.status_code == 201, made.text
    incident = made.json()["incident"]
    issued = httpx.post(
        f"{console_server.url}/api/incidents/{incident['id']}/status-link",
        json={},
        headers=operator,
    )
    assert issued.status_code == 201, issued.text

    status = open_page(browser, console_server.url, issued.json()["path"])
    status.page.set_viewport_size({"width": 390, "height": 700})

    expect(status.page.locator(".now")).to_contain_text("Laporan Anda sudah diterima")
    expect(status.page.locator(".steps li.done")).to_have_count(1)
    assert incident["number"] not in status.page.content()
    screenshot(status.page, "status-link")
    assert status.foreign_requests == []
    assert status.errors == []
