"""Synthetic Samarinda 112 reports with labels, for training and honest evaluation.

No labelled 112 data set is public (research §5.1), so the generator encodes what the
sources say: the class mix of a published centre (presets), short silent calls, repeat
prank numbers, location present in every class, and the hard cases that must never be
dismissed (genuine silent, child, repeat, SIM-less and very short calls; Banjar text) next
to prank reports written exactly like genuine ones. Classes overlap on purpose; 2–5 % of
labels are flipped (operator mislabels). ``split="test"`` uses a template family, streets
and kelurahan never seen in training.

Missing data looks the way real clients send it, in every class alike (so the model learns
nothing from it): a share of voice reports come from the console, which records whether the
caller spoke but not the call's duration or time to first speech, and leaves persons and
injuries empty; a few API clients send no silence flag at all; location is missing at the
same rate in every class.

Per-class distributions are assumptions shaped by the sources, not measurements.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from classifier.inputs import CLASSES, LabeledExample
from classifier.phrases import Family, family_test, family_train
from classifier.synthetic_builder import _Builder
from classifier.synthetic_callers import CallerBook

Split = Literal["train", "test"]
FAMILIES: dict[str, Family] = {"train": family_train.FAMILY, "test": family_test.FAMILY}

#: Published call mixes (CONTEXT.md). "Ghost"/"dropped" calls are split 2:1 into silent and
#: accidental (assumption: pocket dials are counted as ghost calls by Indonesian centres;
#: Belgium reports up to 29 % involuntary calls). Semarang's "prank + ghost" is split 50/50.
_GHOST_SILENT = 2.0 / 3.0


def _mix(genuine: float, non_emergency: float, prank: float, ghost: float) -> dict[str, float]:
    total = genuine + non_emergency + prank + ghost
    return {
        "genuine": genuine / total,
        "prank": prank / total,
        "silent": ghost * _GHOST_SILENT / total,
        "accidental": ghost * (1 - _GHOST_SILENT) / total,
        "non_emergency": non_emergency / total,
    }


PRESETS: dict[str, dict[str, float]] = {
    "jakarta2024": _mix(6_317, 110_788, 114_863, 370_817),
    "purworejo": _mix(30, 455, 1_147, 1_170),
    "semarang2025": _mix(9_576, 3_949, 8_496 / 2, 8_496 / 2),
}
DEFAULT_PRESET = "semarang2025"


@dataclass(frozen=True)
class SyntheticExample:
    """A generated example and the template it came from (for grouped cross-validation)."""

    example: LabeledExample
    template: str


def mix_of(mix: str | Mapping[str, float]) -> dict[str, float]:
    """A class mix from a preset name or a mapping (normalised to sum 1)."""
    if isinstance(mix, str):
        if mix not in PRESETS:
            raise ValueError(f"unknown preset {mix!r}; choose from {sorted(PRESETS)}")
        mix = PRESETS[mix]
    unknown = set(mix) - set(CLASSES)
    total = sum(mix.values())
    if unknown or total <= 0 or any(v < 0 for v in mix.values()):
        raise ValueError(f"bad class mix {dict(mix)}")
    return {c: mix.get(c, 0.0) / total for c in CLASSES}


def exact_counts(n: int, mix: Mapping[str, float]) -> dict[str, int]:
    """Class counts for ``n`` reports, rounded so they add up to ``n`` (largest remainder)."""
    raw = {c: n * share for c, share in mix.items()}
    counts = {c: math.floor(v) for c, v in raw.items()}
    for c in sorted(raw, key=lambda c: raw[c] - counts[c], reverse=True)[
        : n - sum(counts.values())
    ]:
        counts[c] += 1
    return counts


def generate(
    n: int,
    *,
    seed: int,
    mix: str | Mapping[str, float] = DEFAULT_PRESET,
    split: Split = "train",
    label_noise: float = 0.03,
) -> list[LabeledExample]:
    """``n`` labelled reports, the same for the same arguments."""
    return [
        s.example
        for s in generate_tagged(n, seed=seed, mix=mix, split=split, label_noise=label_noise)
    ]


def generate_tagged(
    n: int,
    *,
    seed: int,
    mix: str | Mapping[str, float] = DEFAULT_PRESET,
    split: Split = "train",
    label_noise: float = 0.03,
) -> list[SyntheticExample]:
    """Like :func:`generate`, with each example's template id."""
    if split not in FAMILIES:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    rng = random.Random(f"siaga112:{split}:{seed}")
    labels = [c for c, k in exact_counts(n, mix_of(mix)).items() for _ in range(k)]
    rng.shuffle(labels)
    builder = _Builder(rng, FAMILIES[split], CallerBook(rng, n))
    out: list[SyntheticExample] = []
    for true_label in labels:
        report, history, template, spoke = builder.build(true_label)
        label = true_label
        if rng.random() < label_noise:
            label = rng.choice([c for c in CLASSES if c != true_label])
        out.append(SyntheticExample(LabeledExample(report, history, label, spoke), template))
    return out
