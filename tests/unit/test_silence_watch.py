"""The silence watch outlives a store outage: a failed look at the log's head is not the end of
the watch (its thread died on the first OperationalError, leaving the follower unwatched)."""

from __future__ import annotations

import threading
from typing import Any, cast

from eventsourcing.persistence import OperationalError, Subscription

from dispatch.present.follow import SilenceWatch


class Stoppable:
    def __init__(self) -> None:
        self.stopped = threading.Event()

    def stop(self) -> None:
        self.stopped.set()


def test_a_failed_look_at_the_head_is_retried_and_the_silent_subscription_still_stopped() -> None:
    subscription = Stoppable()
    looks: list[str] = []

    def newer(position: int) -> bool:
        looks.append("look")
        if len(looks) <= 2:  # the store is away for the first two looks
            raise OperationalError("couldn't get a connection after 1.00 sec")
        return True  # then it answers: an event waits after the follower's position

    watch = SilenceWatch(
        cast(Subscription[Any], subscription), lambda: 7, newer, name="test-watch", every_s=0.01
    )
    with watch:
        assert subscription.stopped.wait(5), looks
    assert len(looks) == 3


def test_a_follower_that_moves_is_never_stopped() -> None:
    subscription = Stoppable()
    position = iter(range(1_000_000))
    watch = SilenceWatch(
        cast(Subscription[Any], subscription),
        lambda: next(position),
        lambda _: True,
        name="test-watch",
        every_s=0.01,
    )
    with watch:
        assert not subscription.stopped.wait(0.2)
