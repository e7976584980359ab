"""`serve` runs each serving process on one CPU (``SIAGA_CPU_AFFINITY=one``, the default):
every thread of a lone server, the ones a report sets going included, shares one CPU, and the
two workers of ``serve --workers 2`` are on two different CPUs. ``any`` leaves them to the OS.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from tests.e2e.server import RunningServer, running_server
from tests.e2e.test_serve_workers import both_serving
from tests.support import report_json

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
        reason="one CPU (or no affinity on this system): there is nothing to choose",
    ),
]


def placements(pid: int) -> set[frozenset[int]]:
    """The CPU sets the process's threads may run on (one set when they all share it)."""
    found = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            found.add(frozenset(os.sched_getaffinity(int(task))))
        except OSError:  # a thread that ended meanwhile
            continue
    return found


def started_line(var_dir: Path) -> str:
    """The line ``serve`` prints when it starts (where it serves, the store, the CPU)."""
    log = (var_dir / "server.log").read_text().splitlines()
    return next(line for line in log if line.startswith("Siaga112 on http://"))


def take_a_report(server: RunningServer) -> None:
    """A report through intake: the route thread, the classifier's worker, the follower."""
    operator = {"Authorization": f"Bearer {server.tokens['operator']}"}
    answer = httpx.post(f"{server.url}/api/reports", json=report_json(), headers=operator)
    assert answer.status_code == 201, answer.text


def test_a_lone_server_runs_every_thread_on_the_one_cpu_it_names(tmp_path: Path) -> None:
    with running_server(tmp_path) as server:
        take_a_report(server)
        threads = placements(server.process.pid)
        assert len(threads) == 1, threads
        (cpus,) = threads
        assert len(cpus) == 1 and cpus <= os.sched_getaffinity(0)
        (cpu,) = cpus
        assert started_line(tmp_path).endswith(f"(store: sqlite, CPU {cpu})")


def test_two_workers_run_on_two_different_cpus(tmp_path: Path) -> None:
    with running_server(tmp_path, workers=2, log_level="info") as server:
        pids = both_serving(server, tmp_path / "server.log")
        take_a_report(server)
        per_worker = [placements(pid) for pid in pids]
        assert all(len(p) == 1 and len(next(iter(p))) == 1 for p in per_worker), per_worker
        assert per_worker[0] != per_worker[1]
        # The supervisor only supervises: the OS places it
        assert placements(server.process.pid) == {frozenset(os.sched_getaffinity(0))}


def test_with_any_the_os_places_every_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIAGA_CPU_AFFINITY", "any")
    with running_server(tmp_path) as server:
        take_a_report(server)
        assert placements(server.process.pid) == {frozenset(os.sched_getaffinity(0))}
        assert started_line(tmp_path).endswith("(store: sqlite)")
