"""Catching up, on SQLite and PostgreSQL: the projection's own page reads give exactly what
the library's ``select_notifications`` gives, its subscription goes on live at the head, and a
runner that takes whole pages stops on a failing event exactly as one taking events does."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from eventsourcing.cipher import AESCipher
from eventsourcing.projection import ApplicationSubscription
from pydantic import SecretStr

from dispatch.bootstrap import build_center
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.incident import Incident
from domain.taxonomy import Category, Priority
from projections.boards import BoardsProjection, BoardsView
from projections.callers import CallersView
from projections.catalog import CATALOG
from projections.catch_up import CatchUpRecorder, CatchUpSubscription
from projections.events import EventData, EventLog
from projections.host import ProjectionHost
from projections.log_pages import log_pages, notification
from projections.rebuild import rebuild_and_diff
from projections.runner import PagedProjectionRunner
from projections.tables import ProjectionFailed
from projections.wiring import app_env, runner_env
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
    assert isinstance(log.recorder, CatchUpRecorder)
    pages = log_pages(log.recorder.recorder)
    for topics in ((), BoardsProjection.topics):
        ours = [notification(*row) for row in pages(0, 1000, topics)]
        expected = [n for n in library if not topics or n.topic in topics]
        assert [(n.id, n.topic, n.originator_version, n.state) for n in ours] == [
            (n.id, n.topic, n.originator_version, n.state) for n in expected
        ]
        assert [str(log.mapper.to_domain_event(n).originator_id) for n in ours] == [
            str(n.originator_id) for n in expected
        ]
    after = library[1].id
    assert [row[-1] for row in pages(after, 3, ())] == [n.id for n in library if n.id > after][:3]


def next_within(subscription: Iterator[Any], seconds: float) -> Any:
    found: list[Any] = []
    reader = threading.Thread(target=lambda: found.append(next(subscription)), daemon=True)
    reader.start()
    reader.join(seconds)
    assert found, f"nothing arrived within {seconds} s"
    return found[0]


def test_a_subscription_catches_up_in_the_readers_thread_then_follows_new_events(
    center: DispatchCenter, log: EventLog
) -> None:
    # Given more events in the log than one page
    log.recorder.page = 3  # type: ignore[attr-defined]
    before = [center.report(a_report()).incident.id for _ in range(3)]
    head = center.recorder.max_notification_id()
    subscription = ApplicationSubscription(log, gt=0, topics=BoardsProjection.topics)
    with subscription:
        assert isinstance(subscription.subscription, CatchUpSubscription)
        # When it is read up to the head
        seen: list[EventData] = []
        while len(seen) < 3 * 2:  # each report: Reported and Scored
            event, tracking = next(subscription)
            assert isinstance(event, EventData)
            seen.append(event)
        assert tracking.notification_id <= (head or 0)
        assert [e.aggregate_id for e in seen[::2]] == [str(i) for i in before]
        # Then a new event arrives through the live subscription
        later = center.report(a_report()).incident.id
        event, tracking = next_within(subscription, 10)
        assert event.aggregate_id == str(later) and tracking.notification_id > (head or 0)
        # And stopping it ends the iteration
        subscription.stop()
        with pytest.raises(StopIteration):
            next(subscription)


def test_stopping_while_catching_up_ends_the_iteration(
    center: DispatchCenter, log: EventLog
) -> None:
    for _ in range(3):
        center.report(a_report())
    subscription = ApplicationSubscription(log, gt=0)
    with subscription:
        next(subscription)
        subscription.stop()
        with pytest.raises(StopIteration):
            next(subscription)


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


def test_a_runner_catching_up_in_pages_stops_on_the_failing_event_with_those_before_written(
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
    # When a runner catches up from position 0
    view_class = CATALOG["boards"].view_class(any_settings.backend)
    assert issubclass(view_class, BoardsView)
    runner = PagedProjectionRunner(
        application_class=EventLog,
        projection_class=FailingBoards,
        view_class=view_class,
        env=runner_env(any_settings, "boards_failing"),
    )
    try:
        with pytest.raises(ProjectionFailed), runner:  # leaving it re-raises what stopped it
            assert runner.is_interrupted.wait(20)
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
