"""The safety invariants: each counts its checks and keeps its violations with examples.

Every checker is a plain function of observations (what the simulator sent and what the server
answered), so each can be fed hand-made observations that break it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from domain.taxonomy import Agency
from simulator.deadlines import Expectation

MAX_EXAMPLES = 8
ESCALATION_TOLERANCE = timedelta(seconds=2)


@dataclass(frozen=True)
class Violation:
    """One broken expectation: which incident, what was expected, what happened."""

    incident: str
    expected: str
    observed: str


@dataclass
class Invariant:
    """An invariant's tally over the shift."""

    key: str
    title: str
    checks: int = 0
    violations: int = 0
    examples: list[Violation] = field(default_factory=list)

    def record(self, ok: bool, incident: str, expected: str, observed: str) -> bool:
        """Count one check; keep the first examples of violations. Returns ``ok``."""
        self.checks += 1
        if not ok:
            self.violations += 1
            if len(self.examples) < MAX_EXAMPLES:
                self.examples.append(Violation(incident, expected, observed))
        return ok


def new_invariants() -> dict[str, Invariant]:
    """Every invariant of the shift, keyed."""
    titles = {
        "genuine_not_flagged": "no genuine call with speech is banded high or sent to call-back",
        "p1_unit_recommended": "every routed P1 gets a unit whenever its agency has one in service",
        "duplicates_suggested": "every later call about one event is offered the earlier ones",
        "escalations_on_time": "every escalation fires within 2 s of its deadline, never early",
        "feeds_reach_agencies": "every routed incident reaches its agencies' feeds and no other",
        "no_server_errors": "no 5xx answer",
        "projections_rebuild": "every projection equals a rebuild from the log",
    }
    return {key: Invariant(key, title) for key, title in titles.items()}


@dataclass(frozen=True)
class Intake:
    """A genuine call's intake answer, as the score invariant needs it."""

    number: str
    category: str
    description: str
    silent: bool
    band: str | None
    p_false: float | None
    pending: bool
    callback_first: bool
    reasons: Sequence[str]


def check_genuine_call(inv: Invariant, call: Intake) -> None:
    """A genuine call where someone spoke: never banded high, never held for call-back."""
    if call.silent:
        return
    queue = "call-back first" if call.callback_first else "call-back queue"
    inv.record(
        call.band != "high" and not call.pending,
        call.number,
        f"genuine {call.category} call with speech ('{call.description}') routed at once",
        f"band {call.band} (p_false {call.p_false}), {queue if call.pending else 'not held'};"
        f" reasons: {'; '.join(call.reasons)}",
    )


@dataclass(frozen=True)
class Routing:
    """A P1 routed with the recommendation the operator saw."""

    number: str
    priority: str
    agencies: Sequence[Agency]
    recommended: Mapping[Agency, Sequence[str]]  # agency -> recommended callsigns
    available: Mapping[Agency, Sequence[str]]  # agency -> callsigns available meanwhile


def check_p1_units(inv: Invariant, routing: Routing) -> None:
    """For each agency of a routed P1 that has a unit available, a unit is recommended."""
    if routing.priority != "P1":
        return
    for agency in routing.agencies:
        available = routing.available.get(agency, ())
        if not available:
            continue
        recommended = routing.recommended.get(agency, ())
        others = {a.value: list(c) for a, c in routing.recommended.items() if c}
        inv.record(
            bool(recommended),
            routing.number,
            f"a {agency.value} unit recommended ({len(available)} available, e.g. "
            f"{', '.join(available[:3])})",
            f"no {agency.value} unit in the recommendation (units recommended: {others or 'none'})",
        )


@dataclass(frozen=True)
class Earlier:
    """An earlier, still open call about the same event."""

    incident_id: str
    number: str
    status: str  # as the simulator last saw it: new, routed, acknowledged, dispatched
    distance_m: float
    age_s: float  # server seconds between the two reports
    same_caller: bool
    category: str


@dataclass(frozen=True)
class LaterCall:
    """A later call about an event, with what its intake answer offered as duplicates."""

    number: str
    category: str
    earlier: Sequence[Earlier]
    offered: Mapping[str, str]  # incident id -> number, from recommendation.duplicates
    total: int | None = None  # recommendation.duplicates_total: all that matched


def check_duplicates(inv: Invariant, call: LaterCall) -> None:
    """Each earlier open call about the same event is among the suggested duplicates, or,
    when the answer shows only the best few, among those it counts (``duplicates_total``
    at least the number of earlier calls)."""
    total = len(call.offered) if call.total is None else call.total
    counted = total > len(call.offered) and total >= len(call.earlier)
    for e in call.earlier:
        who = "same caller" if e.same_caller else "another caller"
        inv.record(
            e.incident_id in call.offered or counted,
            call.number,
            f"{e.number} suggested ({call.category} call by {who}, {e.distance_m:.0f} m and "
            f"{e.age_s:.0f} s after {e.number}, a {e.category} incident with status {e.status})",
            f"duplicates offered: {sorted(call.offered.values()) or 'none'} of {total}",
        )


def check_escalation(inv: Invariant, e: Expectation, watched_until: datetime) -> None:
    """Fires in [due, due + 2 s]; never when an acknowledgement, a unit or the closure came
    before the deadline; cases the watch cannot decide are not counted."""
    if e.due_at is None:
        if e.fired_at is not None or (e.unless_settled and e.unless_settled <= watched_until):
            settled = e.settled_at.isoformat() if e.settled_at else "?"
            inv.record(
                e.fired_at is None,
                e.number,
                f"no {e.reason} escalation: settled at {settled}, before its deadline",
                _fired(e) if e.fired_at else "none",
            )
        return
    tol = ESCALATION_TOLERANCE
    if e.due_at > watched_until:
        if e.fired_at is not None and e.fired_at < e.due_at:
            inv.record(False, e.number, f"no {e.reason} escalation before {e.due_at}", _fired(e))
        return
    if e.fired_at is None and (
        watched_until < e.due_at + tol or (e.settled_at and e.settled_at < e.due_at + tol)
    ):
        return  # settled or watched within the tolerance: the watchdog may rightly not fire
    fired = e.fired_at
    ok = fired is not None and e.due_at <= fired <= e.due_at + tol
    inv.record(
        ok,
        e.number,
        f"{e.reason} escalation between {e.due_at.isoformat()} and +{tol.total_seconds():g} s",
        _fired(e) if fired else f"not fired by {watched_until.isoformat()}",
    )


def check_left_unacknowledged(inv: Invariant, e: Expectation | None, number: str) -> None:
    """An incident one of whose agencies was left never to acknowledge must have escalated
    (``e``: its not_acknowledged expectation; None when its history could not be read)."""
    observed = "history not readable" if e is None else _fired(e)
    expected = "not_acknowledged escalation: an agency was left never to acknowledge"
    inv.record(e is not None and e.fired_at is not None, number, expected, observed)


def _fired(e: Expectation) -> str:
    if e.fired_at is None:
        return "not fired"
    if e.due_at is None:
        return f"fired at {e.fired_at.isoformat()}"
    delta = (e.fired_at - e.due_at).total_seconds()
    return f"fired at {e.fired_at.isoformat()} ({delta:+.2f} s from the deadline)"


@dataclass(frozen=True)
class Routed:
    """An incident the simulator routed, to which agencies, and since when (monotonic s)."""

    incident_id: str
    number: str
    agencies: frozenset[Agency]
    since: float


def check_feed_delivery(inv: Invariant, routed: Routed, seen_by: Mapping[Agency, bool]) -> None:
    """Each routed agency's feed carried the incident."""
    for agency in sorted(routed.agencies, key=lambda a: a.value):
        inv.record(
            seen_by.get(agency, False),
            routed.number,
            f"on the {agency.value} feed (routed to {sorted(a.value for a in routed.agencies)})",
            f"never on the {agency.value} feed",
        )


def check_feed_leak(
    inv: Invariant, number: str, feed: Agency, event: str, routed_to: frozenset[Agency]
) -> None:
    """An incident on an agency's feed is routed to that agency."""
    inv.record(
        feed in routed_to,
        number,
        f"only on the feeds of {sorted(a.value for a in routed_to) or 'no agency'}",
        f"on the {feed.value} feed ({event})",
    )


def check_no_server_error(inv: Invariant, method: str, path: str, status: int, detail: str) -> None:
    """Every answer is below 500."""
    inv.record(status < 500, f"{method} {path}", "an answer below 500", f"{status}: {detail}")


def check_rebuild(inv: Invariant, answer: Mapping[str, Any]) -> None:
    """Each projection in a rebuild-check answer has no difference with its rebuild."""
    for projection in answer.get("projections", []):
        differences = projection.get("differences", [])
        first = differences[0] if differences else {}
        inv.record(
            not differences,
            f"projection {projection['name']}",
            f"identical to a rebuild up to position {projection.get('position')}",
            f"{len(differences)} differences, first: {first}",
        )
