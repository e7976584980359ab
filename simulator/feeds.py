"""Listening to the live feeds: every agency's, and the console's (for the units' states).

Each agency feed is opened with that agency's own token, as a responder's screen would be.
What arrives is recorded as observations for the invariants; the console feed keeps the
simulator's picture of the fleet (status and agency of every unit).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from domain.taxonomy import Agency, UnitStatus
from simulator.traffic import Point


@dataclass(frozen=True)
class FeedSighting:
    """An incident message on one agency's feed."""

    agency: Agency
    incident_id: str
    number: str
    event: str
    routed_to: frozenset[Agency]  # the agencies the message's incident says it is routed to
    at: float  # monotonic seconds


@dataclass
class UnitView:
    """What the console feed last said about a unit."""

    unit_id: str
    agency: Agency
    callsign: str
    status: UnitStatus
    location: Point | None
    location_at: datetime | None


@dataclass
class FeedLog:
    """Everything the feeds delivered, and the fleet as the console feed shows it."""

    sightings: dict[tuple[Agency, str], FeedSighting] = field(default_factory=dict)
    foreign: list[FeedSighting] = field(default_factory=list)
    units: dict[str, UnitView] = field(default_factory=dict)
    messages: int = 0
    disconnects: list[str] = field(default_factory=list)

    def available(self, agency: Agency) -> list[UnitView]:
        """The agency's units the console feed shows available."""
        return [
            u
            for u in self.units.values()
            if u.agency is agency and u.status is UnitStatus.AVAILABLE
        ]


class FeedListener:
    """Keeps one websocket per agency and one for the console open for the whole shift."""

    def __init__(self, url: str, tokens: dict[str, str]) -> None:
        self.ws_url = url.replace("http://", "ws://").replace("https://", "wss://").rstrip("/")
        self.tokens = tokens
        self.log = FeedLog()
        self._tasks: list[asyncio.Task[None]] = []
        self._ready: list[asyncio.Event] = []

    async def start(self) -> None:
        """Connect every feed and wait for each snapshot."""
        targets: list[tuple[str, str, Agency | None]] = [
            (f"/ws/agencies/{a.value}", f"agency:{a.value}", a) for a in Agency
        ]
        targets.append(("/ws/console", "operator", None))
        for path, role, agency in targets:
            ready = asyncio.Event()
            self._ready.append(ready)
            self._tasks.append(asyncio.create_task(self._listen(path, role, agency, ready)))
        await asyncio.wait_for(asyncio.gather(*(r.wait() for r in self._ready)), timeout=30)

    async def stop(self) -> None:
        """Close every feed."""
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _listen(
        self, path: str, role: str, agency: Agency | None, ready: asyncio.Event
    ) -> None:
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        after: int | None = None
        while True:
            query = f"?after={after}" if after is not None else ""
            try:
                async with connect(self.ws_url + path + query, additional_headers=headers) as ws:
                    after = await self._read(ws, agency, ready, after)
            except (ConnectionClosed, OSError) as error:
                self.log.disconnects.append(f"{path}: {error!r}")
                await asyncio.sleep(0.5)  # reconnect and resume from the last position

    async def _read(
        self, ws: ClientConnection, agency: Agency | None, ready: asyncio.Event, after: int | None
    ) -> int | None:
        async for raw in ws:
            message: dict[str, Any] = json.loads(raw)
            self.log.messages += 1
            after = message.get("position", after)
            kind = message.get("type")
            if kind == "snapshot":
                for unit in message.get("units", []):
                    self._unit(unit)
                for incident in message.get("incidents", []):
                    self._incident(agency, incident, "snapshot")
                ready.set()
            elif kind == "unit":
                self._unit(message["unit"])
            elif kind == "incident":
                self._incident(agency, message["incident"], message.get("event", "?"))
            elif kind == "resync":
                after = None
        return after

    def _unit(self, unit: dict[str, Any]) -> None:
        where = unit.get("location")
        self.log.units[unit["id"]] = UnitView(
            unit["id"],
            Agency(unit["agency"]),
            unit["callsign"],
            UnitStatus(unit["status"]),
            Point(where["lat"], where["lon"]) if where else None,
            datetime.fromisoformat(unit["location_at"]) if unit.get("location_at") else None,
        )

    def _incident(self, agency: Agency | None, incident: dict[str, Any], event: str) -> None:
        if agency is None:
            return
        sighting = FeedSighting(
            agency=agency,
            incident_id=incident["id"],
            number=incident["number"],
            event=event,
            routed_to=frozenset(Agency(a["agency"]) for a in incident.get("agencies", [])),
            at=time.monotonic(),
        )
        if agency not in sighting.routed_to:
            self.log.foreign.append(sighting)
        self.log.sightings.setdefault((agency, sighting.incident_id), sighting)
