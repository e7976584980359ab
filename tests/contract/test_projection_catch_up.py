"""Catching up, on SQLite and PostgreSQL: the projection's own page reads give exactly what
the library's ``select_notifications`` gives, its loop goes on live at the head, and a loop
that takes whole pages stops on a failing event exactly as one taking events does."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from eventsourcing.cipher import AESCipher
from pydantic import SecretStr

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.incident import Incident
from domain.taxonomy import Category, Priority
from projections.boards import BoardsProjection, BoardsView
from projections.callers import CallersView
from projections.catalog import CATALOG
from projections.events import EventLog, ProjectionMapper
from projections.failures import ProjectionFailed
from projections.host import ProjectionHost
from projections.log_pages import log_pages
from projections.loop import ProjectionLoop
from projections.rebuild import rebuild_and_diff
from projections.wiring import app_env
from tests.support import a_report


@pytest.fixture
def center(any_settings: Settings) -> Iterator[DispatchCenter]:
    built = build_center(any_settings)
    yield built
    built.close()


@pytest.fixture
def log(any_settings: Settings, center: DispatchCenter) -> Iterator[EventLog]:
    opened = EventLog(env=app_env(any_settings))
    yield opened
    opened.close()


def test_pages_hold_what_select_notifications_returns(
    center: DispatchCenter, log: EventLog
) -> None:
    for _ in range(4):
        center.report(a_report())
    library = center.recorder.select_notifications(0, 1000)
    pages = log_pages(log.recorder)
    mapper = log.mapper
    assert isinstance(mapper, ProjectionMapper)
    for topics in ((), BoardsProjection.topics):
        ours = pages(0, 1000, topics)
        expected = [n for n in library if not topics or n.topic in topics]
        assert [(row[4], row[2], row[1], bytes(row[3])) for row in ours] == [
            (n.id, n.topic, n.originator_version, n.state) for n in expected
        ]
        assert [str(mapper.event_data(*row).originator_id) for row in ours] == [
            str(n.originator_id) for n in expected
        ]
    after = library[1].id
    assert [row[-1] for row in pages(after, 3, ())] == [n.id for n in library if n.id > after][:3]


def boards_loop(settings: Settings, name: str, projection: type[Any], page: int) -> ProjectionLoop:
    view_class = CATALOG["boards"].view_class(settings.backend)
    return ProjectionLoop(settings, name, projection, view_class, page=page)


class FollowedBoards(BoardsProjection):
    name = "boards_followed"


def test_a_loop_catches_up_in_pages_in_its_own_thread_then_follows_new_events(
    any_settings: Settings, center: DispatchCenter
) -> None:
    # Given more events in the log than one page
    before = [center.report(a_report()).incident.id for _ in range(3)]
    head = center.recorder.max_notification_id() or 0
    loop = boards_loop(any_settings, "boards_followed", FollowedBoards, page=3)
    try:
        with loop:
            # When it is read up to the head
            assert loop.wait(head, timeout=20), loop.view.failure
            rows = loop.view.dump()["incidents"]
            assert {r["incident_id"] for r in rows} == {str(i) for i in before}
            assert (loop.view.position() or 0) <= head
            # Then a new event arrives through the live subscription
            later = center.report(a_report()).incident.id
            newer = center.recorder.max_notification_id() or 0
            assert newer > head and loop.wait(newer, timeout=10), loop.view.failure
            assert str(later) in {r["incident_id"] for r in loop.view.dump()["incidents"]}
        # And stopping it ends its thread, without an error
        assert loop.stopped.is_set() and loop.error is None
    finally:
        loop.view.drop_tables()
        loop.view.close()


class MissedBoards(BoardsProjection):
    name = "boards_missed"


def test_a_commit_the_subscription_missed_is_still_applied_within_seconds(
    any_settings: Settings, center: DispatchCenter
) -> None:
    """The library's PostgreSQL subscription reads, then starts to LISTEN: a commit made in
    between wakes nobody. Here the first subscription misses every event (it starts far past
    the head); the loop notices the log holds an event it was not given and reads again."""
    loop = boards_loop(any_settings, "boards_missed", MissedBoards, page=100)
    recorder = loop.log.recorder
    subscribe, calls = recorder.subscribe, []

    def missing_the_first(gt: int | None = None, topics: Any = ()) -> Any:
        calls.append(gt)
        return subscribe(gt=(gt or 0) + 1_000_000 if len(calls) == 1 else gt, topics=topics)

    recorder.subscribe = missing_the_first  # type: ignore[method-assign]
    try:
        with loop:
            assert loop.wait(center.recorder.max_notification_id() or 0, timeout=20)
            missed = center.report(a_report()).incident.id
            head = center.recorder.max_notification_id() or 0
            assert loop.wait(head, timeout=10), loop.view.failure
            assert str(missed) in {r["incident_id"] for r in loop.view.dump()["incidents"]}
            assert len(calls) >= 2  # the silent subscription was replaced
        assert loop.stopped.is_set() and loop.error is None
    finally:
        loop.view.drop_tables()
        loop.view.close()


def test_stopping_while_catching_up_ends_the_loop(
    any_settings: Settings, center: DispatchCenter
) -> None:
    for _ in range(3):
        center.report(a_report())
    loop = boards_loop(any_settings, "boards_stopped", FollowedBoards, page=1)
    try:
        loop.start()
        loop.stop()
        assert loop.stopped.wait(10) and loop.error is None
    finally:
        loop.view.drop_tables()
        loop.view.close()


def test_projections_of_an_encrypted_store_read_it_with_its_key(
    any_settings: Settings,
) -> None:
    settings = any_settings.model_copy(update={"cipher_key": SecretStr(AESCipher.create_key(32))})
    center = build_center(settings)
    host = ProjectionHost(settings, poll_s=0.05)
    host.start()
    try:
        assert host.wait_until_leading(15)
        incident = center.report(a_report(caller_number="+6281355550000")).incident
        deadline = time.monotonic() + 20
        views: dict[str, Any] = {}
        while len(views) < 2:
            for name in ("boards", "caller_history"):
                topics = CATALOG[name].projection.topics
                last = center.recorder.select_notifications(0, 1000, topics=topics)[-1].id
                runner = host.runner(name)
                if runner is not None and runner.view.wait_for(last, timeout=0.2):
                    views[name] = runner.view
            assert time.monotonic() < deadline, host.health()
        callers, boards = views["caller_history"], views["boards"]
        assert isinstance(callers, CallersView) and isinstance(boards, BoardsView)
        assert len(callers.calls("+6281355550000")) == 1
        assert [r["number"] for r in boards.dump()["incidents"]] == [incident.number]
        for name in CATALOG:
            assert rebuild_and_diff(settings, name).identical
    finally:
        host.stop()
        center.close()


def test_a_loop_catching_up_in_pages_stops_on_the_failing_event_with_those_before_written(
    any_settings: Settings, center: DispatchCenter
) -> None:
    # Given a log of three reports, the second one triaged, all of it less than one page
    first = center.report(a_report()).incident
    second = center.report(a_report()).incident
    center.triage(second.id, Priority.P1, Category.KEBAKARAN, "ada korban terjebak")
    third = center.report(a_report()).incident
    log = center.recorder.select_notifications(0, 1000, topics=BoardsProjection.topics)
    triaged = next(n for n in log if n.topic.endswith("Incident.Triaged"))

    # And a boards projection that cannot process triage events
    def cannot(*args: object) -> None:
        raise RuntimeError("no column for this priority")

    class FailingBoards(BoardsProjection):
        name = "boards_failing"

    FailingBoards.handlers = {**BoardsProjection.handlers, Incident.Triaged: cannot}
    # When a loop catches up from position 0
    runner = boards_loop(any_settings, "boards_failing", FailingBoards, page=2000)
    assert isinstance(runner.view, BoardsView)
    try:
        with runner:
            assert runner.stopped.wait(20)
        with pytest.raises(ProjectionFailed):  # waiting re-raises what stopped it
            runner.wait(triaged.id, timeout=0)
        # Then it stopped on that event, named, with every event before it written
        failure = runner.view.failure
        assert failure is not None and failure.position == triaged.id
        assert failure.event == "Incident.Triaged" and "no column" in failure.error
        assert runner.view.position() == max(n.id for n in log if n.id < triaged.id)
        rows = runner.view.dump()["incidents"]
        assert {r["incident_id"] for r in rows} == {str(first.id), str(second.id)}
        assert str(third.id) not in {r["incident_id"] for r in rows}
        assert all(r["position"] < triaged.id for r in rows)  # nothing of the triage
    finally:
        runner.view.drop_tables()
        runner.view.close()
