"""A checkpoint's body made from what changed since the last one.

A checkpoint holds every incident, unit and facility of the present and its callers' calls. With
3,000 open incidents, copying all of it under the present's lock took 89-132 ms and encoding the
copy 522-685 ms of CPU (``bench/bench_checkpoint.py``), every 5,000 events or 5 minutes: reads,
intake and feeds waited for the lock, then shared the GIL with the encoding. Yet an aggregate at
a given version is always the same state (events are immutable), and a call's row holds only
immutable values. So each aggregate is encoded once, and its text kept for the next checkpoint
while it stays at that version; the same for each call row.

Under the present's lock only the aggregates whose version moved since the last checkpoint are
copied (pickled, at C speed); the rest of the copy is references to immutable values. Without the
lock the moved aggregates are encoded and the body is joined from the kept texts. It decodes to
exactly the document ``CheckpointStore.encode`` writes for the same state (the same format: a
checkpoint written either way is read the same way). One ``Increments`` per present, used by one
checkpoint at a time.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from dataclasses import dataclass
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
    """What a checkpoint needs of the present, taken under its lock; shares nothing mutable."""

    position: int
    horizon: datetime | None
    order: tuple[UUID, ...]
    """every aggregate's id, in the order the body lists them (incidents, units, facilities)"""
    moved: bytes
    """the aggregates whose version moved since the last body, pickled"""
    calls: tuple[CallRow, ...]
    earlier: dict[str, Earlier]
    positions: dict[UUID, int]


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
            moved=pickle.dumps(moved, protocol=pickle.HIGHEST_PROTOCOL),
            calls=tuple(call_row(call) for calls in state.calls.values() for call in calls),
            earlier=dict(state.earlier),
            positions=dict(state.positions),
        )

    def body(self, copy: Copy, store: CheckpointStore, step: Callable[[], None] = unpaced) -> bytes:
        """The checkpoint's body for ``copy``, as ``store`` keeps it (call without the present's
        lock); keeps the texts of this body's aggregates and calls, forgets those it left.
        ``step`` is called after each aggregate or call encoded (``dispatch.present.pace``)."""
        encode = store.encode_value
        aggregates = self._aggregates
        for aggregate in pickle.loads(copy.moved):
            aggregates[aggregate.id] = (aggregate.version, encode(aggregate_piece(aggregate)))
            step()
        self._aggregates = {i: aggregates[i] for i in copy.order}
        kept, calls = self._calls, {}
        for row in copy.calls:
            text = kept.get(row)
            if text is None:
                text = encode(row)
                step()
            calls[row] = text
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
