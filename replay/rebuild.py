"""Rebuild check: every projection rebuilt from position 0 in a scratch store, diffed with live.

The rebuilding and the diff are the projections' own (``projections.rebuild.rebuild_and_diff``,
which replays up to the live view's tracking position, so a busy server is compared at one
point in the log); this runs it for every projection of ``projections.catalog`` and collects
every difference.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from dispatch.settings import Settings
from projections.catalog import CATALOG
from projections.rebuild import NEVER_RAN, rebuild_and_diff
from replay.errors import InvalidQuery, ReplayError


class RebuildUnavailable(ReplayError):
    """Raised when projections cannot exist on this store (the in-memory one)."""


def rebuild_check(settings: Settings, names: Sequence[str] | None = None) -> dict[str, Any]:
    """Rebuild every projection (or the named ones) and list every difference."""
    if settings.backend == "memory":
        raise RebuildUnavailable("projections need SQLite or PostgreSQL, not an in-memory store")
    unknown = sorted(set(names or ()) - set(CATALOG))
    if unknown:
        raise InvalidQuery("names", f"unknown projections {unknown} (known: {sorted(CATALOG)})")
    reports = [rebuild_and_diff(settings, name).as_dict() for name in names or CATALOG]
    return {"ok": all(not r["differences"] for r in reports), "projections": reports}


def render_text(result: dict[str, Any]) -> str:
    """One line per projection, then its differences."""
    lines = []
    for r in result["projections"]:
        if r["position"] is None and not r["differences"]:
            lines.append(f"{r['name']}: {NEVER_RAN}")
            continue
        verdict = "identical" if not r["differences"] else f"{len(r['differences'])} differences"
        lines.append(
            f"{r['name']}: up to position {r['position']}, {r['events']} events replayed; "
            f"live {r['live_rows']} rows, rebuilt {r['rebuilt_rows']} rows: {verdict}"
        )
        lines += [
            f"  - {d['table']} {d['key']}: live {json.dumps(d['live'], default=str)}, "
            f"rebuilt {json.dumps(d['rebuilt'], default=str)}"
            for d in r["differences"]
        ]
    lines.append("OK" if result["ok"] else "DIFFERENCES FOUND")
    return "\n".join(lines)
