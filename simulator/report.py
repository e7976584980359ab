"""The shift report: what was played, each invariant's checks and violations, as text or JSON."""

from __future__ import annotations

import statistics
from dataclasses import asdict
from typing import Any

from simulator.shift import ShiftResult


def to_json(result: ShiftResult) -> dict[str, Any]:
    """The report as one JSON object."""
    state, log = result.state, result.api.log
    latency = sorted(log.intake_latency_s)
    return {
        "ok": violations(result) == 0 and not state.errors,
        "server": result.options.url,
        "shift": {
            "hours": result.options.hours,
            "minutes": result.options.minutes,
            "seed": result.options.seed,
            "calls_per_hour": result.options.calls_per_hour,
            "speed": round(state.speed, 1),
            "duration_s": round(result.duration_s, 1),
        },
        "calls": {"planned": result.calls_planned, "taken": len(state.tracks)},
        "activity": dict(sorted(state.counts.items())),
        "intake_latency_ms": {
            "p50": _ms(_quantile(latency, 0.5)),
            "p99": _ms(_quantile(latency, 0.99)),
            "max": _ms(latency[-1] if latency else None),
        },
        "http": {
            "requests": log.requests,
            "statuses": {str(k): v for k, v in sorted(log.statuses.items())},
            "client_errors": [asdict(e) for e in log.client_errors[:10]],
        },
        "feed_messages": result.feed_messages,
        "simulator_errors": {"count": len(state.errors), "first": state.errors[:5]},
        "invariants": [
            {
                "key": i.key,
                "title": i.title,
                "checks": i.checks,
                "violations": i.violations,
                "examples": [asdict(v) for v in i.examples],
            }
            for i in state.invariants.values()
        ],
        "checks": sum(i.checks for i in state.invariants.values()),
        "violations": violations(result),
    }


def violations(result: ShiftResult) -> int:
    """Violations of every invariant together."""
    return sum(i.violations for i in result.state.invariants.values())


def to_text(report: dict[str, Any]) -> str:
    """The report for a person: the shift, then one block per invariant."""
    shift, calls, latency = report["shift"], report["calls"], report["intake_latency_ms"]
    activity = ", ".join(f"{k} {v}" for k, v in report["activity"].items())
    lines = [
        f"Shift of {shift['hours']:g} h played in {shift['duration_s']:.0f} s "
        f"(x{shift['speed']:g}, seed {shift['seed']}) against {report['server']}",
        f"calls: {calls['taken']} taken of {calls['planned']} planned; "
        f"intake p50 {latency['p50']} ms, p99 {latency['p99']} ms; "
        f"{report['http']['requests']} requests, {report['feed_messages']} feed messages",
        f"activity: {activity}",
        "",
    ]
    for inv in report["invariants"]:
        verdict = "OK" if inv["violations"] == 0 else "VIOLATED"
        lines.append(
            f"[{verdict}] {inv['title']}: {inv['checks']} checks, {inv['violations']} violations"
        )
        for example in inv["examples"]:
            lines.append(f"    {example['incident']}: expected {example['expected']}")
            lines.append(f"    {' ' * len(example['incident'])}  observed {example['observed']}")
    errors = report["simulator_errors"]
    if errors["count"]:
        lines.append(f"simulator errors (checks incomplete): {errors['count']}, first:")
        lines += [f"    {e}" for e in errors["first"]]
    lines.append("")
    lines.append(
        f"{report['checks']} checks, {report['violations']} violations: "
        + ("OK" if report["ok"] else "VIOLATIONS FOUND")
    )
    return "\n".join(lines)


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def _ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 1)
