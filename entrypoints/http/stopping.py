"""Stopping a serving process: once told to stop, work not yet begun is refused, not queued.

Under overload hundreds of reports can wait for a worker thread. uvicorn, on SIGINT or SIGTERM,
stops accepting connections and waits for every request it has read: each waiting report
would still be scored, located and saved, one after another, before the process could stop.
From the signal on, a report that has not begun gets 503 with Retry-After (nothing saved; the
client retries with the same report_id, here once restarted or on another node), and the
reports already being saved finish and get their answer.
"""

from __future__ import annotations

from types import FrameType

import uvicorn

#: Requests still running this long after the signal are cancelled (the request deadline has
#: answered them by then); then the background loops stop.
GRACE_S = 10


class ServerStopping(Exception):
    """Raised when a request would begin work in a process that is stopping."""

    def __init__(self) -> None:
        super().__init__("the server is stopping; nothing was saved: retry (the same report_id)")


class Stopping:
    """Whether the process has been told to stop (set from a signal handler: a plain flag)."""

    def __init__(self) -> None:
        self._stopping = False

    @property
    def stopping(self) -> bool:
        """True once the process has been told to stop."""
        return self._stopping

    def begin(self) -> None:
        """From now on, refuse work that has not begun."""
        self._stopping = True

    def check(self) -> None:
        """Raise ServerStopping once the process is stopping."""
        if self._stopping:
            raise ServerStopping


class StoppingServer(uvicorn.Server):
    """uvicorn's server, telling the application the moment a stop signal arrives (uvicorn
    itself notices it at its next tick, which an overloaded event loop can delay by seconds)."""

    def __init__(self, config: uvicorn.Config, stopping: Stopping) -> None:
        super().__init__(config)
        self.stopping = stopping

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.stopping.begin()
        super().handle_exit(sig, frame)
