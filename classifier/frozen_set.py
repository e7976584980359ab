"""The frozen hand-written evaluation set (research §5.3 item 2).

``frozen/reports.psv`` holds realistic call summaries written by hand, apart from the
synthetic generator, with the metadata an operator would record. It is never used for
training, tuning or choosing thresholds: `classifier evaluate` reports it beside the
generator's held-out split as a check that the model's behaviour carries over to text the
generator never produced.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from classifier.inputs import CLASSES, CallerHistory, LabeledExample, ReportInput

FROZEN_PATH = Path(__file__).with_name("frozen") / "reports.psv"
#: The second edition: 364 cases written before the context features existed, with the
#: call-taker's hoax tick as a ninth field (``flags``).
REALISTIC_PATH = Path(__file__).with_name("frozen") / "realistic.psv"
#: The third edition: 103 cases written and committed before any model or rule ran on them.
UNSEEN_PATH = Path(__file__).with_name("frozen") / "unseen.psv"
#: The fourth edition: 39 cases on whose joke it is and what a question reports (framing.py),
#: written and committed before any model or rule ran on them.
WHOSE_JOKE_PATH = Path(__file__).with_name("frozen") / "whose_joke.psv"
_FIELDS = 8
_FLAGS = frozenset({"-", "hoax"})
#: Every report is placed at a fixed daytime moment (10:00 WITA), so the set is deterministic.
_RECEIVED_AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


class FrozenSetError(ValueError):
    """Raised when a line of the frozen set cannot be read (with its line number)."""


def load_frozen_set(path: Path = FROZEN_PATH) -> list[LabeledExample]:
    """Every labelled report of the frozen set, in file order."""
    examples: list[LabeledExample] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            examples.append(_parse(line, len(examples)))
        except (ValueError, IndexError) as error:
            raise FrozenSetError(f"{path}:{number}: {error}") from error
    return examples


def _parse(line: str, index: int) -> LabeledExample:
    parts = line.split("|", _FIELDS)
    if len(parts) == _FIELDS + 1:  # second edition: flags before the description
        *head, flags, description = parts
        parts = [*head, description]
        if flags not in _FLAGS:
            raise ValueError(f"unknown flags {flags!r}")
    else:
        parts, flags = line.split("|", _FIELDS - 1), "-"
    if len(parts) != _FIELDS:
        raise ValueError(f"expected {_FIELDS} fields separated by '|', got {len(parts)}")
    label, channel, duration, speech, category, history, location, description = parts
    if label not in CLASSES:
        raise ValueError(f"unknown label {label!r}")
    voice = channel in ("voice", "aml")
    silent = voice and speech == "-"
    counts = [int(v) for v in history.split(",")] if history != "-" else [0] * 6
    if len(counts) != 6:
        raise ValueError("history needs 6 comma-separated counts")
    report = ReportInput(
        channel=channel,
        caller_number=f"+628110000{index:04d}" if channel not in ("walk_in", "radio") else None,
        sim_present=True if channel not in ("walk_in", "radio") else None,
        call_duration_s=float(duration) if duration != "-" else None,
        first_speech_s=float(speech) if speech != "-" else None,
        silent=silent if voice else False,
        has_location=location != "-",
        location_source=location if location != "-" else None,
        location_accuracy_m=(15.0 if location in ("aml", "device") else 300.0)
        if location != "-"
        else None,
        description=description.strip(),
        category=category if category != "-" else None,
        persons_involved=None,
        injuries=None,
        hazards=(),
        received_at=_RECEIVED_AT + timedelta(minutes=7 * index),
        hoax_observed=flags == "hoax",
    )
    return LabeledExample(report, CallerHistory(*counts), label)


def as_the_console_sends(example: LabeledExample) -> LabeledExample:
    """The same call taken on the console: a voice call with the call-taker's silence tick,
    no duration, no time to first speech and no counts (the console records none of them)."""
    report = replace(
        example.report,
        channel="voice",
        call_duration_s=None,
        first_speech_s=None,
        silent=example.report.silent is True,
        persons_involved=None,
        injuries=None,
    )
    return LabeledExample(report, example.history, example.label)
