"""The targets each KPI is judged against, read from the routing rules where they live.

* processing      — ``[escalation] processing_target_s`` (NFPA 1225 (2022): answer → first unit
  dispatched within 60 s for 90 % of calls);
* acknowledgement — ``[ack_timeout_s]`` per priority: the same deadline the escalation
  watchdog enforces, so a figure past it is an incident the watchdog escalated;
* on_scene        — 15 minutes from dispatch to arrival. The Indonesian norm for the fire
  service's response time is 15 minutes (Kepmen PU 11/KPTS/2000, *wilayah manajemen
  kebakaran*); no national norm for the other agencies was found, so the same figure is used
  for them as a planning value until the Perwali's agreements set their own.

A measure passes when at least 90 % of the incidents it counts are within their target.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from adapters.routing.rules import RoutingRules, load_rules

ON_SCENE_TARGET_S = 900.0
PASS_SHARE = 0.9
#: Dispositions that mean no unit was ever needed: such incidents are not processing misses.
NO_UNIT_NEEDED = frozenset({"prank", "silent", "accidental", "non_emergency", "duplicate", "test"})


@dataclass(frozen=True)
class Targets:
    """Every target the report judges against, and which incidents expect a unit."""

    processing_s: float
    ack_s: Mapping[str, float]
    on_scene_s: float
    unit_expected_for: frozenset[str]
    pass_share: float = PASS_SHARE

    @classmethod
    def from_rules(cls, rules: RoutingRules | None = None) -> Targets:
        """The targets in the routing rules (the bundled ``rules.toml`` by default)."""
        rules = rules or load_rules()
        return cls(
            processing_s=float(rules.escalation.processing_target_s),
            ack_s={p.value: float(s) for p, s in rules.ack_timeout_s.items()},
            on_scene_s=ON_SCENE_TARGET_S,
            unit_expected_for=frozenset(p.value for p in rules.escalation.unit_expected_for),
        )

    def ack_target(self, priority: str) -> float:
        """The acknowledgement deadline for a priority."""
        return self.ack_s[priority]

    def to_json(self) -> dict[str, object]:
        """The targets as the report states them."""
        return {
            "processing_s": self.processing_s,
            "acknowledgement_s_by_priority": dict(self.ack_s),
            "on_scene_s": self.on_scene_s,
            "pass_share_percent": round(self.pass_share * 100, 1),
            "unit_expected_for": sorted(self.unit_expected_for),
            "sources": {
                "processing": "NFPA 1225 (2022): 60 s for 90 % of calls; rules.toml [escalation]",
                "acknowledgement": "rules.toml [ack_timeout_s] (the watchdog's deadline)",
                "on_scene": "Kepmen PU 11/KPTS/2000: fire response 15 min; a planning value "
                "for the other agencies",
            },
        }
