"""The open data of ``/publik``: CSV (one value per row) and JSON with a data dictionary.

Drawn only from a ``PublicFigures``: aggregates that carry nothing personal.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from replay.public_figures import MIN_CELL, SUPPRESSED, PublicFigures
from replay.public_page import RULES

DICTIONARY = {
    "dataset": "calls_by_week_kecamatan | week_total | call_kind | screening | response_time",
    "week": "ISO week, WITA (e.g. 2026-W47: Monday to Sunday)",
    "kecamatan": "the kecamatan of the reported place; '(tidak diketahui)' when not known",
    "kind": "call_kind: how a closed report ended (genuine, prank, silent, accidental, "
    "non_emergency, duplicate); screening: the false-call band (high, medium, low)",
    "agency": "all (first unit of any agency), police, fire, medical, bpbd, sar",
    "measure": "processing (received → first unit dispatched), acknowledgement (routed → "
    "acknowledged), on_scene (dispatched → on scene)",
    "metric": "incidents, percent, mean_s, p90_s, target_s, percent_within_target; screening: "
    "turned_false, turned_genuine, not_known (call-back verdict, else closing disposition), "
    "percent_false (of those known)",
    "value": f"a number, or '{SUPPRESSED}' when fewer than {MIN_CELL} incidents (never a number)"
    ", or empty when not published",
}


def rows(figures: PublicFigures) -> Iterator[dict[str, Any]]:
    """The open data in long form: one value per row (the CSV, and the JSON's ``rows``)."""
    blank = {"week": "", "kecamatan": "", "kind": "", "agency": "", "measure": ""}
    for week in figures.weeks:
        total = figures.week_totals[week]
        yield {
            **blank,
            "dataset": "week_total",
            "week": week,
            "metric": "incidents",
            "value": total,
        }
    for c in figures.calls:
        yield {
            **blank,
            "dataset": "calls_by_week_kecamatan",
            "week": c.week,
            "kecamatan": c.kecamatan,
            "metric": "incidents",
            "value": c.calls,
        }
    for k in figures.kinds:
        yield {
            **blank,
            "dataset": "call_kind",
            "kind": k.kind,
            "metric": "incidents",
            "value": k.incidents,
        }
        yield {
            **blank,
            "dataset": "call_kind",
            "kind": k.kind,
            "metric": "percent",
            "value": k.percent,
        }
    for r in figures.screening:
        for metric, value in (
            ("turned_false", r.turned_false),
            ("turned_genuine", r.turned_genuine),
            ("not_known", r.not_known),
            ("percent_false", r.percent_false),
        ):
            yield {
                **blank,
                "dataset": "screening",
                "kind": r.band,
                "metric": metric,
                "value": value,
            }
    for t in figures.response_times:
        for metric in ("incidents", "mean_s", "p90_s", "target_s", "percent_within_target"):
            value = t.incidents if metric == "incidents" else getattr(t, metric)
            yield {
                **blank,
                "dataset": "response_time",
                "agency": t.agency,
                "measure": t.measure,
                "metric": metric,
                "value": value,
            }


FIELDS = ("dataset", "week", "kecamatan", "kind", "agency", "measure", "metric", "value")


def render_csv(figures: PublicFigures) -> str:
    """The open data as CSV (columns described in ``DICTIONARY``)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows(figures):
        writer.writerow({k: "" if row[k] is None else row[k] for k in FIELDS})
    return out.getvalue()


def render_json(figures: PublicFigures) -> dict[str, Any]:
    """The open data as JSON: period, rules, data dictionary and the rows."""
    return {
        "title": "Siaga 112 Samarinda — open data",
        "period": {
            "first_day": figures.first_day.isoformat(),
            "last_day": figures.last_day.isoformat(),
            "weeks": list(figures.weeks),
            "timezone": "Asia/Makassar (WITA)",
        },
        "rules": list(RULES),
        "data_dictionary": DICTIONARY,
        "rows": list(rows(figures)),
    }
