"""A projection that meets an event it cannot apply stops there and says so; an operator lets
it go on past that one event, on the record; it resumes and misses nothing after (SQLite and
PostgreSQL)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.context import set_actor
from dispatch.settings import Settings
from domain.incident import Incident
from domain.read_models import ReadModelDecisions, read_model_id_for
from projections.base import RowProjection, handles
from projections.catalog import ProjectionSpec, all_rows
from projections.events import EventData
from projections.host import ProjectionHost
from projections.postgres_views import PostgresRowView
from projections.repair import NothingToSkip, skip_stuck_event
from projections.schema import Table, columns
from projections.sqlite_views import SQLiteRowView
from projections.tables import RowView
from projections.wiring import open_view
from tests.support import a_report

NOTES = Table("notes", key=("position",), columns=columns(("position", "integer"), "text"))
POISON = "racun"


class NotesView(RowView):
    tables = (NOTES,)


class SQLiteNotesView(NotesView, SQLiteRowView):
    pass


class PostgresNotesView(NotesView, PostgresRowView):
    pass


class NotesProjection(RowProjection[NotesView]):
    """Keeps every note; cannot apply one that says POISON (standing in for a real bug)."""

    name = "notes_repair_test"

    @handles(Incident.NoteAdded)
    def _noted(self, e: EventData) -> None:
        if e["text"] == POISON:
            raise ValueError("this projection cannot apply that note")
        self.view.put(NOTES, {"position": e.position, "text": e["text"]})


SPEC = ProjectionSpec(
    "notes_repair_test",
    NotesProjection,
    {"sqlite": SQLiteNotesView, "postgres": PostgresNotesView},
    all_rows,
    "notes, for this test",
)


@pytest.fixture
def center(any_settings: Settings) -> Iterator[DispatchCenter]:
    built = build_center(any_settings)
    yield built
    built.close()


@pytest.fixture
def host(any_settings: Settings) -> Iterator[ProjectionHost]:
    running = ProjectionHost(any_settings, (SPEC,), poll_s=0.05)
    running.start()
    assert running.wait_until_leading(15)
    yield running
    running.stop()


def eventually(condition: Callable[[], bool], what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def test_a_poison_event_stops_the_projection_until_a_recorded_skip_and_nothing_after_is_lost(
    any_settings: Settings, center: DispatchCenter, host: ProjectionHost
) -> None:
    # Given notes, one of which the projection cannot apply
    incident = center.report(a_report()).incident
    center.add_note(incident.id, "satu")
    center.add_note(incident.id, POISON)
    center.add_note(incident.id, "tiga")
    # Then it stops at that event, visibly, and goes no further
    eventually(lambda: host.health()[1][SPEC.name]["status"] == "failed", "never failed")
    healthy, detail = host.health()
    assert not healthy and "ValueError" in detail[SPEC.name]["error"]
    view = open_view(any_settings, SPEC)
    try:
        assert [r["text"] for r in view.dump()["notes"]] == ["satu"]
        # When an operator skips that one event, with a reason
        set_actor("supervisor:rina")
        done = skip_stuck_event(center, view, SPEC, "bug #42: note cannot be shown; fix follows")
        assert done.event_type == "Incident.NoteAdded"
        # Then the decision is in the log, and the projection resumes and misses nothing after
        decisions: ReadModelDecisions = center.repository.get(read_model_id_for(SPEC.name))
        assert decisions.skipped == [done.position]
        skipped = list(center.events.get(read_model_id_for(SPEC.name)))[-1]
        assert isinstance(skipped, ReadModelDecisions.EventSkipped)
        assert (skipped.actor, skipped.position) == ("supervisor:rina", done.position)
        assert skipped.reason.startswith("bug #42") and "ValueError" not in skipped.reason
        eventually(lambda: host.health()[0], "never resumed")
        center.add_note(incident.id, "empat")
        eventually(
            lambda: [r["text"] for r in view.dump()["notes"]] == ["satu", "tiga", "empat"],
            "missed notes after the skipped one",
        )
    finally:
        view.close()


def test_a_skip_names_exactly_the_event_it_stopped_at(
    any_settings: Settings, center: DispatchCenter, host: ProjectionHost
) -> None:
    incident = center.report(a_report()).incident
    center.add_note(incident.id, POISON)
    eventually(lambda: host.health()[1][SPEC.name]["status"] == "failed", "never failed")
    view = open_view(any_settings, SPEC)
    try:
        with pytest.raises(NothingToSkip, match="not stopped at position 1"):
            skip_stuck_event(center, view, SPEC, "a guess", position=1)
        with pytest.raises(Exception, match="reason"):
            skip_stuck_event(center, view, SPEC, "   ")
        assert not host.health()[0]  # nothing was skipped by either
    finally:
        view.close()
