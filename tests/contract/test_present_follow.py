"""The present's follower on every durable backend: a commit its subscription missed still
reaches the listeners (the feeds' deltas) within seconds, with no read to catch it up."""

from __future__ import annotations

import threading
from typing import Any
from uuid import UUID

from adapters.center import build_center
from dispatch.present import Applied
from dispatch.settings import Settings
from tests.feeds import wait_until
from tests.support import a_report


def test_a_commit_the_followers_subscription_missed_is_told_to_the_listeners_within_seconds(
    any_settings: Settings,
) -> None:
    """The library's PostgreSQL subscription reads, then starts to LISTEN: a commit made in
    between wakes nobody. Here the follower's first subscription misses every event (it starts
    far past the head); the follower notices the log holds an event it was not given and
    subscribes again. Nothing reads the following present meanwhile (a read would catch up)."""
    writer, node = build_center(any_settings), build_center(any_settings)
    recorder = node.recorder
    subscribe, calls = recorder.subscribe, []

    def missing_the_first(gt: int | None = None, topics: Any = ()) -> Any:
        calls.append(gt)
        return subscribe(gt=(gt or 0) + 1_000_000 if len(calls) == 1 else gt, topics=topics)

    recorder.subscribe = missing_the_first  # type: ignore[method-assign]
    told: list[UUID] = []

    def listener(applied: Applied) -> None:
        told.append(applied.aggregate.id)

    node.present.observe(listener)
    node.present.follow()
    try:
        wait_until(lambda: calls)
        missed = writer.report(a_report()).incident.id
        wait_until(lambda: missed in told, timeout=10)
        assert len(calls) >= 2  # the silent subscription was replaced
        assert node.present.error is None
    finally:
        node.present.unfollow()
        writer.close()
        node.close()


def test_a_read_waiting_on_the_log_never_holds_the_present(any_settings: Settings) -> None:
    """Every report reads the log once (``refresh``) before intake decides. While that read
    waits on the store, the follower and every other reader go on: the present's lock is taken
    only to apply what was read."""
    writer, node = build_center(any_settings), build_center(any_settings)
    recorder = node.recorder
    select, reading, release = recorder.select_notifications, threading.Event(), threading.Event()

    def slow_store(*args: Any, **kwargs: Any) -> Any:
        reading.set()
        release.wait(timeout=10)
        return select(*args, **kwargs)

    try:
        written = writer.report(a_report()).incident.id
        recorder.select_notifications = slow_store  # type: ignore[method-assign]
        refreshing = threading.Thread(target=node.present.refresh, daemon=True)
        refreshing.start()
        assert reading.wait(timeout=5)
        got_in = threading.Event()

        def read() -> None:
            with node.present.locked():
                got_in.set()

        threading.Thread(target=read, daemon=True).start()
        assert got_in.wait(timeout=2), "a reader waited for another's round trip to the store"
        release.set()
        refreshing.join(timeout=10)
        with node.present.locked() as state:
            assert written in state.incidents  # what was read is applied
    finally:
        release.set()
        writer.close()
        node.close()
