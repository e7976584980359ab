"""Is every escalated P1 in view on the console? The check a shift at the console runs.

The server says which incidents are open P1s with an escalation whose cause still holds (an
agency has not acknowledged; no unit was ever sent); the console, signed in and left alone as a
call-taker's screen would be, must show each one's queue card whole inside the window and
inside every scrolling panel around it, not covered by anything: never below the fold.

A card that is not in view is judged only once the console has caught up with the server's
answer (its live position, ``#conn[data-position]``, at least the answer's) and the server
still says the incident is an escalated P1: a delta still on its way is not a violation, a
console that never catches up is.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page

from tests.e2e.server import RunningServer

CATCH_UP_S = 40.0  # heartbeats every 15 s; two missed and the console itself says it is offline

# For each incident id: where its queue card is, as the operator sees it without scrolling.
IN_VIEW = """(ids) => ids.map((id) => {
  const card = document.querySelector(`#queue [data-key="open-${id}"]`);
  if (!card) return { id, state: "absent" };
  const r = card.getBoundingClientRect();
  const at = { id, top: r.top, bottom: r.bottom,
    section: card.closest("[data-section]")?.dataset.section || "" };
  if (!r.width || !r.height) return { ...at, state: "hidden" };
  if (r.top < 0 || r.left < 0 || r.bottom > innerHeight || r.right > innerWidth) {
    return { ...at, state: "below_the_fold" };
  }
  for (let box = card.parentElement; box; box = box.parentElement) {
    const style = getComputedStyle(box);
    if (!/(auto|scroll|hidden|clip)/.test(style.overflowX + style.overflowY)) continue;
    const c = box.getBoundingClientRect();
    const out = r.top < c.top - 1 || r.bottom > c.bottom + 1;
    if (out || r.left < c.left - 1 || r.right > c.right + 1) {
      return { ...at, state: "scrolled_away" };
    }
  }
  const hit = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
  if (!card.contains(hit)) return { ...at, state: "covered" };
  return { ...at, state: "in_view" };
})"""

SECTION_SIZES = """() => Object.fromEntries([...document.querySelectorAll("#queue [data-section]")]
  .map((s) => [s.dataset.section, s.querySelectorAll("li").length]))"""


def still_escalated(incident: dict[str, Any]) -> bool:
    """An escalation whose cause still holds: an agency not acknowledged, or no unit sent."""
    for reason in incident["escalations"]:
        if reason == "not_acknowledged":
            if any(not a["acknowledged_at"] for a in incident["agencies"]):
                return True
        elif reason in ("no_unit_dispatched", "no_unit_available"):
            if not incident["units"] and not incident["first_unit_at"]:
                return True
        else:
            return True
    return False


def escalated_p1(incidents: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The open escalated P1s of a GET /api/incidents answer, by id."""
    return {
        i["id"]: i
        for i in incidents
        if i["priority"] == "P1" and i["status"] != "closed" and still_escalated(i)
    }


@dataclass(frozen=True)
class Violation:
    """An escalated P1 the console did not show in view."""

    at_s: float
    number: str
    state: str
    section: str
    top_px: float | None
    screenshot: str | None


@dataclass
class FoldWatch:
    """Checks the console page against the server, one call of ``check`` at a time."""

    page: Page
    url: str
    token: str
    screenshots: Path | None = None
    shot_every_s: float = 300.0
    started: float = field(default_factory=time.monotonic)
    checks: int = 0
    card_checks: int = 0
    seen: set[str] = field(default_factory=set)
    most_at_once: int = 0
    most_open: int = 0
    most_in_section: dict[str, int] = field(default_factory=dict)
    lowest_bottom_px: float = 0.0
    catch_ups: int = 0
    stale: int = 0
    violations: list[Violation] = field(default_factory=list)
    shots: list[str] = field(default_factory=list)
    check_ms: list[float] = field(default_factory=list)
    _last_shot: float = float("-inf")

    def incidents(self) -> tuple[int, list[dict[str, Any]]]:
        answer = httpx.get(
            f"{self.url}/api/incidents",
            params={"limit": 1000},
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=30,
        )
        answer.raise_for_status()
        body = answer.json()
        return int(body["position"]), list(body["incidents"])

    def check(self) -> None:
        """One look: the server's escalated P1s, then where the console shows each."""
        began = time.monotonic()
        position, incidents = self.incidents()
        wanted = escalated_p1(incidents)
        self.checks += 1
        self.most_open = max(self.most_open, len(incidents))
        self.most_at_once = max(self.most_at_once, len(wanted))
        self.seen.update(wanted)
        for name, size in self.page.evaluate(SECTION_SIZES).items():
            self.most_in_section[name] = max(self.most_in_section.get(name, 0), size)
        sightings = self.look(list(wanted))
        missing = [s for s in sightings if s["state"] != "in_view"]
        if missing:
            self.catch_ups += 1
            if not self.caught_up(position):
                self.stale += 1
            _, now = self.incidents()
            still = escalated_p1(now)
            missing = [s for s in self.look([s["id"] for s in missing]) if s["id"] in still]
            missing = [s for s in missing if s["state"] != "in_view"]
        self.card_checks += len(sightings)
        for s in sightings:
            if s["state"] == "in_view":
                self.lowest_bottom_px = max(self.lowest_bottom_px, float(s["bottom"]))
        for s in missing:
            shot = self.shoot(f"violation-{len(self.violations) + 1:03d}")
            self.violations.append(
                Violation(
                    at_s=round(time.monotonic() - self.started, 1),
                    number=wanted[s["id"]]["number"],
                    state=s["state"],
                    section=s.get("section", ""),
                    top_px=s.get("top"),
                    screenshot=shot,
                )
            )
        if time.monotonic() - self._last_shot >= self.shot_every_s:
            self.shoot(f"at-{int(time.monotonic() - self.started):05d}s")
        self.check_ms.append((time.monotonic() - began) * 1000)

    def look(self, ids: list[str]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.page.evaluate(IN_VIEW, ids)
        return found

    def caught_up(self, position: int) -> bool:
        """Wait until the console has applied the server's answer (False: it never did)."""
        deadline = time.monotonic() + CATCH_UP_S
        while time.monotonic() < deadline:
            shown = self.page.locator("#conn").get_attribute("data-position") or ""
            if shown.isdigit() and int(shown) >= position:
                self.page.evaluate("() => new Promise((r) => requestAnimationFrame(() => r()))")
                return True
            self.page.wait_for_timeout(200)
        return False

    def shoot(self, name: str) -> str | None:
        if self.screenshots is None:
            return None
        self.screenshots.mkdir(parents=True, exist_ok=True)
        path = self.screenshots / f"{name}.png"
        self.page.screenshot(path=str(path))
        self.shots.append(str(path))
        self._last_shot = time.monotonic()
        return str(path)

    def run(self, done: Callable[[], bool], interval_s: float) -> None:
        """Check every ``interval_s`` until ``done()``, then once more."""
        while not done():
            self.check()
            self.page.wait_for_timeout(interval_s * 1000)
        self.check()

    def summary(self) -> dict[str, Any]:
        """What was checked and found, as JSON."""
        ms = sorted(self.check_ms) or [0.0]
        return {
            "checks": self.checks,
            "escalated_p1": {
                "distinct": len(self.seen),
                "card_checks": self.card_checks,
                "most_at_once": self.most_at_once,
            },
            "most_open_incidents": self.most_open,
            "most_cards_per_section": self.most_in_section,
            "lowest_escalated_p1_card_bottom_px": round(self.lowest_bottom_px, 1),
            "waited_for_console_to_catch_up": self.catch_ups,
            "console_never_caught_up": self.stale,
            "check_ms": {"p50": round(ms[len(ms) // 2], 1), "max": round(ms[-1], 1)},
            "violations": len(self.violations),
            "violation_list": [v.__dict__ for v in self.violations[:50]],
            "screenshots": len(self.shots),
        }


def play_shift(
    server: RunningServer, minutes: float, speed: float, calls_per_hour: float, seed: int, out: Path
) -> subprocess.Popen[str]:
    """`siaga112 simulate` as a user runs it (tokens from `siaga112 demo`), in the background:
    ``minutes`` of shift time played ``speed`` times faster; its JSON report goes to ``out``,
    its text report and errors to ``out`` with the suffix .log (a pipe could fill and stall it)."""
    shift = [
        "--hours", f"{minutes / 60:.6f}", "--minutes", f"{minutes / speed:.6f}",
        "--calls-per-hour", str(calls_per_hour), "--seed", str(seed), "--out", str(out),
    ]  # fmt: skip
    with out.with_suffix(".log").open("w") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "entrypoints.cli", "simulate", "--url", server.url, *shift],
            env=server.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
