"""The audit hash chain, its checkpoints and verification, on a log kept in a list."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from eventsourcing.persistence import Notification

from replay.chain import GENESIS, Signer, link
from replay.checkpointer import Checkpointer
from replay.checkpoints import MemoryAuditStore
from replay.errors import AuditStoreConflict
from replay.verify import verify
from tests.unit.replay.fakes import ListLog

KEY = Signer(b"test-audit-key")


def sealed(log: ListLog, every: int = 10) -> MemoryAuditStore:
    store = MemoryAuditStore()
    Checkpointer(log, store, KEY, every=every).run_once()
    return store


def test_a_link_hashes_the_previous_link_and_every_stored_field_in_order() -> None:
    n = Notification(
        id=7,
        originator_id=uuid.UUID(int=1),
        originator_version=3,
        topic="domain.incident:Incident.Routed",
        state=b'{"agencies":["fire"]}',
    )
    expected = hashlib.sha256(
        GENESIS
        + (7).to_bytes(8, "big")
        + uuid.UUID(int=1).bytes
        + (3).to_bytes(8, "big")
        + len(n.topic).to_bytes(4, "big")
        + n.topic.encode()
        + len(n.state).to_bytes(8, "big")
        + n.state
    ).digest()
    assert link(GENESIS, n) == expected


def test_a_checkpoint_is_made_every_n_events_and_at_the_end() -> None:
    store = sealed(ListLog(25), every=10)
    assert [(c.position, c.count) for c in store.checkpoints()] == [(10, 10), (20, 20), (25, 25)]
    assert all(KEY.verifies(c) for c in store.checkpoints())


def test_a_second_run_seals_only_the_new_events() -> None:
    log = ListLog(5)
    store = sealed(log)
    log.append(3)
    assert Checkpointer(log, store, KEY).run_once() == 3
    assert Checkpointer(log, store, KEY).run_once() == 0
    assert [r.position for r in store.records()] == list(range(1, 9))


def test_an_untouched_log_with_id_gaps_verifies() -> None:
    log = ListLog(40, gap_every=7)
    result = verify(log, sealed(log), KEY)
    assert result.ok, result.to_json()
    assert (result.events_checked, result.sealed_events, result.unsealed_events) == (40, 40, 0)


def test_events_after_the_last_checkpoint_are_counted_not_judged() -> None:
    log = ListLog(12)
    store = sealed(log)
    log.append(4)
    result = verify(log, store, KEY)
    assert result.ok and result.unsealed_events == 4 and result.sealed_position == 12


def test_an_altered_state_byte_is_reported_as_altered_at_its_position() -> None:
    log = ListLog(30)
    store = sealed(log)
    log.alter_state_byte(17)
    problem = verify(log, store, KEY).first_problem
    assert problem is not None and (problem.kind, problem.position) == ("altered", 17)


def test_a_deleted_event_is_reported_as_removed_at_its_position() -> None:
    log = ListLog(30)
    store = sealed(log)
    gone = log.rows[log.at(12)]
    log.delete(12)
    result = verify(log, store, KEY)
    assert result.first_problem is not None
    assert (result.first_problem.kind, result.first_problem.position) == ("removed", 12)
    assert result.first_problem.aggregate_id == str(gone.originator_id)
    assert [p.kind for p in result.checkpoint_problems] == ["checkpoint_mismatch"]


def test_a_forged_event_pushed_into_the_sealed_range_is_reported_as_inserted() -> None:
    log = ListLog(30)
    store = sealed(log)
    log.insert_shifting(9)
    problem = verify(log, store, KEY).first_problem
    assert problem is not None and (problem.kind, problem.position) == ("inserted", 9)


def test_a_forged_event_in_an_id_gap_is_reported_as_inserted() -> None:
    log = ListLog(30, gap_every=10)  # ids 10 and 20 were never used
    store = sealed(log)
    log.insert_at(20)
    problem = verify(log, store, KEY).first_problem
    assert problem is not None and (problem.kind, problem.position) == ("inserted", 20)


def test_two_swapped_events_are_reported_as_reordered_at_the_first() -> None:
    log = ListLog(30)
    store = sealed(log)
    log.swap(5, 21)
    problem = verify(log, store, KEY).first_problem
    assert problem is not None and (problem.kind, problem.position) == ("reordered", 5)
    assert "sealed at position 21" in problem.detail


def test_only_the_first_problem_is_named_when_there_are_several() -> None:
    log = ListLog(30)
    store = sealed(log)
    log.alter_state_byte(25)
    log.delete(8)
    problem = verify(log, store, KEY).first_problem
    assert problem is not None and (problem.kind, problem.position) == ("removed", 8)


def test_a_checkpoint_signed_with_another_key_is_reported() -> None:
    log = ListLog(10)
    store = MemoryAuditStore()
    Checkpointer(log, store, Signer(b"someone else's key")).run_once()
    result = verify(log, store, KEY)
    assert not result.ok
    assert [(p.kind, p.position) for p in result.checkpoint_problems] == [("bad_signature", 10)]
    assert "another key" in result.checkpoint_problems[0].detail


def test_a_checkpoint_whose_hash_was_changed_does_not_verify() -> None:
    log = ListLog(10)
    store = sealed(log, every=5)
    forged = replace(store._checkpoints[0], chain_hash="00" * 32)
    store._checkpoints[0] = forged
    result = verify(log, store, KEY)
    assert [(p.kind, p.position) for p in result.checkpoint_problems] == [("bad_signature", 5)]


def test_audit_records_rewritten_to_match_an_altered_event_still_fail_the_signed_checkpoint() -> (
    None
):
    log = ListLog(20)
    store = sealed(log, every=20)
    log.alter_state_byte(4)
    # The attacker recomputes the records too, but cannot sign a new checkpoint.
    forged = MemoryAuditStore()
    Checkpointer(log, forged, Signer(b"attacker")).run_once()
    store._records = forged._records
    result = verify(log, store, KEY)
    assert result.first_problem is not None and result.first_problem.kind == "altered"
    assert [p.kind for p in result.checkpoint_problems] == ["checkpoint_mismatch"]


def test_an_event_removed_with_its_audit_record_breaks_the_chain_where_it_was() -> None:
    log = ListLog(20)
    store = sealed(log, every=20)
    log.delete(6)
    store._records = [r for r in store._records if r.position != 6]
    result = verify(log, store, KEY)
    assert result.first_problem is not None
    assert (result.first_problem.kind, result.first_problem.position) == ("removed", 7)


class RacingStore(MemoryAuditStore):
    """Another node seals the same events between our read of the head and our append."""

    def __init__(self, log: ListLog) -> None:
        super().__init__()
        self.log = log
        self.raced = False

    def append(self, records, checkpoints, previous):  # type: ignore[no-untyped-def]
        if not self.raced:
            self.raced = True
            Checkpointer(self.log, self, KEY).run_once()
        super().append(records, checkpoints, previous)


def test_a_checkpointer_that_lost_the_race_stops_and_the_next_run_goes_on_from_the_winner() -> None:
    log = ListLog(5)
    store = RacingStore(log)
    assert Checkpointer(log, store, KEY).run_once() == 0
    assert [c.position for c in store.checkpoints()] == [5]
    log.append(2)
    assert Checkpointer(log, store, KEY).run_once() == 2
    assert verify(log, store, KEY).ok


def test_appending_after_a_head_that_moved_is_refused() -> None:
    store = sealed(ListLog(5))
    at = datetime(2026, 11, 22, tzinfo=UTC)
    with pytest.raises(AuditStoreConflict):
        store.append([], [KEY.sign(9, GENESIS, 9, at)], previous=3)
