"""Turning a report and its caller history into model inputs and an auditable record.

Only what is known when the call arrives is used: nothing from the call-back, the dispatch or
the disposition (those would leak the label).

**Absent is unknown, and unknown is never evidence.** A value nobody recorded (call duration,
time to first speech, location, persons, injuries, the caller's number, the summary) is not a
value: each group of model inputs has an *unknown* state, and that state is the reference the
contributions are measured from, so an unknown group contributes exactly nothing to the
log-odds and is never given as a reason (the operator sees it listed as unknown instead). A
call is silent only when someone said so: ``silent=True`` (the call-taker's tick, or the
telephony's measurement mapped to it at the API); ``silent=None`` is "not said".

Two recorded values are deliberately *not* model inputs, for fairness (research §3.3): whether
a SIM card / caller id is present (SIM-less and hidden-number phones go with poverty and with
hiding from an abuser) and Banjar dialect.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from classifier import context, framing, keywords, lexicon, sounds
from classifier.inputs import CallerHistory, ReportInput
from classifier.observed import (
    is_night,
    is_repeat_caller,
    is_silent,
    local_hour,
    unknown_groups,
)
from classifier.schema import (
    _CATEGORIES,
    _CHANNELS,
    _LOCATION_SOURCES,
    FEATURE_VERSION,
    MAX_TEXT_CHARS,
    META_GROUPS,
    META_NAMES,
    META_REFERENCE,
    RECORDED_ONLY,
    SHORT_CALL_S,
    UNKNOWN_LABELS,
    WITA,
    FeatureValue,
)

__all__ = [
    "FEATURE_VERSION",
    "MAX_TEXT_CHARS",
    "META_GROUPS",
    "META_NAMES",
    "META_REFERENCE",
    "RECORDED_ONLY",
    "SHORT_CALL_S",
    "UNKNOWN_LABELS",
    "WITA",
    "Extracted",
    "FeatureValue",
    "extract",
    "is_night",
    "is_repeat_caller",
    "is_silent",
    "local_hour",
    "unknown_groups",
]


@dataclass(frozen=True)
class Extracted:
    """One report's model inputs plus the flags the safety rules need."""

    text: str
    meta: tuple[float, ...]
    record: dict[str, FeatureValue]
    life_threat: tuple[str, ...]  # terms that report an event (the safety rule's input)
    signs_of_life: tuple[str, ...]
    silent: bool
    repeat_caller: bool
    #: The ``UNKNOWN_LABELS`` groups this report left unknown (contributing nothing).
    unknown: tuple[str, ...] = ()
    #: Life-threat terms that do not report an event, each with the context that says so.
    discounted: tuple[tuple[str, str], ...] = ()
    #: The call-taker ticked that they observed a hoax (laughter, the caller admitted a joke).
    hoax_observed: bool = False
    #: Silent as shown, or no silence flag said and the summary says nobody spoke: the
    #: silent-call safety rules apply (they only lower a band), the model input does not change.
    quiet: bool = False
    #: Readings that a false-call marker may not be the caller's (:mod:`classifier.framing`).
    framing: tuple[str, ...] = ()


def extract(report: ReportInput, history: CallerHistory, now: datetime | None = None) -> Extracted:
    """Model inputs and the audit record for one report (the input must be valid)."""
    text, dialect = lexicon.analyse(report.description, MAX_TEXT_CHARS)
    found = keywords.SCANNER.scan(text)
    # Clauses are read only when the summary has a life-threat word (most reports do not).
    reading = (
        context.read_threats(report.description, MAX_TEXT_CHARS)
        if found[keywords.LIFE_THREAT.name]
        else context.NO_THREATS
    )
    # A term the clause reading did not place (a phrase across a comma) counts as reported.
    placed = {*reading.reported, *(term for term, _ in reading.discounted)}
    threats = [*reading.reported]
    threats += [t for t in found[keywords.LIFE_THREAT.name] if t not in placed]
    if report.hazards:  # hazards are what the call-taker recorded: always reported
        hazard_text = lexicon.normalize(" ".join(report.hazards))
        threats += [h for h in hazard_text.split() if h in keywords.LIFE_THREAT_HAZARDS]
        threats += keywords.SCANNER.scan(hazard_text)[keywords.LIFE_THREAT.name]
    heard = sounds.read(
        report.description,
        found[keywords.SIGNS_OF_LIFE.name],
        found[keywords.BACKGROUND_SOUND.name],
        MAX_TEXT_CHARS,
    )
    signs = list(heard.signs_of_life)
    info = found[keywords.INFO_REQUEST.name]
    if found[keywords.AWAITING_HELP.name]:  # "nanya kapan petugas sampai": asking after help
        info = [term for term in info if term not in keywords.ASKING]
    prank = sounds.prank_markers(report.description, found[keywords.PRANK_MARKER.name])
    prank, accidental, info = sounds.after_the_turn(
        report.description, prank, found[keywords.ACCIDENTAL_MARKER.name], info
    )
    silence = found[keywords.SILENCE_MARKER.name]
    silent = is_silent(report)
    repeat = is_repeat_caller(history)
    hour = local_hour(report.received_at)
    quiet = silent or bool(silence)
    nothing_heard = quiet and not signs and not threats
    only_background = nothing_heard and bool(heard.background)
    meta = _meta(
        report,
        history,
        text,
        silent,
        hour,
        (threats, signs, info, prank, accidental, silence),
        reading,
        found[keywords.AWAITING_HELP.name],
        (nothing_heard, only_background),
    )
    unknown = unknown_groups(report)
    record = _record(report, history, text, silent, repeat, hour, now)
    record["dialect_text"] = dialect
    record["unknown"] = ",".join(unknown) or None
    record.update(
        kw_life_threat=bool(threats),
        life_threat_terms=",".join(dict.fromkeys(threats)) or None,
        life_threat_discounted=", ".join(f"{t} ({c})" for t, c in reading.discounted) or None,
        threat_contexts=",".join(reading.contexts) or None,
        hoax_observed=report.hoax_observed,
        kw_signs_of_life=bool(signs),
        signs_of_life_terms=",".join(dict.fromkeys(signs)) or None,
        signs_set_aside=", ".join(f"{t} ({why})" for t, why in heard.set_aside) or None,
        background_terms=",".join(heard.background) or None,
        silent_no_signs=nothing_heard,
        silent_background=only_background,
        kw_info_request=bool(info),
        kw_prank_marker=bool(prank),
        kw_accidental_marker=bool(accidental),
        kw_silence_marker=bool(silence),
        kw_awaiting_help=bool(found[keywords.AWAITING_HELP.name]),
    )
    return Extracted(
        text,
        meta,
        record,
        tuple(dict.fromkeys(threats)),
        tuple(signs),
        silent,
        repeat,
        unknown,
        reading.discounted,
        report.hoax_observed,
        silent or (report.silent is None and bool(silence)),
        framing.read(report.description, MAX_TEXT_CHARS) if prank or info else (),
    )


def _meta(
    report: ReportInput,
    history: CallerHistory,
    text: str,
    silent: bool,
    hour: float,
    keywords: tuple[list[str], ...],
    reading: context.ThreatReading,
    awaiting: list[str],
    heard: tuple[bool, bool],
) -> tuple[float, ...]:
    duration = report.call_duration_s
    speech = report.first_speech_s
    accuracy = report.location_accuracy_m if report.has_location else None
    # Missing values take the reference value (the unknown state), so an unrecorded duration,
    # speech time, location or count contributes nothing (text channels have no duration or
    # speech: their channel feature carries that).
    reference = META_REFERENCE
    angle = 2.0 * math.pi * hour / 24.0
    speech_known = silent or speech is not None
    values: dict[str, float] = {
        "log_duration": math.log1p(duration) if duration is not None else reference["log_duration"],
        "short_call": float(duration is not None and duration <= SHORT_CALL_S),
        "duration_unknown": float(duration is None),
        "log_first_speech": (
            math.log1p(speech) if speech is not None else reference["log_first_speech"]
        ),
        "speech_unknown": float(not speech_known),
        "silent": float(silent),
        "has_location": float(report.has_location),
        "log_accuracy": math.log1p(accuracy) if accuracy is not None else 0.0,
        "log_persons": math.log1p(report.persons_involved or 0),
        "persons_unknown": float(report.persons_involved is None),
        "log_injuries": math.log1p(report.injuries or 0),
        "injuries_unknown": float(report.injuries is None),
        "n_hazards": float(min(len(report.hazards), 5)),
        "hour_sin": math.sin(angle),
        "hour_cos": math.cos(angle),
        "night": float(is_night(hour)),
        "disaster_context": float(report.disaster_context),
        "log_calls_1h": math.log1p(history.calls_1h),
        "log_calls_24h": math.log1p(history.calls_24h),
        "log_calls_30d": math.log1p(history.calls_30d),
        "log_prior_false": math.log1p(history.prior_false),
        "log_prior_genuine": math.log1p(history.prior_genuine),
        "log_prior_silent": math.log1p(history.prior_silent),
    }
    source = report.location_source if report.has_location else None
    for s in _LOCATION_SOURCES:
        values[f"loc_{s}"] = float(source == s)
    for c in _CHANNELS:
        values[f"ch_{c}"] = float(report.channel == c)
    for c in (*_CATEGORIES, "none"):
        values[f"cat_{c}"] = float((report.category or "none") == c)
    for name, found in zip(
        (
            "kw_life_threat",
            "kw_signs_of_life",
            "kw_info_request",
            "kw_prank_marker",
            "kw_accidental_marker",
            "kw_silence_marker",
        ),
        keywords,
        strict=True,
    ):
        values[name] = float(min(len(found), 3))
    values["kw_threat_discounted"] = float(min(len(reading.discounted), 3))
    values["kw_awaiting_help"] = float(min(len(awaiting), 3))
    contexts = set(reading.contexts)
    for c in context.CONTEXTS:
        values[f"ctx_{c}"] = float(c in contexts)
    values["hoax_observed"] = float(report.hoax_observed)
    values["silent_no_signs"], values["silent_background"] = float(heard[0]), float(heard[1])
    return tuple(values[name] for name in META_NAMES)


def _record(
    report: ReportInput,
    history: CallerHistory,
    text: str,
    silent: bool,
    repeat: bool,
    hour: float,
    now: datetime | None,
) -> dict[str, FeatureValue]:
    age = (now - report.received_at).total_seconds() if now is not None else None
    return {
        "feature_version": FEATURE_VERSION,
        "channel": report.channel,
        "has_caller_id": report.caller_number is not None,
        "sim_present": report.sim_present,
        "call_duration_s": report.call_duration_s,
        "first_speech_s": report.first_speech_s,
        "silent": silent,
        "has_location": report.has_location,
        "location_source": report.location_source,
        "location_accuracy_m": report.location_accuracy_m,
        "category": report.category,
        "persons_involved": report.persons_involved,
        "injuries": report.injuries,
        "hazards": ",".join(report.hazards) or None,
        "hour_local": round(hour, 2),
        "night": is_night(hour),
        "disaster_context": report.disaster_context,
        "calls_1h": history.calls_1h,
        "calls_24h": history.calls_24h,
        "calls_30d": history.calls_30d,
        "prior_false": history.prior_false,
        "prior_genuine": history.prior_genuine,
        "prior_silent": history.prior_silent,
        "repeat_caller": repeat,
        "text_chars": len(report.description),
        "text_words": len(text.split()),
        "report_age_s": round(age, 3) if age is not None else None,
    }
