"""Two models side by side on the same reports: the figures the promotion gate reads.

For each data set (the frozen realistic set, the last closed incidents of a store), both
models score every report with the same thresholds they would use live, and the comparison
gives per class the share banded HIGH (95 % Wilson interval), the genuine calls banded HIGH
(with the one-sided 95 % upper bound) and the :class:`domain.model_registry.GateFigures` a
promotion is judged on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from classifier.breakdown import share
from classifier.evaluation import score_all, upper_bound
from classifier.frozen_set import REALISTIC_PATH, UNSEEN_PATH, load_frozen_set
from classifier.inputs import CLASSES, GENUINE, LabeledExample
from classifier.scorer import BatchScorer
from domain.model_registry import GateFigures
from domain.taxonomy import ScoreBand


def frozen_sets() -> list[tuple[str, list[LabeledExample]]]:
    """The hand-written sets every candidate is judged on, by name."""
    return [
        ("frozen realistic set", load_frozen_set(REALISTIC_PATH)),
        ("frozen unseen set", load_frozen_set(UNSEEN_PATH)),
    ]


def model_figures(scorer: BatchScorer, examples: Sequence[LabeledExample]) -> dict[str, Any]:
    """One model on one data set: per class banded HIGH, genuine HIGH with its upper bound."""
    result = score_all(scorer, examples)
    high = result.bands == ScoreBand.HIGH.value
    genuine = result.labels == GENUINE
    spoken = result.spoke
    genuine_high = int((genuine & high).sum())
    return {
        "version": scorer.version,
        "genuine_banded_high": {
            "k": genuine_high,
            "n": int(genuine.sum()),
            "upper95": upper_bound(genuine_high, int(genuine.sum()))["clopper_pearson"],
        },
        "genuine_with_speech_banded_high": share(genuine & spoken, high),
        "false_banded_high": share(~genuine, high),
        "banded_high_by_class": {c: share(result.labels == c, high) for c in CLASSES},
    }


def compare(
    live: BatchScorer,
    candidate: BatchScorer,
    examples: Sequence[LabeledExample],
    dataset: str,
) -> dict[str, Any]:
    """Both models on one data set, and the figures the gate judges."""
    a, b = model_figures(live, examples), model_figures(candidate, examples)
    figures = GateFigures(
        dataset=dataset,
        genuine=a["genuine_banded_high"]["n"],
        live_genuine_high=a["genuine_banded_high"]["k"],
        candidate_genuine_high=b["genuine_banded_high"]["k"],
        false=a["false_banded_high"]["n"],
        live_false_high=a["false_banded_high"]["k"],
        candidate_false_high=b["false_banded_high"]["k"],
    )
    return {"dataset": dataset, "n": len(examples), "live": a, "candidate": b, "gate": figures}


def _cell(r: dict[str, Any]) -> str:
    if not r["n"]:
        return "–"
    lo, hi = r["wilson95"]
    return f"{r['k']}/{r['n']} = {100 * r['rate']:.0f} % [{100 * lo:.0f}–{100 * hi:.0f}]"


def render(comparison: dict[str, Any]) -> str:
    """A comparison as a text table for the terminal."""
    live, cand = comparison["live"], comparison["candidate"]
    lines = [
        f"{comparison['dataset']} ({comparison['n']} reports)",
        f"  {'':<34}{'live ' + live['version'][7:19]:<28}{'candidate ' + cand['version'][7:19]}",
    ]

    def genuine(m: dict[str, Any]) -> str:
        g = m["genuine_banded_high"]
        bound = g["upper95"]
        return f"{g['k']}/{g['n']} (95 % upper {100 * bound:.1f} %)" if g["n"] else "–"

    lines.append(f"  {'genuine banded HIGH':<34}{genuine(live):<28}{genuine(cand)}")
    rows = [("genuine with speech banded HIGH", "genuine_with_speech_banded_high")]
    rows += [("false banded HIGH", "false_banded_high")]
    for label, key in rows:
        lines.append(f"  {label:<34}{_cell(live[key]):<28}{_cell(cand[key])}")
    for c in CLASSES:
        if c == GENUINE:
            continue
        a, b = live["banded_high_by_class"][c], cand["banded_high_by_class"][c]
        lines.append(f"  {'  ' + c:<34}{_cell(a):<28}{_cell(b)}")
    return "\n".join(lines)
