"""The present's follower on every durable backend: a commit its subscription missed still
reaches the listeners (the feeds' deltas) within seconds, with no read to catch it up."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from dispatch.bootstrap import build_center
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
