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
accuracy, then incidents already routed (the engines are on their way), then distance. Only
the best few are shown (``shown`` in ``[duplicates]``), with the number of all that matched.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

import numpy as np
from numpy.typing import NDArray

from adapters.routing.incident_index import CATEGORY_CODE, IncidentIndex
from adapters.routing.rules import RoutingRules
from dispatch.advice import DuplicateSuggestion, OpenIncidentSnapshot
from domain.taxonomy import Category

CATEGORIES = list(Category)


def compatibility_matrix(rules: RoutingRules) -> NDArray[np.bool_]:
    """``m[a, b]``: reports of category codes a and b may describe the same emergency."""
    return np.array([[rules.compatible(a, b) for b in CATEGORIES] for a in CATEGORIES])


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


@dataclass(frozen=True)
class DuplicateMatches:
    """The best suggestions (at most the limit asked for) and how many incidents matched."""

    shown: list[DuplicateSuggestion]
    total: int


def find_duplicates(
    index: IncidentIndex,
    report: NewReport,
    thresholds: Thresholds,
    compatible: NDArray[np.bool_],
    *,
    exclude: Iterable[UUID] = (),
    limit: int | None = None,
) -> DuplicateMatches:
    """Open incidents that may be the same emergency as the report, ranked (see the module):
    the best ``limit`` of them (all when None) and the number that matched.

    The rank key is computed from the index's arrays and the best are chosen there, so a
    mass event (hundreds of matches at one spot) costs array work for all of them and a
    suggestion object only for those shown."""
    with index.lock:  # no change applied halfway through the search
        return _search(index, report, thresholds, compatible, set(exclude), limit)


def _search(
    index: IncidentIndex,
    report: NewReport,
    thresholds: Thresholds,
    compatible: NDArray[np.bool_],
    hidden: set[UUID],
    limit: int | None,
) -> DuplicateMatches:
    age = report.at_ts - index.t  # NaN in an empty slot: never recent, never near
    same_caller = np.zeros(len(age), dtype=np.bool_)
    if report.caller_number:
        for k in index.by_caller.get(report.caller_number, ()):
            same_caller[k] = abs(age[k]) <= thresholds.same_caller_window_s
    chosen = same_caller.copy()
    distance = np.full(len(age), math.nan)
    uncertainty = np.full(len(age), math.nan)
    code = CATEGORY_CODE[report.category]
    if report.x is not None and report.y is not None:
        distance = np.hypot(index.x - report.x, index.y - report.y)
        uncertainty = index.accuracy + report.accuracy_m
        recent = np.abs(age) <= thresholds.window_s
        near = distance - uncertainty <= thresholds.radius_m  # NaN (no location) is False
        precise = uncertainty <= thresholds.radius_m
        kind = np.where(precise, compatible[code][index.category], index.category == code)
        chosen |= recent & near & kind
    for incident_id in hidden:
        slot = index.slot(incident_id)
        if slot is not None:
            chosen[slot] = False
    slots = np.flatnonzero(chosen)
    # The values shown (to 0.1 m) are the values ranked, as ``rank`` does on the suggestions.
    shown_distance = np.round(distance[slots], 1)
    shown_uncertainty = np.round(uncertainty[slots], 1)
    picked = _best(
        index,
        slots,
        _rank_keys(index, slots, same_caller, shown_distance, shown_uncertainty, code),
        limit,
    )
    found = [
        _suggestion(
            index.at(int(slots[i])),
            report.category,
            distance=_number(distance[slots[i]]),
            uncertainty=_number(uncertainty[slots[i]]),
            shown_distance=_number(shown_distance[i]),
            shown_uncertainty=_number(shown_uncertainty[i]),
            age_s=float(age[slots[i]]),
            same_caller=bool(same_caller[slots[i]]),
        )
        for i in picked
    ]
    return DuplicateMatches(rank(found), len(slots))


def _rank_keys(
    index: IncidentIndex,
    slots: NDArray[np.intp],
    same_caller: NDArray[np.bool_],
    distance: NDArray[np.float64],
    uncertainty: NDArray[np.float64],
    code: int,
) -> list[NDArray[np.bool_] | NDArray[np.float64]]:
    """``_rank_key`` as arrays over the matched slots, least significant first (lexsort);
    the incident number, last of the key, is left to ``_best`` for ties."""
    far = np.where(np.isnan(distance), math.inf, distance)
    beyond = np.maximum(0.0, far - np.where(np.isnan(uncertainty), 0.0, uncertainty))
    return [
        far,
        ~index.routed[slots],
        beyond,
        index.category[slots] != code,
        ~same_caller[slots],
    ]


def _best(
    index: IncidentIndex,
    slots: NDArray[np.intp],
    keys: list[NDArray[np.bool_] | NDArray[np.float64]],
    limit: int | None,
) -> list[int]:
    """Positions in ``slots`` of the best ``limit`` by the keys, ties at the cut broken by
    the incident number as ``rank`` does."""
    if limit is None or len(slots) <= limit:
        return list(range(len(slots)))
    if limit <= 0:
        return []
    order = np.lexsort(keys)
    last = order[limit - 1]
    tied = np.ones(len(slots), dtype=np.bool_)
    for key in keys:
        tied &= key == key[last]
    ahead = [int(i) for i in order[:limit] if not tied[i]]
    at_cut = sorted(
        (int(i) for i in np.flatnonzero(tied)), key=lambda i: index.at(int(slots[i])).number
    )
    return ahead + at_cut[: limit - len(ahead)]


def _number(value: np.float64) -> float | None:
    return None if math.isnan(value) else float(value)


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
    shown_distance: float | None,
    shown_uncertainty: float | None,
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
        distance_m=shown_distance,
        age_s=round(age_s, 1),
        category=incident.category,
        same_caller=same_caller,
        same_category=same,
        uncertainty_m=shown_uncertainty,
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
