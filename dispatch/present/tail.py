"""One subscription to the log per process, handed to every reader in the process.

The present's follower and each projection loop used to subscribe to the log on their own:
four subscriptions per serving process, each woken by every commit (on PostgreSQL each with a
LISTEN connection and a thread that reads the new events again). At one report per commit
that was 2 ms of the server's CPU per report of some 9.4 (PostgreSQL, 25 reports/s, 2 shared
cores, 2026-12-07). ``LogTail`` keeps one library subscription (``recorder.subscribe``) and
gives each reader the notifications after its own position, filtered by its topics:

- a reader that joins while the tail is at position ``h`` reads what it lacks up to ``h``
  from the store itself, in pages, in its own thread; what comes after ``h`` the tail hands
  it, in order, so nothing is read twice or missed;
- the tail's subscription is watched like any other (``SilenceWatch``): one that fell silent
  with an event waiting is taken again from the tail's position;
- when the tail's subscription fails (the store went away), every reader ends with that error
  and is let go; each follows again as it did after any lost subscription, and the first to
  come back starts the tail again;
- a reader that falls ``MAX_QUEUED`` notifications behind is ended (no error): it follows
  again from its own position and reads what it lacks from the store, so one slow reader
  never holds the others back nor fills the memory;
- the tail stops when its last reader does.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Notification, Subscription

from dispatch.present.follow import SilenceWatch

log = logging.getLogger("siaga112.present")
MAX_QUEUED = 20_000
PAGE = 500


class TailReader:
    """One reader's subscription: the notifications after ``gt`` of its ``topics`` (all when
    empty), in order; iterate it inside ``with``, end it with ``stop()``."""

    def __init__(self, tail: LogTail, gt: int, topics: Sequence[str]) -> None:
        self._tail = tail
        self._topics = frozenset(topics)
        self._read_to = gt  # the store was read up to here
        self._until = gt  # the store is read up to here, the tail's queue gives what follows
        self._caught_up = True
        self._page: deque[Notification] = deque()
        self._queue: deque[Notification] = deque()
        self._ready = threading.Condition()
        self._stopped = False
        self._error: BaseException | None = None

    def __enter__(self) -> TailReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __iter__(self) -> TailReader:
        return self

    def __next__(self) -> Notification:
        if not self._stopped and not self._page and not self._caught_up:
            self._read_page()
        if self._page and not self._stopped:
            return self._page.popleft()
        with self._ready:
            while not self._queue and not self._stopped:
                self._ready.wait()
            if self._stopped:
                if self._error is not None:
                    raise self._error
                raise StopIteration
            return self._queue.popleft()

    def stop(self) -> None:
        """End this subscription (iteration ends); the tail forgets the reader."""
        self.end(None)
        self._tail.forget(self)

    # ---- the tail's side ---------------------------------------------------------------------

    def joined(self, position: int) -> None:
        """The tail is at ``position`` (its lock held): read the store up to there first."""
        self._until = max(self._read_to, position)
        self._caught_up = self._read_to >= self._until

    def offer(self, notification: Notification) -> bool:
        """Queue what the tail received (its lock held); False: this reader is too far behind."""
        if notification.id <= self._until:
            return True
        if self._topics and notification.topic not in self._topics:
            return True
        with self._ready:
            if len(self._queue) >= MAX_QUEUED:
                return False
            self._queue.append(notification)
            self._ready.notify()
        return True

    def end(self, error: BaseException | None) -> None:
        """Iteration ends at the next step (raising ``error``, if any); what this reader had
        read or queued and not yet given is dropped: it follows again from its own position."""
        with self._ready:
            if not self._stopped:
                self._stopped, self._error = True, error
            self._ready.notify_all()

    def _read_page(self) -> None:
        page = self._tail.recorder.select_notifications(
            self._read_to,
            PAGE,
            stop=self._until,
            topics=sorted(self._topics),
            inclusive_of_start=False,
        )
        self._page.extend(page)
        if page:
            self._read_to = page[-1].id
        if len(page) < PAGE:
            self._caught_up = True


class _Live:
    """The tail's current library subscription, and whether it was stopped on purpose."""

    def __init__(self, subscription: Subscription[Any]) -> None:
        self.subscription = subscription
        self.stopped = False

    def stop(self) -> None:
        self.stopped = True
        self.subscription.stop()


class LogTail:
    """The process's one subscription to ``recorder``'s log, shared by every reader."""

    def __init__(self, recorder: ApplicationRecorder, *, name: str = "log-tail") -> None:
        self.recorder = recorder
        self.name = name
        self._lock = threading.Lock()
        self._readers: list[TailReader] = []
        self._position = 0
        self._thread: threading.Thread | None = None
        self._live: _Live | None = None

    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()) -> TailReader:
        """A reader of the notifications after ``gt`` (of ``topics``, or all)."""
        reader = TailReader(self, gt or 0, topics)
        with self._lock:
            if self._thread is None:
                self._position = gt or 0
                self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
                self._thread.start()
            reader.joined(self._position)
            self._readers.append(reader)
        return reader

    def forget(self, reader: TailReader) -> None:
        """A reader stopped; the tail's subscription ends with its last reader."""
        with self._lock:
            if reader in self._readers:
                self._readers.remove(reader)
            if not self._readers and self._live is not None:
                self._live.stop()  # the thread ends, unless a reader comes meanwhile

    @property
    def readers(self) -> int:
        """Readers following now."""
        with self._lock:
            return len(self._readers)

    def newer(self, position: int) -> bool:
        """Whether the log holds an event after ``position``."""
        return (self.recorder.max_notification_id() or 0) > position

    def _run(self) -> None:
        while True:
            with self._lock:
                if not self._readers:
                    self._thread = None
                    return
                start = self._position
            live: _Live | None = None
            try:
                live = _Live(self.recorder.subscribe(gt=start))
                with self._lock:
                    self._live = live
                    if not self._readers:
                        live.stop()  # the last reader left meanwhile
                self._follow(live)
            except Exception as error:
                if live is not None and live.stopped:  # stopped here: not a failure
                    continue
                log.error(
                    "%s: log subscription lost: %r; its readers follow again", self.name, error
                )
                with self._lock:
                    readers, self._readers = self._readers, []
                    self._live, self._thread = None, None
                for reader in readers:
                    reader.end(error)
                return

    def _follow(self, live: _Live) -> None:
        watch = SilenceWatch(live, lambda: self._position, self.newer, name=f"{self.name}-check")
        try:
            with live.subscription as notifications, watch:
                for notification in notifications:
                    self._deliver(notification)
        finally:
            with self._lock:
                if self._live is live:
                    self._live = None

    def _deliver(self, notification: Notification) -> None:
        behind: list[TailReader] = []
        with self._lock:
            self._position = notification.id
            for reader in self._readers:
                if not reader.offer(notification):
                    behind.append(reader)
            for reader in behind:
                self._readers.remove(reader)
        for reader in behind:
            log.warning("%s: a reader fell %d events behind; it reads again", self.name, MAX_QUEUED)
            reader.end(None)
