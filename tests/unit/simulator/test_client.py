"""The simulator's report body is the console's, and the server's schema accepts every one."""

from __future__ import annotations

import uuid

from entrypoints.http.schemas import ReportCreate
from simulator.client import report_body
from simulator.traffic import Kind, Point, TrafficParams, plan_shift

ANCHORS = [Point(-0.5022, 117.1536), Point(-0.4700, 117.1600)]
# console_ui/static/js/intake.js body(): always these keys, then one of location / aml /
# kelurahan.
CONSOLE_KEYS = {
    "report_id",
    "channel",
    "category",
    "description",
    "persons_involved",
    "injuries",
    "caller_number",
    "address_text",
    "silent",
    "sim_present",
}


def test_every_planned_call_is_sent_with_the_console_fields_and_accepted_by_the_schema() -> None:
    calls = plan_shift(TrafficParams(hours=24, calls_per_hour=40), ANCHORS, 9)
    for call in calls:
        body = report_body(call, uuid.uuid4())
        assert CONSOLE_KEYS <= set(body) <= CONSOLE_KEYS | {"location", "aml"}
        ReportCreate.model_validate(body)
        assert body["silent"] is (call.kind is Kind.SILENT)  # always said, as the console does
        assert body["sim_present"] in (False, None)  # false only when 'no SIM' is ticked
        if "location" in body:
            assert body["location"]["source"] == "operator_map"
            assert "accuracy_m" not in body["location"]
    assert any("aml" in report_body(c, uuid.uuid4()) for c in calls)
