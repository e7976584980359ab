"""A minute of steady load on a real server: nothing acknowledged is lost, nothing is a 5xx.

`bench/soak.py` (the same command as the 30-minute soak of docs/RELIABILITY.md) runs
`siaga112 demo` + `serve` on a fresh SQLite store and files 5 reports a second from four
call-takers, reading the incident list as they go; then every report answered 201 must be in
the log. Latency figures are printed, not asserted: on two shared cores they are noise.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 60
RATE = 5.0


def test_a_minute_of_steady_load_loses_nothing_and_answers_no_server_error() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "soak.py"), "--seconds", str(SECONDS)],
        capture_output=True,
        text=True,
        timeout=SECONDS + 180,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-2000:] + done.stdout[-2000:]
    result = json.loads(done.stdout)
    print(f"soak: {json.dumps(result)}")
    assert result["lost_reports"] == 0
    assert result["server_errors_5xx"] == 0 and result["transport_errors"] == 0
    assert result["reports_created"] >= 0.8 * SECONDS * RATE
    assert result["statuses"].get("201") == result["reports_created"]
