"""Paced subscriptions: a follower that batches anyway reads the log at most every ``pace_s``.

The library's subscription reads the log after every commit it hears of: at a hundred reports
a second that is a hundred reads a second (a transaction, a query, the rows decoded) for each
follower. A projection writes its view at most every ``flush_delay_s`` (0.05 s) whatever it
reads; its subscription may as well wait that long after a wake-up and take every commit of
that moment in one read. ``PacedPull`` is that wait, mixed into the SQLite and PostgreSQL
subscriptions (``SubscribableSQLiteApplicationRecorder.subscribe_paced``,
``FailFastPostgresApplicationRecorder.subscribe_paced``). Stopping does not wait for it. The
present's follower and the feeds are not paced: they hear every commit at once.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from eventsourcing.persistence import ApplicationRecorder, ListenNotifySubscription, Subscription

#: A projection's pace: its view is written at most this often anyway (``flush_delay_s``).
PROJECTION_PACE_S = 0.05


@runtime_checkable
class PacedRecorder(Protocol):
    """A recorder that can give a paced subscription."""

    def subscribe_paced(
        self, gt: int | None, topics: Sequence[str], pace_s: float
    ) -> Subscription[ApplicationRecorder]: ...


def subscribe(
    recorder: ApplicationRecorder, gt: int | None, topics: Sequence[str], pace_s: float
) -> Subscription[ApplicationRecorder]:
    """A subscription reading at most every ``pace_s`` where the recorder can pace it (the
    SQLite and PostgreSQL ones), else the recorder's own."""
    if isinstance(recorder, PacedRecorder):
        return recorder.subscribe_paced(gt, topics, pace_s)
    return recorder.subscribe(gt=gt, topics=topics)


class PacedPull(ListenNotifySubscription[Any]):
    """The library's pull loop (read what is there; then on each wake-up, read what is new),
    waiting ``pace_s`` after a wake-up before it reads. Set ``pace_s`` before ``__init__``
    (the library starts the pull thread there)."""

    pace_s: float = 0.0
    _unpaced: threading.Event

    def _loop_on_pull(self) -> None:
        unpaced = self._unpaced
        try:
            self._pull()  # what was recorded before
            while not self._has_been_stopped:
                self._has_been_notified.wait()
                unpaced.wait(self.pace_s)  # the commits of the next moment, in the same read
                self._pull()  # clears the wake-up first: a commit from now on wakes it again
        except BaseException as error:
            if self._thread_error is None:
                self._thread_error = error
            self.stop()

    def stop(self) -> None:
        self._unpaced.set()
        super().stop()
