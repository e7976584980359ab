"""The model's numeric inputs: their order, reason groups, reference values and unknown labels.

Split from :mod:`classifier.features` (which re-exports every name) to keep each module short.
"""

from __future__ import annotations

import math
from datetime import timedelta, timezone

from classifier import context
from domain.taxonomy import Category, Channel, LocationSource

FEATURE_VERSION = 5
WITA = timezone(timedelta(hours=8), "WITA")  # Samarinda local time, no daylight saving
MAX_TEXT_CHARS = 1000
SHORT_CALL_S = 20.0

FeatureValue = float | int | str | bool | None

_LOCATION_SOURCES = tuple(s.value for s in LocationSource)
_CHANNELS = tuple(c.value for c in Channel)
_VOICE_CHANNELS = (Channel.VOICE.value, Channel.AML.value)
#: Channels where the report is the sender's own message (an empty one is a silent call).
TEXT_CHANNELS = (Channel.SMS.value, Channel.APP.value)
_CATEGORIES = tuple(c.value for c in Category)

#: The numeric model inputs, in column order, each with the reason group that explains it.
META_GROUPS: dict[str, str] = {
    "log_duration": "duration",
    "short_call": "duration",
    "duration_unknown": "duration",
    "log_first_speech": "speech",
    "speech_unknown": "speech",  # not said to be silent, and no time to first speech recorded
    "silent": "speech",
    "has_location": "location",
    "log_accuracy": "location",
    **{f"loc_{s}": "location" for s in _LOCATION_SOURCES},
    **{f"ch_{c}": "channel" for c in _CHANNELS},
    **{f"cat_{c}": "category" for c in (*_CATEGORIES, "none")},
    "log_persons": "persons",
    "persons_unknown": "persons",
    "log_injuries": "persons",
    "injuries_unknown": "persons",
    "n_hazards": "persons",
    "hour_sin": "time",
    "hour_cos": "time",
    "night": "time",
    "disaster_context": "disaster",
    "log_calls_1h": "repeat_calls",
    "log_calls_24h": "repeat_calls",
    "log_calls_30d": "repeat_calls",
    "log_prior_false": "prior_false",
    "log_prior_genuine": "prior_genuine",
    "log_prior_silent": "prior_silent",
    "kw_life_threat": "kw_life_threat",
    "kw_signs_of_life": "kw_signs_of_life",
    "kw_info_request": "kw_info_request",
    "kw_prank_marker": "kw_prank_marker",
    "kw_accidental_marker": "kw_accidental_marker",
    "kw_silence_marker": "speech",  # the operator wrote that nobody spoke
    # A silent call on which no sign of a person was heard, and one on which only a device or
    # the surroundings was (TV, radio, engine, wind) (feature version 5; classifier.sounds)
    "silent_no_signs": "nothing_heard",
    "silent_background": "nothing_heard",
    # Life-threat words that do not report an event (asked, denied, past, supposed, figurative)
    "kw_threat_discounted": "context",
    "kw_awaiting_help": "kw_awaiting_help",
    **{f"ctx_{c}": "context" for c in context.CONTEXTS},
    "hoax_observed": "hoax",  # the call-taker's own tick, never inferred from words
}
META_NAMES: tuple[str, ...] = tuple(META_GROUPS)
#: The report nobody knows anything about: a voice call with no duration, no time to first
#: speech and no silence flag, no location, no persons or injuries, no category, no history
#: and no keywords. Reasons are contributions relative to it, so "no prank words" is not a
#: reason, and an unknown value (which takes exactly its reference value) contributes nothing.
#: Unknown numbers take a typical value (one minute, speech after 2 s) beside their indicator.
META_REFERENCE: dict[str, float] = {
    **dict.fromkeys(META_NAMES, 0.0),
    "log_duration": math.log1p(60.0),
    "duration_unknown": 1.0,
    "log_first_speech": math.log1p(2.0),
    "speech_unknown": 1.0,
    "persons_unknown": 1.0,
    "injuries_unknown": 1.0,
    "ch_voice": 1.0,
    "cat_none": 1.0,
}
#: The reason groups a report can leave unknown, with how the operator is told.
UNKNOWN_LABELS: dict[str, tuple[str, str]] = {
    "duration": ("durasi panggilan", "call duration"),
    "silence": ("apakah penelepon bicara", "whether the caller spoke"),
    "speech": ("waktu mulai bicara", "time to first speech"),
    "location": ("lokasi", "location"),
    "persons": ("orang terlibat dan korban", "persons and injured"),
    "caller": ("nomor penelepon", "caller number"),
    "summary": ("uraian", "summary"),
}
#: Recorded in every score for audit and monitoring, never fed to the model.
RECORDED_ONLY: tuple[str, ...] = ("has_caller_id", "sim_present", "dialect_text")
