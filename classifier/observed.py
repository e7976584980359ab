"""What a report shows before any model reads it: silence, repeats, the hour, what is unknown.

**A call is silent only when it showed silence.** On a voice or AML call that is
``silent=True``: the call-taker's tick, or the telephony's measurement mapped to it at the API;
``silent=None`` is "not said", never silence. On a text channel (SMS, app) the message *is*
what the sender said, so a message with no words in it (an empty SMS, a panic-button press
with an empty form) is that channel's silent call: treated by the same rules (silent
thresholds, call back first when repeated) and never read as an unknown summary.
"""

from __future__ import annotations

import re
from datetime import datetime

from classifier.inputs import CallerHistory, ReportInput
from classifier.schema import _VOICE_CHANNELS, TEXT_CHANNELS, WITA

_WORD = re.compile(r"\w", re.UNICODE)


def is_empty_message(report: ReportInput) -> bool:
    """A text-channel report whose message has no word in it ("", ".", "   ")."""
    return report.channel in TEXT_CHANNELS and _WORD.search(report.description) is None


def is_silent(report: ReportInput) -> bool:
    """Silence shown: ``silent=True``, or a text message with nothing in it.

    Absent or None is unknown, not silent.
    """
    return report.silent is True or is_empty_message(report)


def unknown_groups(report: ReportInput) -> tuple[str, ...]:
    """What this report does not say (text channels have no duration or speech to know)."""
    voice = report.channel in _VOICE_CHANNELS
    no_speech_time = voice and report.silent is not True and report.first_speech_s is None
    unknown = {
        "duration": voice and report.call_duration_s is None,
        "silence": no_speech_time and report.silent is None,
        "speech": no_speech_time and report.silent is False,
        "location": not report.has_location,
        "persons": report.persons_involved is None
        and report.injuries is None
        and not report.hazards,
        "caller": report.caller_number is None,
        "summary": not report.description.strip() and not is_empty_message(report),
    }
    return tuple(group for group, missing in unknown.items() if missing)


def is_repeat_caller(history: CallerHistory) -> bool:
    """The number called before within the hour, or at least twice in the last 24 h."""
    return history.calls_1h >= 1 or history.calls_24h >= 2


def local_hour(received_at: datetime) -> float:
    """Hour of day in Samarinda (WITA), with minutes as a fraction."""
    local = received_at.astimezone(WITA)
    return local.hour + local.minute / 60.0


def is_night(hour: float) -> bool:
    """22:00–05:00 local time."""
    return hour >= 22.0 or hour < 5.0
