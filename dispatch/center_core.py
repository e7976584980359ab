"""What every verb of the center stands on: its ports, stores, reads, saving and retrying.

``DispatchCenter`` (``dispatch.center``) is this application with its verbs: intake
(``dispatch.intake``), incident commands (``dispatch.incident_commands``) and the fleet's
(``dispatch.fleet_commands``), each a part of the one class over this core.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError, Application, project_aggregate
from eventsourcing.domain import Aggregate, DomainEventProtocol
from eventsourcing.persistence import (
    IntegrityError,
    JSONTranscoder,
    PersistenceError,
)

from dispatch.construction import closed_if_it_fails
from dispatch.errors import IncidentNotFound, StorageUnavailable, UnitNotFound, VersionConflict
from dispatch.group_commit import GroupCommit
from dispatch.numbers import NumberPool, node_name
from dispatch.ports import Advisor, Geography, Scoring
from dispatch.present import Present
from dispatch.retry import RetryPolicy, retry_races
from dispatch.transcodings import register_domain_transcodings
from domain.incident import Incident
from domain.ledger import DayLedger, ledger_id_for
from domain.unit import Unit

Clock = Callable[[], datetime]
A = TypeVar("A", Incident, Unit)
T = TypeVar("T")


def utc_now() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


class CenterCore(Application[UUID]):
    """The event-sourced application under the center's verbs."""

    snapshotting_intervals = {DayLedger: 200}  # noqa: RUF012 (the library declares it)

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        *,
        geography: Geography | None = None,
        advisor: Advisor | None = None,
        scoring: Scoring | None = None,
        clock: Clock = utc_now,
        number_prefix: str = "SMD",
        timezone: str = "Asia/Makassar",
        retry_policy: RetryPolicy | None = None,
        auto_route: bool = False,
        node: str | None = None,
    ) -> None:
        with closed_if_it_fails(self):
            super().__init__(env)
        self.geography = geography
        self.advisor = advisor
        self.scoring = scoring
        self.clock = clock
        self.number_prefix = number_prefix
        self.local_zone = ZoneInfo(timezone)
        self.retry_policy = retry_policy or RetryPolicy()
        self.auto_route = auto_route
        self.present = Present(self)
        self.node = node or node_name()
        self.numbers = NumberPool(
            number_prefix, self.node, self._load_ledger, catch_up=self._caught_up
        )
        self.commits = GroupCommit(self)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Teach the JSON transcoder the domain's values."""
        super().register_transcodings(transcoder)
        register_domain_transcodings(transcoder)

    # ---- reads ------------------------------------------------------------------------------

    def get_incident(self, incident_id: UUID, version: int | None = None) -> Incident:
        """The incident as it is now, or as it was at ``version``."""
        return self._get(incident_id, Incident, version)

    def get_unit(self, unit_id: UUID) -> Unit:
        """The unit as it is now."""
        return self._get(unit_id, Unit, None)

    def incident_events(self, incident_id: UUID) -> list[DomainEventProtocol[UUID]]:
        """Every event of one incident, oldest first."""
        with storage_errors():
            events = list(self.events.get(incident_id))
        if not events:
            raise IncidentNotFound(incident_id)
        return events

    def _get(self, aggregate_id: UUID, kind: type[A], version: int | None) -> A:
        aggregate: object
        try:
            with storage_errors():
                aggregate = self.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            aggregate = None
        if not isinstance(aggregate, kind):
            raise UnitNotFound(aggregate_id) if kind is Unit else IncidentNotFound(aggregate_id)
        return aggregate

    def _save(self, *aggregates: Aggregate) -> int:
        """Save in one transaction (perhaps with other callers' saves: see
        dispatch.group_commit); returns the last log position written."""
        with storage_errors():
            recordings = self.commits.save(*aggregates)
        return recordings[-1].notification.id if recordings else 0

    def _load_ledger(self, day: date) -> DayLedger | None:
        """The day's ledger as stored (None before the day's first number)."""
        ledger: object
        try:
            with storage_errors():
                ledger = self.repository.get(ledger_id_for(self.number_prefix, day))
        except AggregateNotFoundError:
            return None
        assert isinstance(ledger, DayLedger)
        return ledger

    def _caught_up(self, ledger: DayLedger) -> DayLedger:
        """``ledger`` (as this node last stored it) with the blocks other nodes stored since."""
        with storage_errors():
            caught_up = project_aggregate(ledger, self.events.get(ledger.id, gt=ledger.version))
        assert isinstance(caught_up, DayLedger)
        return caught_up

    def _ledger_version(self, day: date) -> int:
        ledger = self._load_ledger(day)
        return ledger.version if ledger else 0

    def _save_seen(
        self, expected_version: int | None, first: Aggregate, *others: Aggregate
    ) -> None:
        """Save; when the user named the version they saw, a lost race is their 409 at once."""
        try:
            self._save(first, *others)
        except IntegrityError:
            if expected_version is None:
                raise  # retried from a fresh load
            with storage_errors():
                current: int = self.repository.get(first.id).version
            raise VersionConflict(first.id, expected_version, current) from None

    def _retrying(
        self, attempt: Callable[[], T], aggregate_id: UUID, current: Callable[[], int]
    ) -> T:
        """``attempt`` under the retry policy; races that outlast it are a VersionConflict."""
        try:
            return retry_races(attempt, self.retry_policy)
        except IntegrityError:
            raise VersionConflict(aggregate_id, None, current()) from None


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn an unreachable store into StorageUnavailable; conflicts pass through."""
    try:
        yield
    except IntegrityError:
        raise
    except PersistenceError as error:
        raise StorageUnavailable(f"the event store cannot be reached: {error}") from error
