"""PostgreSQL under real conditions: concurrency over HTTP, several processes.

Outages (refused, black-holed, restarted) are in tests/reliability/test_postgres_outages.py.
"""

from __future__ import annotations

import threading

import psycopg
import pytest

from adapters.center import build_center
from dispatch.settings import Settings
from tests.support import FakeClock, Tokens, a_report, auth, make_client, report_json


def count_incident_reports(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM dispatch_events WHERE topic LIKE %s", ("%Incident.Reported",)
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_the_same_report_posted_concurrently_gives_one_incident(
    postgres_settings: Settings, tokens: Tokens
) -> None:
    body = report_json()
    statuses: list[int] = []
    ids: set[str] = set()
    with make_client(postgres_settings, tokens) as client:
        barrier = threading.Barrier(6)

        def post() -> None:
            barrier.wait()
            response = client.post("/api/reports", json=body, headers=auth(tokens, "operator"))
            statuses.append(response.status_code)
            ids.add(response.json()["incident"]["id"])

        threads = [threading.Thread(target=post) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(statuses) == [200, 200, 200, 200, 200, 201]
    assert len(ids) == 1
    assert count_incident_reports(postgres_settings.database_url) == 1


@pytest.mark.timeshift
def test_two_nodes_on_one_database_see_each_others_reports(
    postgres_settings: Settings, clock: FakeClock
) -> None:
    node_a, node_b = build_center(postgres_settings), build_center(postgres_settings)
    node_a.clock = node_b.clock = clock  # one wall clock: both reports fall on one local day
    try:
        from tests.support import a_report

        incident = node_a.report(a_report()).incident
        assert [i.id for i in node_b.present.incidents()] == [incident.id]
        assert node_b.report(a_report()).incident.number.endswith("-0002")
    finally:
        node_a.close()
        node_b.close()


def test_notification_ids_may_have_gaps_and_readers_do_not_care(
    postgres_settings: Settings,
) -> None:

    center = build_center(postgres_settings)
    try:
        report = a_report()
        center.report(report)
        # A failed duplicate create consumes a sequence value in PostgreSQL (a gap).
        from domain.incident import Incident
        from domain.taxonomy import Category, Channel, Priority

        clash = Incident(
            report_id=report.report_id,
            number="X",
            received_at=center.clock(),
            channel=Channel.VOICE,
            caller_number=None,
            sim_present=None,
            call_duration_s=None,
            first_speech_s=None,
            silent=None,
            location=None,
            place=None,
            address_text=None,
            category=Category.MEDIS,
            priority=Priority.P2,
            description="",
            persons_involved=None,
            injuries=None,
            hazards=[],
            actor="test",
            at=center.clock(),
        )
        with pytest.raises(Exception, match="duplicate key"):
            center.save(clash)
        center.report(a_report())
        ids = [n.id for n in center.recorder.select_notifications(0, 100)]
        assert ids != list(range(ids[0], ids[0] + len(ids)))  # there is a gap
        assert len(center.present.incidents()) == 2  # and the index missed nothing
    finally:
        center.close()
