"""Projection lag and unsealed events in /metrics, on SQLite and PostgreSQL: both are read
from the store at scrape time and fall to zero once the runners and the sealer catch up."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from dispatch.settings import Settings
from projections.catalog import CATALOG
from tests.support import Tokens, auth, make_client, report_json


@pytest.fixture
def durable_client(any_settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    with make_client(any_settings, tokens) as test_client:
        yield test_client


def log_gauges(client: TestClient) -> dict[str, float]:
    """Each projection's lag (by name) and the unsealed count (as ``unsealed``)."""
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(client.get("/metrics").text):
        for sample in family.samples:
            if sample.name == "siaga112_projection_lag_events":
                found[sample.labels["projection"]] = sample.value
            elif sample.name == "siaga112_audit_unsealed_events":
                found["unsealed"] = sample.value
    return found


def test_projection_lag_and_unsealed_events_fall_to_zero_once_caught_up(
    durable_client: TestClient, tokens: Tokens
) -> None:
    for _ in range(3):
        answer = durable_client.post(
            "/api/reports", json=report_json(), headers=auth(tokens, "operator")
        )
        assert answer.status_code == 201, answer.text

    deadline = time.monotonic() + 60
    gauges = log_gauges(durable_client)
    while any(gauges.values()) or set(gauges) != {*CATALOG, "unsealed"}:
        assert time.monotonic() < deadline, f"never caught up: {gauges}"
        time.sleep(0.2)
        gauges = log_gauges(durable_client)
    assert gauges == {**dict.fromkeys(CATALOG, 0.0), "unsealed": 0.0}
