"""Logging never blocks the caller: lines go to a writer thread, and a pipe whose reader is gone
or slow costs dropped lines (counted, and the count written), never a frozen event loop."""

from __future__ import annotations

import logging
import os
import re
import threading
import time

from entrypoints.logging_filters import BackgroundWriter

LINES = 5_000  # about 500 KB: far more than a pipe's buffer and the writer's queue together


def test_logging_into_a_pipe_nobody_reads_returns_and_the_dropped_lines_are_counted() -> None:
    read_fd, write_fd = os.pipe()
    stream = os.fdopen(write_fd, "w")
    handler = BackgroundWriter(stream, capacity=100)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("test.log_writer")
    logger.propagate = False
    logger.addHandler(handler)
    logged = threading.Event()

    def log_many() -> None:
        for n in range(LINES):
            logger.warning("line %d %s", n, "x" * 90)
        logged.set()

    threading.Thread(target=log_many, daemon=True).start()
    # A liveness bound, not a speed check: a handler that writes in the caller's thread blocks
    # here for good once the pipe is full.
    assert logged.wait(timeout=60), "logging blocked on a pipe nobody reads"

    received: list[str] = []
    reader = threading.Thread(target=lambda: received.extend(os.fdopen(read_fd).readlines()))
    reader.start()
    for _ in range(600):  # the queued lines are written now that the pipe is read
        if handler.backlog == 0:
            break
        time.sleep(0.1)
    logger.warning("after the reader came back")
    handler.close()
    logger.removeHandler(handler)
    stream.close()
    reader.join(timeout=60)

    numbers = [int(m[1]) for line in received if (m := re.match(r"line (\d+) ", line))]
    notices = [line for line in received if "log lines dropped" in line]
    assert numbers[:10] == list(range(10))  # written in order, from the first
    assert numbers == sorted(numbers)
    assert notices  # the writer fell behind by far more than its queue holds
    reported = sum(int(notice.split()[0]) for notice in notices)
    assert reported == LINES - len(numbers)  # every missing line was counted
    assert received[-1].strip() == "after the reader came back"
