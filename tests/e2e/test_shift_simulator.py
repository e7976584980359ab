"""A short shift played by `siaga112 simulate` against a real server, on SQLite and PostgreSQL
(there also through `serve --workers 2`).

The simulator drives the server only over HTTP and websockets; the report must show every
invariant exercised and not one violation.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from simulator.responders import NEVER_ACKNOWLEDGED_P1
from tests.e2e.server import RunningServer, running_server
from tests.support import fresh_database

pytestmark = [pytest.mark.e2e, pytest.mark.playback]

# One shift hour in 90 s at 150 calls an hour: several duplicates, P1s, multi-agency
# incidents and escalations in every run. Escalation deadlines are wall-clock (60 s for a P1),
# so how many fire by chance depends on the machine's speed; the first P1s whose agency never
# acknowledges on purpose are awaited and must each escalate.
SHIFT = ["--hours", "1", "--minutes", "1.5", "--calls-per-hour", "150", "--seed", "16"]
AT_LEAST = {
    "genuine_not_flagged": 40,
    "p1_unit_recommended": 20,
    "duplicates_suggested": 8,
    "escalations_on_time": 10,
    "feeds_reach_agencies": 80,
    "no_server_errors": 500,
    "projections_rebuild": 3,
}


@contextmanager
def server_on(backend: str, tmp_path: Path, workers: int = 1) -> Iterator[RunningServer]:
    if backend == "sqlite":
        with running_server(tmp_path, workers=workers) as server:
            yield server
    else:
        with fresh_database() as url, running_server(tmp_path, url, workers=workers) as server:
            yield server


def simulate(server: RunningServer, out: Path) -> tuple[int, dict[str, Any], str]:
    """`siaga112 simulate` as a user runs it, with the tokens `siaga112 demo` wrote."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "entrypoints.cli",
            "simulate",
            "--url",
            server.url,
            *SHIFT,
            "--out",
            str(out),
        ],
        env=server.env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    return done.returncode, json.loads(out.read_text()), done.stdout


@pytest.mark.parametrize(
    ("backend", "workers"),
    [
        ("sqlite", 1),
        pytest.param("postgres", 1, marks=pytest.mark.postgres),
        # serve --workers 2: the floor's traffic spread over two serving processes
        pytest.param("postgres", 2, marks=pytest.mark.postgres),
    ],
)
def test_a_short_shift_exercises_every_invariant_without_a_violation(
    backend: str, workers: int, tmp_path: Path
) -> None:
    with server_on(backend, tmp_path, workers) as server:
        code, report, text = simulate(server, tmp_path / "report.json")
    checks = {i["key"]: i["checks"] for i in report["invariants"]}
    assert set(checks) == set(AT_LEAST)
    for key, least in AT_LEAST.items():
        assert checks[key] >= least, (key, checks[key])
    assert report["activity"].get("linked_duplicates", 0) >= 5
    assert report["activity"].get("multi_agency", 0) >= 5
    # The first P1s an agency is left never to acknowledge: each must escalate (a violation of
    # escalations_on_time otherwise), whatever the speed of the machine.
    left = report["activity"].get("escalations_designated", 0)
    assert left == NEVER_ACKNOWLEDGED_P1
    assert report["simulator_errors"]["count"] == 0, report["simulator_errors"]
    assert report["violations"] == 0, text
    assert report["activity"].get("escalations_seen", 0) >= left
    assert code == 0
