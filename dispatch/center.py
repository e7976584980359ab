"""DispatchCenter: the call center's verbs over the event-sourced Incident and Unit.

One application, its verbs in parts: intake (``dispatch.intake``), incident commands
(``dispatch.incident_commands``), units and facilities (``dispatch.fleet_commands``), all over
the same core (``dispatch.center_core``: ports, stores, reads, saving, retrying).
"""

from __future__ import annotations

from dispatch.center_core import Clock, storage_errors, utc_now
from dispatch.fleet_commands import FleetCommands
from dispatch.incident_commands import RELEASED_ON_CLOSE, IncidentCommands
from dispatch.intake import FLAG_CALLBACK_FIRST, FLAG_HIGH_BAND, Intake

# Reasons the system itself writes into events (clients translate these codes; people's own
# reasons are free text).
SYSTEM_REASONS = (FLAG_HIGH_BAND, FLAG_CALLBACK_FIRST, RELEASED_ON_CLOSE)

__all__ = ["SYSTEM_REASONS", "Clock", "DispatchCenter", "storage_errors", "utc_now"]


class DispatchCenter(Intake, IncidentCommands, FleetCommands):
    """The 112 center: takes reports, routes them, dispatches units, closes incidents."""

    name = "dispatch"
