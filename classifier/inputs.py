"""What the classifier reads: one report as the operator recorded it, and the caller's history."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from domain.taxonomy import Category, Channel, Disposition, LocationSource

#: The classes the classifier tells apart; ``genuine`` is the only non-false one.
CLASSES: tuple[str, ...] = (
    Disposition.GENUINE.value,
    Disposition.PRANK.value,
    Disposition.SILENT.value,
    Disposition.ACCIDENTAL.value,
    Disposition.NON_EMERGENCY.value,
)
GENUINE = Disposition.GENUINE.value
FALSE_CLASSES: tuple[str, ...] = CLASSES[1:]
#: Dispositions that close an incident but say nothing about false calls (not training labels).
IGNORED_DISPOSITIONS = frozenset({Disposition.DUPLICATE.value, Disposition.TEST.value})

_CHANNELS = frozenset(c.value for c in Channel)
_CATEGORIES = frozenset(c.value for c in Category)
_LOCATION_SOURCES = frozenset(s.value for s in LocationSource)


@dataclass(frozen=True)
class ReportInput:
    """What the operator recorded at intake (built by the core from the intake schema)."""

    channel: str
    caller_number: str | None
    sim_present: bool | None
    call_duration_s: float | None
    first_speech_s: float | None  # None: not measured (unknown), not "nobody spoke"
    silent: bool | None  # True only when someone said nobody spoke; None: not said (unknown)
    has_location: bool
    location_source: str | None
    location_accuracy_m: float | None
    description: str
    category: str | None
    persons_involved: int | None
    injuries: int | None
    hazards: tuple[str, ...]
    received_at: datetime
    disaster_context: bool = False
    #: The call-taker's own observation that the call is a hoax ("penelepon tertawa / mengaku
    #: bercanda" ticked on the console). Words in the summary never count as this.
    hoax_observed: bool = False


@dataclass(frozen=True)
class CallerHistory:
    """The caller number's history as of the call's time, from the event log."""

    calls_1h: int = 0
    calls_24h: int = 0
    calls_30d: int = 0
    prior_false: int = 0
    prior_genuine: int = 0
    prior_silent: int = 0


@dataclass(frozen=True)
class LabeledExample:
    """A report, its caller history and the final disposition recorded when it closed."""

    report: ReportInput
    history: CallerHistory
    label: str
    #: Whether anyone spoke on the line, where the source knows it (the generator does; a
    #: client may send no silence flag). None: as recorded (``silent`` and the message).
    spoke: bool | None = None


def input_problems(report: ReportInput, history: CallerHistory) -> list[str]:
    """Everything about a report the model was not built for; empty when it can be scored."""
    problems: list[str] = []
    if report.channel not in _CHANNELS:
        problems.append(f"channel={report.channel!r}")
    if report.category is not None and report.category not in _CATEGORIES:
        problems.append(f"category={report.category!r}")
    if report.location_source is not None and report.location_source not in _LOCATION_SOURCES:
        problems.append(f"location_source={report.location_source!r}")
    if not isinstance(report.hoax_observed, bool):
        problems.append(f"hoax_observed={report.hoax_observed!r}")
    if not isinstance(report.description, str):
        problems.append("description is not text")
    if not isinstance(report.received_at, datetime) or report.received_at.utcoffset() is None:
        problems.append("received_at has no time zone")
    if not isinstance(report.hazards, tuple) or not all(isinstance(h, str) for h in report.hazards):
        problems.append("hazards is not a tuple of text")
    for name in ("call_duration_s", "first_speech_s", "location_accuracy_m"):
        value = getattr(report, name)
        if value is not None and not _is_non_negative_number(value):
            problems.append(f"{name}={value!r}")
    for name in ("persons_involved", "injuries"):
        value = getattr(report, name)
        if value is not None and not (_is_int(value) and value >= 0):
            problems.append(f"{name}={value!r}")
    for name in ("calls_1h", "calls_24h", "calls_30d", "prior_false", "prior_genuine"):
        value = getattr(history, name)
        if not (_is_int(value) and value >= 0):
            problems.append(f"history.{name}={value!r}")
    if not (_is_int(history.prior_silent) and history.prior_silent >= 0):
        problems.append(f"history.prior_silent={history.prior_silent!r}")
    return problems


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_non_negative_number(value: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value) and value >= 0
