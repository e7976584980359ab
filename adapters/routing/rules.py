"""Routing rules as data: read from TOML, validated once, then asked cheap questions."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from datetime import timedelta
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from adapters.routing.errors import RoutingRulesError
from domain.taxonomy import Agency, Category, Priority, UnitType

DEFAULT_RULES_PATH = Path(__file__).with_name("rules.toml")

PositiveSeconds = Field(gt=0)
Positive = Annotated[float, Field(gt=0)]


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CategoryRule(_Rules):
    """Who answers one category, and how urgent it is by default."""

    agencies: tuple[Agency, ...] = Field(min_length=1)
    with_injuries: tuple[Agency, ...] = ()
    priority: Priority
    priority_with_injuries: Priority | None = None


class EscalationRules(_Rules):
    """When the watchdog raises its hand."""

    processing_target_s: float = PositiveSeconds
    unit_expected_for: tuple[Priority, ...]


class DuplicateRules(_Rules):
    """Which open incidents may be the same emergency as a new report."""

    radius_m: float = Field(gt=0)
    window_s: float = PositiveSeconds
    same_caller_window_s: float = PositiveSeconds
    shown: int = Field(default=5, gt=0)  # suggestions in an answer, the best; the rest counted
    compatible: tuple[tuple[Category, Category], ...] = ()
    match_any: tuple[Category, ...] = ()

    @field_validator("compatible")
    @classmethod
    def _pairs_are_distinct(
        cls, value: tuple[tuple[Category, Category], ...]
    ) -> tuple[tuple[Category, Category], ...]:
        seen: list[set[Category]] = []
        for a, b in value:
            if a == b:
                raise ValueError(f"{a.value} is always compatible with itself: remove the pair")
            if {a, b} in seen:
                raise ValueError(f"the pair {a.value}, {b.value} is listed twice")
            seen.append({a, b})
        return value

    @field_validator("match_any")
    @classmethod
    def _match_any_is_distinct(cls, value: tuple[Category, ...]) -> tuple[Category, ...]:
        repeated = sorted({c.value for c in value if value.count(c) > 1})
        if repeated:
            raise ValueError(f"listed twice: {', '.join(repeated)}")
        return value


class UnitRules(_Rules):
    """How units are ranked: fresh positions only, straight line × road factor / speed."""

    stale_after_s: float = PositiveSeconds
    road_factor: float = Field(ge=1.0)
    speed_kmh: dict[UnitType, Positive]

    @field_validator("speed_kmh")
    @classmethod
    def _every_unit_type_has_a_speed(cls, value: dict[UnitType, float]) -> dict[UnitType, float]:
        _require_all("speed for", UnitType, value)
        return value


class StationRules(_Rules):
    """Which stations count as fire posts and hospitals with an emergency department."""

    fire_operator_types: tuple[str, ...] = Field(min_length=1)
    hospitals_without_emergency_department: tuple[str, ...] = ()


class PoliceRules(_Rules):
    """Police jurisdiction: kecamatan code to the station id of the Polsek covering it."""

    fallback: str
    jurisdiction: dict[str, str]


class RoutingRules(_Rules):
    """Everything the router decides by rule rather than by geometry."""

    version: Literal[1]
    categories: dict[Category, CategoryRule]
    hazards: dict[str, tuple[Agency, ...]] = {}
    ack_timeout_s: dict[Priority, Positive]
    escalation: EscalationRules
    duplicates: DuplicateRules
    units: UnitRules
    stations: StationRules
    police: PoliceRules

    @field_validator("categories")
    @classmethod
    def _every_category_has_a_rule(
        cls, value: dict[Category, CategoryRule]
    ) -> dict[Category, CategoryRule]:
        _require_all("rule for", Category, value)
        return value

    @field_validator("ack_timeout_s")
    @classmethod
    def _every_priority_has_a_timeout(cls, value: dict[Priority, float]) -> dict[Priority, float]:
        _require_all("timeout for", Priority, value)
        return value

    def agencies_for(
        self, category: Category, *, injuries: int | None, hazards: Sequence[str] = ()
    ) -> list[Agency]:
        """The agencies a report needs, in rule order, without repeats."""
        rule = self.categories[category]
        wanted = list(rule.agencies)
        if injuries is not None and injuries > 0:
            wanted += rule.with_injuries
        for hazard in hazards:
            wanted += self.hazards.get(normalise_hazard(hazard), ())
        return list(dict.fromkeys(wanted))

    def default_priority(self, category: Category, *, injuries: int | None = None) -> Priority:
        """The category's priority, raised when people are injured and the rule says so."""
        rule = self.categories[category]
        if injuries and rule.priority_with_injuries is not None:
            return min(rule.priority, rule.priority_with_injuries, key=lambda p: p.rank)
        return rule.priority

    def ack_timeout(self, priority: Priority) -> timedelta:
        """How long an agency has to acknowledge an incident of this priority."""
        return timedelta(seconds=self.ack_timeout_s[priority])

    def compatible(self, a: Category, b: Category) -> bool:
        """Whether reports of these two categories may describe the same emergency."""
        d = self.duplicates
        return a == b or a in d.match_any or b in d.match_any or {a, b} in _pairs(d.compatible)


def _require_all(what: str, enum: type[Enum], mapping: Mapping[Any, object]) -> None:
    missing = [member.value for member in enum if member not in mapping]
    if missing:
        raise ValueError(f"no {what} {', '.join(missing)}")


def _pairs(pairs: tuple[tuple[Category, Category], ...]) -> list[set[Category]]:
    return [set(pair) for pair in pairs]


def normalise_hazard(hazard: str) -> str:
    """A hazard tag as looked up in the rules: lower case, words joined by underscores."""
    return "_".join(hazard.lower().replace("-", " ").split())


def load_rules(path: Path | None = None) -> RoutingRules:
    """Read and validate a rules file; RoutingRulesError names the file, the key and why."""
    path = path or DEFAULT_RULES_PATH
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RoutingRulesError(path, "(file)", f"cannot be read: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise RoutingRulesError(path, "(syntax)", str(error)) from error
    try:
        return RoutingRules.model_validate(raw)
    except ValidationError as error:
        raise _rules_error(path, error) from error


def _rules_error(path: Path, error: ValidationError) -> RoutingRulesError:
    problems = [_problem(p) for p in error.errors(include_url=False)]
    key, reason = problems[0]
    if len(problems) > 1:
        others = "; ".join(f"{k}: {r}" for k, r in problems[1:4])
        reason += f" (also {others}{'; …' if len(problems) > 4 else ''})"
    return RoutingRulesError(path, key, reason)


def _problem(problem: Any) -> tuple[str, str]:
    """One pydantic error as (dotted key, reason)."""
    loc = [str(part) for part in problem["loc"]]
    reason: str = problem["msg"]
    if loc and loc[-1] == "[key]":
        loc.pop()
        reason = f"not a known key: {reason}"
    elif problem["type"] == "missing":
        reason = "missing key"
    elif problem["type"] != "value_error" and "input" in problem:
        reason = f"{reason} (got {problem['input']!r})"
    return ".".join(loc) or "(top level)", reason
