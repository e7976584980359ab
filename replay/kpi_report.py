"""Writing a KPI report: JSON, CSV, PNG charts (matplotlib, Agg) and one HTML page."""

from __future__ import annotations

import base64
import csv
import html
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CHARTS = ("calls_by_hour", "calls_by_category", "dispositions", "processing_p90")


def write_report(document: dict[str, Any], out: Path) -> dict[str, Path]:
    """Write kpi.json, kpi.csv, the charts and kpi.html into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "kpi.json", "csv": out / "kpi.csv", "html": out / "kpi.html"}
    paths["json"].write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    with paths["csv"].open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(("section", "group", "key", "metric", "value"))
        writer.writerows(csv_rows(document))
    charts = draw_charts(document, out)
    paths.update({f"chart:{name}": path for name, path in charts.items()})
    paths["html"].write_text(render_html(document, charts))
    return paths


def csv_rows(document: dict[str, Any]) -> Iterator[tuple[str, str, str, str, Any]]:
    """The report in long form: one value per row."""
    calls = document["calls"]
    yield ("calls", "", "", "total", calls["total"])
    for group in ("by_category", "by_kecamatan", "by_hour"):
        for key, count in calls[group].items():
            yield ("calls", group, key, "count", count)
    dispositions = document["dispositions"]
    yield ("dispositions", "", "", "closed", dispositions["closed"])
    yield ("dispositions", "", "", "open", dispositions["open"])
    for key, value in dispositions["shares"].items():
        yield ("dispositions", "shares", key, "count", value["count"])
        yield ("dispositions", "shares", key, "share", value["share"])
    for agency, measures in document["nfpa1225"]["by_agency"].items():
        yield ("nfpa1225", agency, "", "routed", measures["routed"])
        for measure, stats in measures.items():
            if isinstance(stats, dict):
                for metric, value in stats.items():
                    yield ("nfpa1225", agency, measure, metric, value)
    queue = document["verification_queue"]
    for metric in ("flagged", "resolved", "still_waiting"):
        yield ("verification_queue", "", "", metric, queue[metric])
    for group in ("wait", "callback_first_wait"):
        for metric, value in queue[group].items():
            yield ("verification_queue", group, "", metric, value)


def draw_charts(document: dict[str, Any], out: Path) -> dict[str, Path]:
    """One PNG per chart, drawn off-screen."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    calls = document["calls"]
    by_agency = document["nfpa1225"]["by_agency"]
    shares = document["dispositions"]["shares"]
    specs: dict[str, tuple[str, list[str], list[float], str]] = {
        "calls_by_hour": (
            f"Calls by hour ({document['period']['timezone']})",
            list(calls["by_hour"]),
            list(calls["by_hour"].values()),
            "calls",
        ),
        "calls_by_category": (
            "Calls by category",
            list(calls["by_category"]),
            list(calls["by_category"].values()),
            "calls",
        ),
        "dispositions": (
            "Closed incidents by disposition",
            list(shares),
            [v["count"] for v in shares.values()],
            "incidents",
        ),
        "processing_p90": (
            "Call processing p90 by agency (target 60 s)",
            list(by_agency),
            [m["processing"]["p90_s"] or 0.0 for m in by_agency.values()],
            "seconds",
        ),
    }
    paths = {}
    for name, (title, labels, values, unit) in specs.items():
        figure, axes = plt.subplots(figsize=(8, 3.6), dpi=100)
        axes.bar(labels, values, color="#b3261e" if name == "processing_p90" else "#1f5f99")
        if name == "processing_p90":
            axes.axhline(60, color="black", linestyle="--", linewidth=1)
        axes.set_title(title)
        axes.set_ylabel(unit)
        axes.tick_params(axis="x", labelrotation=45 if len(labels) > 6 else 0, labelsize=8)
        figure.tight_layout()
        paths[name] = out / f"{name}.png"
        figure.savefig(paths[name])
        plt.close(figure)
    return paths


def render_html(document: dict[str, Any], charts: dict[str, Path]) -> str:
    """One self-contained page: tables, and the charts embedded (also saved beside it)."""
    period = document["period"]
    parts = [
        "<!doctype html><html lang='en'><meta charset='utf-8'>",
        "<title>Siaga112 KPI report</title>",
        "<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto}"
        "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;"
        "padding:.25rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}"
        "</style>",
        "<h1>Siaga112 KPI report</h1>",
        f"<p>Incidents received from {_e(period['from'])} to {_e(period['to'])} "
        f"({_e(period['timezone'])}); {document['calls']['total']} calls; rebuilt from the "
        f"event log up to position {document['source']['log_head']}.</p>",
        "<h2>NFPA 1225 measures</h2>",
        _measures_table(document["nfpa1225"]),
        "<h2>Dispositions</h2>",
        _table(
            ("disposition", "count", "share"),
            [(k, v["count"], v["share"]) for k, v in document["dispositions"]["shares"].items()],
        ),
        "<h2>Verification queue (flagged → verified or closed)</h2>",
        _table(
            ("queue", "count", "p50 s", "p90 s", "max s"),
            [
                (name, s["count"], s["p50_s"], s["p90_s"], s["max_s"])
                for name, s in (
                    ("all flagged", document["verification_queue"]["wait"]),
                    ("call back first", document["verification_queue"]["callback_first_wait"]),
                )
            ],
        ),
        f"<p>Still waiting: {document['verification_queue']['still_waiting']}</p>",
        "<h2>Calls by kecamatan</h2>",
        _table(("kecamatan", "calls"), list(document["calls"]["by_kecamatan"].items())),
        "<h2>Charts</h2>",
    ]
    for name, path in charts.items():
        data = base64.b64encode(path.read_bytes()).decode()
        parts.append(f"<p><img alt='{_e(name)}' src='data:image/png;base64,{data}'></p>")
    return "\n".join(parts) + "\n</html>\n"


def _measures_table(nfpa: dict[str, Any]) -> str:
    rows = []
    for agency, measures in nfpa["by_agency"].items():
        for measure in ("processing", "acknowledgement", "on_scene"):
            s = measures[measure]
            share = s.get("share_within_target")
            rows.append(
                (
                    agency,
                    measure,
                    s["count"],
                    s["p50_s"],
                    s["p90_s"],
                    "" if share is None else share,
                )
            )
    definitions = "".join(f"<li>{_e(k)}: {_e(v)}</li>" for k, v in nfpa["definitions"].items())
    header = ("agency", "measure", "n", "p50 s", "p90 s", "share ≤ 60 s")
    return _table(header, rows) + f"<ul>{definitions}</ul>"


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{_e(_cell(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.1f}" if value >= 1 or value == 0 else f"{value:.3f}"
    return str(value)


def _e(text: Any) -> str:
    return html.escape(str(text))
