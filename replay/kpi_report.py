"""Writing a KPI report: JSON, CSV, PNG charts (``replay.kpi_charts``) and one HTML page.

Everything a person reads is in the report's language (Indonesian by default): the agency,
category, disposition and reason names, percentages (``93,3 %``), durations and the period in
WITA. A measure with nothing to count says "tidak ada data", never a row of dashes or a zero.
"""

from __future__ import annotations

import base64
import csv
import html
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from replay.kpi_charts import draw_charts
from replay.kpi_labels import Lang, percent, seconds, text, word

__all__ = ["csv_rows", "draw_charts", "render_html", "write_report"]
MEASURES = ("processing", "acknowledgement", "on_scene")


def write_report(document: dict[str, Any], out: Path) -> dict[str, Path]:
    """Write kpi.json, kpi.csv, the charts and kpi.html into ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "kpi.json", "csv": out / "kpi.csv", "html": out / "kpi.html"}
    paths["json"].write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    with paths["csv"].open("w", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(("section", "group", "key", "metric", "value", "label"))
        writer.writerows(csv_rows(document))
    charts = draw_charts(document, out)
    paths.update({f"chart:{name}": path for name, path in charts.items()})
    paths["html"].write_text(render_html(document, charts))
    return paths


def csv_rows(document: dict[str, Any]) -> Iterator[tuple[str, str, str, str, Any, str]]:
    """The report in long form: one value per row, codes plus the reader's label."""
    lang: Lang = document["lang"]
    calls = document["calls"]
    yield ("calls", "", "", "total", calls["total"], "")
    for group in ("by_category", "by_kecamatan", "by_hour"):
        for key, count in calls[group].items():
            yield ("calls", group, key, "count", count, word(key, lang))
    dispositions = document["dispositions"]
    yield ("dispositions", "", "", "closed", dispositions["closed"], "")
    yield ("dispositions", "", "", "open", dispositions["open"], "")
    for key, value in dispositions["shares"].items():
        yield ("dispositions", "shares", key, "count", value["count"], word(key, lang))
        yield ("dispositions", "shares", key, "percent", value["percent"], word(key, lang))
    for agency, measures in document["nfpa1225"]["by_agency"].items():
        yield ("nfpa1225", agency, "", "routed", measures["routed"], word(agency, lang))
        for measure in MEASURES:
            for metric, value in measures.get(measure, {}).items():
                if not isinstance(value, dict):
                    yield ("nfpa1225", agency, measure, metric, value, word(agency, lang))
    escalations = document["escalations"]
    for reason, count in escalations["by_reason"].items():
        yield ("escalations", "by_reason", reason, "count", count, word(reason, lang))
    for agency, reasons in escalations["by_agency"].items():
        for reason, count in reasons.items():
            label = f"{word(agency, lang)} · {word(reason, lang)}"
            yield ("escalations", agency, reason, "count", count, label)
    for p in document["handoffs"]["by_pair"]:
        label = f"{word(p['from'], lang)} → {word(p['to'], lang)}"
        for metric in ("count", "time_lost_p50_s", "time_lost_p90_s", "time_lost_max_s"):
            yield ("handoffs", p["week"], f"{p['from']}>{p['to']}", metric, p[metric], label)
    for band, counts in document["screening"]["by_band"].items():
        for result, count in counts.items():
            yield ("screening", "by_band", band, result, count, word(band, lang))
    queue = document["verification_queue"]
    for metric in ("flagged", "resolved", "still_waiting"):
        yield ("verification_queue", "", "", metric, queue[metric], "")
    for group in ("wait", "callback_first_wait"):
        for metric, value in queue[group].items():
            yield ("verification_queue", group, "", metric, value, "")


def render_html(document: dict[str, Any], charts: dict[str, Path]) -> str:
    """One self-contained page: tables, and the charts embedded (also saved beside it)."""
    lang: Lang = document["lang"]
    period = document["period"]
    queue = document["verification_queue"]
    dispositions = document["dispositions"]
    parts = [
        f"<!doctype html><html lang='{lang}'><meta charset='utf-8'>",
        f"<title>{_e(text('title', lang))}</title>",
        "<style>body{font-family:sans-serif;max-width:64rem;margin:2rem auto}"
        "table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;"
        "padding:.25rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}"
        ".pass{color:#2e7d32;font-weight:bold}.fail{color:#b3261e;font-weight:bold}"
        ".no_data{color:#666;font-style:italic}</style>",
        f"<h1>{_e(text('title', lang))}</h1>",
        f"<p>{_e(text('period', lang))}: {_e(period['from_local'])} – {_e(period['to_local'])}."
        f" {_e(text('summary', lang, total=document['calls']['total']))} "
        f"{_e(_source(document['source'], lang))}</p>",
        f"<h2>{_e(text('measures', lang))}</h2>",
        _measures_table(document, lang),
        f"<h2>{_e(text('escalations', lang))}</h2>",
        _escalations_table(document["escalations"], lang),
        f"<h2>{_e(text('handoffs', lang))}</h2>",
        _handoffs_table(document["handoffs"], lang),
        f"<h2>{_e(text('screening', lang))}</h2>",
        _screening_table(document["screening"], lang),
        f"<h2>{_e(text('dispositions', lang))}</h2>",
        _table(
            (text("disposition", lang), text("count", lang), text("share", lang)),
            [
                (word(k, lang), v["count"], percent(v["percent"], lang))
                for k, v in dispositions["shares"].items()
            ],
        ),
        f"<p>{_e(text('open', lang, open=dispositions['open']))}</p>",
        f"<h2>{_e(text('queue', lang))}</h2>",
        _table(
            (text("queue_name", lang), text("count", lang), "p50", "p90", "max"),
            [
                (
                    label,
                    s["count"],
                    seconds(s["p50_s"], lang),
                    seconds(s["p90_s"], lang),
                    seconds(s["max_s"], lang),
                )
                for label, s in (
                    (text("queue_all", lang), queue["wait"]),
                    (text("queue_first", lang), queue["callback_first_wait"]),
                )
            ],
        ),
        f"<p>{_e(text('still_waiting', lang, n=queue['still_waiting']))}</p>",
        f"<h2>{_e(text('kecamatan', lang))}</h2>",
        _table(
            (text("kecamatan", lang), text("calls", lang)),
            [(word(k, lang), v) for k, v in document["calls"]["by_kecamatan"].items()],
        ),
        f"<h2>{_e(text('charts', lang))}</h2>",
    ]
    for name, path in charts.items():
        data = base64.b64encode(path.read_bytes()).decode()
        parts.append(f"<p><img alt='{_e(name)}' src='data:image/png;base64,{data}'></p>")
    return "\n".join(parts) + "\n</html>\n"


def _target_text(document: dict[str, Any], measure: str, stat: dict[str, Any], lang: Lang) -> str:
    if stat.get("target_s") is not None:
        return seconds(stat["target_s"], lang)
    if measure == "acknowledgement":
        by = document["nfpa1225"]["targets"]["acknowledgement_s_by_priority"]
        return ", ".join(f"{p} {seconds(s, lang)}" for p, s in by.items())
    return "–"


def _measures_table(document: dict[str, Any], lang: Lang) -> str:
    header = (
        text("agency", lang),
        text("measure", lang),
        text("counted", lang),
        text("missed", lang),
        text("pending", lang),
        "p50",
        "p90",
        text("target", lang),
        text("within", lang),
        text("result", lang),
    )
    rows = []
    for agency, measures in document["nfpa1225"]["by_agency"].items():
        for measure in MEASURES:
            s = measures.get(measure)
            if s is None:
                continue
            name = (word(agency, lang), word(measure, lang))
            if s["status"] == "no_data":
                extra = s.get("no_arrival_recorded") or 0
                note = f" ({extra} {text('no_arrival', lang)})" if extra else ""
                rows.append(
                    f"<tr><td>{_e(name[0])}</td><td>{_e(name[1])}</td>"
                    f"<td colspan='8' class='no_data'>{_e(word('no_data', lang) + note)}</td></tr>"
                )
                continue
            extra = s.get("no_arrival_recorded") or 0
            cells = (
                *name,
                f"{s['count']} (+{extra} {text('no_arrival', lang)})" if extra else s["count"],
                s["missed"],
                s["pending"],
                seconds(s["p50_s"], lang),
                seconds(s["p90_s"], lang),
                _target_text(document, measure, s, lang),
                f"{percent(s['percent_within_target'], lang)} ({s['within_target']}/{s['count']})",
            )
            row = "".join(f"<td>{_e(c)}</td>" for c in cells)
            status = s["status"]
            rows.append(f"<tr>{row}<td class='{status}'>{_e(word(status, lang))}</td></tr>")
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    definitions = "".join(
        f"<li><b>{_e(word(m, lang))}</b>: {_e(text(f'def_{m}', lang))}</li>" for m in MEASURES
    )
    return (
        f"<table><tr>{head}</tr>{''.join(rows)}</table>"
        f"<p>{_e(text('definitions', lang))}:</p><ul>{definitions}</ul>"
        f"<p>{_e(text('def_rule', lang))}</p>"
    )


def _escalations_table(escalations: dict[str, Any], lang: Lang) -> str:
    if not escalations["total"]:
        return f"<p class='no_data'>{_e(text('no_escalations', lang))}</p>"
    rows = [
        (word(agency, lang), word(reason, lang), count)
        for agency, reasons in escalations["by_agency"].items()
        for reason, count in reasons.items()
    ]
    return _table((text("agency", lang), text("reason", lang), text("count", lang)), rows)


def _handoffs_table(found: dict[str, Any], lang: Lang) -> str:
    if not found["by_pair"]:
        return f"<p class='no_data'>{_e(text('no_handoffs', lang))}</p>"
    rows = [
        (
            p["week"],
            f"{word(p['from'], lang)} → {word(p['to'], lang)}",
            p["count"],
            seconds(p["time_lost_p50_s"], lang),
            seconds(p["time_lost_p90_s"], lang),
        )
        for p in found["by_pair"]
    ]
    header = (text("week", lang), text("pair", lang), text("count", lang), "p50", "p90")
    return _table(header, rows) + f"<p>{_e(text('def_handoffs', lang))}</p>"


def _screening_table(found: dict[str, Any], lang: Lang) -> str:
    rows = [
        (word(band, lang), counts["false"], counts["genuine"], counts["unknown"])
        for band, counts in found["by_band"].items()
    ]
    header = (
        text("band", lang),
        text("turned_false", lang),
        text("turned_genuine", lang),
        text("not_known", lang),
    )
    return _table(header, rows) + f"<p>{_e(text('def_screening', lang))}</p>"


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _e(value: Any) -> str:
    return html.escape(str(value))


def _source(source: dict[str, Any], lang: Lang) -> str:
    """Where the figures were read, and how far behind the log they are, if they are."""
    if source.get("from") != "projection":
        return text("source", lang, head=source["log_head"])
    said = text("source_projection", lang, position=source["position"], head=source["log_head"])
    if source["caught_up"]:
        return said
    behind = text("behind", lang, behind=source["events_behind"], first=source["first_unread"])
    return f"{said} {behind}"
