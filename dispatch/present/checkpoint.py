"""The present's checkpoint: its state at a log position, kept beside the log.

The store is the event store's own database, offered by its recorder (``KeepsCheckpoints``;
the SQL is ``adapters.checkpoint_stores``): one row replaced in one transaction, and only by
a later position (several nodes may write it). The body is the state of every aggregate the
present holds, its caller calls and totals, in the application's JSON transcoding,
compressed, and encrypted with the store's cipher when the events are. A body of another
``FORMAT`` (written by a build whose aggregates or present were different: the format is a
digest of their source) is ignored: the present then starts from the log, once."""

from __future__ import annotations

import hashlib
import inspect
import logging
import zlib
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Mapper
from eventsourcing.utils import get_topic, resolve_topic

import dispatch.present.calls as calls_module
import dispatch.present.model as model_module
from dispatch.present.calls import Call, Earlier
from dispatch.present.model import Loader, PresentState, Windows
from dispatch.present.parts import CheckpointParts, totals_and_positions
from domain import (
    facility,
    incident,
    incident_dispatch,
    incident_events,
    incident_links,
    incident_scoring,
    unit,
)
from domain import values as value_objects
from domain.facility import Facility
from domain.incident import Incident
from domain.taxonomy import Category, Disposition, IncidentStatus, Priority
from domain.unit import Unit

log = logging.getLogger("siaga112.present")
#: The modules that shape the state a checkpoint holds (an Incident's verbs and values live
#: in several; tests/unit/test_stored_incident_log.py checks the aggregates' own are here).
STATE_MODULES = (
    incident,
    incident_events,
    incident_scoring,
    incident_dispatch,
    incident_links,
    value_objects,
    unit,
    facility,
    model_module,
    calls_module,
)
FORMAT = hashlib.sha256("".join(inspect.getsource(m) for m in STATE_MODULES).encode()).hexdigest()[
    :16
]
NAME = "present"
TABLE = "present_checkpoint"
PAIRS = "__pairs__"


class CheckpointStore(Protocol):
    """Where a present's checkpoint is kept."""

    def encode(self, state: CheckpointParts) -> bytes: ...

    def encode_value(self, value: Any) -> bytes: ...

    def seal(self, text: bytes) -> bytes: ...

    def save(self, position: int, body: bytes) -> bool: ...

    def load(self, windows: Windows, loader: Loader) -> PresentState | None: ...


@runtime_checkable
class KeepsCheckpoints(Protocol):
    """An event store's recorder that has a place for the present's checkpoint beside the log
    (the SQLite and PostgreSQL adapters' recorders; the in-memory one has none)."""

    def present_checkpoints(self, mapper: Mapper[UUID]) -> CheckpointStore:
        """The checkpoint store in this recorder's own database."""
        ...


def checkpoint_store_for(app: Application[UUID]) -> CheckpointStore | None:
    """The checkpoint store of an application's event store (None when it has no place)."""
    recorder = app.recorder
    return (
        recorder.present_checkpoints(app.mapper) if isinstance(recorder, KeepsCheckpoints) else None
    )


class CheckpointCodec:
    """How a checkpoint's body is made from the present's state and read back (what the stores
    keep is only the body, at a position)."""

    def __init__(self, mapper: Mapper[UUID]) -> None:
        self.mapper = mapper

    def encode(self, state: CheckpointParts) -> bytes:
        """The whole checkpoint of ``state``, encoded at once: the document the present's own
        checkpoints (``dispatch.present.increments``) must read as, which the tests and
        ``bench/bench_checkpoint.py`` compare them with."""
        aggregates: list[Aggregate] = [
            *state.incidents.values(),
            *state.units.values(),
            *state.facilities.values(),
        ]
        doc = {
            "format": FORMAT,
            "position": state.position,
            "horizon": state.horizon,
            "aggregates": [aggregate_piece(a) for a in aggregates],
            "calls": [call_row(c) for calls in state.calls.values() for c in calls],
            **totals_and_positions(state.earlier, state.positions),
        }
        return self.seal(self.encode_value(doc))

    def encode_value(self, value: Any) -> bytes:
        """One value in the application's JSON transcoding."""
        return self.mapper.transcoder.encode(value)

    def seal(self, text: bytes) -> bytes:
        """A checkpoint's JSON text as it is stored: compressed, encrypted as the events are."""
        body = zlib.compress(text, 1)
        return self.mapper.cipher.encrypt(body) if self.mapper.cipher else body

    def decode(self, body: bytes, windows: Windows, loader: Loader) -> PresentState | None:
        if self.mapper.cipher:
            body = self.mapper.cipher.decrypt(body)
        doc = self.mapper.transcoder.decode(zlib.decompress(body))
        if doc.get("format") != FORMAT:
            log.warning(
                "checkpoint of format %r ignored (this build: %s)", doc.get("format"), FORMAT
            )
            return None
        state = PresentState(windows, loader)
        for topic, values in doc["aggregates"]:
            aggregate = object.__new__(resolve_topic(topic))
            object.__setattr__(aggregate, "__dict__", _restored(values))
            if isinstance(aggregate, Incident):
                state.incidents[aggregate.id] = aggregate
            elif isinstance(aggregate, Unit):
                state.units[aggregate.id] = aggregate
            elif isinstance(aggregate, Facility):
                state.facilities[aggregate.id] = aggregate
        calls: dict[str, list[Call]] = {}
        for row in doc["calls"]:
            call = _call(row)
            calls.setdefault(call.caller_number, []).append(call)
        state.earlier = {n: Earlier(f, g, s) for n, f, g, s in doc["earlier"]}
        positions = {UUID(str(i)): p for i, p in doc["positions"]}
        state.restore(doc["position"], doc["horizon"], calls, positions)
        return state


def aggregate_piece(aggregate: Aggregate) -> list[Any]:
    """One aggregate as a checkpoint's ``aggregates`` list holds it: [topic, state]."""
    return [get_topic(type(aggregate)), _state_of(aggregate)]


def _state_of(aggregate: Aggregate) -> dict[str, Any]:
    # JSON objects take only text keys: a dict keyed by agency or id goes as a list of pairs.
    return {
        key: {PAIRS: [[k, v] for k, v in value.items()]}
        if isinstance(value, dict) and any(not isinstance(k, str) for k in value)
        else value
        for key, value in vars(aggregate).items()
        if key != "_pending_events"
    }


def _restored(values: dict[str, Any]) -> dict[str, Any]:
    restored = {
        key: {k: v for k, v in value[PAIRS]}
        if isinstance(value, dict) and set(value) == {PAIRS}
        else value
        for key, value in values.items()
    }
    restored["_pending_events"] = []
    return restored


def call_row(call: Call) -> tuple[Any, ...]:
    """One call as a checkpoint's ``calls`` list holds it (immutable values only)."""
    return (
        call.incident_id,
        call.number,
        call.caller_number,
        call.received_at,
        call.category,
        call.priority,
        call.status,
        call.disposition,
        call.closed_at,
    )


def _call(row: list[Any]) -> Call:
    incident_id, number, caller, received_at, category, priority, status, disposition, closed = row
    return Call(
        incident_id,
        number,
        caller,
        received_at,
        Category(category),
        Priority(priority),
        IncidentStatus(status),
        Disposition(disposition) if disposition is not None else None,
        closed,
    )
