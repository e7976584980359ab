"""A shift at the console: is an escalated P1 ever below the fold at 1366×768?

Starts `siaga112 demo` + `siaga112 serve` on a fresh store, plays a shift through it with
`siaga112 simulate` (HTTP and websockets only: calls, routing, late or missing
acknowledgements, escalations, closures), and meanwhile keeps the console open in headless
Chromium at 1366×768, signed in as a call-taker and left alone. Every --interval seconds it
asks the server for the open P1s whose escalation still holds and checks that each one's queue
card is whole in the window (not below the fold, not scrolled away inside a panel, not covered).
Screenshots at each violation and every --screenshot-every seconds, under
artifacts/screenshots/console-shift/. Prints ONE JSON object.

    python bench/console_shift.py [--minutes 60] [--speed 1] [--calls-per-hour 40]
        [--seed 112] [--interval 3] [--backend sqlite|postgres]

--minutes is shift time; --speed N plays it N times faster (escalation deadlines stay
wall-clock, so a compressed shift keeps more incidents open at once: a harder queue).
Exit 0 with no violation, 1 with any, 2 when the simulator failed to run.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from tests.e2e.browser import SCREENSHOTS, VIEWPORT, chromium, open_page, sign_in_with_keyboard
from tests.e2e.fold import FoldWatch, play_shift
from tests.e2e.server import RunningServer, running_server
from tests.support import fresh_database


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="\n\n".join((__doc__ or "").split("\n\n")[:2]),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Exit 0 with no violation, 1 with any, 2 when the simulator failed to run.",
    )
    parser.add_argument("--minutes", type=float, default=60.0, help="shift minutes (60)")
    parser.add_argument(
        "--speed", type=float, default=1.0, help="shift seconds per wall-clock second (1)"
    )
    parser.add_argument("--calls-per-hour", type=float, default=40.0, help="(40)")
    parser.add_argument("--seed", type=int, default=112, help="traffic seed (112)")
    parser.add_argument("--interval", type=float, default=3.0, help="seconds between checks (3)")
    parser.add_argument(
        "--screenshot-every", type=float, default=300.0, help="seconds between screenshots (300)"
    )
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--screenshots", type=Path, default=SCREENSHOTS / "console-shift", help="(%(default)s)"
    )
    return parser.parse_args(argv)


def shift_at_the_console(
    server: RunningServer, args: argparse.Namespace, tmp: Path
) -> dict[str, Any]:
    """The shift played while the console is watched; the console check and the simulator's
    own report, as JSON."""
    out = tmp / "simulator.json"
    for old in args.screenshots.glob("*.png"):  # this run's pictures only
        old.unlink()
    with chromium() as browser:
        watched = open_page(browser, server.url)
        page = watched.page
        sign_in_with_keyboard(page, server.tokens["operator"])
        page.wait_for_selector("#conn[data-state=live]")
        watch = FoldWatch(
            page,
            server.url,
            server.tokens["operator"],
            screenshots=args.screenshots,
            shot_every_s=args.screenshot_every,
        )
        started = time.monotonic()
        process = play_shift(server, args.minutes, args.speed, args.calls_per_hour, args.seed, out)
        try:
            watch.run(lambda: process.poll() is not None, args.interval)
        finally:
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=60)
        wall_s = time.monotonic() - started
        page_problems = {"errors": watched.errors, "foreign_requests": watched.foreign_requests}
    report = json.loads(out.read_text()) if out.exists() else None
    errors = out.with_suffix(".log").read_text()
    return {
        "shift": {
            "minutes": args.minutes,
            "speed": args.speed,
            "calls_per_hour": args.calls_per_hour,
            "seed": args.seed,
            "wall_s": round(wall_s, 1),
            "backend": args.backend,
        },
        "viewport": f"{VIEWPORT['width']}x{VIEWPORT['height']}",
        "interval_s": args.interval,
        "console": watch.summary(),
        "page": page_problems,
        "screenshots_dir": str(args.screenshots),
        "simulator": simulator_summary(process.returncode, report, errors),
    }


def simulator_summary(
    code: int | None, report: dict[str, Any] | None, errors: str
) -> dict[str, Any]:
    if report is None:
        return {"exit": code, "error": errors[-2000:]}
    return {
        "exit": code,
        "calls": report["calls"]["taken"],
        "checks": report["checks"],
        "violations": report["violations"],
        "escalations_seen": report["activity"].get("escalations_seen", 0),
        "activity": report["activity"],
    }


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    with tempfile.TemporaryDirectory(prefix="siaga-console-shift-") as name:
        tmp = Path(name)
        if args.backend == "postgres":
            with fresh_database() as url, running_server(tmp, url) as server:
                result = shift_at_the_console(server, args, tmp)
        else:
            with running_server(tmp) as server:
                result = shift_at_the_console(server, args, tmp)
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if result["simulator"].get("calls") is None:
        return 2
    return 1 if result["console"]["violations"] else 0


if __name__ == "__main__":
    sys.exit(main())
