"""A checkpoint's body made from what changed since the last one.

A checkpoint holds every incident, unit and facility of the present and its callers' calls. With
3,000 open incidents, copying all of it under the present's lock took 89-132 ms and encoding the
copy 522-685 ms of CPU (``bench/bench_checkpoint.py``), every 5,000 events or 5 minutes: reads,
intake and feeds waited for the lock, then shared the GIL with the encoding. Yet an aggregate at
a given version is always the same state (events are immutable), and a call's row holds only
immutable values. So each aggregate is encoded once, and its text kept for the next checkpoint
while it stays at that version; the same for each call row.

Under the present's lock only the list of aggregates whose version moved since the last
checkpoint is taken (with the call rows, immutable values); the rest of the copy is references
to kept texts. The moved aggregates are then encoded one at a time, each under the lock for the
time of its own encoding (so that no event changes it meanwhile), and the lock is let go in
between: readers and the follower wait for one aggregate at most, never for the whole copy.
One that an event is about to change before its turn is kept as it was, copy on write: the
state calls ``keep_as_it_was`` before it changes an aggregate, and the copy pickles the
aggregate then (at C speed), once, so that the body still shows it at the copy's position. It
decodes to exactly the document ``CheckpointStore.encode`` writes for the same state (the same
format: a checkpoint written either way is read the same way). One ``Increments`` per present,
used by one checkpoint at a time.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from dispatch.present.calls import Earlier
from dispatch.present.checkpoint import (
    FORMAT,
    CheckpointStore,
    aggregate_piece,
    call_row,
)
from dispatch.present.model import PresentState
from dispatch.present.pace import unpaced
from dispatch.present.parts import totals_and_positions

CallRow = tuple[Any, ...]


@dataclass(frozen=True)
class Copy:
    """What a checkpoint needs of the present, taken under its lock. Only ``moved`` is live:
    the aggregates themselves, read under the lock, or as ``kept`` holds them."""

    position: int
    horizon: datetime | None
    order: tuple[UUID, ...]
    """every aggregate's id, in the order the body lists them (incidents, units, facilities)"""
    moved: tuple[Aggregate, ...]
    """the aggregates whose version moved since the last body (the live objects)"""
    moved_ids: frozenset[UUID]
    calls: tuple[CallRow, ...]
    earlier: dict[str, Earlier]
    positions: dict[UUID, int]
    kept: dict[UUID, bytes] = field(default_factory=dict)
    """moved aggregates pickled as they were at ``position``, before an event changed them"""

    def keep_as_it_was(self, aggregate: Aggregate) -> None:
        """Called under the present's lock before an event changes ``aggregate``."""
        if aggregate.id in self.moved_ids and aggregate.id not in self.kept:
            self.kept[aggregate.id] = pickle.dumps(aggregate, protocol=pickle.HIGHEST_PROTOCOL)

    def as_it_was(self, aggregate: Aggregate) -> Aggregate:
        """``aggregate`` as it was at ``position`` (call under the present's lock)."""
        kept = self.kept.get(aggregate.id)
        if kept is None:
            return aggregate
        was: Aggregate = pickle.loads(kept)
        return was


class Increments:
    """The encoded texts of the last checkpoint's aggregates and calls, to build the next."""

    def __init__(self) -> None:
        self._aggregates: dict[UUID, tuple[int, bytes]] = {}  # id -> (version, text)
        self._calls: dict[CallRow, bytes] = {}

    def copy(self, state: PresentState) -> Copy:
        """Copy what moved since the last body (call under the present's lock)."""
        order: list[UUID] = []
        moved: list[Aggregate] = []
        kept = self._aggregates
        for group in (state.incidents, state.units, state.facilities):
            for aggregate_id, aggregate in group.items():
                order.append(aggregate_id)
                text = kept.get(aggregate_id)
                if text is None or text[0] != aggregate.version:
                    moved.append(aggregate)
        return Copy(
            position=state.position,
            horizon=state.horizon,
            order=tuple(order),
            moved=tuple(moved),
            moved_ids=frozenset(a.id for a in moved),
            calls=tuple(call_row(call) for calls in state.calls.values() for call in calls),
            earlier=dict(state.earlier),
            positions=dict(state.positions),
        )

    def body(
        self,
        copy: Copy,
        store: CheckpointStore,
        step: Callable[[], None] = unpaced,
        locked: Callable[[], AbstractContextManager[object]] = nullcontext,
    ) -> bytes:
        """The checkpoint's body for ``copy``, as ``store`` keeps it (call without the present's
        lock: ``locked`` takes it for each moved aggregate's encoding); keeps the texts of this
        body's aggregates and calls, forgets those it left. ``step`` is called after each
        aggregate or call encoded (``dispatch.present.pace``)."""
        encode = store.encode_value
        aggregates = self._aggregates
        for live in copy.moved:
            with locked():
                aggregate = copy.as_it_was(live)
                text = encode(aggregate_piece(aggregate))
            aggregates[aggregate.id] = (aggregate.version, text)
            step()
        self._aggregates = {i: aggregates[i] for i in copy.order}
        kept, calls = self._calls, {}
        for row in copy.calls:
            found = kept.get(row)
            if found is None:
                found = encode(row)
                step()
            calls[row] = found
        self._calls = calls
        head = encode({"format": FORMAT, "position": copy.position, "horizon": copy.horizon})
        tail = encode(totals_and_positions(copy.earlier, copy.positions))
        text = b"".join(
            (
                head[:-1],  # without its closing brace
                b',"aggregates":[',
                b",".join(self._aggregates[i][1] for i in copy.order),
                b'],"calls":[',
                b",".join(self._calls[row] for row in copy.calls),
                b"],",
                tail[1:],  # without its opening brace
            )
        )
        return store.seal(text)
