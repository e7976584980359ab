"""Band thresholds on ``p_false``, derived from a stated cost ratio (Elkan 2001).

Banding a report HIGH puts it in the verification (call-back) queue before anything else
happens; if it was a genuine emergency, that delay is the cost ``C_miss``. Banding a false call
LOW costs a wasted response, ``C_waste``. With calibrated probabilities the expected cost is
lowest when a report is banded HIGH only if ``p_false > C_miss / (C_miss + C_waste)``, i.e.
``r / (1 + r)`` for the cost ratio ``r = C_miss / C_waste``.

MEDIUM changes nothing in the workflow (amber band and reasons on screen), so a wrong MEDIUM
costs less: the risk of automation bias. By default it uses the geometric middle between
"indifferent" (ratio 1) and the HIGH ratio, ``sqrt(r)``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: Putting a genuine emergency behind a call-back is taken to cost as much as 19 wasted
#: responses (HIGH at p_false >= 0.95). This applies only to reports *without* life-threat
#: signals: those are banded LOW by rule whatever the score, so the ratio prices a delay of a
#: few minutes for, say, a snake in a house, not for a fire. A policy statement for the centre
#: to confirm; the model card records it.
DEFAULT_COST_RATIO = 19.0


class InvalidThresholds(ValueError):
    """Raised when thresholds are not 0 < medium <= high < 1 or a cost ratio is not positive."""


@dataclass(frozen=True)
class Thresholds:
    """``p_false`` at or above ``medium`` is banded MEDIUM, at or above ``high`` HIGH."""

    medium: float
    high: float
    cost_ratio: float | None = None

    def __post_init__(self) -> None:
        if not (0.0 < self.medium <= self.high < 1.0):
            raise InvalidThresholds(f"need 0 < medium <= high < 1, got {self.medium}, {self.high}")

    @classmethod
    def from_cost_ratio(
        cls, cost_ratio: float = DEFAULT_COST_RATIO, *, medium_cost_ratio: float | None = None
    ) -> Thresholds:
        """Thresholds for ``cost_ratio = C_miss / C_waste`` (missing a genuine call / a waste)."""
        if not (cost_ratio > 0 and math.isfinite(cost_ratio)):
            raise InvalidThresholds(f"cost ratio must be positive, got {cost_ratio}")
        medium_ratio = math.sqrt(cost_ratio) if medium_cost_ratio is None else medium_cost_ratio
        if not (0 < medium_ratio <= cost_ratio):
            raise InvalidThresholds(f"medium cost ratio must be in (0, {cost_ratio}]")
        return cls(
            medium=medium_ratio / (1.0 + medium_ratio),
            high=cost_ratio / (1.0 + cost_ratio),
            cost_ratio=cost_ratio,
        )

    def to_dict(self) -> dict[str, float | None]:
        """Plain JSON values."""
        return {"medium": self.medium, "high": self.high, "cost_ratio": self.cost_ratio}
