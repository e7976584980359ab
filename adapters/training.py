"""Classifier training data from the event log: closed incidents and their final dispositions.

Labels come from how incidents were closed, never from the model's own flags (CONTEXT.md).
Caller history is computed as of each call's time, as it was when the call was scored.
"""

from __future__ import annotations

from collections.abc import Iterator

from adapters.scoring import recorded_request, report_input
from adapters.storage import event_store_env
from classifier import LabeledExample
from dispatch.center import DispatchCenter
from dispatch.present import KEEP_ALL, Present
from dispatch.settings import Settings
from domain.incident import Incident
from domain.taxonomy import Disposition

# Dispositions that are classifier labels (duplicate and test calls teach nothing).
LABELS = {
    Disposition.GENUINE: "genuine",
    Disposition.PRANK: "prank",
    Disposition.SILENT: "silent",
    Disposition.ACCIDENTAL: "accidental",
    Disposition.NON_EMERGENCY: "non_emergency",
}


def examples_from_events(settings: Settings) -> Iterator[LabeledExample]:
    """One labelled example per closed incident with a label-worthy disposition."""
    center = DispatchCenter(env=event_store_env(settings))
    try:
        # The whole history, unlike the process's present (which keeps recent work only).
        history = Present(center, KEEP_ALL)
        for incident in history.incidents(include_closed=True):
            if incident.disposition in LABELS:
                yield example(history, incident)
    finally:
        center.close()


def example(history: Present, incident: Incident) -> LabeledExample:
    """The report as the classifier saw it, its caller history then, and its final label."""
    request = recorded_request(incident)
    calls = history.caller_history(incident.caller_number, incident.received_at)
    assert incident.disposition is not None
    return LabeledExample(
        report=report_input(request, incident.location, incident.received_at),
        history=calls,
        label=LABELS[incident.disposition],
    )
