"""Classifier training data comes from closed incidents' dispositions, as of each call."""

from __future__ import annotations

from adapters.center import build_center
from adapters.training import examples_from_events
from dispatch.settings import Settings
from domain.taxonomy import Disposition
from entrypoints.cli import build_parser
from tests.support import FakeClock, a_report

CALLER = "+6281300000077"


def test_closed_incidents_become_examples_labelled_by_disposition(
    sqlite_settings: Settings,
) -> None:
    clock = FakeClock()
    center = build_center(sqlite_settings)
    center.clock = clock
    try:
        # Given two pranks from one number, a genuine fire, a test call and one still open
        first = center.report(a_report(caller_number=CALLER, received_at=clock.now)).incident
        center.close_incident(first.id, Disposition.PRANK, "iseng")
        clock.advance(600)
        second = center.report(a_report(caller_number=CALLER, received_at=clock.now)).incident
        center.close_incident(second.id, Disposition.PRANK, "iseng lagi")
        fire = center.report(a_report(disaster_context=True)).incident
        center.close_incident(fire.id, Disposition.GENUINE, "padam")
        drill = center.report(a_report()).incident
        center.close_incident(drill.id, Disposition.TEST, "uji coba")
        center.report(a_report())
    finally:
        center.close()
    # When examples are read back from the store
    examples = list(examples_from_events(sqlite_settings))
    # Then each labelled closure is one example, with the history known at its call time
    assert sorted(e.label for e in examples) == ["genuine", "prank", "prank"]
    pranks = sorted((e for e in examples if e.label == "prank"), key=lambda e: e.report.received_at)
    assert (pranks[0].history.calls_24h, pranks[0].history.prior_false) == (0, 0)
    assert (pranks[1].history.calls_1h, pranks[1].history.prior_false) == (1, 1)
    genuine = next(e for e in examples if e.label == "genuine")
    assert genuine.report.disaster_context is True
    assert genuine.report.has_location and genuine.report.location_source == "operator_map"


def test_the_classifier_commands_are_part_of_siaga112() -> None:
    help_text = build_parser().parse_args(["classifier", "train", "--from-events"])
    assert help_text.from_events is True
    assert callable(help_text.handler)
