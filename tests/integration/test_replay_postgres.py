"""Replay on real PostgreSQL: id gaps, several checkpointers at once, the server sealing, CLI."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.taxonomy import Agency
from entrypoints.cli import main
from replay.chain import Signer
from replay.checkpointer import Checkpointer
from replay.checkpoints import open_audit_store
from replay.log import notifications
from replay.positions import event_positions
from replay.postgres_audit import PostgresAuditStore
from replay.state import AsOf, state
from replay.timeline import timeline
from replay.verify import verify
from tests.support import Tokens, a_report, auth, make_client, report_json


@pytest.fixture
def center(postgres_settings: Settings) -> Iterator[DispatchCenter]:
    built = build_center(postgres_settings)
    yield built
    built.close()


def make_a_gap(center: DispatchCenter) -> None:
    """Two writers change the same incident; the loser's insert uses up a notification id."""
    incident = center.report(a_report()).incident
    first, second = center.get_incident(incident.id), center.get_incident(incident.id)
    first.add_note("pertama", actor="operator:a", at=center.clock())
    second.add_note("kedua", actor="operator:b", at=center.clock())
    center.save(first)
    with pytest.raises(IntegrityError):
        center.save(second)


def test_timeline_positions_and_state_folding_skip_notification_id_gaps(
    postgres_settings: Settings, center: DispatchCenter
) -> None:
    make_a_gap(center)
    incident = center.report(a_report()).incident
    center.route(incident.id, [Agency.FIRE])
    ids = [n.id for n in notifications(center.recorder)]
    assert ids != list(range(1, len(ids) + 1))  # there is a gap
    events = timeline(center, incident.number)["events"]
    assert [e["position"] for e in events] == sorted(event_positions(center, incident.id).values())
    before_routing = events[1]["position"]
    then = state(center, AsOf(position=before_routing), incident=incident.number)
    assert then["incident"]["status"] == "new"
    assert state(center, AsOf(), board="fire")["board"]["incidents"][0]["id"] == str(incident.id)
    audit = open_audit_store(postgres_settings, center.recorder)
    key = Signer(b"k")
    Checkpointer(center.recorder, audit, key, every=4).run_once()
    assert verify(center.recorder, audit, key).ok


def test_checkpointers_on_several_nodes_seal_each_event_once(
    postgres_settings: Settings, center: DispatchCenter
) -> None:
    key = Signer(b"k")
    stop = threading.Event()
    errors: list[BaseException] = []

    def node() -> None:
        try:  # opening the store too: three nodes starting at once once deadlocked there
            own = PostgresAuditStore(postgres_settings.database_url)
            checkpointer = Checkpointer(center.recorder, own, key, every=3)
            while not stop.is_set():
                checkpointer.run_once()
        except BaseException as error:
            errors.append(error)

    nodes = [threading.Thread(target=node) for _ in range(3)]
    for thread in nodes:
        thread.start()
    for n in range(15):
        incident = center.report(a_report()).incident
        center.add_note(incident.id, f"catatan {n}")
    time.sleep(0.5)
    stop.set()
    for thread in nodes:
        thread.join(10)
    audit = PostgresAuditStore(postgres_settings.database_url)
    Checkpointer(center.recorder, audit, key).run_once()
    result = verify(center.recorder, audit, key)
    assert not errors and result.ok, (errors, result.to_json())
    records = [r.position for r in audit.records()]
    assert records == [n.id for n in notifications(center.recorder)]


def test_the_server_seals_new_events_on_postgresql(
    postgres_settings: Settings, tokens: Tokens
) -> None:
    with make_client(postgres_settings, tokens) as client:
        for _ in range(3):
            response = client.post(
                "/api/reports", json=report_json(), headers=auth(tokens, "operator")
            )
            assert response.status_code == 201, response.text
        deadline = time.monotonic() + 15
        while True:
            answer = client.get("/api/audit/verify", headers=auth(tokens, "auditor")).json()
            if answer["sealed_events"] == 10 and answer["unsealed_events"] == 0:
                break
            assert time.monotonic() < deadline, answer
            time.sleep(0.2)
    assert answer["ok"]
    with psycopg.connect(postgres_settings.database_url) as conn:
        [(count,)] = conn.execute("SELECT count(*) FROM audit_chain").fetchall()
    assert count == 10


def test_replay_verify_from_the_command_line_exits_1_after_tampering(
    postgres_settings: Settings, center: DispatchCenter, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(2):
        center.report(a_report())
    url = postgres_settings.database_url
    assert main(["--database-url", url, "replay", "checkpoint"]) == 0
    assert main(["--database-url", url, "replay", "verify"]) == 0
    capsys.readouterr()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ALTER TABLE dispatch_events DISABLE TRIGGER USER")
        conn.execute("DELETE FROM dispatch_events WHERE notification_id = 4")
    assert main(["--database-url", url, "replay", "verify", "--json"]) == 1
    problem = json.loads(capsys.readouterr().out)["first_problem"]
    assert (problem["kind"], problem["position"]) == ("removed", 4)
