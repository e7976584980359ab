"""How the false-call screening performs: each band against what the incident turned out to be.

The band is the one the operator saw last (the model's, or their override). The outcome is the
call-back's verdict when there was one, else the closing disposition: *false* (prank, silent,
accidental, non-emergency), *genuine*, or *unknown* while open (duplicates and tests are left
out: they say nothing about the caller's intent). Counted per ISO week (WITA) of receipt.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from zoneinfo import ZoneInfo

from replay.kpi_facts import Facts

BANDS = ("high", "medium", "low")
OUTCOMES = ("false", "genuine", "unknown")
FALSE_KINDS = frozenset({"prank", "silent", "accidental", "non_emergency"})


def outcome(f: Facts) -> str | None:
    """``false``, ``genuine``, ``unknown``, or None when the incident says nothing (dup, test)."""
    if f.verified_genuine is not None:
        return "genuine" if f.verified_genuine else "false"
    if f.disposition is None:
        return "unknown"
    if f.disposition == "genuine":
        return "genuine"
    return "false" if f.disposition in FALSE_KINDS else None


def screening(calls: list[Facts], zone: ZoneInfo) -> dict[str, Any]:
    """Per band: how many turned out false, genuine or not yet known; overall and per week."""
    overall: Counter[tuple[str, str]] = Counter()
    weekly: Counter[tuple[str, str, str]] = Counter()
    for f in calls:
        result = outcome(f)
        if f.band is None or result is None:
            continue
        year, week, _ = f.received_at.astimezone(zone).isocalendar()
        overall[(f.band, result)] += 1
        weekly[(f"{year}-W{week:02d}", f.band, result)] += 1
    return {
        "definition": "band seen last (model or override) × call-back verdict, else disposition",
        "by_band": {b: {o: overall[(b, o)] for o in OUTCOMES} for b in BANDS},
        "by_week": [
            {"week": week, "band": band, **{o: weekly[(week, band, o)] for o in OUTCOMES}}
            for week in sorted({w for w, _, _ in weekly})
            for band in BANDS
            if any(weekly[(week, band, o)] for o in OUTCOMES)
        ],
    }
