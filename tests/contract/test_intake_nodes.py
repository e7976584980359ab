"""Two nodes (two DispatchCenters) taking reports at once on one store, SQLite and
PostgreSQL: every number is issued once, from a block the ledger gave to the node that used
it, and every number still leads an auditor to its incident."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.ledger import DayLedger, ledger_id_for
from replay.lookup import resolve_incident
from tests.support import FakeClock, a_report

THREADS_PER_NODE = 3
REPORTS_PER_THREAD = 8


@pytest.fixture
def nodes(any_settings: Settings, clock: FakeClock) -> Iterator[list[DispatchCenter]]:
    built = [build_center(any_settings), build_center(any_settings)]
    for node in built:
        node.clock = clock  # one wall clock: every report falls on one local day
    yield built
    for node in built:
        node.close()


def test_two_nodes_issue_every_number_once(nodes: list[DispatchCenter], clock: FakeClock) -> None:
    issued: list[tuple[str, str, str]] = []  # node, number, incident id
    start = threading.Barrier(len(nodes) * THREADS_PER_NODE)

    def intake(node: DispatchCenter) -> None:
        start.wait()
        for _ in range(REPORTS_PER_THREAD):
            incident = node.report(a_report()).incident
            issued.append((node.node, incident.number, str(incident.id)))

    threads = [
        threading.Thread(target=intake, args=(node,))
        for node in nodes
        for _ in range(THREADS_PER_NODE)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    total = len(nodes) * THREADS_PER_NODE * REPORTS_PER_THREAD
    numbers = [number for _, number, _ in issued]
    assert len(issued) == total and len(set(numbers)) == total

    day = clock.now.astimezone(nodes[0].local_zone).date()
    ledger = nodes[0].events.get(ledger_id_for("SMD", day))
    blocks = [e for e in ledger if isinstance(e, DayLedger.BlockReserved)]
    # Blocks follow each other without overlap; each number is in a block of its own node.
    assert [b.first_seq for b in blocks] == [1] + [b.first_seq + b.size for b in blocks[:-1]]
    owner = {b.first_seq + i: b.node for b in blocks for i in range(b.size)}
    assert {owner[int(number.rsplit("-", 1)[1])] == node for node, number, _ in issued} == {True}
    for _, number, incident_id in issued[:: len(issued) // 6]:
        assert str(resolve_incident(nodes[1], number)) == incident_id


def test_a_report_retried_at_a_node_whose_present_lacks_it_is_the_same_incident(
    nodes: list[DispatchCenter],
) -> None:
    """Intake reads the store only for a report its present holds; a retry the present does
    not hold yet is caught by the save (the incident's first event exists) and written
    nowhere, and the block that node reserved with it is reserved again from the ledger."""
    first, other = nodes
    report = a_report()
    taken = first.report(report)
    head = first.recorder.max_notification_id()

    again = other.report(report)

    assert taken.created and not again.created
    assert (again.incident.id, again.incident.number) == (taken.incident.id, taken.incident.number)
    assert other.recorder.max_notification_id() == head  # the refused save wrote nothing
    following = other.report(a_report()).incident.number
    assert int(following.rsplit("-", 1)[1]) == int(taken.incident.number.rsplit("-", 1)[1]) + 1
