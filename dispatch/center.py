"""DispatchCenter: the call center's verbs over the event-sourced Incident and Unit."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar
from uuid import UUID
from zoneinfo import ZoneInfo

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.domain import Aggregate, DomainEventProtocol
from eventsourcing.persistence import (
    EventStore,
    IntegrityError,
    JSONTranscoder,
    PersistenceError,
)

from dispatch.context import current_actor
from dispatch.errors import (
    IncidentNotFound,
    InvalidReport,
    StorageUnavailable,
    UnitNotFound,
    VersionConflict,
)
from dispatch.group_commit import GroupCommit
from dispatch.intake import (
    FLAG_CALLBACK_FIRST,
    FLAG_HIGH_BAND,
    flag_if_needed,
    new_incident,
    resolve_location,
)
from dispatch.numbers import NumberPool, node_name
from dispatch.ports import (
    Advisor,
    Geography,
    IntakeResult,
    ReportRequest,
    ScoredReport,
    Scoring,
    unscored,
)
from dispatch.postgres_recorder import fail_fast
from dispatch.present import Present
from dispatch.retry import RetryPolicy, retry_races
from dispatch.routing.models import Recommendation
from dispatch.transcodings import register_domain_transcodings
from domain.facility import Facility, facility_id_for
from domain.incident import Incident, incident_id_for
from domain.ledger import DayLedger, ledger_id_for
from domain.taxonomy import (
    Agency,
    Category,
    Disposition,
    EscalationReason,
    Priority,
    ScoreBand,
    UnitStatus,
    UnitType,
)
from domain.unit import Unit, unit_id_for
from domain.values import Location, Place

Clock = Callable[[], datetime]
A = TypeVar("A", Incident, Unit)
T = TypeVar("T")
Change = Callable[[Incident, datetime], Sequence[Aggregate] | None]
FUTURE_TOLERANCE = timedelta(seconds=30)
DEFAULT_PRIORITY = Priority.P2
# Reasons the system itself writes into events (clients translate these codes; people's own
# reasons are free text). A unit released by a status change carries the status's code.
RELEASED_ON_CLOSE = "incident closed"
SYSTEM_REASONS = (FLAG_HIGH_BAND, FLAG_CALLBACK_FIRST, RELEASED_ON_CLOSE)


def utc_now() -> datetime:
    """The wall clock, in UTC."""
    return datetime.now(UTC)


class DispatchCenter(Application[UUID]):
    """The 112 center: takes reports, routes them, dispatches units, closes incidents."""

    name = "dispatch"
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
        self.numbers = NumberPool(number_prefix, self.node, self._load_ledger)
        self.commits = GroupCommit(self)

    def construct_snapshot_store(self) -> EventStore[UUID]:
        """The library's snapshot store, reading and writing within the same bounded time as
        the event store (see ``dispatch.postgres_recorder``)."""
        store = super().construct_snapshot_store()
        store.recorder = fail_fast(store.recorder)
        return store

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

    # ---- intake -----------------------------------------------------------------------------

    def report(self, request: ReportRequest) -> IntakeResult:
        """Take a report: locate, score and advise, then record it (idempotent by report id)."""
        incident_id = incident_id_for(request.report_id)
        # A retried report is almost always still in the present: only then is it read from
        # the store. A new report costs no read; a retry the present does not hold (yet) is
        # caught by the save, which the store refuses (the incident's first event exists).
        existing = self._existing(incident_id) if self._in_present(incident_id) else None
        if existing is not None:
            return IntakeResult(existing, created=False, recommendation=self._advise(existing))
        now = self.clock()
        received_at = request.received_at or now
        if received_at > now + FUTURE_TOLERANCE:
            raise InvalidReport("received_at", "is in the future")
        location, place = resolve_location(self.geography, request)
        history = self.present.caller_history(request.caller_number, received_at)
        score = (
            self.scoring.score_report(request, location, history, now)
            if self.scoring
            else ScoredReport(unscored("model_unavailable"))
        )
        priority = request.priority or (
            self.advisor.default_priority(request.category, injuries=request.injuries)
            if self.advisor
            else DEFAULT_PRIORITY
        )
        return self._record_report(
            request, incident_id, received_at, now, location, place, priority, score
        )

    def _record_report(
        self,
        request: ReportRequest,
        incident_id: UUID,
        received_at: datetime,
        now: datetime,
        location: Location | None,
        place: Place | None,
        priority: Priority,
        score: ScoredReport,
    ) -> IntakeResult:
        actor = current_actor()
        day = received_at.astimezone(self.local_zone).date()

        def attempt() -> IntakeResult:
            # No lock across the commit: the number comes from this node's block (see
            # dispatch.numbers) and the save joins whatever other saves are being committed.
            with self.numbers.issue(day) as ticket:
                incident = new_incident(
                    request, ticket.number, received_at, location, place, priority, actor, now
                )
                incident.record_score(
                    score.live, shadow=score.shadow, actor="system:classifier", at=now
                )
                flag_if_needed(incident, score.live, now)
                # Advice, once, from the incident about to be saved: what it reads (units,
                # other open incidents) does not include the incident itself.
                advice = self._advise(incident, now)
                if self.auto_route:
                    auto_route(incident, advice, now)
                try:
                    self._save(*ticket.aggregates, incident)
                    ticket.saved()
                except IntegrityError:
                    existing = self._existing(incident_id)
                    if existing is None:
                        raise  # another node reserved the same block first: take the next one
                    incident, advice = existing, self._advise(existing)  # its retry won
            return IntakeResult(incident, ticket.stored, advice)

        ledger_id = ledger_id_for(self.number_prefix, day)
        return self._retrying(attempt, ledger_id, lambda: self._ledger_version(day))

    def _in_present(self, incident_id: UUID) -> bool:
        with self.present.locked() as state:
            return incident_id in state.incidents

    def _existing(self, incident_id: UUID) -> Incident | None:
        try:
            return self.get_incident(incident_id)
        except IncidentNotFound:
            return None

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

    def _ledger_version(self, day: date) -> int:
        ledger = self._load_ledger(day)
        return ledger.version if ledger else 0

    def _advise(self, incident: Incident, at: datetime | None = None) -> Recommendation | None:
        # What advice reads of the present is caught up on first (see dispatch.present).
        if self.advisor is None:
            return None
        return self.advisor.advise(incident, fleet=self.present, at=at or self.clock())

    def advise(self, incident_id: UUID) -> Recommendation | None:
        """The current recommendation (agencies, stations, units, duplicates) for an incident."""
        return self._advise(self.get_incident(incident_id))

    # ---- incident commands ------------------------------------------------------------------

    def _change(
        self,
        incident_id: UUID,
        expected_version: int | None,
        change: Change,
    ) -> Incident:
        """Load, check the version the operator saw, change, save; a lost race is retried."""

        def attempt() -> Incident:
            incident = self.get_incident(incident_id)
            if expected_version is not None and incident.version != expected_version:
                raise VersionConflict(incident_id, expected_version, incident.version)
            others = change(incident, self.clock()) or ()
            if not incident.pending_events and not any(o.pending_events for o in others):
                return incident
            self._save_seen(expected_version, incident, *others)
            return incident

        return self._retrying(attempt, incident_id, lambda: self.get_incident(incident_id).version)

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

    def override_score(
        self, incident_id: UUID, band: ScoreBand, reason: str, expected_version: int | None = None
    ) -> Incident:
        """An operator overrides the false-call band, with a reason."""
        return self._change(
            incident_id,
            expected_version,
            lambda i, at: i.override_score(band, reason, actor=current_actor(), at=at),
        )

    def verify(
        self,
        incident_id: UUID,
        *,
        genuine: bool,
        reason: str,
        disposition: Disposition | None = None,
        expected_version: int | None = None,
    ) -> Incident:
        """Record a call-back outcome; a false call is closed with its disposition."""
        if not genuine and (disposition is None or disposition is Disposition.GENUINE):
            raise InvalidReport("disposition", "a dismissed call needs a non-genuine disposition")

        def change(incident: Incident, at: datetime) -> Sequence[Unit]:
            incident.verify(genuine=genuine, reason=reason, actor=current_actor(), at=at)
            if genuine:
                return ()
            assert disposition is not None
            return self._close(incident, disposition, reason, at)

        return self._change(incident_id, expected_version, change)

    def triage(
        self,
        incident_id: UUID,
        priority: Priority,
        category: Category,
        reason: str,
        expected_version: int | None = None,
    ) -> Incident:
        """Set or change priority and category."""
        return self._change(
            incident_id,
            expected_version,
            lambda i, at: i.triage(priority, category, reason, actor=current_actor(), at=at),
        )

    def route(
        self,
        incident_id: UUID,
        agencies: Sequence[Agency],
        *,
        unit_ids: Sequence[UUID] = (),
        expected_version: int | None = None,
    ) -> Incident:
        """Route to agencies, and optionally dispatch units, in one transaction."""

        def change(incident: Incident, at: datetime) -> Sequence[Unit]:
            incident.route(list(agencies), actor=current_actor(), at=at)
            return [self._dispatch(incident, unit_id, at) for unit_id in unit_ids]

        return self._change(incident_id, expected_version, change)

    def acknowledge(
        self, incident_id: UUID, agency: Agency, expected_version: int | None = None
    ) -> Incident:
        """An agency confirms it has taken the incident."""

        def change(incident: Incident, at: datetime) -> None:
            incident.acknowledge(agency, actor=current_actor(), at=at)

        return self._change(incident_id, expected_version, change)

    def assign_unit(
        self, incident_id: UUID, unit_id: UUID, expected_version: int | None = None
    ) -> Incident:
        """Dispatch a unit: Incident and Unit change in one transaction."""
        return self._change(
            incident_id, expected_version, lambda i, at: [self._dispatch(i, unit_id, at)]
        )

    def _dispatch(self, incident: Incident, unit_id: UUID, at: datetime) -> Unit:
        unit = self.get_unit(unit_id)
        incident.assign_unit(unit.id, unit.agency, unit.callsign, actor=current_actor(), at=at)
        unit.dispatch_to(incident.id, actor=current_actor(), at=at)
        return unit

    def add_note(
        self, incident_id: UUID, text: str, expected_version: int | None = None
    ) -> Incident:
        """Add a note to an incident."""
        return self._change(
            incident_id,
            expected_version,
            lambda i, at: i.add_note(text, actor=current_actor(), at=at),
        )

    def link_duplicate(
        self, incident_id: UUID, primary_id: UUID, expected_version: int | None = None
    ) -> Incident:
        """Link a report as a duplicate of a primary incident (both record it)."""

        def change(incident: Incident, at: datetime) -> Sequence[Incident]:
            primary = self.get_incident(primary_id)
            incident.link_as_duplicate_of(primary, actor=current_actor(), at=at)
            return [primary]

        return self._change(incident_id, expected_version, change)

    def close_incident(
        self,
        incident_id: UUID,
        disposition: Disposition,
        reason: str = "",
        expected_version: int | None = None,
    ) -> Incident:
        """Close with a disposition; units still assigned are released with it."""
        return self._change(
            incident_id, expected_version, lambda i, at: self._close(i, disposition, reason, at)
        )

    def _close(
        self, incident: Incident, disposition: Disposition, reason: str, at: datetime
    ) -> list[Unit]:
        released = [
            self._release(incident, unit_id, RELEASED_ON_CLOSE, at)
            for unit_id in list(incident.unit_ids)
        ]
        incident.close(disposition, reason, actor=current_actor(), at=at)
        return [u for u in released if u is not None]

    def _release(self, incident: Incident, unit_id: UUID, reason: str, at: datetime) -> Unit | None:
        incident.release_unit(unit_id, reason, actor=current_actor(), at=at)
        unit = self.get_unit(unit_id)
        if unit.incident_id != incident.id or unit.status is UnitStatus.AVAILABLE:
            return None
        unit.change_status(UnitStatus.AVAILABLE, location=None, actor=current_actor(), at=at)
        return unit

    def release_unit(
        self, incident_id: UUID, unit_id: UUID, reason: str, expected_version: int | None = None
    ) -> Incident:
        """Release a unit from an incident; the unit becomes available again."""

        def change(incident: Incident, at: datetime) -> list[Unit]:
            unit = self._release(incident, unit_id, reason, at)
            return [unit] if unit else []

        return self._change(incident_id, expected_version, change)

    def reopen(
        self, incident_id: UUID, reason: str, expected_version: int | None = None
    ) -> Incident:
        """Reopen a closed incident."""
        return self._change(
            incident_id,
            expected_version,
            lambda i, at: i.reopen(reason, actor=current_actor(), at=at),
        )

    def escalate(
        self, incident_id: UUID, reason: EscalationReason, detail: str, agency: Agency | None = None
    ) -> Incident:
        """Record an escalation (once per reason)."""

        def change(incident: Incident, at: datetime) -> None:
            incident.escalate(reason, detail, agency=agency, actor=current_actor(), at=at)

        return self._change(incident_id, None, change)

    # ---- units ------------------------------------------------------------------------------

    def register_unit(
        self,
        code: str,
        callsign: str,
        agency: Agency,
        unit_type: UnitType,
        station_id: str,
        location: Location | None = None,
    ) -> tuple[Unit, bool]:
        """Register a unit; registering the same code again returns the existing unit."""
        try:
            return self.get_unit(unit_id_for(code)), False
        except UnitNotFound:
            pass
        unit = Unit(
            code=code.strip().upper(),
            callsign=callsign,
            agency=agency,
            unit_type=unit_type,
            station_id=station_id,
            location=location,
            actor=current_actor(),
            at=self.clock(),
        )
        try:
            self._save(unit)
        except IntegrityError:
            return self.get_unit(unit.id), False
        return unit, True

    def update_unit_status(
        self,
        unit_id: UUID,
        status: UnitStatus,
        *,
        location: Location | None = None,
        expected_version: int | None = None,
    ) -> Unit:
        """Move a unit along its status machine; leaving an incident releases it there too."""

        def attempt() -> Unit:
            unit = self.get_unit(unit_id)
            if expected_version is not None and unit.version != expected_version:
                raise VersionConflict(unit_id, expected_version, unit.version)
            at = self.clock()
            incident_id = unit.incident_id
            unit.change_status(status, location=location, actor=current_actor(), at=at)
            others: list[Incident] = []
            if incident_id is not None and unit.incident_id is None:
                incident = self.get_incident(incident_id)
                if unit.id in incident.unit_ids:
                    incident.release_unit(unit.id, status.value, actor=current_actor(), at=at)
                    others.append(incident)
            self._save_seen(expected_version, unit, *others)
            return unit

        return self._retrying(attempt, unit_id, lambda: self.get_unit(unit_id).version)

    def set_facility_capacity(self, station_id: str, full: bool, reason: str) -> Facility:
        """Mark a hospital (or other station) full or available; advice skips full hospitals."""

        def attempt() -> Facility:
            facility: object
            try:
                with storage_errors():
                    facility = self.repository.get(facility_id_for(station_id))
            except AggregateNotFoundError:
                facility = Facility(station_id=station_id)
            assert isinstance(facility, Facility)
            facility.set_capacity(full, reason, actor=current_actor(), at=self.clock())
            self._save(facility)
            return facility

        return self._retrying(attempt, facility_id_for(station_id), lambda: 0)

    def report_unit_position(self, unit_id: UUID, location: Location) -> Unit:
        """Record a unit's position."""

        def attempt() -> Unit:
            unit = self.get_unit(unit_id)
            unit.report_position(location, actor=current_actor(), at=self.clock())
            self._save(unit)
            return unit

        return self._retrying(attempt, unit_id, lambda: self.get_unit(unit_id).version)


def auto_route(incident: Incident, advice: Recommendation | None, now: datetime) -> None:
    """Route a new incident to the agencies its advice names (when the center auto-routes)."""
    if advice and advice.agencies:
        incident.route(list(advice.agencies), actor="system:auto-route", at=now)


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn an unreachable store into StorageUnavailable; conflicts pass through."""
    try:
        yield
    except IntegrityError:
        raise
    except PersistenceError as error:
        raise StorageUnavailable(f"the event store cannot be reached: {error}") from error
