"""The process's one subscription to the log (``LogTail``), on SQLite and PostgreSQL: readers
that join at any position get exactly what follows it, of their topics, in order."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
from eventsourcing.persistence import ApplicationRecorder, StoredEvent

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.present import tail as tail_module
from dispatch.present.tail import LogTail, TailReader
from dispatch.settings import Settings
from entrypoints.bootstrap import Background, bootstrap
from projections.catalog import CATALOG
from tests.support import a_report

TOPICS = ("test:Red", "test:Blue")


@pytest.fixture
def center(any_settings: Settings) -> Iterator[DispatchCenter]:
    built = build_center(any_settings.model_copy(update={"watchdog_enabled": False}))
    yield built
    built.close()


@pytest.fixture
def log(center: DispatchCenter) -> tuple[ApplicationRecorder, LogTail, int]:
    """The center's recorder, a tail of its own on it, and the log's head now."""
    return center.recorder, LogTail(center.recorder), center.recorder.max_notification_id() or 0


def append(recorder: ApplicationRecorder, count: int, pause_s: float = 0.0) -> list[int]:
    """``count`` one-event transactions, topics alternating; their positions."""
    ids: list[int] = []
    for n in range(count):
        time.sleep(pause_s)
        event = StoredEvent(uuid.uuid4(), 1, TOPICS[n % 2], b"{}")
        ids.extend(recorder.insert_events([event]) or [])
    return ids


def read(reader: TailReader, count: int, into: list[tuple[int, str]]) -> threading.Thread:
    """Read ``count`` notifications from ``reader`` in a thread of its own."""

    def run() -> None:
        with reader as notifications:
            for notification in notifications:
                into.append((notification.id, notification.topic))
                if len(into) == count:
                    return

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def all_after(
    recorder: ApplicationRecorder, position: int, topic: str | None = None
) -> list[tuple[int, str]]:
    found = recorder.select_notifications(position, 100_000, inclusive_of_start=False)
    return [(n.id, n.topic) for n in found if topic is None or n.topic == topic]


def test_readers_joining_at_any_position_get_what_follows_it_in_order(
    log: tuple[ApplicationRecorder, LogTail, int],
) -> None:
    recorder, tail, start = log
    append(recorder, 30)
    early: list[tuple[int, str]] = []
    first = read(tail.subscribe(gt=start), 130, early)  # starts the tail 30 behind the head
    writer = threading.Thread(target=append, args=(recorder, 100, 0.002))
    writer.start()
    time.sleep(0.05)  # the tail is somewhere in the writer's events: some are read, some not
    blue: list[tuple[int, str]] = []
    second = read(tail.subscribe(gt=start + 10, topics=["test:Blue"]), 60, blue)
    late: list[tuple[int, str]] = []
    third = read(tail.subscribe(gt=start + 80), 50, late)
    writer.join()
    for thread in (first, second, third):
        thread.join(timeout=30)
    assert early == all_after(recorder, start)
    assert blue == all_after(recorder, start + 10, "test:Blue")
    assert late == all_after(recorder, start + 80)


def test_the_tail_ends_with_its_last_reader_and_starts_again_with_the_next(
    log: tuple[ApplicationRecorder, LogTail, int],
) -> None:
    recorder, tail, start = log
    one, two = tail.subscribe(gt=start), tail.subscribe(gt=start)
    assert tail.readers == 2
    one.stop()
    assert list(one) == []  # a stopped reader's iteration ends
    assert tail.readers == 1
    two.stop()
    deadline = time.monotonic() + 10
    while [
        t for t in threading.enumerate() if t.name == "log-tail"
    ] and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not [t for t in threading.enumerate() if t.name == "log-tail"]
    ids = append(recorder, 3)
    got: list[tuple[int, str]] = []
    read(tail.subscribe(gt=start), 3, got).join(timeout=30)
    assert [i for i, _ in got] == ids


def test_a_reader_that_falls_too_far_behind_reads_again_from_its_position(
    log: tuple[ApplicationRecorder, LogTail, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tail_module, "MAX_QUEUED", 5)
    recorder, tail, start = log
    slow = tail.subscribe(gt=start)  # nobody reads it while 40 events come
    append(recorder, 40)
    deadline = time.monotonic() + 15
    while tail.readers and time.monotonic() < deadline:
        time.sleep(0.02)
    assert tail.readers == 0  # let go: it held 5 and the tail had more for it
    given = [notification.id for notification in slow]  # its iteration ends, no error
    assert given == [i for i, _ in all_after(recorder, start)][: len(given)]
    monkeypatch.undo()
    again: list[tuple[int, str]] = []
    resumed = given[-1] if given else start
    read(tail.subscribe(gt=resumed), 40 - len(given), again).join(timeout=30)
    assert again == all_after(recorder, resumed)


def test_the_present_and_the_projections_of_a_serving_process_share_one_subscription(
    any_settings: Settings,
) -> None:
    services = bootstrap(any_settings.model_copy(update={"watchdog_enabled": False}))
    background = Background(services, seals=False)
    center = services.center

    def report_and_wait() -> None:
        host = background.host
        assert host is not None and host.wait_until_leading(15)
        tail = center.present.tail
        deadline = time.monotonic() + 15
        while (
            tail.readers < 1 + len(CATALOG) and time.monotonic() < deadline
        ):  # the present, 3 projections
            time.sleep(0.05)
        assert tail.readers == 1 + len(CATALOG)
        center.report(a_report())
        position = center.recorder.max_notification_id() or 0
        for name, spec in CATALOG.items():
            topics = spec.projection.topics
            last = center.recorder.select_notifications(0, 100_000, topics=topics)[-1].id
            loop = host.runner(name)
            assert loop is not None and loop.wait(last, timeout=15), name
        deadline = time.monotonic() + 15
        while center.present.position < position and time.monotonic() < deadline:
            time.sleep(0.02)
        assert center.present.position >= position

    async def serve() -> None:
        await background.start()  # the feeds follow the present; the projections start
        try:
            await asyncio.to_thread(report_and_wait)
        finally:
            await background.stop()

    try:
        asyncio.run(serve())
    finally:
        center.close()
