"""/metrics after real work on the floor: intake, routing, a call-back queue, escalations, feeds."""

from __future__ import annotations

import collections
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from adapters.center import default_router
from adapters.routing import EscalationPolicy
from dispatch.feeds.state import Audience
from dispatch.settings import Settings
from dispatch.watchdog import EscalationWatchdog
from domain.taxonomy import Agency, EscalationReason, ScoreBand
from tests.support import (
    FakeClock,
    Tokens,
    auth,
    background_of,
    make_client,
    report_json,
    services_of,
)

SILENT_BREATHING = {
    "description": "tidak ada suara, terdengar napas berat",
    "call_duration_s": 30,
    "silent": True,
    "first_speech_s": None,
    "category": "lainnya",
    "injuries": None,
}
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


class Scrape:
    """One /metrics answer, parsed with Prometheus' own parser."""

    def __init__(self, text: str) -> None:
        self.families = {f.name for f in text_string_to_metric_families(text)}
        self.samples: Samples = {
            (s.name, frozenset(s.labels.items())): s.value
            for f in text_string_to_metric_families(text)
            for s in f.samples
        }

    def value(self, name: str, **labels: str) -> float:
        return self.samples[name, frozenset(labels.items())]

    def total(self, name: str) -> float:
        return sum(v for (sample, _), v in self.samples.items() if sample == name)

    def labelled(self, name: str, label: str) -> dict[str, float]:
        return {
            dict(labels)[label]: value
            for (sample, labels), value in self.samples.items()
            if sample == name
        }


def scrape(client: TestClient) -> Scrape:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    return Scrape(response.text)


@pytest.fixture
def floor(tmp_path: Path, tokens: Tokens) -> Iterator[tuple[TestClient, FakeClock]]:
    # A scoring budget no busy machine reaches: the silent call must be flagged by the model,
    # not scored as the timeout fail-safe (which flags nothing).
    settings = Settings(
        database_url="memory://",
        var_dir=tmp_path,
        watchdog_enabled=False,
        classifier_timeout_ms=10_000.0,
    )
    with make_client(settings, tokens) as client:
        clock = FakeClock()
        services_of(client).center.clock = clock
        yield client, clock


def take(client: TestClient, tokens: Tokens, **fields: Any) -> dict[str, Any]:
    response = client.post(
        "/api/reports", json=report_json(**fields), headers=auth(tokens, "operator")
    )
    assert response.status_code == 201, response.text
    incident: dict[str, Any] = response.json()["incident"]
    return incident


def fire_unit(client: TestClient, tokens: Tokens) -> str:
    body = {
        "code": "P3-1",
        "callsign": "Damkar P3-1",
        "agency": "fire",
        "unit_type": "fire_engine",
        "station_id": "A-DAMKAR-P3",
        "location": {"lat": -0.49, "lon": 117.14},
    }
    response = client.post("/api/units", json=body, headers=auth(tokens, "supervisor"))
    assert response.status_code == 201, response.text
    unit_id: str = response.json()["id"]
    return unit_id


def test_the_floor_after_intake_routing_and_escalation_is_in_the_metrics(
    floor: tuple[TestClient, FakeClock], tokens: Tokens
) -> None:
    client, clock = floor
    unit = fire_unit(client, tokens)
    fire = take(client, tokens)
    silent = take(client, tokens, **SILENT_BREATHING)
    clock.advance(42)
    routed = client.post(
        f"/api/incidents/{fire['id']}/route",
        json={"agencies": ["fire"], "unit_ids": [unit]},
        headers=auth(tokens, "operator"),
    )
    assert routed.status_code == 200, routed.text
    clock.advance(30)
    center = services_of(client).center
    escalated = EscalationWatchdog(center, EscalationPolicy(default_router().rules)).check()
    assert escalated, "the unrouted call is overdue: something must be escalated"

    with client.websocket_connect("/ws/agencies/fire", headers=auth(tokens, "agency:fire")) as ws:
        assert ws.receive_json()["type"] == "snapshot"
        metrics = scrape(client)

    assert metrics.total("siaga112_open_incidents") == 2
    assert metrics.value("siaga112_open_incidents", priority=fire["priority"], agency="fire") == 1
    assert metrics.value("siaga112_open_incidents", priority=silent["priority"], agency="none") == 1
    assert metrics.value("siaga112_verification_queue_size") == 1
    assert metrics.value("siaga112_verification_oldest_wait_seconds") == 72
    reasons = collections.Counter(reason for _, reason in escalated)
    assert metrics.labelled("siaga112_escalations_total", "reason") == {
        reason.value: float(reasons[reason]) for reason in EscalationReason
    }
    assert metrics.value("siaga112_report_to_route_seconds_count") == 1
    assert metrics.value("siaga112_report_to_route_seconds_sum") == 42
    assert metrics.value("siaga112_report_to_first_unit_seconds_count") == 1
    assert metrics.value("siaga112_report_to_first_unit_seconds_sum") == 42
    bands = collections.Counter(i["band"] for i in (fire, silent))
    assert metrics.labelled("siaga112_classifier_scores_total", "band") == {
        band.value: float(bands[band.value]) for band in ScoreBand
    }
    assert metrics.value("siaga112_intake_seconds_count", status="201") == 2
    assert metrics.value("siaga112_feed_clients", agency="fire") == 1
    assert metrics.value("siaga112_feed_clients", agency="console") == 0
    assert metrics.value("siaga112_floor_up") == 1


def test_http_metrics_label_routes_by_template_and_know_the_documentation(
    floor: tuple[TestClient, FakeClock], tokens: Tokens
) -> None:
    client, _ = floor
    incident = take(client, tokens)
    client.get(f"/api/incidents/{incident['id']}", headers=auth(tokens, "operator"))
    for path in ("/docs", "/redoc", "/openapi.json", "/no/such/page"):
        client.get(path)

    routes = metrics_routes(scrape(client))

    assert "/api/incidents/{incident_id}" in routes
    assert incident["id"] not in " ".join(routes)
    assert {"/docs", "/redoc", "/openapi.json", "/api/reports"} <= routes
    assert routes & {"unmatched"} == {"unmatched"}  # only the page that does not exist


def metrics_routes(metrics: Scrape) -> set[str]:
    return set(metrics.labelled("siaga112_http_requests_total", "route"))


def test_a_feed_client_dropped_for_being_too_slow_is_counted(
    floor: tuple[TestClient, FakeClock],
) -> None:
    client, _ = floor
    hub = background_of(client).hub
    assert hub is not None
    hub.config.queue_size = 1
    slow = hub.attach_at_head(Audience(Agency.FIRE))
    slow.put("first")
    slow.put("second: the queue is full")
    assert slow.kicked.is_set()
    hub.detach(slow)

    assert scrape(client).value("siaga112_feed_slow_clients_dropped_total") == 1
