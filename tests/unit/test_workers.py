"""serve --workers: the supervisor's rules, with small real processes standing in for workers.

A worker that gives up before it serves stops the node with its exit code; one that dies
after it served, or is killed while starting, is started again.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from entrypoints.cli import main
from entrypoints.cli.workers import Command, Inherited, Supervisor
from entrypoints.worker_slot import WorkerSlot
from tests.feeds import wait_until


@pytest.fixture
def sock() -> Iterator[socket.socket]:
    listening = socket.create_server(("127.0.0.1", 0))
    listening.set_inheritable(True)
    yield listening
    listening.close()


def worker(script: str) -> Command:
    """A worker's command: Python running SCRIPT with the ready pipe's fd as ``ready``."""

    def command(slot: WorkerSlot, fds: Inherited) -> Sequence[str]:
        prelude = f"import os, sys, time; ready = {fds.ready}; index = {slot.index}\n"
        return [sys.executable, "-c", prelude + script]

    return command


SERVES = "os.write(ready, f'{index}\\n'.encode()); time.sleep(120)"


def test_a_worker_that_gives_up_before_it_serves_stops_the_node_with_its_code(
    sock: socket.socket,
) -> None:
    supervisor = Supervisor(2, sock, worker("sys.exit(3)"))
    assert supervisor.run() == 3
    assert supervisor.pids() == []


def test_a_worker_that_dies_after_it_served_is_started_again_and_stop_ends_every_one(
    sock: socket.socket,
) -> None:
    supervisor = Supervisor(2, sock, worker(SERVES))
    seen: dict[str, list[int]] = {}

    def operator() -> None:
        try:
            seen["first"] = wait_until(
                lambda: all(w.ready for w in supervisor.workers) and supervisor.pids(), 20
            )
            os.kill(seen["first"][0], signal.SIGKILL)
            seen["again"] = wait_until(
                lambda: (
                    (p := supervisor.pids())
                    and len(p) == 2
                    and seen["first"][0] not in p
                    and all(w.ready for w in supervisor.workers)
                    and p
                ),
                20,
            )
        finally:
            supervisor.stop.set()

    helper = threading.Thread(target=operator)
    helper.start()
    code = supervisor.run()
    helper.join()
    assert code == 0
    assert seen["first"][1] in seen["again"]  # the other worker was left alone
    assert supervisor.workers[0].exits == [-signal.SIGKILL]
    assert supervisor.pids() == []  # all stopped
    for pid in seen["again"]:
        assert not os.path.exists(f"/proc/{pid}")


def test_a_worker_killed_while_it_starts_is_started_again(sock: socket.socket) -> None:
    # Killed by a signal before it served (an operator, the OOM killer): not a bad setting
    supervisor = Supervisor(1, sock, worker("time.sleep(120)"))

    def operator() -> None:
        try:
            first = wait_until(supervisor.pids, 20)[0]
            os.kill(first, signal.SIGKILL)
            wait_until(lambda: (p := supervisor.pids()) and p[0] != first, 20)
        finally:
            supervisor.stop.set()

    helper = threading.Thread(target=operator)
    helper.start()
    assert supervisor.run() == 0
    helper.join()
    assert supervisor.workers[0].exits[0] == -signal.SIGKILL


def test_worker_slots_are_read_from_index_and_count() -> None:
    assert WorkerSlot.parse("2/4") == WorkerSlot(2, 4)
    assert WorkerSlot.parse("2/4").shared and not WorkerSlot().shared
    assert WorkerSlot(1, 3).counts_the_log and not WorkerSlot(2, 3).counts_the_log
    assert WorkerSlot().writes_checkpoints and not WorkerSlot(2, 3).writes_checkpoints
    assert WorkerSlot().seals_the_log and not WorkerSlot(2, 3).seals_the_log
    for bad in ["0/2", "3/2", "x", "1/"]:
        with pytest.raises(ValueError, match="INDEX/COUNT"):
            WorkerSlot.parse(bad)


@pytest.mark.parametrize("value", ["0", "65", "two"])
def test_serve_refuses_a_worker_count_out_of_range(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["serve", "--workers", value]) == 2
    assert f"workers is a whole number from 1 to 64, not {value}" in capsys.readouterr().err


def test_siaga_workers_out_of_range_is_an_invalid_configuration(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SIAGA_WORKERS", "0")
    assert main(["serve"]) == 2
    assert "workers: Input should be greater than or equal to 1" in capsys.readouterr().err


def test_a_port_in_use_or_an_unknown_host_is_one_line_and_exit_2(
    sock: socket.socket,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("SIAGA_VAR_DIR", str(tmp_path))
    taken = sock.getsockname()[1]
    assert main(["serve", "--port", str(taken), "--workers", "2"]) == 2
    assert f"serve: cannot listen on 127.0.0.1:{taken}: Address already in use" in (
        capsys.readouterr().err
    )
    assert main(["serve", "--host", "no-such-host.invalid", "--workers", "2"]) == 2
    assert "serve: cannot listen on no-such-host.invalid" in capsys.readouterr().err
