"""KPI counters per local day, agency and category, with the sums behind mean timings.

Beside the counters, one fact row per incident (``projections.kpi_facts``): what the KPI
report and ``/publik`` read, each row with the positions of the events it comes from.

Agency ``*`` holds incident-level counts (reported, closed by disposition, report → first
unit of any agency); an agency's own row holds what it did (routed to it, acknowledged,
units dispatched) and its timings. The day is the incident number's local (WITA) day; the
category is the incident's category when the counted event happened. Each event counts once:
an incident closed, reopened and closed again counts two closures.
"""

from __future__ import annotations

from datetime import datetime

from domain.incident import Incident
from domain.unit import Unit
from projections.base import RowProjection, handles
from projections.events import EventData
from projections.kpi_facts import FACTS, UNITS, note_fact
from projections.postgres_views import PostgresRowView
from projections.schema import Row, Table, columns
from projections.sqlite_views import SQLiteRowView
from projections.tables import RowView

ALL_AGENCIES = "*"
MEMO = Table(
    "incidents",
    key=("incident_id",),
    columns=columns(
        "incident_id",
        "day",
        "category",
        "received_at",
        ("routed_at", "json"),
        ("unit_agencies", "json"),
        "first_unit_at",
        ("position", "integer"),
    ),
)
COUNTERS = Table(
    "counters",
    key=("day", "agency", "category"),
    columns=columns(
        "day",
        "agency",
        "category",
        ("reported", "integer"),
        ("routed", "integer"),
        ("acknowledged", "integer"),
        ("dispatched", "integer"),
        ("closed", "json"),
        ("report_to_route_s", "real"),
        ("report_to_route_n", "integer"),
        ("route_to_ack_s", "real"),
        ("route_to_ack_n", "integer"),
        ("report_to_first_unit_s", "real"),
        ("report_to_first_unit_n", "integer"),
        ("position", "integer"),
    ),
)
TIMINGS = ("report_to_route", "route_to_ack", "report_to_first_unit")


class KpisView(RowView):
    """KPI counters, and the facts of each incident."""

    tables = (MEMO, COUNTERS, FACTS, UNITS)

    def facts(self, days: list[str] | None) -> tuple[int | None, list[Row]]:
        """The view's position and the fact rows of incidents received on these UTC days
        (every row when None), read in one snapshot."""
        if days is None:
            position, (rows,) = self.read((FACTS, {}))
            return position, rows
        position, found = self.read(*((FACTS, {"day": day}) for day in days))
        return position, [row for rows in found for row in rows]

    def predates_facts(self) -> bool:
        """True when the view counted incidents before it kept fact rows (it needs rebuilding
        from position 0 before its facts can be read)."""
        return self.is_empty(FACTS) and not self.is_empty(MEMO)

    def counters(self, day: str | None = None) -> list[Row]:
        """Counter rows (of one day when given), with mean seconds for each timing."""
        rows = self.select(COUNTERS, **({"day": day} if day else {}))
        for row in rows:
            for timing in TIMINGS:
                n = row[f"{timing}_n"]
                row[f"{timing}_mean_s"] = row[f"{timing}_s"] / n if n else None
        return sorted(rows, key=lambda r: (r["day"], r["agency"], r["category"]))


class SQLiteKpisView(KpisView, SQLiteRowView):
    """KPI counters in their own SQLite file."""


class PostgresKpisView(KpisView, PostgresRowView):
    """KPI counters in ``kpis_*`` PostgreSQL tables."""


class KpisProjection(RowProjection[KpisView]):
    """Counts and times what happens to incidents."""

    name = "kpis"

    @handles(Incident.Reported)
    def _reported(self, e: EventData) -> None:
        note_fact(self.view, e)
        memo: Row = {
            "incident_id": e.aggregate_id,
            "day": _local_day(e["number"], e["received_at"]),
            "category": e["category"],
            "received_at": e["received_at"],
            "routed_at": {},
            "unit_agencies": [],
            "first_unit_at": None,
            "position": e.position,
        }
        self.view.put(MEMO, memo)
        self._count(memo, ALL_AGENCIES, e.position, reported=1)

    @handles(Incident.Triaged)
    def _triaged(self, e: EventData) -> None:
        note_fact(self.view, e)
        memo = self._memo(e)
        self.view.put(MEMO, {**memo, "category": e["category"], "position": e.position})

    @handles(Incident.Routed)
    def _routed(self, e: EventData) -> None:
        note_fact(self.view, e)
        memo = self._memo(e)
        since_report = _seconds(memo["received_at"], e["at"])
        for agency in e["agencies"]:
            self._count(
                memo, agency, e.position, routed=1, timing=("report_to_route", since_report)
            )
        routed = {**memo["routed_at"], **{a: e["at"] for a in e["agencies"]}}
        self.view.put(MEMO, {**memo, "routed_at": routed, "position": e.position})

    @handles(Incident.Acknowledged)
    def _acknowledged(self, e: EventData) -> None:
        note_fact(self.view, e)
        memo = self._memo(e)
        routed_at = memo["routed_at"].get(e["agency"])
        timing = ("route_to_ack", _seconds(routed_at, e["at"])) if routed_at else None
        self._count(memo, e["agency"], e.position, acknowledged=1, timing=timing)

    @handles(Incident.UnitAssigned)
    def _unit_assigned(self, e: EventData) -> None:
        note_fact(self.view, e)
        memo = self._memo(e)
        agency = e["agency"]
        since_report = ("report_to_first_unit", _seconds(memo["received_at"], e["at"]))
        first_of_agency = agency not in memo["unit_agencies"]
        self._count(
            memo, agency, e.position, dispatched=1, timing=since_report if first_of_agency else None
        )
        if memo["first_unit_at"] is None:
            self._count(memo, ALL_AGENCIES, e.position, dispatched=1, timing=since_report)
        changes = {
            "unit_agencies": [*memo["unit_agencies"], agency]
            if first_of_agency
            else memo["unit_agencies"],
            "first_unit_at": memo["first_unit_at"] or e["at"],
            "position": e.position,
        }
        self.view.put(MEMO, {**memo, **changes})

    @handles(Incident.Closed)
    def _closed(self, e: EventData) -> None:
        note_fact(self.view, e)
        self._count(self._memo(e), ALL_AGENCIES, e.position, closed=e["disposition"])

    @handles(
        Incident.Escalated,
        Incident.Scored,
        Incident.ScoreOverridden,
        Incident.FlaggedForVerification,
        Incident.Verified,
        Incident.Reopened,
        Unit.Registered,
        Unit.StatusChanged,
    )
    def _fact_only(self, e: EventData) -> None:
        note_fact(self.view, e)

    # ---- helpers ---------------------------------------------------------------------------------

    def _memo(self, e: EventData) -> Row:
        memo = self.view.get(MEMO, (e.aggregate_id,))
        if memo is None:
            raise LookupError(f"incident {e.aggregate_id} was never reported")
        return memo

    def _count(
        self,
        memo: Row,
        agency: str,
        position: int,
        *,
        timing: tuple[str, float] | None = None,
        closed: str | None = None,
        **increments: int,
    ) -> None:
        key = (memo["day"], agency, memo["category"])
        row = dict(self.view.get(COUNTERS, key) or _zero(key))
        for name, by in increments.items():
            row[name] += by
        if timing is not None:
            name, seconds = timing
            row[f"{name}_s"] += seconds
            row[f"{name}_n"] += 1
        if closed is not None:
            row["closed"] = {**row["closed"], closed: row["closed"].get(closed, 0) + 1}
        row["position"] = position
        self.view.put(COUNTERS, row)


def _zero(key: tuple[str, str, str]) -> Row:
    day, agency, category = key
    row: Row = {"day": day, "agency": agency, "category": category, "closed": {}}
    row.update(reported=0, routed=0, acknowledged=0, dispatched=0)
    for timing in TIMINGS:
        row.update({f"{timing}_s": 0.0, f"{timing}_n": 0})
    return row


def _local_day(number: str, received_at: str) -> str:
    """The local day in the incident number (PREFIX-YYYYMMDD-NNNN), else the UTC day."""
    parts = number.split("-")
    if len(parts) >= 3 and len(parts[1]) == 8 and parts[1].isdigit():
        digits = parts[1]
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    return datetime.fromisoformat(received_at).date().isoformat()


def _seconds(since: str, until: str) -> float:
    return (datetime.fromisoformat(until) - datetime.fromisoformat(since)).total_seconds()
