"""Group commit: saves that arrive together are written in one transaction.

A durable commit costs the same for one event as for fifty (it waits for the disk, or on
PostgreSQL for the log flush and the library's table lock that orders notifications). So a
caller that finds no commit under way commits at once; callers arriving while a commit is
under way queue up, and when it ends the first of them commits everything queued, for all of
them, in one transaction. Nobody waits for a timer: under light load every save is committed
alone and at once, under heavy load batches grow by themselves.

Each caller gets its own outcome. A batch refused with ``IntegrityError`` (one member lost a
race: a report id saved twice, an aggregate changed by someone else) is saved again one member
at a time, so only the members that conflict get the error and the others are stored. Any
other error (the store is down) is every member's error: none of the batch was stored.

The library's own ``Application.save`` does the writing, so snapshots are taken and the
application's notification hooks run exactly as for a plain ``save``.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.domain import Aggregate, DomainEventProtocol
from eventsourcing.persistence import IntegrityError, Recording

DEFAULT_MAX_BATCH = 64


class Saves(Protocol):
    """What group commit needs of the application: its ``save``."""

    def save(self, *objs: Any) -> list[Recording[UUID]]: ...


class _Member:
    """One caller's save: its aggregates, their collected events, and then its outcome."""

    def __init__(self, aggregates: Sequence[Aggregate]) -> None:
        self.aggregates = tuple(aggregates)
        self.events: list[DomainEventProtocol[UUID]] = [
            e for a in aggregates for e in a.collect_events()
        ]
        self.leads = False
        self.done = False
        self.recordings: list[Recording[UUID]] = []
        self.error: BaseException | None = None
        self.wake = threading.Event()

    def finish(self, recordings: list[Recording[UUID]], error: BaseException | None) -> None:
        self.recordings, self.error, self.done = recordings, error, True
        self.wake.set()


class GroupCommit:
    """Saves aggregates for many threads, several callers per transaction."""

    def __init__(self, app: Saves, *, max_batch: int = DEFAULT_MAX_BATCH) -> None:
        self._app = app
        self._max_batch = max_batch
        self._lock = threading.Lock()
        self._queue: list[_Member] = []
        self._leading = False  # a caller is committing; the queue waits for it
        self.batches = 0  # transactions attempted for batches (to measure, not to decide)

    @property
    def waiting(self) -> int:
        """Callers queued behind the commit under way."""
        with self._lock:
            return len(self._queue)

    def save(self, *aggregates: Aggregate) -> list[Recording[UUID]]:
        """Store the aggregates' pending events atomically (with other callers' in the same
        transaction, perhaps); returns this caller's recordings or raises its own error."""
        member = _Member(aggregates)
        if not member.events:
            return []
        with self._lock:
            self._queue.append(member)
            if not self._leading:
                self._leading = member.leads = True
        while not member.done:
            if member.leads:
                self._lead()
            else:
                member.wake.wait()
                member.wake.clear()
        if member.error is not None:
            raise member.error
        return member.recordings

    def _lead(self) -> None:
        """Commit what is queued (this caller first), then pass the lead on."""
        with self._lock:
            batch = self._queue[: self._max_batch]
            del self._queue[: self._max_batch]
        try:
            self._commit(batch)
        except BaseException as error:  # never leave a caller waiting for nothing
            for member in batch:
                if not member.done:
                    member.finish([], error)
        finally:
            with self._lock:
                if self._queue:
                    successor = self._queue[0]
                    successor.leads = True
                    successor.wake.set()
                else:
                    self._leading = False

    def _commit(self, batch: list[_Member]) -> None:
        self.batches += 1
        try:
            recordings = self._app.save(
                *(e for m in batch for e in m.events), *(a for m in batch for a in m.aggregates)
            )
        except IntegrityError as error:
            if len(batch) == 1:
                batch[0].finish([], error)
                return
            for member in batch:  # only those that conflict get the error
                self._commit([member])
            return
        except Exception as error:
            for member in batch:
                member.finish([], error)
            return
        start = 0
        for member in batch:
            mine = recordings[start : start + len(member.events)]
            start += len(mine)
            member.finish(mine, None)
