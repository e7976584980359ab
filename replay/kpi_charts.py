"""The KPI report's charts (matplotlib, Agg): one per measure, read without the tables.

Counts have whole-number axes; every bar carries its value; labels are the reader's words, not
codes; an agency with nothing to measure shows "tidak ada data" where its bar would be, so no
data never looks like zero; a measure's chart draws the 90 % pass line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from replay.kpi_labels import Lang, percent, text, word

MEASURE_CHARTS = ("processing", "acknowledgement", "on_scene")
COUNT_COLOUR, PASS_COLOUR, FAIL_COLOUR = "#1f5f99", "#2e7d32", "#b3261e"


@dataclass(frozen=True)
class Chart:
    """One bar chart: labels, values (``None`` = no data), how to show a value."""

    title: str
    labels: Sequence[str]
    values: Sequence[float | None]
    axis: str
    kind: str  # "count" or "percent"
    horizontal: bool = False
    colours: Sequence[str] = ()


def charts(document: dict[str, Any]) -> dict[str, Chart]:
    """Every chart of the report, by file name."""
    lang: Lang = document["lang"]
    calls = document["calls"]
    shares = document["dispositions"]["shares"]
    reasons = document["escalations"]["by_reason"]
    out = {
        "calls_by_hour": Chart(
            text("chart_by_hour", lang),
            list(calls["by_hour"]),
            list(calls["by_hour"].values()),
            text("calls", lang),
            "count",
        ),
        "calls_by_category": Chart(
            text("chart_by_category", lang),
            [word(c, lang) for c in calls["by_category"]],
            list(calls["by_category"].values()),
            text("calls", lang),
            "count",
            horizontal=True,
        ),
        "dispositions": Chart(
            text("chart_dispositions", lang),
            [word(d, lang) for d in shares],
            [v["count"] for v in shares.values()],
            text("incidents", lang),
            "count",
            horizontal=True,
        ),
        "escalations": Chart(
            text("chart_escalations", lang),
            [word(r, lang) for r in reasons],
            list(reasons.values()),
            text("incidents", lang),
            "count",
            horizontal=True,
        ),
    }
    by_agency = document["nfpa1225"]["by_agency"]
    for measure in MEASURE_CHARTS:
        rows = [(a, m[measure]) for a, m in by_agency.items() if measure in m]
        values = [s["percent_within_target"] for _, s in rows]
        out[f"{measure}_within_target"] = Chart(
            f"{word(measure, lang)}: {text('within', lang).lower()} "
            f"({_target(document, measure, lang)})",
            [word(a, lang) for a, _ in rows],
            values,
            "%",
            "percent",
            horizontal=True,
            colours=[PASS_COLOUR if s["status"] == "pass" else FAIL_COLOUR for _, s in rows],
        )
    return out


def _target(document: dict[str, Any], measure: str, lang: Lang) -> str:
    targets = document["nfpa1225"]["targets"]
    if measure == "acknowledgement":
        return ", ".join(
            f"{p} {s:g} s" for p, s in targets["acknowledgement_s_by_priority"].items()
        )
    return f"{targets[f'{measure}_s']:g} s"


def draw_charts(document: dict[str, Any], out: Path) -> dict[str, Path]:
    """One PNG per chart, drawn off-screen."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    lang: Lang = document["lang"]
    paths = {}
    for name, chart in charts(document).items():
        height = max(3.2, 0.45 * len(chart.labels) + 1.4) if chart.horizontal else 3.6
        figure, axes = plt.subplots(figsize=(8, height), dpi=100)
        shown = [v if v is not None else 0.0 for v in chart.values]
        colours = list(chart.colours) or [COUNT_COLOUR] * len(shown)
        positions = range(len(shown))
        bars = (
            axes.barh(positions, shown, color=colours)
            if chart.horizontal
            else axes.bar(positions, shown, color=colours)
        )
        labels = [
            word("no_data", lang)
            if v is None
            else (percent(v, lang) if chart.kind == "percent" else f"{v:g}")
            for v in chart.values
        ]
        axes.bar_label(bars, labels=labels, padding=3, fontsize=8)
        value_axis = axes.xaxis if chart.horizontal else axes.yaxis
        if chart.kind == "percent":
            limit = axes.set_xlim if chart.horizontal else axes.set_ylim
            limit(0, 115)
            line = axes.axvline if chart.horizontal else axes.axhline
            line(90, color="black", linestyle="--", linewidth=1)
        else:
            value_axis.set_major_locator(MaxNLocator(integer=True))
            top = max(shown, default=0)
            limit = axes.set_xlim if chart.horizontal else axes.set_ylim
            limit(0, max(1.0, top * 1.15 + 0.5))
        if chart.horizontal:
            axes.set_yticks(list(positions), list(chart.labels), fontsize=8)
            axes.invert_yaxis()
            axes.set_xlabel(chart.axis)
        else:
            axes.set_xticks(list(positions), list(chart.labels), fontsize=8)
            axes.set_ylabel(chart.axis)
        if not chart.labels:
            axes.text(
                0.5, 0.5, word("no_data", lang), ha="center", va="center", transform=axes.transAxes
            )
        axes.set_title(chart.title)
        figure.tight_layout()
        paths[name] = out / f"{name}.png"
        figure.savefig(paths[name])
        plt.close(figure)
    return paths
