"""Group commit on SQLite and PostgreSQL: callers saving at the same time share one
transaction, and each gets its own outcome (a conflicting member alone gets the error)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import IntegrityError, Recording

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.group_commit import GroupCommit
from dispatch.settings import Settings
from domain.taxonomy import Agency, UnitType
from domain.unit import Unit, unit_id_for
from tests.support import a_report

CALLERS = 6
AT = datetime(2026, 11, 22, 1, 30, tzinfo=UTC)


@pytest.fixture
def store(any_settings: Settings) -> Iterator[DispatchCenter]:
    center = build_center(any_settings)
    yield center
    center.close()


class HeldFirstCommit:
    """The center's own save, except that the first commit waits until every other caller has
    queued behind it: they arrive while a commit is under way, as under load, and must share
    the next transaction."""

    def __init__(self, center: DispatchCenter) -> None:
        self.center = center
        self.entered = threading.Event()
        self.commits = GroupCommit(self)
        self.calls: list[int] = []  # units per transaction tried

    def save(self, *objs: Any) -> list[Recording[UUID]]:
        if not self.calls:
            self.entered.set()
            deadline = time.monotonic() + 30
            while self.commits.waiting < CALLERS - 1 and time.monotonic() < deadline:
                time.sleep(0.001)
        self.calls.append(len([o for o in objs if isinstance(o, Unit)]))
        return self.center.save(*objs)


def a_unit(code: str) -> Unit:
    return Unit(
        code=code,
        callsign=f"Damkar {code}",
        agency=Agency.FIRE,
        unit_type=UnitType.FIRE_ENGINE,
        station_id="A-DAMKAR-P3",
        location=None,
        actor="test",
        at=AT,
    )


def save_together(
    store: DispatchCenter, codes: list[str]
) -> tuple[HeldFirstCommit, dict[str, Any]]:
    """Each code saved as a new unit by its own thread, the first alone and the others while
    it commits; returns the transactions tried and what each caller got."""
    held = HeldFirstCommit(store)
    outcomes: dict[str, Any] = {}

    def caller(index: int, code: str) -> None:
        if index:
            held.entered.wait(30)
        try:
            outcomes[code] = held.commits.save(a_unit(code))
        except IntegrityError as error:
            outcomes[code] = error

    threads = [threading.Thread(target=caller, args=(i, c)) for i, c in enumerate(codes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return held, outcomes


def test_callers_saving_together_share_transactions_and_get_their_own_recordings(
    store: DispatchCenter,
) -> None:
    codes = [f"GC-{n}" for n in range(CALLERS)]
    held, outcomes = save_together(store, codes)
    assert len(outcomes) == CALLERS
    for code, recordings in outcomes.items():
        assert [r.domain_event.originator_id for r in recordings] == [unit_id_for(code)]
        assert store.get_unit(unit_id_for(code)).code == code
    assert held.calls == [1, CALLERS - 1]
    positions = [r.notification.id for rs in outcomes.values() for r in rs]
    assert len(set(positions)) == CALLERS


def test_a_member_that_conflicts_alone_gets_the_error(store: DispatchCenter) -> None:
    store.save(a_unit("GC-TAKEN"))  # stored before: saving it as new again is a conflict
    codes = [f"GC-{n}" for n in range(CALLERS - 1)] + ["GC-TAKEN"]
    held, outcomes = save_together(store, codes)
    failed = [code for code, outcome in outcomes.items() if isinstance(outcome, IntegrityError)]
    assert failed == ["GC-TAKEN"]
    for code in codes[:-1]:
        assert store.get_unit(unit_id_for(code)).code == code
        assert [r.domain_event.originator_id for r in outcomes[code]] == [unit_id_for(code)]
    # The shared transaction was refused as a whole, then its members were tried one by one.
    assert held.calls == [1, CALLERS - 1] + [1] * (CALLERS - 1)


def test_reports_from_many_threads_are_grouped_and_notified_as_before(
    store: DispatchCenter,
) -> None:
    start = store.recorder.max_notification_id() or 0
    barrier = threading.Barrier(CALLERS)
    incidents: list[UUID] = []

    def report() -> None:
        barrier.wait()
        incidents.append(store.report(a_report()).incident.id)

    threads = [threading.Thread(target=report) for _ in range(CALLERS)]
    with store.recorder.subscribe(gt=start) as subscription:
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        reported: set[UUID | str] = set()
        while len(reported) < CALLERS:
            notification = next(subscription)
            if notification.topic.endswith("Incident.Reported"):
                reported.add(notification.originator_id)
    assert reported == set(incidents) and len(incidents) == CALLERS
    assert {i.id for i in store.present.incidents()} >= set(incidents)
