"""The day ledger: issues unique, human-friendly incident numbers for radio use."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

LEDGER_NAMESPACE = uuid5(NAMESPACE_URL, "https://siaga112.samarindakota.go.id/ledger")


def ledger_id_for(prefix: str, day: date) -> UUID:
    """The ledger id of one center prefix and one local day."""
    return uuid5(LEDGER_NAMESPACE, f"{prefix}-{day.isoformat()}")


class DayLedger(Aggregate):
    """One local day's sequence of incident numbers, e.g. SMD-20261122-0042.

    Saved in the same transaction as the incident it numbers, so a number is never issued
    twice: two concurrent issues conflict on the ledger's version and one is retried.
    """

    class Opened(Aggregate.Created):
        prefix: str
        day: date

    class NumberIssued(Aggregate.Event):
        incident_id: UUID
        seq: int

    @staticmethod
    def create_id(prefix: str, day: date) -> UUID:
        """Derive the id from prefix and day."""
        return ledger_id_for(prefix, day)

    @event(Opened)
    def __init__(self, prefix: str, day: date) -> None:
        self.prefix = prefix
        self.day = day
        self.last_seq = 0

    def issue(self, incident_id: UUID) -> str:
        """Issue the next number for an incident."""
        self._number_issued(incident_id=incident_id, seq=self.last_seq + 1)
        return self.number(self.last_seq)

    def number(self, seq: int) -> str:
        """Format a sequence number as the radio number."""
        return f"{self.prefix}-{self.day:%Y%m%d}-{seq:04d}"

    @event(NumberIssued)
    def _number_issued(self, incident_id: UUID, seq: int) -> None:
        self.last_seq = seq
