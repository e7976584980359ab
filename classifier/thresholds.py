"""Band thresholds on ``p_false``, derived from stated cost ratios (Elkan 2001).

Banding a report HIGH puts it in the verification (call-back) queue before anything else
happens; if it was a genuine emergency, that delay is the cost ``C_miss``. Banding a false call
LOW costs a wasted response, ``C_waste``. With calibrated probabilities the expected cost is
lowest when a report is banded HIGH only if ``p_false > C_miss / (C_miss + C_waste)``, i.e.
``r / (1 + r)`` for the cost ratio ``r = C_miss / C_waste``.

Silent calls have their own, higher ratio. When the operator heard a caller, a call-back
reaches someone who can explain, and the operator's own ears are a second opinion; when nobody
spoke, the call-back may reach someone who still cannot speak (EENA; the UK "Silent
Solution" deaths, research §3.1), and the model is the only voice on the screen. So a silent
call needs stronger evidence to be banded HIGH, never weaker.

MEDIUM changes nothing in the workflow (amber band and reasons on screen), so a wrong MEDIUM
costs less: the risk of automation bias. By default it uses the geometric middle between
"indifferent" (ratio 1) and the HIGH ratio, ``sqrt(r)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

#: For a report someone spoke in, with no life-threat signal and no injuries (those are LOW by
#: rule whatever the score), and HIGH even without the caller's past (``history_alone``):
#: putting it behind a call-back is taken to cost as much as 4 wasted responses (HIGH at
#: p_false >= 0.8). It prices a few minutes' delay for, say, a snake in a house, with the caller
#: able to explain on the call-back, against units sent for nothing and so missing from the next
#: real emergency. A policy statement for the centre to confirm; the model card and every
#: `Scored` event record it.
DEFAULT_COST_RATIO = 4.0
#: For a silent call without signs of life or repeat calls (those are never HIGH by rule):
#: 19 wasted responses (HIGH at p_false >= 0.95).
DEFAULT_SILENT_COST_RATIO = 19.0


class InvalidThresholds(ValueError):
    """Raised when thresholds are out of order or a cost ratio is not positive."""


def _from_ratio(ratio: float) -> float:
    return ratio / (1.0 + ratio)


def _check_ratio(ratio: float, what: str) -> None:
    if not (ratio > 0 and math.isfinite(ratio)):
        raise InvalidThresholds(f"{what} must be positive, got {ratio}")


@dataclass(frozen=True)
class Thresholds:
    """``p_false`` at or above ``medium`` is banded MEDIUM, at or above ``high`` HIGH.

    ``silent_medium`` / ``silent_high`` apply to silent calls; left out, they equal the
    others (so thresholds recorded before they existed replay exactly).
    """

    medium: float
    high: float
    cost_ratio: float | None = None
    silent_medium: float | None = None
    silent_high: float | None = None
    silent_cost_ratio: float | None = None

    def __post_init__(self) -> None:
        if not (0.0 < self.medium <= self.high < 1.0):
            raise InvalidThresholds(f"need 0 < medium <= high < 1, got {self.medium}, {self.high}")
        if (self.silent_medium is None) != (self.silent_high is None):
            raise InvalidThresholds("give both silent thresholds or neither")
        medium, high = self.for_call(silent=True)
        if not (0.0 < medium <= high < 1.0):
            raise InvalidThresholds(
                f"need 0 < silent medium <= silent high < 1, got {medium}, {high}"
            )
        if medium < self.medium or high < self.high:
            raise InvalidThresholds(
                "silent calls need at least the evidence spoken ones need: "
                f"silent thresholds ({medium}, {high}) are below ({self.medium}, {self.high})"
            )

    @classmethod
    def from_cost_ratio(
        cls,
        cost_ratio: float = DEFAULT_COST_RATIO,
        *,
        silent_cost_ratio: float | None = None,
        medium_cost_ratio: float | None = None,
    ) -> Thresholds:
        """Thresholds for ``cost_ratio = C_miss / C_waste`` (missing a genuine call / a waste).

        ``silent_cost_ratio`` defaults to the larger of ``cost_ratio`` and
        :data:`DEFAULT_SILENT_COST_RATIO`.
        """
        _check_ratio(cost_ratio, "cost ratio")
        silent = (
            max(cost_ratio, DEFAULT_SILENT_COST_RATIO)
            if silent_cost_ratio is None
            else (silent_cost_ratio)
        )
        _check_ratio(silent, "silent cost ratio")
        medium_ratio = math.sqrt(cost_ratio) if medium_cost_ratio is None else medium_cost_ratio
        if not (0 < medium_ratio <= cost_ratio):
            raise InvalidThresholds(f"medium cost ratio must be in (0, {cost_ratio}]")
        return cls(
            medium=_from_ratio(medium_ratio),
            high=_from_ratio(cost_ratio),
            cost_ratio=cost_ratio,
            silent_medium=_from_ratio(max(medium_ratio, math.sqrt(silent))),
            silent_high=_from_ratio(silent),
            silent_cost_ratio=silent,
        )

    def for_call(self, *, silent: bool) -> tuple[float, float]:
        """(medium, high) for a silent or a spoken call."""
        if silent and self.silent_medium is not None and self.silent_high is not None:
            return self.silent_medium, self.silent_high
        return self.medium, self.high

    def to_dict(self) -> dict[str, float | None]:
        """Plain JSON values (what `Scored` records; ``Thresholds(**d)`` reads it back)."""
        return {
            "medium": self.medium,
            "high": self.high,
            "cost_ratio": self.cost_ratio,
            "silent_medium": self.silent_medium,
            "silent_high": self.silent_high,
            "silent_cost_ratio": self.silent_cost_ratio,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Thresholds:
        """Thresholds from :meth:`to_dict` output (older records lack the silent keys)."""

        def number(key: str) -> float | None:
            value = data.get(key)
            return None if value is None else float(value)

        medium, high = number("medium"), number("high")
        if medium is None or high is None:
            raise InvalidThresholds("recorded thresholds lack medium or high")
        return cls(
            medium=medium,
            high=high,
            cost_ratio=number("cost_ratio"),
            silent_medium=number("silent_medium"),
            silent_high=number("silent_high"),
            silent_cost_ratio=number("silent_cost_ratio"),
        )
