"""Suggesting open incidents that may be the same emergency as a new report."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import overload

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
        self.t = np.array([i.received_at.timestamp() for i in self._incidents], dtype=np.float64)
        self.category = np.array(
            [CATEGORY_CODE[i.category] for i in self._incidents], dtype=np.intp
        )

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


def find_duplicates(
    index: IncidentIndex,
    x0: float,
    y0: float,
    category: Category,
    at_ts: float,
    *,
    radius_m: float,
    window_s: float,
    compatible: NDArray[np.bool_],
) -> list[DuplicateSuggestion]:
    """Open incidents within the radius and time window, of a compatible category, nearest first."""
    age = at_ts - index.t
    candidates = np.flatnonzero(
        compatible[CATEGORY_CODE[category]][index.category] & (np.abs(age) <= window_s)
    )
    distance = np.hypot(index.x[candidates] - x0, index.y[candidates] - y0)
    near = distance <= radius_m  # NaN (no location) compares False
    candidates, distance = candidates[near], distance[near]
    suggestions = []
    for k in np.argsort(distance, kind="stable"):
        incident = index[int(candidates[k])]
        suggestions.append(
            DuplicateSuggestion(
                incident_id=incident.incident_id,
                number=incident.number,
                distance_m=round(float(distance[k]), 1),
                age_s=round(float(age[candidates[k]]), 1),
                category=incident.category,
            )
        )
    return suggestions
