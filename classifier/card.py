"""The model card written beside every model file (Mitchell et al. 2019, research §3.2)."""

from __future__ import annotations

import dataclasses
from typing import Any

from classifier.model import TrainedModel

INTENDED_USE = (
    "Annotate each 112 report at intake with the likelihood that it is a false call (prank, "
    "silent, accidental, non-emergency), shown to the operator as a band with 2-4 reasons. "
    "HIGH puts the report in the visible, timed verification (call-back) queue."
)
OUT_OF_SCOPE = (
    "Never hang up, block or blacklist a number, delay answering, drop a report or cancel a "
    "call-back; never route or dispatch. Not a judgement about a caller. Not calibrated for a "
    "centre whose class mix differs from the training mix without recalibration."
)
SAFETY_RULES = {
    "life_threat_keywords": "life-threat words that report an event (not asked about, denied, "
    "past, supposed or figurative) in the summary, or life-threat hazards -> band LOW; yields "
    "only to the call-taker's hoax tick (hoax_observed), never to words alone; the words stay "
    "visible in the reasons whatever the band",
    "injuries_reported": "injuries > 0 -> band LOW",
    "silent_with_signs_of_life": "silent call with breathing/noise/crying/taps -> call back "
    "first, never HIGH",
    "silent_repeat_caller": "silent call from a number that called within 1 h (or 2+ in 24 h) "
    "-> call back first, never HIGH",
    "history_alone": "HIGH only if the report is HIGH with the caller's past taken out, "
    "else MEDIUM",
    "fail_safe": "kill switch, missing/corrupt model, unknown input, error or timeout -> "
    "treated as genuine (LOW, p_false 0)",
    "unknown_is_not_evidence": "a call is silent only when silent=true was recorded; an absent "
    "duration, time to first speech, silence flag, location, persons/injuries or caller number "
    "is unknown: it takes the reference value (contributes nothing) and is listed as unknown, "
    "never as a reason for a false call",
}
THRESHOLD_RATIONALE = (
    "high = r/(1+r) for the cost ratio r = C_miss/C_waste (Elkan 2001, with calibrated "
    "probabilities): C_miss is the cost of putting a genuine emergency *without* life-threat "
    "signals behind a call-back (life-threatening reports are banded LOW by rule whatever the "
    "score); C_waste is one wasted response. medium uses sqrt(r). Silent calls (nobody spoke, "
    "no signs of life, not a repeat) use their own, higher ratio: a call-back may reach someone "
    "who still cannot speak, and the operator has nothing but the score to go on."
)
LIMITATIONS = (
    "Trained on synthetic reports whose distributions are assumptions shaped by published "
    "Indonesian figures; no real labelled 112 data was available. Calibration follows the "
    "training class mix. Retrain from closed incidents' dispositions (`classifier train "
    "--from-events`) and watch the per-group rates, especially silent, SIM-less and repeat "
    "callers. Children's calls are not separately identified. Context (question, negation, past, "
    "hypothetical, figurative) is read from a few words around each life-threat term with "
    "hand-written cue lists, not parsed: a clause that runs several events together without "
    "punctuation can be misread (the default is 'reported', which keeps the rule on)."
)


def complete(model: TrainedModel, metrics: dict[str, Any], reproduce: str) -> TrainedModel:
    """The model with its card filled in (evaluation metrics, use, limits, how to rebuild)."""
    card = {
        "name": "Siaga112 false-call classifier",
        "intended_use": INTENDED_USE,
        "out_of_scope": OUT_OF_SCOPE,
        "safety_rules": SAFETY_RULES,
        **model.card,
        "threshold_rationale": THRESHOLD_RATIONALE,
        "metrics": metrics,
        "limitations": LIMITATIONS,
        "reproduce": reproduce,
    }
    return dataclasses.replace(model, card=card)
