"""The present's checkpoint on every durable backend: a start from it and the log's tail holds
what a start from position 0 holds."""

from __future__ import annotations

import json
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.present import Present, PresentState, Windows
from dispatch.present.checkpoint import CheckpointStore
from dispatch.present.increments import Increments
from dispatch.present.model import Loader
from dispatch.present.parts import CheckpointParts
from dispatch.settings import Settings
from domain.taxonomy import Agency, Disposition, UnitStatus, UnitType
from tests.support import AWS, a_report


def some_work(center: DispatchCenter, caller: str) -> None:
    """Open, routed, dispatched, linked and closed incidents, a unit and a full hospital."""
    unit, _ = center.register_unit(
        f"DMK-{caller[-3:]}", "Damkar", Agency.FIRE, UnitType.FIRE_ENGINE, "pos-damkar-kota", AWS
    )
    first = center.report(a_report(caller_number=caller)).incident
    center.route(first.id, [Agency.FIRE, Agency.MEDICAL], unit_ids=[unit.id])
    center.acknowledge(first.id, Agency.FIRE)
    second = center.report(a_report(caller_number=caller)).incident
    center.link_duplicate(second.id, first.id)
    prank = center.report(a_report(caller_number=caller, description="iseng")).incident
    center.close_incident(prank.id, Disposition.PRANK, "iseng")
    center.set_facility_capacity("rsud-aws", True, "IGD penuh")


def contents(state: PresentState) -> dict[str, Any]:
    """Everything a reader can get from a present's state."""
    return {
        "position": state.position,
        "incidents": {i: vars(a) for i, a in state.incidents.items()},
        "units": {i: vars(a) for i, a in state.units.items()},
        "facilities": {i: vars(a) for i, a in state.facilities.items()},
        "calls": state.calls,
        "earlier": state.earlier,
        "positions": state.positions,
        "routing": (state.incident_snaps, state.unit_snaps),
    }


def test_a_start_from_the_checkpoint_and_the_tail_equals_a_start_from_zero(
    any_settings: Settings,
) -> None:
    writer = build_center(any_settings)
    try:
        some_work(writer, "+6281100000001")
        saved = writer.present.save_checkpoint()
        some_work(writer, "+6281100000002")  # the tail, after the checkpoint
        head = writer.present.refresh()
    finally:
        writer.close()
    assert saved is not None and 0 < saved < head

    restarted = build_center(any_settings)
    try:
        assert restarted.present.checkpointed == saved  # it started from the checkpoint
        assert restarted.present.position == head
        from_zero = Present(restarted)
        from_zero.refresh()
        assert contents(restarted.present.state) == contents(from_zero.state)
    finally:
        restarted.close()


def test_an_older_checkpoint_never_replaces_a_newer_one(any_settings: Settings) -> None:
    center = build_center(any_settings)
    try:
        some_work(center, "+6281100000003")
        store = center.present.checkpoints
        assert store is not None
        body = store.encode(center.present.state)
        assert store.save(10, body)
        assert not store.save(5, body)
        loaded = store.load(center.present.state.windows, lambda _id, _version: None)
        assert loaded is not None and loaded.position == center.present.position
    finally:
        center.close()


def test_an_unreadable_checkpoint_is_passed_over_and_the_log_replayed(
    any_settings: Settings,
) -> None:
    writer = build_center(any_settings)
    try:
        some_work(writer, "+6281100000004")
        store = writer.present.checkpoints
        assert store is not None
        head = writer.present.refresh()
        assert store.save(head, b"not a checkpoint")
    finally:
        writer.close()
    restarted = build_center(any_settings)
    try:
        assert restarted.present.position == head
        from_zero = Present(restarted)
        from_zero.refresh()
        assert contents(restarted.present.state) == contents(from_zero.state)
    finally:
        restarted.close()


class ReadWhileEncoding:
    """The store a present writes its checkpoint to, which, when it first encodes a value of
    the checkpoint (an aggregate: under the present's lock, for that aggregate only), has
    another thread read the present (``locked``); at the first value it encodes that is not an
    aggregate (a call row, the head: the body is still being built), it notes whether that
    reader got in. It keeps the bodies saved."""

    def __init__(self, store: CheckpointStore, present: Present) -> None:
        self.store, self.present = store, present
        self.reader_got_in: bool | None = None
        self.bodies: list[bytes] = []
        self._got_in: threading.Event | None = None

    def encode(self, state: CheckpointParts) -> bytes:
        return self.store.encode(state)

    def encode_value(self, value: Any) -> bytes:
        if self._got_in is None:
            got_in = self._got_in = threading.Event()

            def read() -> None:
                with self.present.locked():
                    got_in.set()

            threading.Thread(target=read, daemon=True).start()
        elif self.reader_got_in is None and not isinstance(value, list):
            self.reader_got_in = self._got_in.wait(timeout=5)
        return self.store.encode_value(value)

    def seal(self, text: bytes) -> bytes:
        return self.store.seal(text)

    def save(self, position: int, body: bytes) -> bool:
        self.bodies.append(body)
        return self.store.save(position, body)

    def load(self, windows: Windows, loader: Loader) -> PresentState | None:
        return self.store.load(windows, loader)


def document(body: bytes) -> Any:
    """A checkpoint body's JSON document (these settings store it unencrypted)."""
    return json.loads(zlib.decompress(body))


def test_readers_of_the_present_never_wait_for_a_checkpoint_to_be_encoded(
    any_settings: Settings,
) -> None:
    center = build_center(any_settings)
    try:
        some_work(center, "+6281100000005")
        store = center.present.checkpoints
        assert store is not None
        watching = ReadWhileEncoding(store, center.present)
        center.present.checkpoints = watching
        # When: a checkpoint is written (the log's follower does it every 5,000 events)
        saved = center.present.save_checkpoint()
        # Then: a reader took the present's lock while it was being encoded, and what was
        # encoded (from a copy) is what the present itself encodes to at that position
        assert watching.reader_got_in is True
        assert saved == center.present.position
        assert [document(b) for b in watching.bodies] == [
            document(store.encode(center.present.state))
        ]
    finally:
        center.close()


class HeldSave:
    """The store a present writes its checkpoint to, whose ``save`` waits until released."""

    def __init__(self, store: CheckpointStore) -> None:
        self.store = store
        self.saving = threading.Event()
        self.release = threading.Event()
        self.saved: list[int] = []

    def encode(self, state: CheckpointParts) -> bytes:
        return self.store.encode(state)

    def encode_value(self, value: Any) -> bytes:
        return self.store.encode_value(value)

    def seal(self, text: bytes) -> bytes:
        return self.store.seal(text)

    def save(self, position: int, body: bytes) -> bool:
        self.saving.set()
        self.release.wait(timeout=30)
        self.saved.append(position)
        return self.store.save(position, body)

    def load(self, windows: Windows, loader: Loader) -> PresentState | None:
        return self.store.load(windows, loader)


def test_the_log_is_followed_on_while_a_checkpoint_is_written(any_settings: Settings) -> None:
    # Given: node A follows the log and its checkpoints fall due every 3 events; the first
    # one it writes is held in the store
    node_a, node_b = build_center(any_settings), build_center(any_settings)
    present = node_a.present
    assert present.checkpoints is not None
    held = HeldSave(present.checkpoints)
    present.checkpoints, present.checkpoint_every_events = held, 3
    present.follow()
    try:
        some_work(node_b, "+6281100000006")
        assert held.saving.wait(timeout=10), "no checkpoint fell due"
        # When: node B writes more while A's checkpoint is still being saved
        some_work(node_b, "+6281100000007")
        head = node_b.present.refresh()
        # Then: A's follower applies it meanwhile (``state.position`` reads nothing itself)
        deadline = time.monotonic() + 10
        while present.state.position < head and time.monotonic() < deadline:
            time.sleep(0.02)
        assert present.state.position == head
        assert held.saved == []  # the checkpoint was still held all along
    finally:
        held.release.set()
        present.unfollow()
        node_a.close()
        node_b.close()
    # and the held checkpoint, then the last one at unfollow, were written
    assert held.saved and held.saved[-1] == head


def test_a_present_that_leaves_checkpoints_to_another_process_writes_none(
    any_settings: Settings,
) -> None:
    # Given: two processes' presents follow the same log (``serve --workers 2``); the second
    # leaves the checkpoints to the first, and checkpoints fall due every 3 events
    first, second = build_center(any_settings), build_center(any_settings)
    assert first.present.checkpoints is not None and second.present.checkpoints is not None
    writer, reader = HeldSave(first.present.checkpoints), HeldSave(second.present.checkpoints)
    writer.release.set()
    reader.release.set()
    first.present.checkpoints, first.present.checkpoint_every_events = writer, 3
    second.present.checkpoints, second.present.checkpoint_every_events = reader, 3
    second.present.writes_checkpoints = False
    first.present.follow()
    second.present.follow()
    try:
        # When: both follow some work, and then stop following
        some_work(first, "+6281100000008")
        head = first.present.refresh()
        deadline = time.monotonic() + 10
        while second.present.state.position < head and time.monotonic() < deadline:
            time.sleep(0.02)
        assert second.present.state.position == head
    finally:
        first.present.unfollow()
        second.present.unfollow()
        first.close()
        second.close()
    # Then: the first wrote checkpoints (the last at the head), the second none at all
    assert writer.saved and writer.saved[-1] == head
    assert reader.saved == []


@contextmanager
def worked(
    settings: Settings, caller: str
) -> Iterator[tuple[DispatchCenter, CheckpointStore, Increments]]:
    """A center whose present holds ``some_work`` by ``caller``, its checkpoint store and new
    increments (closed after)."""
    center = build_center(settings)
    try:
        store = center.present.checkpoints
        assert store is not None
        some_work(center, caller)
        yield center, store, Increments()
    finally:
        center.close()


def test_a_checkpoint_copies_only_what_moved_since_the_last_and_reads_as_a_whole_one(
    any_settings: Settings,
) -> None:
    with worked(any_settings, "+6281100000006") as (center, store, increments):
        with center.present.locked() as state:
            first = increments.copy(state)
            everything = set(state.incidents) | set(state.units) | set(state.facilities)
        # The first copy holds every aggregate; its body is the whole checkpoint's document
        assert {a.id for a in first.moved} == everything == first.moved_ids
        assert document(increments.body(first, store)) == document(store.encode(state))

        # When: new incidents come, an open one is closed (its call row changes too) and a
        # facility's capacity changes
        before = center.present.position
        some_work(center, "+6281100000007")
        still_open = next(i for i in state.incidents.values() if not i.is_closed)
        center.close_incident(still_open.id, Disposition.GENUINE, "selesai")
        center.present.refresh()
        with center.present.locked() as state:
            second = increments.copy(state)
            moved = {i for i, p in state.positions.items() if p > before}
        # Then: the copy holds only the aggregates that moved (the facility among them), and
        # the body built from the kept texts reads as the whole checkpoint
        copied = {a.id for a in second.moved}
        assert still_open.id in copied and moved <= copied
        assert copied - moved <= set(state.facilities)
        assert len(copied) < len(first.order) + len(moved)
        # Paced (as the checkpoint thread writes it), it gives way once per text it encodes
        # (each moved aggregate, each new call row) and reads the same
        steps: list[None] = []
        body = increments.body(second, store, lambda: steps.append(None))
        assert document(body) == document(store.encode(state))
        assert len(copied) <= len(steps) <= len(copied) + len(second.calls)


def test_what_changes_while_a_checkpoint_is_encoded_is_written_as_it_was_at_its_position(
    any_settings: Settings,
) -> None:
    # Given: a present with work in it, and a checkpoint copied at its position, whose
    # document at that position is known
    with worked(any_settings, "+6281100000009") as (center, store, increments):
        present = center.present
        with present.locked() as state:
            copied = increments.copy(state)
            state.before_change = copied.keep_as_it_was
            expected = document(store.encode(state))
            unit = next(iter(state.units.values()))
            open_one = next(i for i in state.incidents.values() if not i.is_closed)
        # When: before the body is encoded, events change a moved unit, a moved incident and
        # the moved facility, and bring a new incident (as the follower applies them while the
        # checkpoint thread works)
        center.add_note(open_one.id, "catatan baru")
        center.update_unit_status(unit.id, UnitStatus.OUT_OF_SERVICE)
        center.set_facility_capacity("rsud-aws", False, "IGD dibuka lagi")
        center.report(a_report(caller_number="+6281100000010"))
        present.refresh()
        try:
            body = increments.body(copied, store, locked=present.locked)
        finally:
            with present.locked() as state:
                state.before_change = None
        # Then: the body is the document of the copy's position, not of now; each changed
        # aggregate was kept once, as it was
        assert document(body) == expected
        assert {open_one.id, unit.id} <= set(copied.kept) <= copied.moved_ids
        with present.locked() as state:
            assert document(store.encode(state)) != expected  # the present did move on
