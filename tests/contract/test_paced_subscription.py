"""Paced subscriptions (``dispatch.paced``), on SQLite and PostgreSQL: a burst of commits is
read at once, every event still comes in order, and stopping does not wait for the pace."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from dispatch.bootstrap import build_center
from dispatch.center import DispatchCenter
from dispatch.paced import PacedRecorder
from dispatch.settings import Settings
from projections.events import EventLog
from projections.wiring import app_env
from tests.support import a_report

PACE_S = 5.0  # far longer than a burst of five reports takes, even on a busy machine


@pytest.fixture
def store(any_settings: Settings) -> Iterator[DispatchCenter]:
    center = build_center(any_settings)
    yield center
    center.close()


@pytest.fixture
def log(any_settings: Settings, store: DispatchCenter) -> Iterator[EventLog]:
    """The log as a projection reads it: a recorder of its own, read by nothing else here."""
    opened = EventLog(env=app_env(any_settings))
    yield opened
    opened.close()


def counting_reads(recorder: Any) -> list[int]:
    """Counts the recorder's reads of notifications (what a subscription's pull does)."""
    reads: list[int] = []
    select = recorder.select_notifications

    def counted(*args: Any, **kwargs: Any) -> Any:
        reads.append(1)
        return select(*args, **kwargs)

    recorder.select_notifications = counted
    return reads


def test_a_burst_of_commits_is_read_at_once_and_in_order(
    store: DispatchCenter, log: EventLog
) -> None:
    recorder = log.recorder
    assert isinstance(recorder, PacedRecorder)
    start = store.recorder.max_notification_id() or 0
    reads = counting_reads(recorder)
    with recorder.subscribe_paced(start, (), PACE_S) as subscription:
        began = time.monotonic()
        reported = [store.report(a_report()).incident.id for _ in range(5)]
        burst_s = time.monotonic() - began
        head = store.recorder.max_notification_id() or 0
        seen = [next(subscription)]
        while seen[-1].id < head:
            seen.append(next(subscription))
        waited_s = time.monotonic() - began
    ids = [n.id for n in seen]
    assert ids == sorted(ids) and len(set(ids)) == len(ids) and ids[0] > start
    assert {n.originator_id for n in seen if n.topic.endswith("Incident.Reported")} == set(reported)
    assert burst_s < PACE_S, "the burst took longer than the pace: nothing to say"
    assert waited_s >= PACE_S * 0.9  # the read after the first wake-up waited for the pace
    # The first read (the log before), then one read for the whole burst (one more may be
    # taken as the subscription stops); unpaced, each report's commit is read on its own.
    assert len(reads) <= 3, reads


def test_stopping_does_not_wait_for_the_pace(store: DispatchCenter, log: EventLog) -> None:
    recorder = log.recorder
    assert isinstance(recorder, PacedRecorder)
    subscription = recorder.subscribe_paced(store.recorder.max_notification_id() or 0, (), PACE_S)
    with subscription:
        store.report(a_report())  # wakes the subscription, which now waits for the pace
        time.sleep(0.2)
        began = time.monotonic()
    assert time.monotonic() - began < PACE_S / 2  # stopped and its threads joined
