"""Suggesting open incidents that may be the same emergency as a new report.

Three kinds of evidence, each shown to the dispatcher as the reason of a suggestion:

- **the same caller number** within its window, whatever the place and category (a caller
  who rings again is the commonest duplicate after a crowd at one fire);
- **the same spot**: the two positions may lie within ``radius_m`` of each other once both
  accuracies are counted (distance − accuracy − accuracy ≤ radius), for compatible categories;
- **the same area**: when the two accuracies together are coarser than the radius (a
  kelurahan centre, a cell position), the places cannot tell two emergencies apart, so only
  the same category suggests a match. Two kelurahan centres are not "0 m" apart.

Suggestions are ranked: same caller, then same category, then distance beyond the combined
accuracy, then incidents already routed (the engines are on their way), then distance.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import overload
from uuid import UUID

import numpy as np
from numpy.typing import NDArray

from dispatch.routing.models import DuplicateSuggestion, OpenIncidentSnapshot
from dispatch.routing.projection import LocalProjection
from dispatch.routing.rules import RoutingRules
from domain.taxonomy import Category

CATEGORIES = list(Category)
CATEGORY_CODE = {category: code for code, category in enumerate(CATEGORIES)}


def compatibility_matrix(rules: RoutingRules) -> NDArray[np.bool_]:
    """``m[a, b]``: reports of category codes a and b may describe the same emergency."""
    return np.array([[rules.compatible(a, b) for b in CATEGORIES] for a in CATEGORIES])


class IncidentIndex(Sequence[OpenIncidentSnapshot]):
    """Open incidents as arrays in metres; build it when incidents change, reuse it per report.

    It is a Sequence of its snapshots, so it can be passed wherever open incidents are expected.
    """

    def __init__(
        self, incidents: Sequence[OpenIncidentSnapshot], projection: LocalProjection, owner: object
    ) -> None:
        self._incidents = tuple(incidents)
        self.owner = owner
        located = [i.location for i in self._incidents]
        lat = np.array([loc.lat if loc else math.nan for loc in located], dtype=np.float64)
        lon = np.array([loc.lon if loc else math.nan for loc in located], dtype=np.float64)
        self.x, self.y = projection.xy_arrays(lat, lon)
        self.accuracy = np.array(
            [(loc.accuracy_m or 0.0) if loc else math.nan for loc in located], dtype=np.float64
        )
        self.t = np.array([i.received_at.timestamp() for i in self._incidents], dtype=np.float64)
        self.category = np.array(
            [CATEGORY_CODE[i.category] for i in self._incidents], dtype=np.intp
        )
        self.by_caller: dict[str, list[int]] = {}
        for k, incident in enumerate(self._incidents):
            if incident.caller_number:
                self.by_caller.setdefault(incident.caller_number, []).append(k)

    def __len__(self) -> int:
        return len(self._incidents)

    @overload
    def __getitem__(self, index: int) -> OpenIncidentSnapshot: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[OpenIncidentSnapshot]: ...
    def __getitem__(
        self, index: int | slice
    ) -> OpenIncidentSnapshot | Sequence[OpenIncidentSnapshot]:
        return self._incidents[index]

    def __iter__(self) -> Iterator[OpenIncidentSnapshot]:
        return iter(self._incidents)


@dataclass(frozen=True)
class NewReport:
    """The report looking for duplicates: where (in metres), how precisely, what, when, who."""

    x: float | None
    y: float | None
    accuracy_m: float
    category: Category
    at_ts: float
    caller_number: str | None


@dataclass(frozen=True)
class Thresholds:
    """The duplicate rules as numbers (from ``[duplicates]`` in rules.toml)."""

    radius_m: float
    window_s: float
    same_caller_window_s: float


def find_duplicates(
    index: IncidentIndex,
    report: NewReport,
    thresholds: Thresholds,
    compatible: NDArray[np.bool_],
    *,
    exclude: Iterable[UUID] = (),
) -> list[DuplicateSuggestion]:
    """Open incidents that may be the same emergency as the report, ranked (see the module)."""
    age = report.at_ts - index.t
    hidden = set(exclude)
    chosen: set[int] = set()
    same_caller: set[int] = set()
    if report.caller_number:
        for k in index.by_caller.get(report.caller_number, ()):
            if abs(age[k]) <= thresholds.same_caller_window_s:
                same_caller.add(k)
    chosen |= same_caller
    distance = np.full(len(index), math.nan)
    uncertainty = np.full(len(index), math.nan)
    if report.x is not None and report.y is not None:
        distance = np.hypot(index.x - report.x, index.y - report.y)
        uncertainty = index.accuracy + report.accuracy_m
        code = CATEGORY_CODE[report.category]
        recent = np.abs(age) <= thresholds.window_s
        near = distance - uncertainty <= thresholds.radius_m  # NaN (no location) is False
        precise = uncertainty <= thresholds.radius_m
        kind = np.where(precise, compatible[code][index.category], index.category == code)
        chosen |= {int(k) for k in np.flatnonzero(recent & near & kind)}
    suggestions = [
        _suggestion(
            index[k],
            report.category,
            distance=None if math.isnan(distance[k]) else float(distance[k]),
            uncertainty=None if math.isnan(uncertainty[k]) else float(uncertainty[k]),
            age_s=float(age[k]),
            same_caller=k in same_caller,
        )
        for k in chosen
        if index[k].incident_id not in hidden
    ]
    return rank(suggestions)


def rank(suggestions: Iterable[DuplicateSuggestion]) -> list[DuplicateSuggestion]:
    """Best first: same caller, same category, distance beyond accuracy, routed, nearer."""
    return sorted(suggestions, key=_rank_key)


def _rank_key(d: DuplicateSuggestion) -> tuple[bool, bool, float, bool, float, str]:
    distance = math.inf if d.distance_m is None else d.distance_m
    beyond = max(0.0, distance - (d.uncertainty_m or 0.0))
    return (not d.same_caller, not d.same_category, beyond, not d.agencies, distance, d.number)


def _suggestion(
    incident: OpenIncidentSnapshot,
    category: Category,
    *,
    distance: float | None,
    uncertainty: float | None,
    age_s: float,
    same_caller: bool,
) -> DuplicateSuggestion:
    parts_id: list[str] = []
    parts_en: list[str] = []
    if same_caller:
        parts_id.append("nomor penelepon sama")
        parts_en.append("same caller number")
    if distance is not None and uncertainty is not None:
        parts_id.append(_distance_text(distance, uncertainty))
        parts_en.append(_distance_text(distance, uncertainty))
    minutes = round(abs(age_s) / 60)
    later = age_s < 0
    parts_id.append(f"{minutes} mnt {'sesudahnya' if later else 'lalu'}")
    parts_en.append(f"{minutes} min {'later' if later else 'ago'}")
    same = incident.category is category
    parts_id.append(incident.category.label_id + (" (kategori sama)" if same else ""))
    parts_en.append(incident.category.label_en + (" (same category)" if same else ""))
    if incident.agencies:
        parts_id.append("sudah dirutekan ke " + ", ".join(a.label_id for a in incident.agencies))
        parts_en.append("already routed to " + ", ".join(a.label_en for a in incident.agencies))
    return DuplicateSuggestion(
        incident_id=incident.incident_id,
        number=incident.number,
        distance_m=None if distance is None else round(distance, 1),
        age_s=round(age_s, 1),
        category=incident.category,
        same_caller=same_caller,
        same_category=same,
        uncertainty_m=None if uncertainty is None else round(uncertainty, 1),
        agencies=incident.agencies,
        explanation_id=" · ".join(parts_id),
        explanation_en=" · ".join(parts_en),
    )


def _distance_text(distance: float, uncertainty: float) -> str:
    metres = f"{distance / 1000:.1f} km" if distance >= 1000 else f"{round(distance)} m"
    if uncertainty < 1:
        return metres
    spread = f"{uncertainty / 1000:.1f} km" if uncertainty >= 1000 else f"{round(uncertainty)} m"
    return f"{metres} ±{spread}"
