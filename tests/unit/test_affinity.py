"""Which CPU a serving process runs on (entrypoints.affinity)."""

from __future__ import annotations

from pathlib import Path

import pytest

from entrypoints.affinity import choose_cpu, current_cpu, pin_serving_process
from entrypoints.worker_slot import WorkerSlot


def test_worker_k_takes_the_kth_allowed_cpu_round_robin() -> None:
    allowed = {4, 2}  # a cpuset need not start at 0 nor be given in order
    chosen = [choose_cpu(WorkerSlot(k, 3), allowed, current=4) for k in (1, 2, 3)]
    assert chosen == [2, 4, 2]


def test_a_lone_process_keeps_the_cpu_it_is_on_if_allowed() -> None:
    assert choose_cpu(WorkerSlot(), {0, 1, 2}, current=1) == 1
    assert choose_cpu(WorkerSlot(), {0, 2}, current=1) == 0
    assert choose_cpu(WorkerSlot(), {3, 5}, current=None) == 3


def test_with_one_cpu_allowed_nothing_is_chosen() -> None:
    assert choose_cpu(WorkerSlot(), {7}, current=7) is None
    assert choose_cpu(WorkerSlot(2, 2), {7}, current=7) is None


def test_the_current_cpu_is_read_after_the_command_name(tmp_path: Path) -> None:
    stat = tmp_path / "stat"
    # A command name with spaces and parentheses, then fields 3 to 52; field 39 is the CPU.
    fields = [str(n) for n in range(3, 53)]
    fields[39 - 3] = "1"
    stat.write_text("4242 (a) b (c)) " + " ".join(fields) + "\n")
    assert current_cpu(stat) == 1
    assert current_cpu(tmp_path / "missing") is None
    stat.write_text("4242 (short)\n")
    assert current_cpu(stat) is None


def test_any_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("no affinity may be set")

    monkeypatch.setattr("os.sched_setaffinity", refuse, raising=False)
    assert pin_serving_process("any", WorkerSlot()) is None


def test_a_refused_pinning_leaves_the_process_as_it_was(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr("os.sched_getaffinity", lambda _: {0, 1}, raising=False)
    monkeypatch.setattr("os.sched_setaffinity", refuse, raising=False)
    assert pin_serving_process("one", WorkerSlot()) is None
