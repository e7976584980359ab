"""The shift report: a violation's example reaches the text and JSON, and fails the shift."""

from __future__ import annotations

import asyncio

from simulator.client import Api
from simulator.report import to_json, to_text
from simulator.shift import ShiftOptions, ShiftResult
from simulator.state import ShiftState


def result(state: ShiftState) -> ShiftResult:
    api = Api("http://127.0.0.1:9", {})
    api.log.intake_latency_s.extend([0.010, 0.020, 0.030])
    asyncio.run(api.close())
    options = ShiftOptions(url="http://127.0.0.1:9", tokens={})
    return ShiftResult(options, state, api, 3, 61.0, 40)


def test_a_violation_fails_the_report_and_its_example_is_printed() -> None:
    state = ShiftState(speed=240)
    state.invariants["duplicates_suggested"].record(
        False, "SMD-20261206-0004", "SMD-20261206-0003 suggested", "duplicates offered: none"
    )
    state.invariants["no_server_errors"].record(True, "GET /x", "below 500", "200")
    report = to_json(result(state))
    assert report["ok"] is False and report["violations"] == 1 and report["checks"] == 2
    assert report["intake_latency_ms"]["p50"] == 20.0
    text = to_text(report)
    assert "[VIOLATED] every later call about one event" in text
    assert "SMD-20261206-0004: expected SMD-20261206-0003 suggested" in text
    assert text.rstrip().endswith("VIOLATIONS FOUND")


def test_a_simulator_error_fails_the_report_although_no_invariant_was_violated() -> None:
    state = ShiftState(speed=240)
    state.errors.append("KeyError('incident')")
    report = to_json(result(state))
    assert report["ok"] is False and report["violations"] == 0
    assert "KeyError('incident')" in to_text(report)
