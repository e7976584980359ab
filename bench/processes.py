"""CPU time of a server's processes, read from Linux /proc (the benches' server figures)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def cpu_seconds(pids: list[int]) -> float:
    """CPU time (user + system, all threads) the processes and every process they started
    (``serve --workers N``'s workers) have used so far: on a shared machine, what the server
    spent, whatever else ran meanwhile."""
    total, seen, todo = 0.0, set(), list(pids)
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            tasks = list(Path(f"/proc/{pid}/task").iterdir())
        except FileNotFoundError:  # gone meanwhile
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        for task in tasks:
            with contextlib.suppress(FileNotFoundError):
                todo += [int(child) for child in (task / "children").read_text().split()]
    return total
