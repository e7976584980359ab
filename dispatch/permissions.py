"""Who may do what: the one table every route, websocket and test reads.

Roles: ``operator`` (call-taker), ``supervisor`` (the center's shift lead: everything an
operator may, plus registering units and the audit), ``auditor`` (reads, never writes) and
``agency`` (any responder agency, and only on what is its own: the incidents routed to it, its
units, its stations; another agency's incident answers 404, as if it did not exist).

Decided on purpose (see README, "Who may do what"):

- An agency reads the recommendation of its own incidents, and assigns and releases its own
  units on them: under EENA's model 2 the 112 center relays, the agency commits its resources.
- Call-takers acknowledge for an agency that answered by radio or phone, and set a unit's status
  or position it reported by voice; supervisors may do all that operators may.
- Every role reads every unit: units are not personal data, and a joint incident needs the
  other agencies' units in view.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import StrEnum
from typing import Protocol

from domain.taxonomy import Agency

OPERATOR, SUPERVISOR, AUDITOR, AGENCY = "operator", "supervisor", "auditor", "agency"
CALL_CENTER = frozenset({OPERATOR, SUPERVISOR})
EVERYONE = frozenset({OPERATOR, SUPERVISOR, AUDITOR, AGENCY})


class Action(StrEnum):
    """Everything the API lets someone do, by name."""

    REPORT = "report"
    READ_INCIDENTS = "read_incidents"
    READ_RECOMMENDATION = "read_recommendation"
    READ_CALLER_HISTORY = "read_caller_history"
    TRIAGE = "triage"
    ROUTE = "route"
    ACKNOWLEDGE = "acknowledge"
    ASSIGN_UNIT = "assign_unit"
    RELEASE_UNIT = "release_unit"
    ADD_NOTE = "add_note"
    LINK = "link"
    CLOSE = "close"
    REOPEN = "reopen"
    VERIFY = "verify"
    OVERRIDE_SCORE = "override_score"
    READ_UNITS = "read_units"
    REGISTER_UNIT = "register_unit"
    SET_UNIT_STATUS = "set_unit_status"
    SET_UNIT_POSITION = "set_unit_position"
    READ_BOARD = "read_board"
    SET_CAPACITY = "set_capacity"
    AUDIT = "audit"
    CONSOLE_FEED = "console_feed"
    AGENCY_FEED = "agency_feed"
    ISSUE_STATUS_LINK = "issue_status_link"
    READ_AGENCY_RECORD = "read_agency_record"


PERMISSIONS: Mapping[Action, frozenset[str]] = {
    Action.REPORT: CALL_CENTER,
    Action.READ_INCIDENTS: EVERYONE,
    Action.READ_RECOMMENDATION: EVERYONE,
    Action.READ_CALLER_HISTORY: CALL_CENTER,
    Action.TRIAGE: CALL_CENTER,
    Action.ROUTE: CALL_CENTER,
    Action.ACKNOWLEDGE: CALL_CENTER | {AGENCY},
    Action.ASSIGN_UNIT: CALL_CENTER | {AGENCY},
    Action.RELEASE_UNIT: CALL_CENTER | {AGENCY},
    Action.ADD_NOTE: CALL_CENTER | {AGENCY},
    Action.LINK: CALL_CENTER,
    Action.CLOSE: CALL_CENTER,
    Action.REOPEN: CALL_CENTER,
    Action.VERIFY: CALL_CENTER,
    Action.OVERRIDE_SCORE: CALL_CENTER,
    Action.READ_UNITS: EVERYONE,
    Action.REGISTER_UNIT: frozenset({SUPERVISOR}),
    Action.SET_UNIT_STATUS: CALL_CENTER | {AGENCY},
    Action.SET_UNIT_POSITION: CALL_CENTER | {AGENCY},
    Action.READ_BOARD: EVERYONE,
    Action.SET_CAPACITY: CALL_CENTER | {AGENCY},
    Action.AUDIT: frozenset({AUDITOR, SUPERVISOR}),
    Action.CONSOLE_FEED: CALL_CENTER,
    Action.AGENCY_FEED: frozenset({SUPERVISOR, AUDITOR, AGENCY}),
    Action.ISSUE_STATUS_LINK: CALL_CENTER,
    Action.READ_AGENCY_RECORD: frozenset({SUPERVISOR, AUDITOR, AGENCY}),
}


#: What an agency may do on other agencies' things too; everything else only on its own.
SHARED_WITH_EVERY_AGENCY = frozenset({Action.READ_UNITS})


def role_kind(role: str) -> str:
    """``agency`` for any ``agency:<code>`` role; the role itself otherwise."""
    return AGENCY if role.startswith(f"{AGENCY}:") else role


def may(role: str, action: Action) -> bool:
    """Whether a role may take an action at all (an agency: on what is its own)."""
    return role_kind(role) in PERMISSIONS[action]


class Viewer(Protocol):
    """Whoever looks: a principal of the API, a feed's audience (agency None: not an agency)."""

    @property
    def agency(self) -> Agency | None: ...


class Routed(Protocol):
    """Something routed to agencies: an incident, a feed change, a board row."""

    @property
    def agencies(self) -> Collection[Agency]: ...


def visible_to(viewer: Viewer, incident: Routed) -> bool:
    """Whether a viewer may see an incident at all: the one answer the API, the feeds and the
    boards give. The call center, supervisors and auditors see every incident; an agency only
    those routed to it (another agency's is, to it, not there: a 404 naming nothing)."""
    return viewer.agency is None or viewer.agency in incident.agencies
