"""The process's one log follower and the one model of the present every reader uses.

Intake (caller history, duplicates, unit availability), the websocket feeds, the incidents,
units and callers APIs, the watchdog and the floor metrics all read this ``Present``. It starts
from the last checkpoint (``dispatch.present.checkpoint``) and the log's tail, follows the log
in one thread (``dispatch.present.follow``), writes a checkpoint every 5,000 events in another
(so following never waits for one; its encoding paced to a quarter of a core, so that requests
never wait behind it, ``dispatch.present.pace``) and catches up on demand: every read
(``dispatch.present.reads``) first applies what the log holds beyond its position, so a
writer's next read sees its own write, whichever node wrote it. Listeners are told of each
applied event in log order, under the lock.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Notification

from dispatch.errors import StorageUnavailable
from dispatch.present.checkpoint import CheckpointStore, checkpoint_store_for
from dispatch.present.follow import LogFollower
from dispatch.present.increments import Increments
from dispatch.present.model import DEFAULT_WINDOWS, Applied, PresentState, Windows
from dispatch.present.pace import Pace, unpaced
from dispatch.present.reads import Reads
from dispatch.present.tail import LogTail
from dispatch.present.topics import PRESENT_TOPICS

log = logging.getLogger("siaga112.present")
NAME = "present"
PAGE = 500
Listener = Callable[[Applied], None]


class Present(Reads):
    """Open incidents, recently closed ones, units and caller calls, kept from the log."""

    checkpoint_every_events = 5_000
    checkpoint_every_s = 300.0
    checkpoint_share = 0.25  # of one core, at most, while the checkpoint thread encodes

    def __init__(self, app: Application[UUID], windows: Windows = DEFAULT_WINDOWS) -> None:
        self._app = app
        self._lock = threading.RLock()
        self.state = PresentState(windows, self._load)
        self._listeners: list[Listener] = []
        self.checkpoints: CheckpointStore | None = checkpoint_store_for(app)
        self._increments = Increments()
        self._writing = threading.Lock()  # one checkpoint at a time (they share the increments)
        self.checkpointed = 0
        self.started_from = 0  # the checkpoint's position the last start loaded (0: none)
        self.start_s = 0.0  # how long that start took (checkpoint, tail)
        self._checkpointed_at = time.monotonic()
        self._followers = 0
        self._follower: LogFollower | None = None
        #: The process's one subscription to the log: this follower and the projections read it
        self.tail = LogTail(app.recorder)
        # Checkpoints fall due in the follower, which only says so: they are written by a
        # thread of their own, so the log is followed on while one is encoded and saved.
        self._checkpoint_due = threading.Event()
        self._checkpointer: threading.Thread | None = None
        self._checkpointer_stop = threading.Event()
        #: False when another process following the same log writes the checkpoints
        #: (``serve --workers N``: the first worker); this one still starts from them
        self.writes_checkpoints = True

    @property
    def position(self) -> int:
        """The log position applied so far."""
        return self.state.position

    # ---- start-up, catching up, following -------------------------------------------------------

    def start(self) -> int:
        """Load the last checkpoint (if any) and apply the log's tail; returns the position.

        A start that had to apply many events writes a checkpoint, so the next one does not.
        """
        started = time.perf_counter()
        with self._lock:
            if self.checkpoints is not None and self.state.position == 0:
                self._load_checkpoint(self.checkpoints)
            self.started_from = self.checkpointed
            self.refresh()
            self.start_s = round(time.perf_counter() - started, 3)
            behind = self.state.position - self.checkpointed
        if behind >= self.checkpoint_every_events and self.writes_checkpoints:
            self.save_checkpoint()
        return self.state.position

    def _load_checkpoint(self, checkpoints: CheckpointStore) -> None:
        try:
            loaded = checkpoints.load(self.state.windows, self._load)
        except StorageUnavailable:
            raise
        except Exception:  # unreadable: the log itself is the truth, replay it
            log.exception("the present's checkpoint cannot be read; starting from the log")
            return
        if loaded is not None:
            self.state = loaded
            self.checkpointed = loaded.position

    def refresh(self) -> int:
        """Apply every event recorded beyond this position; returns the position.

        The log is read without the lock (a round trip to the store, made by every report):
        the follower and other readers go on meanwhile. What was read is applied under it,
        less what the follower applied in the meantime.
        """
        while True:
            page = self._app.recorder.select_notifications(
                start=self.state.position, limit=PAGE, inclusive_of_start=False
            )
            with self._lock:
                for notification in page:
                    self._receive(notification)
                if len(page) < PAGE:
                    return self.state.position

    def catch_up(self, position: int) -> int:
        """Make sure everything up to ``position`` (a write just made) is applied."""
        return self.state.position if self.state.position >= position else self.refresh()

    def _receive(self, notification: Notification) -> None:
        # Under the lock, in log order.
        if notification.id <= self.state.position:
            return  # already applied (a refresh and the follower both saw it)
        if notification.topic not in PRESENT_TOPICS:
            self.state.position = notification.id
            return
        event = self._app.mapper.to_domain_event(notification)
        applied = self.state.apply(event, notification.id)
        if applied is not None:
            for listener in self._listeners:
                try:
                    listener(applied)
                except Exception:
                    log.exception("listener %r failed at position %d", listener, notification.id)

    def observe(self, listener: Listener) -> int:
        """Tell ``listener`` of every event applied from now on (under the lock, in order);
        returns the position it starts after. A failing listener is logged, nothing more."""
        with self._lock:
            self._listeners.append(listener)
            return self.state.position

    def unobserve(self, listener: Listener) -> None:
        """Stop telling ``listener``."""
        with self._lock, contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    def follow(self) -> None:
        """Follow the log in a thread (once per process, however many ask)."""
        with self._lock:
            self._followers += 1
            if self._follower is None:
                self._follower = LogFollower(
                    self._app.recorder,
                    lambda: self.state.position,
                    self._followed,
                    name=NAME,
                    source=self.tail,
                ).start()
                if self.checkpoints is not None and self.writes_checkpoints:
                    self._checkpointer_stop.clear()
                    self._checkpointer = threading.Thread(
                        target=self._write_checkpoints, name=f"{NAME}-checkpoint", daemon=True
                    )
                    self._checkpointer.start()

    def unfollow(self) -> None:
        """Stop following when the last one who asked stops; then write a checkpoint."""
        with self._lock:
            self._followers -= 1
            if self._followers > 0 or self._follower is None:
                return
            follower, self._follower = self._follower, None
            checkpointer, self._checkpointer = self._checkpointer, None
        follower.stop()
        if checkpointer is not None:
            self._checkpointer_stop.set()
            self._checkpoint_due.set()
            checkpointer.join()
        if not self.writes_checkpoints:
            return
        with contextlib.suppress(Exception):  # a store down at shutdown: the next start replays
            self.save_checkpoint()

    def _followed(self, notification: Notification) -> None:
        with self._lock:
            self._receive(notification)
        self._maybe_checkpoint()

    @property
    def error(self) -> str | None:
        """Why the follower lost the log (None while it follows, or when it does not)."""
        return self._follower.error if self._follower is not None else None

    def health(self) -> tuple[bool, dict[str, Any]]:
        """(healthy, detail) for /healthz."""
        detail = {
            "position": self.state.position,
            "error": self.error,
            "started_from": self.started_from,
            "start_s": self.start_s,
            "incidents": len(self.state.incidents),
        }
        return self.error is None, detail

    # ---- checkpoints ----------------------------------------------------------------------------

    def _maybe_checkpoint(self) -> None:
        if self._checkpointer is not None and self._checkpoint_is_due():
            self._checkpoint_due.set()  # the checkpoint thread writes it

    def _checkpoint_is_due(self) -> bool:
        behind = self.state.position - self.checkpointed
        return behind >= self.checkpoint_every_events or bool(
            behind and time.monotonic() - self._checkpointed_at >= self.checkpoint_every_s
        )

    def _write_checkpoints(self) -> None:
        while True:
            self._checkpoint_due.wait()
            self._checkpoint_due.clear()
            if self._checkpointer_stop.is_set():
                return  # unfollow writes the last one
            if not self._checkpoint_is_due():
                continue  # said again while the last one was written
            try:
                self.save_checkpoint(paced=True)
            except Exception as error:  # the next one will do; reads never depend on it
                log.warning("checkpoint not written: %r", error)

    def save_checkpoint(self, *, paced: bool = False) -> int | None:
        """Write the present to the store's checkpoint table; the position written.

        ``paced``: the encoding gives way to the threads that answer people (the checkpoint
        thread's checkpoints; one written at start or stop goes at full speed)."""
        store = self.checkpoints
        if store is None:
            return None
        step = self._paced_step() if paced else unpaced
        with self._writing:
            with self._lock:  # only to list what moved since the last one (and keep it so)
                state = self.state
                copied = self._increments.copy(state)
                state.before_change = copied.keep_as_it_was
            try:
                body = self._increments.body(copied, store, step, lambda: self._lock)
            finally:
                with self._lock:
                    state.before_change = None
            store.save(copied.position, body)
            self.checkpointed, self._checkpointed_at = copied.position, time.monotonic()
            return copied.position

    def _paced_step(self) -> Callable[[], None]:
        pace = Pace(self.checkpoint_share)

        def step() -> None:
            if not self._checkpointer_stop.is_set():  # stopping: finish at full speed
                pace.step()

        return step

    # ---- the state, read under the lock -----------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[PresentState]:
        """The state, with no event applied meanwhile (read only; keep it short)."""
        with self._lock:
            yield self.state

    # ---- aggregates that already left -----------------------------------------------------------

    def _load(self, aggregate_id: UUID, version: int | None) -> Aggregate | None:
        try:
            found: Aggregate = self._app.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            return None
        return found
