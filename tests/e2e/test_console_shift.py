"""A short shift at the console: the simulator plays traffic through a real server while the
console sits open at 1366×768 as a call-taker's screen; no escalated P1 is ever below the fold.

The long version (an hour of traffic, real time or compressed) is bench/console_shift.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.e2e.browser import (  # noqa: F401 (module fixture: browser)
    SCREENSHOTS,
    browser_fixture,
    open_page,
    sign_in_with_keyboard,
)
from tests.e2e.fold import FoldWatch, play_shift
from tests.e2e.server import running_server

pytestmark = [pytest.mark.e2e, pytest.mark.playback]

# One shift hour in 2.5 minutes at 150 calls an hour: escalation deadlines are wall-clock (60 s
# for a P1), so the compressed hour keeps many incidents open at once and escalates several P1s.
MINUTES, SPEED, CALLS_PER_HOUR, SEED = 60.0, 24.0, 150.0, 16


def test_no_escalated_p1_is_below_the_fold_while_a_short_shift_plays(
    browser: Browser, tmp_path: Path
) -> None:
    with running_server(tmp_path / "var") as server:
        watched = open_page(browser, server.url)
        page = watched.page
        sign_in_with_keyboard(page, server.tokens["operator"])
        page.wait_for_selector("#conn[data-state=live]")
        watch = FoldWatch(
            page,
            server.url,
            server.tokens["operator"],
            screenshots=SCREENSHOTS / "console-shift-short",
            shot_every_s=60,
        )
        out = tmp_path / "simulator.json"
        process = play_shift(server, MINUTES, SPEED, CALLS_PER_HOUR, SEED, out)
        try:
            watch.run(lambda: process.poll() is not None, interval_s=2)
        finally:
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=60)
    report = json.loads(out.read_text())
    summary = watch.summary()
    # The shift happened and escalated P1s were there to be checked, many times each
    assert report["calls"]["taken"] >= 100, report["calls"]
    assert summary["escalated_p1"]["distinct"] >= 2, summary
    assert summary["escalated_p1"]["card_checks"] >= 10, summary
    # and not one was out of view, nor did the console ever fall behind the server
    assert summary["violations"] == 0, summary["violation_list"]
    assert summary["console_never_caught_up"] == 0, summary
    assert watched.errors == [] and watched.foreign_requests == []
