"""Which worker of a node a serving process is (``serve --workers N``, entrypoints.cli.workers)."""

from __future__ import annotations

import os
from dataclasses import dataclass

#: Where the workers of one node write their Prometheus counters (read by prometheus_client
#: when it is imported, so the supervisor sets it in each worker's environment).
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


@dataclass(frozen=True)
class WorkerSlot:
    """Which worker of how many this serving process is (``1/1``: a lone ``serve``)."""

    index: int = 1
    count: int = 1

    @property
    def shared(self) -> bool:
        """True when other workers share this node's port and metrics."""
        return self.count > 1

    @property
    def counts_the_log(self) -> bool:
        """True for the one worker that counts what the log says happened on the floor (every
        worker follows the whole log; summed over workers those counters would be N times
        the floor's)."""
        return self.index == 1

    @property
    def writes_checkpoints(self) -> bool:
        """True for the one worker that writes the present's checkpoints (every worker
        follows the same log to the same present: one writer is enough, and N would each
        spend a surge's checkpoint CPU on the same document)."""
        return self.index == 1

    @property
    def seals_the_log(self) -> bool:
        """True for the one worker that seals the log for the audit (every 2 s it reads and
        hashes what is new: one sealer per node is enough)."""
        return self.index == 1

    @classmethod
    def parse(cls, text: str) -> WorkerSlot:
        """``"2/4"`` → the second worker of four."""
        index, _, count = text.partition("/")
        if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
            raise ValueError(f"a worker is INDEX/COUNT with 1 <= INDEX <= COUNT, not {text!r}")
        return cls(int(index), int(count))

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    @property
    def shares_metrics(self) -> bool:
        """True when this worker's counters go to the node's shared metrics files."""
        return self.shared and MULTIPROCESS_DIR in os.environ
