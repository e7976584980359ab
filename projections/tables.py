"""Read-model tables and the batching view that keeps them (the backend-neutral part).

A projection computes whole rows from the rows it already has; the view keeps them in three
layers: the rows of the event being processed (staged), the rows of processed events not yet
written (pending) and the rows known to be in the database (cache). Pending rows are written
together with the tracking position of the last event they include, in ONE transaction: a
crash loses only what was not committed, and the loop resumes from the committed position.

Writes are batched (up to ``batch_events`` events, or ``flush_delay_s`` after the first
pending one, sooner when a reader waits for a position), which is what makes catching up from
position 0 fast; a catching-up loop also commits a whole page (``commit(tracking, events=n)``).
"""

from __future__ import annotations

import threading
import time
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, NoReturn

from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder

from projections.failures import Failure, ProjectionFailed, is_transient
from projections.schema import APPLICATION, DELETED, Key, Query, Row, Table


class RowView(TrackingRecorder):
    """A materialised view made of tables, written in batches with its tracking position."""

    tables: ClassVar[tuple[Table, ...]] = ()
    flush_delay_s: ClassVar[float] = 0.25  # at the head, 0.05 cost 3-4x the flushers' CPU
    batch_events: ClassVar[int] = 5000
    max_cached_rows: ClassVar[int] = 200_000
    # A full batch: written by the flusher while the next events are processed (True), or
    # here (False). Measured: on PostgreSQL the server works while Python goes on; on SQLite
    # the two threads would only take turns at the GIL, and writing here is faster.
    write_behind: ClassVar[bool] = False

    # ---- set up and tear down ----------------------------------------------------------------

    def _start_batching(self) -> None:
        self._lock = threading.RLock()  # guards the layers; held briefly, never during I/O
        self._writing_lock = threading.Lock()  # one batch written at a time
        self._flushed = threading.Condition(self._lock)
        self._staged: dict[tuple[str, Key], Row] = {}  # the processing thread's own
        self._pending: dict[tuple[str, Key], Row] = {}  # processed, not written yet
        self._known: dict[tuple[str, Key], Row] = {}  # the newest row of each slot seen
        self._pending_tracking: Tracking | None = None
        self._pending_events = 0
        self._complete: set[str] | None = None  # tables whose every row is in ``_known``
        self._flushed_position: int | None = None
        self.failure: Failure | None = None
        self._wake = threading.Event()
        self._hurry = threading.Event()  # a full batch, closing, a reader waiting: write now
        self._closing = threading.Event()
        self._flusher: threading.Thread | None = None

    def create_table(self) -> None:
        """Create the tables (a reader and a loop may race to create them: the loser retries
        and finds them made)."""
        create = super().create_table  # type: ignore[misc]  # the backend recorder's
        try:
            create()
        except IntegrityError:
            create()

    def close(self) -> None:
        """Write what is pending, stop the flusher and close the connections."""
        self._closing.set()
        self._hurry.set()
        self._wake.set()
        if self._flusher is not None:
            self._flusher.join(timeout=10)
        if self.failure is None:
            self._write_pending()
        self._close_datastore()

    # ---- what projections use ------------------------------------------------------------------

    def begin(self) -> None:
        """Start processing one event (then ``commit`` or ``abort`` it)."""
        if self.failure is not None:
            raise ProjectionFailed(str(self.failure))
        self._staged.clear()

    def commit(self, tracking: Tracking, events: int = 1) -> None:
        """The event (or ``events`` events, up to ``tracking``) is processed: its rows are
        pending, written with the next batch: by the flusher after ``flush_delay_s``, or, once
        ``batch_events`` are pending (catching up), at once (see ``write_behind``)."""
        staged = self._staged
        with self._lock:
            self._known.update(staged)
            self._pending.update(staged)
            first = self._pending_tracking is None
            self._pending_tracking = tracking
            self._pending_events += events
            pending = self._pending_events
        staged.clear()
        if pending >= self.batch_events:
            if not self.write_behind or pending >= 2 * self.batch_events:
                self._flush_or_fail()
            elif not self._hurry.is_set():
                self._hurry.set()
                self._wake.set()
        elif first:
            self._ensure_flusher()
            self._wake.set()

    def abort(self, tracking: Tracking, event_name: str, error: BaseException) -> NoReturn:
        """The event could not be processed: its rows are dropped, the events before it are
        written, and the view records the failure and refuses further events."""
        self._staged.clear()
        self._fail(Failure(tracking.notification_id, event_name, repr(error), is_transient(error)))
        raise ProjectionFailed(str(self.failure)) from error

    def get(self, table: Table, key: Key) -> Row | None:
        """The row with this key as this view knows it now (treat it as read-only)."""
        slot = (table.name, key)
        found = self._staged.get(slot)
        if found is None:
            found = self._known.get(slot)  # replaced, never cleared: no lock needed to read
        if found is not None:
            return None if found is DELETED else found
        if self._complete is None:  # first look: an empty table needs no lookups at all
            self._complete = {t.name for t in self.tables if self._is_empty(t)}
        if table.name in self._complete:
            return None
        rows = self._fetch(table, dict(zip(table.key, key, strict=True)))
        row = rows[0] if rows else None
        with self._lock:
            self._known.setdefault(slot, DELETED if row is None else row)
        return row

    def put(self, table: Table, row: Row) -> None:
        """Set a whole row (a new dict: rows already read must not be changed in place)."""
        self._staged[(table.name, table.key_of(row))] = row

    def delete(self, table: Table, key: Key) -> None:
        """Remove a row."""
        self._staged[(table.name, key)] = DELETED

    def flush(self) -> None:
        """Write the pending rows and tracking position now."""
        self._flush_or_fail()

    def resume(self) -> int:
        """The committed position a loop resumes from: as written as what this view writes
        (so ``wait_for`` a position already committed before, by anyone, returns at once)."""
        position = self.position() or 0
        with self._flushed:
            self._flushed_position = max(self._flushed_position or 0, position)
            self._flushed.notify_all()
        return position

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until tracking ≥ position is committed (written by this view, or found
        committed when it resumed) (True), or timeout."""
        deadline = time.monotonic() + timeout
        with self._flushed:
            while (self._flushed_position or 0) < position and self.failure is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._hurry.set()  # someone waits: write what is pending without the delay
                self._flushed.wait(left)
            return (self._flushed_position or 0) >= position

    # ---- reads -----------------------------------------------------------------------------------

    def position(self) -> int | None:
        """The last log position written to this view."""
        return self.max_tracking_id(APPLICATION)

    def is_empty(self, table: Table) -> bool:
        """True when a table of this view has no rows in the database."""
        return self._is_empty(table)

    def select(self, table: Table, **where: Any) -> list[Row]:
        """Rows whose columns equal the given values (None matches NULL), from the database."""
        return self._fetch(table, where)

    def read(self, *queries: Query) -> tuple[int | None, list[list[Row]]]:
        """Several selects and the tracking position, all from one consistent snapshot."""
        return self._read_snapshot(queries)

    def dump(self) -> dict[str, list[Row]]:
        """Every row of every table, sorted by key (for rebuild comparisons)."""
        return self.snapshot()[1]

    def snapshot(self) -> tuple[int | None, dict[str, list[Row]]]:
        """The tracking position and every row, from one consistent snapshot."""
        position, results = self._read_snapshot([(t, {}) for t in self.tables])
        return position, {
            t.name: t.sorted(rows) for t, rows in zip(self.tables, results, strict=True)
        }

    # ---- internals -------------------------------------------------------------------------------

    def _ensure_flusher(self) -> None:
        if self._flusher is None:
            self._flusher = threading.Thread(
                target=self._flush_loop, name=f"flush-{type(self).__name__}", daemon=True
            )
            self._flusher.start()

    def _flush_loop(self) -> None:
        while not self._closing.is_set():
            self._wake.wait()
            self._hurry.wait(self.flush_delay_s)  # gather a few more events into one commit
            self._wake.clear()
            self._hurry.clear()
            if self.failure is not None:
                return
            try:
                self._flush_or_fail()
            except ProjectionFailed:
                return  # recorded in self.failure; the host reports it

    def _flush_or_fail(self) -> None:
        try:
            self._write_pending()
        except BaseException as error:
            self._fail(Failure(None, "write", repr(error), is_transient(error)))
            raise ProjectionFailed(str(self.failure)) from error

    def _write_pending(self) -> None:
        """Write the pending rows with their tracking position, in one transaction, while
        events go on being processed into a new pending batch."""
        with self._writing_lock:
            with self._lock:
                tracking = self._pending_tracking
                if tracking is None:
                    return
                batch = self._pending
                self._pending, self._pending_tracking, self._pending_events = {}, None, 0
            puts: dict[str, list[Row]] = {}
            deletes: dict[str, list[Key]] = {}
            for (name, key), row in batch.items():
                if row is DELETED:
                    deletes.setdefault(name, []).append(key)
                else:
                    puts.setdefault(name, []).append(row)
            try:
                self._write(puts, deletes, tracking)
            except BaseException:
                with self._lock:  # not written: pending again (newer rows win)
                    self._pending = batch | self._pending
                    self._pending_tracking = self._pending_tracking or tracking
                raise
            with self._lock:
                self._flushed_position = tracking.notification_id
                if len(self._known) > self.max_cached_rows:  # forget all but the unwritten
                    self._known, self._complete = dict(self._pending), set()
                self._flushed.notify_all()

    def _fail(self, failure: Failure) -> None:
        if self.failure is not None:
            return
        try:
            self._write_pending()  # the events before the failing one were processed correctly
        except BaseException as error:
            failure = Failure(
                failure.position, failure.event, f"{failure.error}; {error!r}", failure.transient
            )
        with self._lock:
            self.failure = failure
            self._flushed.notify_all()

    # ---- what each backend provides ----------------------------------------------------------

    @abstractmethod
    def _write(
        self, puts: dict[str, list[Row]], deletes: dict[str, list[Key]], t: Tracking
    ) -> None:
        """Upsert and delete rows and record the tracking position, in one transaction."""

    @abstractmethod
    def _fetch(self, table: Table, where: Mapping[str, Any]) -> list[Row]:
        """Rows of a table matching equality conditions."""

    @abstractmethod
    def _is_empty(self, table: Table) -> bool:
        """True when a table has no rows."""

    @abstractmethod
    def _read_snapshot(self, queries: Sequence[Query]) -> tuple[int | None, list[list[Row]]]:
        """The tracking position and several selects in one read transaction."""

    @abstractmethod
    def drop_tables(self) -> None:
        """Drop this view's tables and tracking (scratch views after a rebuild)."""

    @abstractmethod
    def _close_datastore(self) -> None:
        """Close the connection pool."""

    def table(self, name: str) -> Table:
        """A table of this view by name."""
        return next(t for t in self.tables if t.name == name)
