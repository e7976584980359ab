"""Pacing background work: it gives way after each slice, keeping to its share of a core."""

from __future__ import annotations

import pytest

from dispatch.present.pace import Pace


class FakeClock:
    """A clock that moves only when the work (``work``) or a sleep moves it."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def work(self, seconds: float) -> None:
        self.now += seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_no_pause_until_a_slice_of_work_is_used_up() -> None:
    clock = FakeClock()
    pace = Pace(0.25, 0.002, clock=clock, sleep=clock.sleep)
    clock.work(0.0015)
    pace.step()
    assert clock.sleeps == []


def test_after_a_slice_it_sleeps_long_enough_to_keep_to_its_share() -> None:
    clock = FakeClock()
    pace = Pace(0.25, 0.002, clock=clock, sleep=clock.sleep)
    worked = 0.0
    for _ in range(400):  # 400 units of 0.5 ms: 0.2 s of work
        clock.work(0.0005)
        worked += 0.0005
        pace.step()
    elapsed = clock.now - 100.0
    assert worked / elapsed == pytest.approx(0.25, rel=0.01)
    assert max(clock.sleeps) == pytest.approx(0.006)  # 2 ms of work, then 6 ms given away
    assert pace.slept_s == pytest.approx(sum(clock.sleeps))


def test_a_whole_core_never_sleeps() -> None:
    clock = FakeClock()
    pace = Pace(1.0, 0.002, clock=clock, sleep=clock.sleep)
    for _ in range(10):
        clock.work(0.003)
        pace.step()
    assert clock.sleeps == []


@pytest.mark.parametrize("share", [0.0, -0.5, 1.5])
def test_a_share_outside_zero_to_one_is_refused(share: float) -> None:
    with pytest.raises(ValueError, match="share must be in"):
        Pace(share)
