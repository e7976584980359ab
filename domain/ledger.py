"""The day ledger: issues unique, human-friendly incident numbers for radio use."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

LEDGER_NAMESPACE = uuid5(NAMESPACE_URL, "https://siaga112.samarindakota.go.id/ledger")


def ledger_id_for(prefix: str, day: date) -> UUID:
    """The ledger id of one center prefix and one local day."""
    return uuid5(LEDGER_NAMESPACE, f"{prefix}-{day.isoformat()}")


def format_number(prefix: str, day: date, seq: int) -> str:
    """The radio number of a sequence number, e.g. SMD-20261122-0042."""
    return f"{prefix}-{day:%Y%m%d}-{seq:04d}"


class DayLedger(Aggregate):
    """One local day's sequence of incident numbers, e.g. SMD-20261122-0042.

    A node (one running server) reserves a block of consecutive numbers at a time and hands
    them out itself; the reservation is an event, so two nodes racing for a block conflict on
    the ledger's version and the loser reserves the next block. Every number is issued at most
    once. Numbers a node reserved but never used (it restarted, or its day ended) are gaps;
    the ledger says which block went to which node.
    """

    class Opened(Aggregate.Created):
        prefix: str
        day: date

    class NumberIssued(Aggregate.Event):
        """One number for one incident (how numbers were issued before blocks; kept so that
        older logs still load and their numbers still resolve)."""

        incident_id: UUID
        seq: int

    class BlockReserved(Aggregate.Event):
        """Numbers ``first_seq`` to ``first_seq + size - 1`` went to ``node``."""

        node: str
        first_seq: int
        size: int

    @staticmethod
    def create_id(prefix: str, day: date) -> UUID:
        """Derive the id from prefix and day."""
        return ledger_id_for(prefix, day)

    @event(Opened)
    def __init__(self, prefix: str, day: date) -> None:
        self.prefix = prefix
        self.day = day
        self.last_seq = 0

    def reserve(self, node: str, size: int) -> range:
        """Reserve the next ``size`` numbers for ``node``; returns their sequence numbers."""
        if size < 1:
            raise ValueError(f"a block holds at least one number, not {size}")
        first = self.last_seq + 1
        self._block_reserved(node=node, first_seq=first, size=size)
        return range(first, first + size)

    def number(self, seq: int) -> str:
        """Format a sequence number as the radio number."""
        return format_number(self.prefix, self.day, seq)

    @event(NumberIssued)
    def _number_issued(self, incident_id: UUID, seq: int) -> None:
        self.last_seq = seq

    @event(BlockReserved)
    def _block_reserved(self, node: str, first_seq: int, size: int) -> None:
        self.last_seq = first_seq + size - 1
