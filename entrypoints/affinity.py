"""Each serving process runs on one CPU (``SIAGA_CPU_AFFINITY=one``, the default).

A serving process runs its Python one thread at a time (the GIL), but it has many threads: the
event loop, the route threads, the classifier's worker, the log follower, the projections. Every
report passes the GIL between them many times (each store call, each wait for the classifier or
the group commit). Left free, the OS wakes the next thread on whichever CPU is idle, so on a
machine with two CPUs the GIL goes back and forth between them: each hand-over wakes a thread on
the other CPU, whose caches then hold nothing of the interpreter's. On the 2-CPU development
machine that cost nearly half of the server's CPU per report (``bench_http.py``, one worker, 16
clients: 5.6-6.2 ms of CPU per report when free, 2.9-3.5 ms on one CPU, and nearly twice the
reports per second). The process never gets more than one CPU's worth of Python anyway; what it
gives up is only running C code that releases the GIL (a commit's wait, a store's round trip)
beside its Python, which costs little CPU.

So each serving process is pinned to one CPU before it starts any thread (threads inherit
it): worker ``k`` of ``serve --workers N`` takes the k-th CPU it may use (round robin), a
lone ``serve`` the CPU it was started on (processes started together usually start on different
CPUs). ``SIAGA_CPU_AFFINITY=any`` leaves the placement to the OS. Linux only: elsewhere, and
on a machine (or a container's cpuset) with one CPU, nothing changes.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from dispatch.settings import CpuAffinity
from entrypoints.worker_slot import WorkerSlot

# /proc/<pid>/stat: the CPU the task last ran on is field 39, the 37th after the ")" that
# closes the command name (which may itself hold spaces and parentheses).
_PROCESSOR_AFTER_NAME = 36


def choose_cpu(slot: WorkerSlot, allowed: Collection[int], current: int | None) -> int | None:
    """The one CPU a serving process runs on, or None (leave it to the OS: one CPU allowed).

    Worker ``k`` of several takes the k-th allowed CPU (round robin); a lone process keeps
    the CPU it is on, if allowed, else takes the first allowed."""
    cpus = sorted(allowed)
    if len(cpus) < 2:
        return None
    if slot.shared:
        return cpus[(slot.index - 1) % len(cpus)]
    return current if current in cpus else cpus[0]


def current_cpu(stat: Path = Path("/proc/self/stat")) -> int | None:
    """The CPU this process last ran on (None when the system does not say)."""
    try:
        fields = stat.read_text().rpartition(")")[2].split()
        return int(fields[_PROCESSOR_AFTER_NAME])
    except (OSError, IndexError, ValueError):
        return None


def pin_serving_process(affinity: CpuAffinity, slot: WorkerSlot) -> int | None:
    """Pin this process (every thread it has, and so every thread it starts) to the CPU
    ``choose_cpu`` gives; returns it, or None when nothing was changed (the system refusing
    is not an error: the process serves as the OS places it)."""
    if affinity != "one" or not hasattr(os, "sched_setaffinity"):
        return None
    cpu = choose_cpu(slot, os.sched_getaffinity(0), current_cpu())
    if cpu is None:
        return None
    try:
        os.sched_setaffinity(0, {cpu})  # this thread, and the threads it starts from now on
    except OSError:  # refused (a sandbox, a CPU gone offline): serve as the OS places it
        return None
    for task in _threads():  # threads started before (a library's, at import)
        try:
            os.sched_setaffinity(task, {cpu})
        except OSError:  # it ended meanwhile
            continue
    return cpu


def _threads() -> list[int]:
    try:
        return [int(name) for name in os.listdir("/proc/self/task")]
    except OSError:
        return []
