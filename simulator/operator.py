"""The call-takers at work: take each call as the console does, then act on the answer.

Routing is the console's Enter (console_ui/static/js/result.js ``route``): the recommended
agencies, and the first recommended unit of each (advice.js ``firstUnits``), with the version
the operator saw. A duplicate is linked (``merge``) then closed as ``duplicate``; a flagged call
is called back and verified; a false call is closed with its disposition.
"""

from __future__ import annotations

import asyncio
import random
import time
from datetime import datetime
from typing import Any

from domain.taxonomy import Agency, Disposition
from simulator import invariants as inv
from simulator.client import Answer, Api, first_units
from simulator.deadlines import EscalationRules
from simulator.feeds import FeedLog
from simulator.responders import Responders
from simulator.state import ShiftState, Track
from simulator.traffic import Kind, PlannedCall, distance_m

DISPOSITION = {
    Kind.PRANK: Disposition.PRANK,
    Kind.SILENT: Disposition.SILENT,
    Kind.ACCIDENTAL: Disposition.ACCIDENTAL,
    Kind.NON_EMERGENCY: Disposition.NON_EMERGENCY,
}
HOLD_AFTER_DEADLINE_S = 3.0
Available = dict[
    Agency, list[str]
]  # callsigns available per agency  # wall-clock seconds an escalation is given before closing


class Operator:
    """Takes calls and works each incident to its close."""

    def __init__(
        self,
        api: Api,
        state: ShiftState,
        feeds: FeedLog,
        responders: Responders,
        rules: EscalationRules,
        seed: int,
    ) -> None:
        self.api, self.state, self.feeds = api, state, feeds
        self.responders, self.rules = responders, rules
        self.rng = random.Random(seed ^ 0x0CA11)

    async def take(self, call: PlannedCall) -> None:
        """One call, from intake to close."""
        before = self.state.available(self.feeds)
        answer = await self.api.report(call)
        if not answer.ok:
            self.state.counts["intake_failed"] += 1
            return
        incident, rec = answer.body["incident"], answer.body.get("recommendation") or {}
        track = Track(
            call=call,
            incident_id=incident["id"],
            number=incident["number"],
            received_at=_time(incident["received_at"]),
            priority=incident["priority"],
            category=incident["category"]["code"],
            version=incident["version"],
        )
        earlier = self.state.earlier_of_event(call) if call.event is not None else []
        self.state.tracks[track.incident_id] = track
        self.state.counts[f"calls_{call.kind.value}"] += 1
        if call.kind is Kind.GENUINE:
            self._judge_intake(track, incident)
        if earlier:
            self._judge_duplicates(track, earlier, rec)
        await self._work(track, incident, rec, before)

    async def _work(
        self, track: Track, incident: dict[str, Any], rec: dict[str, Any], before: Available
    ) -> None:
        call = track.call
        if incident["verification"]["pending"]:
            self.state.counts["held_for_callback"] += 1
            await self.state.pause(self.rng.uniform(60, 240))
            genuine = call.kind is Kind.GENUINE
            body: dict[str, Any] = {
                "outcome": "genuine" if genuine else "false",
                "reason": "Ditelepon balik" if genuine else "Ditelepon balik: bukan darurat",
                "disposition": None if genuine else DISPOSITION[call.kind].value,
                "expected_version": track.version,
            }
            answer = await self.api.command("operator", track.incident_id, "verify", body)
            if answer.status == 409 and answer.body.get("current_version"):  # the watchdog moved it
                body["expected_version"] = answer.body["current_version"]
                answer = await self.api.command("operator", track.incident_id, "verify", body)
            if answer.ok:
                track.update(answer.body)
            if not answer.ok or not genuine:
                return
            before = self.state.available(self.feeds)
            fresh = await self.api.get(
                "operator", f"/api/incidents/{track.incident_id}/recommendation"
            )
            rec = fresh.body.get("recommendation") or {}
        elif call.kind is not Kind.GENUINE:
            await self.state.pause(self.rng.uniform(30, 120))
            await self._close(track, DISPOSITION[call.kind], "Bukan keadaan darurat")
            return
        primary = self._duplicate_of(track, rec)
        if primary is not None:
            await self._merge(track, primary)
            return
        await self._route(track, rec, before)

    def _judge_intake(self, track: Track, incident: dict[str, Any]) -> None:
        score = incident.get("score") or {}
        verification = incident["verification"]
        inv.check_genuine_call(
            self.state.invariants["genuine_not_flagged"],
            inv.Intake(
                number=track.number,
                category=track.category,
                description=track.call.description,
                silent=track.call.silent,
                band=incident.get("band"),
                p_false=score.get("p_false"),
                pending=bool(verification["pending"]),
                callback_first=bool(verification["callback_first"]),
                reasons=[r["text_en"] for r in score.get("reasons", [])],
            ),
        )

    def _judge_duplicates(self, track: Track, earlier: list[Track], rec: dict[str, Any]) -> None:
        offered = {d["incident_id"]: d["number"] for d in rec.get("duplicates", [])}
        found = []
        for e in earlier:
            if e.call.location is None or track.call.location is None:
                continue
            found.append(
                inv.Earlier(
                    incident_id=e.incident_id,
                    number=e.number,
                    status=e.status,
                    distance_m=distance_m(e.call.location, track.call.location),
                    age_s=(track.received_at - e.received_at).total_seconds(),
                    same_caller=e.call.caller_number == track.call.caller_number,
                    category=e.category,
                )
            )
        total = rec.get("duplicates_total", len(offered))
        later = inv.LaterCall(track.number, track.category, found, offered, total)
        inv.check_duplicates(self.state.invariants["duplicates_suggested"], later)

    def _duplicate_of(self, track: Track, rec: dict[str, Any]) -> Track | None:
        """The operator links only to an offered incident about the same event."""
        for offered in rec.get("duplicates", []):
            other = self.state.tracks.get(offered["incident_id"])
            if other and other.call.event == track.call.event and other.call.event is not None:
                return other
        return None

    async def _merge(self, track: Track, primary: Track) -> None:
        body = {"primary_id": primary.incident_id, "expected_version": track.version}
        answer = await self.api.command("operator", track.incident_id, "link", body)
        if not answer.ok:
            await self._close(track, Disposition.DUPLICATE, f"Sama dengan {primary.number}")
            return
        track.update(answer.body)
        track.linked_to = primary.incident_id
        self.state.counts["linked_duplicates"] += 1
        await self._close(track, Disposition.DUPLICATE, f"Digabung ke {primary.number}")

    async def _route(self, track: Track, rec: dict[str, Any], before: Available) -> None:
        agencies = [Agency(a) for a in rec.get("agencies", [])]
        if not agencies:
            await self._close(track, Disposition.GENUINE, "Tidak ada instansi")
            return
        units = first_units(rec, agencies)
        after = self.state.available(self.feeds)
        if track.call.location is not None:
            self._judge_units(track, agencies, rec, before, after)
        track.routed.update(agencies)
        answer, units = await self._send_route(track, agencies, units)
        if not answer.ok:
            self.state.counts["route_failed"] += 1
            return
        track.update(answer.body)
        routed_mono = time.monotonic()
        self.state.routed.append(
            inv.Routed(track.incident_id, track.number, frozenset(agencies), routed_mono)
        )
        self.state.counts["routed"] += 1
        self.state.counts["multi_agency"] += len(agencies) > 1
        never = self.responders.never_acknowledging(track, agencies)
        for agency in agencies:
            if agency not in never:
                self.state.spawn(self.responders.acknowledge(track, agency))
        await asyncio.gather(
            *(self.responders.drive(track, u["unit_id"], float(u["eta_s"])) for u in units)
        )
        await self._hold_for_escalations(track, routed_mono if never else None, bool(units))
        await self._close(track, Disposition.GENUINE, "Selesai ditangani")

    async def _send_route(
        self, track: Track, agencies: list[Agency], units: list[dict[str, Any]]
    ) -> tuple[Answer, list[dict[str, Any]]]:
        """The console's Enter; after a 409 (another operator took the unit, or the incident
        changed) the operator looks again at a fresh recommendation and presses Enter again."""
        for attempt in range(2):
            self.state.claimed.update(u["unit_id"] for u in units)
            body = {
                "agencies": [a.value for a in agencies],
                "unit_ids": [u["unit_id"] for u in units],
                "expected_version": track.version,
            }
            answer = await self.api.command("operator", track.incident_id, "route", body)
            if answer.ok or answer.status != 409 or attempt:
                break
            self.state.claimed.difference_update(u["unit_id"] for u in units)
            self.state.counts["route_retried"] += 1
            current = await self.api.get("operator", f"/api/incidents/{track.incident_id}")
            track.update(current.body)
            path = f"/api/incidents/{track.incident_id}/recommendation"
            fresh = (await self.api.get("operator", path)).body.get("recommendation") or {}
            units = first_units(fresh, agencies)
        if not answer.ok:
            self.state.claimed.difference_update(u["unit_id"] for u in units)
        return answer, units

    def _judge_units(
        self,
        track: Track,
        agencies: list[Agency],
        rec: dict[str, Any],
        before: Available,
        after: Available,
    ) -> None:
        recommended: dict[Agency, list[str]] = {}
        for u in rec.get("units", []):
            recommended.setdefault(Agency(u["agency"]), []).append(u["callsign"])
        ages = {
            u.callsign: _age(u.location_at, track.received_at) for u in self.feeds.units.values()
        }
        available = {
            a: [f"{c} ({ages.get(c, '?')})" for c in before.get(a, []) if c in after.get(a, [])]
            for a in agencies
        }
        inv.check_p1_units(
            self.state.invariants["p1_unit_recommended"],
            inv.Routing(track.number, track.priority, agencies, recommended, available),
        )

    async def _hold_for_escalations(
        self, track: Track, unacknowledged_since: float | None, unit: bool
    ) -> None:
        """An incident is not closed while an escalation is about to fall due: the check of
        escalations needs incidents that stay open past their (wall-clock) deadlines."""
        deadlines = []
        if unacknowledged_since is not None:
            deadlines.append(unacknowledged_since + self.rules.ack_timeout_s[track.priority])
        if not unit and track.priority in self.rules.unit_expected_for:
            deadlines.append(track.reported_mono + self.rules.processing_target_s)
        if deadlines:
            self.state.counts["held_for_escalation"] += 1
            wait = max(deadlines) + HOLD_AFTER_DEADLINE_S - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)

    async def _close(self, track: Track, disposition: Disposition, reason: str) -> None:
        current = await self.api.get("operator", f"/api/incidents/{track.incident_id}")
        if current.ok:
            track.update(current.body)
        if track.closed:
            return
        track.closing = True
        body = {
            "disposition": disposition.value,
            "reason": reason,
            "expected_version": track.version,
        }
        answer: Answer = await self.api.command("operator", track.incident_id, "close", body)
        if answer.ok:
            track.update(answer.body)
            self.state.counts[f"closed_{disposition.value}"] += 1


def _age(position_at: datetime | None, now: datetime) -> str:
    """How old a unit's last position is, as a dispatcher would say it."""
    if position_at is None:
        return "no position"
    return f"position {(now - position_at).total_seconds() / 60:.0f} min old"


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text)
