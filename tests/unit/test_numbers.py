"""Incident numbers from blocks: one at a time when reports come one at a time, bigger blocks
while they overlap, a block forgotten when its reservation was not stored, and a node whose
view of the ledger is stale losing the race and reserving the next block."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from dispatch.center import DispatchCenter
from dispatch.numbers import NumberPool
from domain.ledger import DayLedger, ledger_id_for
from replay.lookup import resolve_incident
from tests.support import a_report

DAY = date(2026, 11, 22)


def take(center: DispatchCenter, pool: NumberPool) -> str:
    """One number, its block (if it reserved one) stored as intake stores it."""
    with pool.issue(DAY) as ticket:
        if ticket.aggregates:
            center.save(*ticket.aggregates)
        ticket.saved()
    return ticket.number


def blocks(center: DispatchCenter) -> list[tuple[str, int, int]]:
    events = center.events.get(ledger_id_for("SMD", DAY))
    return [(e.node, e.first_seq, e.size) for e in events if isinstance(e, DayLedger.BlockReserved)]


def a_pool(center: DispatchCenter, node: str, *, catching_up: bool = False) -> NumberPool:
    def load(day: date) -> DayLedger | None:
        ledger: object
        try:
            ledger = center.repository.get(ledger_id_for("SMD", day))
        except AggregateNotFoundError:
            return None
        assert isinstance(ledger, DayLedger)
        return ledger

    return NumberPool("SMD", node, load, catch_up=center._caught_up if catching_up else None)


def test_reports_one_at_a_time_reserve_one_number_each(center: DispatchCenter) -> None:
    numbers = [center.report(a_report()).incident.number for _ in range(3)]
    assert numbers == ["SMD-20261122-0001", "SMD-20261122-0002", "SMD-20261122-0003"]
    assert blocks(center) == [(center.node, 1, 1), (center.node, 2, 1), (center.node, 3, 1)]


def test_overlapping_reports_get_a_block_as_big_as_the_overlap(center: DispatchCenter) -> None:
    pool = a_pool(center, "node-a")
    numbers: list[str] = []
    release = threading.Event()

    def first() -> None:
        with pool.issue(DAY) as ticket:  # reserves a block of one, then holds it unsaved
            release.wait(30)
            center.save(*ticket.aggregates)
            ticket.saved()
        numbers.append(ticket.number)

    def later() -> None:
        numbers.append(take(center, pool))

    holder = threading.Thread(target=first)
    holder.start()
    while pool.in_flight < 1:
        time.sleep(0.001)
    waiters = [threading.Thread(target=later) for _ in range(3)]
    for t in waiters:
        t.start()
    while pool.in_flight < 4:  # the three wait for the first block to be stored
        time.sleep(0.001)
    release.set()
    for t in [holder, *waiters]:
        t.join(30)
    assert sorted(numbers) == [f"SMD-20261122-{n:04d}" for n in range(1, 5)]
    assert blocks(center) == [("node-a", 1, 1), ("node-a", 2, 4)]
    assert take(center, pool) == "SMD-20261122-0005"  # the rest of the block, no new event
    assert len(blocks(center)) == 2


def test_a_block_whose_reservation_was_not_stored_is_reserved_again(
    center: DispatchCenter,
) -> None:
    pool = a_pool(center, "node-a")
    with pytest.raises(RuntimeError), pool.issue(DAY) as ticket:
        assert ticket.number == "SMD-20261122-0001"
        raise RuntimeError("the report failed before it was saved")
    assert take(center, pool) == "SMD-20261122-0001"  # nothing was stored: nothing is lost
    assert blocks(center) == [("node-a", 1, 1)]


def test_a_stale_node_loses_the_race_and_reserves_after_the_winner(
    center: DispatchCenter,
) -> None:
    node_a, node_b = a_pool(center, "node-a"), a_pool(center, "node-b")
    assert take(center, node_a) == "SMD-20261122-0001"
    assert take(center, node_b) == "SMD-20261122-0002"
    with pytest.raises(IntegrityError):  # node a still believes the ledger ends at 1
        take(center, node_a)
    assert take(center, node_a) == "SMD-20261122-0003"
    assert blocks(center) == [("node-a", 1, 1), ("node-b", 2, 1), ("node-a", 3, 1)]


def test_a_node_that_catches_up_first_does_not_lose_to_blocks_stored_before(
    center: DispatchCenter,
) -> None:
    node_a = a_pool(center, "node-a", catching_up=True)
    node_b = a_pool(center, "node-b", catching_up=True)
    # Two nodes taking reports in turn, one number at a time: each reservation reads what the
    # other stored since, so none of them fails (without it every one after the first would)
    numbers = [take(center, pool) for pool in [node_a, node_b, node_a, node_b, node_a]]
    assert numbers == [f"SMD-20261122-{n:04d}" for n in range(1, 6)]
    assert blocks(center) == [
        ("node-a", 1, 1),
        ("node-b", 2, 1),
        ("node-a", 3, 1),
        ("node-b", 4, 1),
        ("node-a", 5, 1),
    ]


def test_the_centers_numbers_catch_up_before_reserving(center: DispatchCenter) -> None:
    other = a_pool(center, "node-b")
    assert center.report(a_report()).incident.number == "SMD-20261122-0001"
    assert take(center, other) == "SMD-20261122-0002"  # another node, in between
    # The center's own pool reads node-b's block first: no race lost (IntegrityError), no retry
    assert take(center, center.numbers) == "SMD-20261122-0003"
    assert center.report(a_report()).incident.number == "SMD-20261122-0004"
    assert [seq for _, seq, _ in blocks(center)] == [1, 2, 3, 4]


def test_reserving_nothing_is_refused() -> None:
    ledger = DayLedger(prefix="SMD", day=DAY)
    with pytest.raises(ValueError, match="at least one"):
        ledger.reserve("node-a", 0)
    assert list(ledger.reserve("node-a", 3)) == [1, 2, 3]
    assert ledger.number(3) == "SMD-20261122-0003" and ledger.last_seq == 3


def test_a_day_numbered_one_by_one_before_blocks_still_resolves_and_continues(
    center: DispatchCenter,
) -> None:
    # Given a day's ledger as older versions wrote it: one NumberIssued per incident
    earlier = center.report(a_report()).incident
    legacy = DayLedger(prefix="SMD", day=date(2026, 11, 21))
    legacy._number_issued(incident_id=earlier.id, seq=1)  # what issue() used to record
    center.save(legacy)
    # Then its numbers still lead to their incidents, and a block starts after them
    assert resolve_incident(center, "SMD-20261121-0001") == earlier.id
    pool = a_pool(center, "node-a")
    with pool.issue(date(2026, 11, 21)) as ticket:
        center.save(*ticket.aggregates)
        ticket.saved()
    assert ticket.number == "SMD-20261121-0002"
