"""Measuring a scorer on labelled reports: safety first, then workload, then ranking.

The headline is the share of genuine emergencies banded HIGH (with a one-sided 95 % upper
bound: zero misses in ``n`` only supports "below 3/n"), next to the share of false calls
banded HIGH (the work the model can save). Bands are measured *after* the safety rules, as
operators see them; the model-only numbers are reported beside them. Per-group rates follow
model-card practice (research §3.2, §4.5).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.stats import beta, norm
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from classifier.inputs import CLASSES, GENUINE, LabeledExample
from classifier.score import Score, band_for
from classifier.scorer import BatchScorer
from classifier.thresholds import Thresholds
from domain.taxonomy import ScoreBand

GENUINE_HIGH_GOAL = 0.005
FALSE_HIGH_GOAL = 0.60


@dataclass(frozen=True)
class Scored:
    """Labels and scores side by side, as arrays."""

    labels: NDArray[np.str_]
    p_false: NDArray[np.float64]
    p_class: NDArray[np.float64]  # columns in CLASSES order
    bands: NDArray[np.str_]
    rules: list[str | None]
    callback_first: NDArray[np.bool_]
    scores: list[Score]
    #: Someone spoke on the line: the source's truth where it knows it (the generator), else
    #: not shown silent (recorded silent, or an empty message on a text channel).
    spoke: NDArray[np.bool_]


def score_all(scorer: BatchScorer, examples: Sequence[LabeledExample]) -> Scored:
    """Score every example with the scorer (model + safety rules), in one batch."""
    now = datetime.now(UTC)
    scores = scorer.score_batch([(e.report, e.history) for e in examples], now)
    return Scored(
        labels=np.array([e.label for e in examples]),
        p_false=np.array([s.p_false for s in scores], dtype=np.float64),
        p_class=np.array([[s.p_class.get(c, 0.0) for c in CLASSES] for s in scores]),
        bands=np.array([s.band.value for s in scores]),
        rules=[s.safety_rule for s in scores],
        callback_first=np.array([s.callback_first for s in scores]),
        scores=scores,
        spoke=np.array(
            [
                e.spoke if e.spoke is not None else not s.features.get("silent")
                for e, s in zip(examples, scores, strict=True)
            ],
            dtype=bool,
        ),
    )


def upper_bound(k: int, n: int, confidence: float = 0.95) -> dict[str, float | None]:
    """One-sided upper confidence bounds for a rate k/n: Clopper-Pearson and Wilson."""
    if n == 0:
        return {"clopper_pearson": None, "wilson": None}
    cp = 1.0 if k >= n else float(beta.ppf(confidence, k + 1, n - k))
    z = float(norm.ppf(confidence))
    p = k / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return {"clopper_pearson": cp, "wilson": min(1.0, (centre + spread) / (1 + z * z / n))}


def rate(mask: NDArray[np.bool_], hit: NDArray[np.bool_]) -> dict[str, Any]:
    """k, n, k/n and the upper bounds for ``hit`` among ``mask``."""
    n, k = int(mask.sum()), int((mask & hit).sum())
    return {"k": k, "n": n, "rate": (k / n) if n else None, "upper95": upper_bound(k, n)}


def metrics(result: Scored, thresholds: Thresholds) -> dict[str, Any]:
    """Every number of the evaluation report (plain JSON types)."""
    genuine = result.labels == GENUINE
    false = ~genuine
    high = result.bands == ScoreBand.HIGH.value
    silent = [bool(s.features.get("silent")) for s in result.scores]
    model_high = np.array(
        [
            band_for(p, thresholds, silent=quiet) is ScoreBand.HIGH
            for p, quiet in zip(result.p_false, silent, strict=True)
        ]
    )
    genuine_high, false_high = rate(genuine, high), rate(false, high)
    headline = {
        "genuine_banded_high": genuine_high,
        "false_banded_high": false_high,
        "genuine_high_goal": GENUINE_HIGH_GOAL,
        "false_high_goal": FALSE_HIGH_GOAL,
        "meets_goals": bool(
            (genuine_high["upper95"]["clopper_pearson"] or 1.0) <= GENUINE_HIGH_GOAL
            and (false_high["rate"] or 0.0) >= FALSE_HIGH_GOAL
        ),
    }
    return {
        "n": len(result.labels),
        "class_counts": {c: int((result.labels == c).sum()) for c in CLASSES},
        "thresholds": thresholds.to_dict(),
        "headline": headline,
        "model_only": {
            "genuine_banded_high": rate(genuine, model_high),
            "false_banded_high": rate(false, model_high),
        },
        "ranking": _ranking(result, genuine),
        "bands_by_class": {
            c: {
                b.value: rate(result.labels == c, result.bands == b.value)["rate"]
                for b in ScoreBand
            }
            for c in CLASSES
        },
        "safety_rules_by_class": {
            c: dict(
                Counter(
                    r or "none"
                    for r, lab in zip(result.rules, result.labels, strict=True)
                    if lab == c
                )
            )
            for c in CLASSES
        },
        "callback_first_by_class": {
            c: rate(result.labels == c, result.callback_first)["rate"] for c in CLASSES
        },
        "groups": _groups(result, genuine, high),
    }


def _ranking(result: Scored, genuine: NDArray[np.bool_]) -> dict[str, Any]:
    false = (~genuine).astype(int)
    both = 0 < false.sum() < len(false)
    pr_auc: dict[str, float | None] = {}
    for i, c in enumerate(CLASSES):
        y = result.labels == c
        pr_auc[c] = float(average_precision_score(y, result.p_class[:, i])) if y.sum() > 0 else None
    pr_auc["false_vs_genuine"] = (
        float(average_precision_score(false, result.p_false)) if both else None
    )
    return {
        "pr_auc": pr_auc,
        "roc_auc_false": float(roc_auc_score(false, result.p_false)) if both else None,
        "brier_false": float(brier_score_loss(false, result.p_false)) if both else None,
        "note": "p_false as the model gave it (kept even when a safety rule changed the band)",
    }


_GROUPS: dict[str, Callable[[Score], bool]] = {
    "silent": lambda s: bool(s.features.get("silent")),
    "no_sim": lambda s: s.features.get("sim_present") is False,
    "no_caller_id": lambda s: s.features.get("has_caller_id") is False,
    "repeat_caller": lambda s: bool(s.features.get("repeat_caller")),
    "prior_false_history": lambda s: bool(s.features.get("prior_false")),
    "night": lambda s: bool(s.features.get("night")),
    "dialect_text": lambda s: bool(s.features.get("dialect_text")),
    "text_channel": lambda s: s.features.get("channel") in ("sms", "app"),
}


def _groups(result: Scored, genuine: NDArray[np.bool_], high: NDArray[np.bool_]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, member in _GROUPS.items():
        mask = np.array([member(s) for s in result.scores], dtype=bool)
        out[name] = {
            "genuine_banded_high": rate(mask & genuine, high),
            "false_banded_high": rate(mask & ~genuine, high),
        }
    return out
