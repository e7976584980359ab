"""One shift: calls placed on time, incidents worked, invariants checked as it goes.

The shift runs ``hours`` of shift time in ``minutes`` of wall-clock time. Checks run while it
goes (intake answers as they come, feed deliveries a few seconds after each routing,
escalations when an incident closes) and once more at the end for what is still open, then the
projections are compared with a rebuild from the log.
"""

from __future__ import annotations

import asyncio
import sys
import time
from dataclasses import dataclass, field

from simulator import invariants as inv
from simulator.client import Answer, Api
from simulator.deadlines import NOT_ACKNOWLEDGED, EscalationRules, History, expectations
from simulator.feeds import FeedListener
from simulator.operator import HOLD_AFTER_DEADLINE_S, Operator
from simulator.responders import Responders
from simulator.state import ShiftState, Track
from simulator.traffic import PlannedCall, Point, TrafficParams, plan_shift

FEED_GRACE_S = 5.0  # wall-clock seconds a routed incident has to reach its agencies' feeds


@dataclass(frozen=True)
class ShiftOptions:
    """What to simulate, against which server."""

    url: str
    tokens: dict[str, str]
    hours: float = 8.0
    minutes: float = 2.0
    seed: int = 112
    calls_per_hour: float = 30.0
    progress: bool = False


@dataclass
class ShiftResult:
    """What the shift did and found."""

    options: ShiftOptions
    state: ShiftState
    api: Api
    calls_planned: int
    duration_s: float
    feed_messages: int
    rebuild: dict[str, object] = field(default_factory=dict)


async def run_shift(options: ShiftOptions) -> ShiftResult:
    """Play the shift against the server; raises client.Unreachable if it cannot be reached."""
    started = time.monotonic()
    state = ShiftState(speed=options.hours * 60 / options.minutes)
    api = Api(options.url, options.tokens)
    http = state.invariants["no_server_errors"]
    api.on_answer = lambda m, p, s, d: inv.check_no_server_error(http, m, p, s, d)
    feeds = FeedListener(options.url, options.tokens)
    try:
        rules = EscalationRules.from_json((await _must(api, "/api/escalation-rules")).body)
        stations = (await _must(api, "/api/stations")).body["stations"]
        anchors = [Point(s["lat"], s["lon"]) for s in stations]
        params = TrafficParams(hours=options.hours, calls_per_hour=options.calls_per_hour)
        plan = plan_shift(params, anchors, options.seed)
        await feeds.start()
        state.started = time.monotonic()
        responders = Responders(api, state, feeds.log, options.seed)
        operator = Operator(api, state, feeds.log, responders, rules, options.seed)
        watcher = asyncio.create_task(_watch(state, feeds, api, rules, options))
        state.spawn(responders.maintenance(options.hours * 3600))
        await _place_calls(plan, state, operator)
        await state.pause(options.hours * 3600 - state.shift_seconds())
        for task in list(state.tasks):
            task.cancel()  # the next shift takes over what is still open
        await asyncio.gather(*state.tasks, return_exceptions=True)
        latest = max((r.since for r in state.routed), default=0.0)
        await asyncio.sleep(max(0.0, latest + FEED_GRACE_S - time.monotonic()))
        await asyncio.sleep(max(0.0, _left_unacknowledged_due(state, rules) - time.monotonic()))
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        _check_feeds(state, feeds, final=True)
        await _check_escalations(state, api, rules, final=True)
        rebuild = await _check_rebuild(state, api)
        return ShiftResult(options, state, api, len(plan), time.monotonic() - started,
                           feeds.log.messages, rebuild)  # fmt: skip
    finally:
        await feeds.stop()
        await api.close()


async def _must(api: Api, path: str) -> Answer:
    answer = await api.get("operator", path)
    if not answer.ok:
        raise RuntimeError(f"GET {path}: {answer.status} {answer.body}")
    return answer


async def _place_calls(plan: list[PlannedCall], state: ShiftState, operator: Operator) -> None:
    for call in plan:
        await state.pause(call.at_s - state.shift_seconds())
        state.spawn(operator.take(call))


async def _watch(
    state: ShiftState, feeds: FeedListener, api: Api, rules: EscalationRules, o: ShiftOptions
) -> None:
    """Checks that can be made while the shift goes on, every second."""
    last_progress = 0.0
    while True:
        await asyncio.sleep(1.0)
        _check_feeds(state, feeds, final=False)
        await _check_escalations(state, api, rules, final=False)
        if o.progress and time.monotonic() - last_progress >= 5:
            last_progress = time.monotonic()
            _progress(state, o)


def _check_feeds(state: ShiftState, feeds: FeedListener, *, final: bool) -> None:
    now = time.monotonic()
    due = [r for r in state.routed if final or r.since + FEED_GRACE_S <= now]
    state.routed = [r for r in state.routed if r not in due]
    sightings = feeds.log.sightings
    for routed in due:
        seen = {a: (a, routed.incident_id) in sightings for a in routed.agencies}
        inv.check_feed_delivery(state.invariants["feeds_reach_agencies"], routed, seen)
    leaks = state.invariants["feeds_reach_agencies"]
    for key in [k for k in sightings if k not in state.leak_checked]:
        state.leak_checked.add(key)
        sighting, track = sightings[key], state.tracks.get(key[1])
        routed_to = frozenset(track.routed) if track else sighting.routed_to
        inv.check_feed_leak(leaks, sighting.number, sighting.agency, sighting.event, routed_to)
    for sighting in feeds.log.foreign[state.foreign_checked :]:
        inv.check_feed_leak(
            leaks, sighting.number, sighting.agency, sighting.event, sighting.routed_to
        )
    state.foreign_checked = len(feeds.log.foreign)


async def _check_escalations(
    state: ShiftState, api: Api, rules: EscalationRules, *, final: bool
) -> None:
    """Each incident once: when closed, or at the end of the shift while still open."""
    todo = [t for t in state.tracks.values() if not t.escalation_checked and (final or t.closed)]
    for track in todo:
        track.escalation_checked = True
        answer = await api.get("operator", f"/api/incidents/{track.incident_id}/events")
        left = track.must_escalate_since is not None
        if not answer.ok:
            if left:
                inv.check_left_unacknowledged(state.invariants["escalations_on_time"], None,
                                              track.number)  # fmt: skip
            continue
        history = History.from_events(track.number, answer.body["events"])
        watched_until = history.closed_at or max(
            [answer.server_time or history.received_at, *history.escalated_at.values()]
        )
        for expectation in expectations(history, rules):
            inv.check_escalation(
                state.invariants["escalations_on_time"], expectation, watched_until
            )
            state.counts["escalations_seen"] += expectation.fired_at is not None
            if left and expectation.reason == NOT_ACKNOWLEDGED:
                inv.check_left_unacknowledged(
                    state.invariants["escalations_on_time"], expectation, track.number
                )


def _left_unacknowledged_due(state: ShiftState, rules: EscalationRules) -> float:
    """When (monotonic) every incident left unacknowledged on purpose is past its deadline and
    the watchdog's tolerance: the shift waits for it, so their escalation is always decided."""
    return max(
        (
            t.must_escalate_since + rules.ack_timeout_s[t.priority] + HOLD_AFTER_DEADLINE_S
            for t in state.tracks.values()
            if t.must_escalate_since is not None
        ),
        default=0.0,
    )


async def _check_rebuild(state: ShiftState, api: Api) -> dict[str, object]:
    answer = await api.get("auditor", "/api/audit/rebuild-check")
    invariant = state.invariants["projections_rebuild"]
    if not answer.ok:
        invariant.record(
            False, "GET /api/audit/rebuild-check", "a rebuild report", str(answer.status)
        )
        return {}
    inv.check_rebuild(invariant, answer.body)
    return dict(answer.body)


def _progress(state: ShiftState, o: ShiftOptions) -> None:
    shift_s = state.shift_seconds()
    found = sum(i.violations for i in state.invariants.values())
    open_ = sum(1 for t in state.tracks.values() if not t.closed)
    print(
        f"\rshift {int(shift_s // 3600):02d}:{int(shift_s % 3600 // 60):02d}/{o.hours:g} h · "
        f"calls {len(state.tracks)} · open {open_} · violations {found}   ",
        end="",
        file=sys.stderr,
        flush=True,
    )


__all__ = ["ShiftOptions", "ShiftResult", "Track", "run_shift"]
