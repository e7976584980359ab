"""Incident numbers handed out by this node from blocks it reserved in the day's ledger.

Each local day has one ``DayLedger``. Instead of writing the ledger for every report (every
report in the city would then wait on that one aggregate's version), a node reserves a block of
consecutive numbers with one ledger event and hands them out itself, under a lock held for a
few instructions and never across I/O. Two nodes racing for a block conflict on the ledger's
version: the loser's save fails (``IntegrityError``), its block is dropped and its caller is
retried, reserving the next block from a fresh load of the ledger. A node given ``catch_up``
first reads what other nodes stored since its last block (one read, usually of nothing), so it
loses only a race run in the same moment, not every reservation after another node's: nodes
taking reports one at a time otherwise take turns, and each report's first attempt (its
advice, its save) was thrown away.

The block is sized by demand: a node taking one report at a time reserves one number at a time
(no gaps, the same events as numbering one by one), a busy node doubles its block while
reports overlap, up to ``max_block``. A number is used only once its block is stored: the
report that reserves a block saves the ledger in the same transaction as its incident, and the
reports waiting for a number wait for that commit.

Gaps are expected: numbers of a block a node never used (it restarted, its day ended, a report
failed after taking its number) are never issued. The ledger records which node took which
block, so an auditor can tell a gap from a lost incident.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from eventsourcing.domain import Aggregate

from domain.ledger import DayLedger, format_number

DEFAULT_MAX_BLOCK = 32


@dataclass
class Ticket:
    """One number for one report. ``aggregates`` must be saved with the report's incident
    (the ledger, when this report reserved a new block), then ``saved()`` called."""

    number: str
    aggregates: tuple[Aggregate, ...] = ()
    stored: bool = False

    def saved(self) -> None:
        """The incident (and the ledger with it) is stored."""
        self.stored = True


@dataclass
class _Day:
    """This node's state for one local day."""

    ledger: DayLedger | None = None  # as last stored by this node (None: load it)
    next_seq: int = 0
    end_seq: int = 0  # exclusive: next_seq == end_seq means no number left
    reserving: bool = False
    last_size: int = 0
    peak: int = 0  # the most reports in flight at once since the last reservation


class NumberPool:
    """This node's incident numbers, per local day."""

    def __init__(
        self,
        prefix: str,
        node: str,
        load: Callable[[date], DayLedger | None],
        *,
        catch_up: Callable[[DayLedger], DayLedger] | None = None,
        max_block: int = DEFAULT_MAX_BLOCK,
    ) -> None:
        self.prefix = prefix
        self.node = node
        self.max_block = max_block
        self._load = load
        self._catch_up = catch_up
        self._days: dict[date, _Day] = {}
        self._in_flight = 0
        self._changed = threading.Condition()

    @property
    def in_flight(self) -> int:
        """Reports taking a number, or holding one not yet stored."""
        with self._changed:
            return self._in_flight

    @contextmanager
    def issue(self, day: date) -> Iterator[Ticket]:
        """A number for a report received on local ``day``; the body saves the incident with
        ``ticket.aggregates`` and calls ``ticket.saved()``. A number whose body failed is a
        gap; a block whose reservation was not saved is forgotten and reserved again."""
        with self._changed:
            self._in_flight += 1
            try:
                state = self._day(day)
                size = self._wait_for_number(state)
            except BaseException:
                self._in_flight -= 1
                raise
            taken = state.next_seq - 1
        try:
            if size:
                yield from self._reserve(state, day, size)
            else:
                yield Ticket(format_number(self.prefix, day, taken))
        finally:
            with self._changed:
                self._in_flight -= 1

    def _reserve(self, state: _Day, day: date, size: int) -> Iterator[Ticket]:
        """Reserve the next block (the caller is the day's only reserver until settled)."""
        ledger: DayLedger | None = None
        block = range(0)
        ticket: Ticket | None = None
        try:
            ledger = self._ledger(state, day)
            block = ledger.reserve(self.node, size)
            ticket = Ticket(ledger.number(block.start), (ledger,))
            yield ticket
        finally:
            stored = ticket is not None and ticket.stored and not (ledger and ledger.pending_events)
            with self._changed:
                self._settle(state, ledger if stored else None, block)

    def _ledger(self, state: _Day, day: date) -> DayLedger:
        """The day's ledger to reserve from: this node's copy brought up to date, or loaded."""
        if state.ledger is not None and self._catch_up is not None:
            return self._catch_up(state.ledger)
        return state.ledger or self._load(day) or DayLedger(prefix=self.prefix, day=day)

    def _wait_for_number(self, state: _Day) -> int:
        """Take a number of the stored block (returns 0), or become the reserver of the next
        block (returns its size). Called with the lock held; waits while another reserves."""
        state.peak = max(state.peak, self._in_flight)
        while True:
            if state.next_seq < state.end_seq:
                state.next_seq += 1
                return 0
            if not state.reserving:
                state.reserving = True
                return self._next_size(state)
            self._changed.wait()

    def _next_size(self, state: _Day) -> int:
        """One number when reports come one at a time; while they overlap, at least as many
        as overlap and twice the last block, up to ``max_block``."""
        if state.peak <= 1:
            return 1
        return min(self.max_block, max(state.peak, 2 * state.last_size))

    def _settle(self, state: _Day, stored: DayLedger | None, block: range) -> None:
        """End a reservation (lock held): the stored ledger and its block, or None."""
        state.reserving = False
        if stored is not None:
            # The reserver used the block's first number; the others are for whoever comes.
            state.ledger = stored
            state.next_seq, state.end_seq = block.start + 1, block.stop
            state.last_size = len(block)
            state.peak = self._in_flight
        else:
            state.ledger = None  # not stored, or stored by someone else first: load it again
        self._changed.notify_all()

    def _day(self, day: date) -> _Day:
        """The state of ``day``; days more than one day older than the newest are dropped
        (their unused numbers become gaps: a late report of an old day reserves again)."""
        state = self._days.get(day)
        if state is None:
            state = self._days[day] = _Day()
            newest = max(self._days)
            for old in [d for d in self._days if d < newest - timedelta(days=1)]:
                del self._days[old]
        return state


def node_name() -> str:
    """This process's name in the ledger: host, process id and a random tag (a restarted
    process is a new node: it never reuses the numbers its previous life reserved)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
