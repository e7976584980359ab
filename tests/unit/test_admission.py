"""Admission control: at most N writes in progress; a write without a slot within the wait gets
503 with Retry-After, and nothing is begun (the same report is taken once there is room)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from adapters.auth import TokenRegistry, add_token
from dispatch.settings import Settings
from entrypoints.http.admission import AdmissionGate, Overloaded, default_slots
from entrypoints.http.app import create_app
from tests.support import report_json


def test_the_gate_admits_up_to_its_slots_then_refuses_after_the_wait() -> None:
    async def scenario() -> None:
        gate = AdmissionGate(2, wait_s=0.2)
        await gate.admit()
        await gate.admit()
        assert gate.in_progress == 2
        started = time.monotonic()
        with pytest.raises(Overloaded):
            await gate.admit()
        assert time.monotonic() - started >= 0.2  # it did wait, then gave up
        assert gate.in_progress == 2  # a refused newcomer holds nothing
        gate.release()
        await gate.admit()  # a slot given back is taken at once
        assert gate.in_progress == 2

    asyncio.run(scenario())


def test_a_waiting_write_gets_the_slot_released_within_the_wait() -> None:
    async def scenario() -> None:
        gate = AdmissionGate(1, wait_s=5.0)
        await gate.admit()
        waiting = asyncio.create_task(gate.admit())
        await asyncio.sleep(0.05)
        assert not waiting.done()
        gate.release()
        await asyncio.wait_for(waiting, 1.0)
        assert gate.in_progress == 1

    asyncio.run(scenario())


def test_retry_after_is_whole_seconds_and_at_least_one() -> None:
    assert AdmissionGate(1, wait_s=0).retry_after_s == 1
    assert AdmissionGate(1, wait_s=1.5).retry_after_s == 2
    with pytest.raises(ValueError):
        AdmissionGate(0, wait_s=1)


def test_default_slots_are_six_per_core_within_bounds() -> None:
    assert default_slots(1) == 6
    assert default_slots(2) == 12
    assert default_slots(64) == 32


def test_a_write_without_a_slot_gets_503_and_nothing_is_saved(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path}/siaga112.db",
        var_dir=tmp_path,
        write_slots=1,
        admission_wait_s=0.1,
    )
    token = add_token(tmp_path / "tokens.json", "operator", "rina")
    headers = {"Authorization": f"Bearer {token}"}
    app = create_app(settings, tokens=TokenRegistry.load(tmp_path / "tokens.json"))
    gate: AdmissionGate = app.state.admission
    assert gate.slots == 1
    with TestClient(app) as client:
        asyncio.run(gate.admit())  # the one slot is busy (a free slot binds no event loop)
        body = report_json()
        refused = client.post("/api/reports", json=body, headers=headers)
        assert refused.status_code == 503
        answer = refused.json()
        assert answer["error"] == "overloaded" and "nothing was saved" in answer["detail"]
        assert refused.headers["retry-after"] == str(answer["retry_after_s"]) == "1"
        # reads are not gated, and the refused report was never begun
        listed = client.get("/api/incidents", headers=headers).json()
        assert listed["incidents"] == []
        metrics = client.get("/metrics").text
        assert 'siaga112_writes_shed_total{write="report"} 1.0' in metrics
        gate.release()
        taken = client.post("/api/reports", json=body, headers=headers)
        assert taken.status_code == 201
        again = client.post("/api/reports", json=body, headers=headers)
        assert again.status_code == 200  # the same report_id: one incident
        assert again.json()["incident"]["id"] == taken.json()["incident"]["id"]
        assert gate.in_progress == 0
