"""The public figures (``/publik`` and its open data): aggregates only, small cells suppressed.

The rules, stated on the page too:

* nothing finer than a kecamatan and an ISO week (WITA); no caller, description, location,
  time of day, incident number or id ever reaches this module's output;
* any cell counting fewer than ``MIN_CELL`` (5) incidents, zero included, is published as
  ``"<5"``, never as a number; where a published total would let a reader subtract a single
  suppressed cell back out, the next smallest cell of that total is suppressed too;
* a time (mean, 90th centile) is published only when at least ``MIN_CELL`` incidents were
  measured.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean
from zoneinfo import ZoneInfo

from replay.kpi import ALL, collect_measures
from replay.kpi_facts import Facts
from replay.kpi_screening import BANDS, outcome
from replay.kpi_stats import percentile
from replay.kpi_targets import Targets

MIN_CELL = 5
SUPPRESSED = "<5"
WEEKS = 12
#: False-call kinds in the order the page lists them; ``test`` calls are the center's own.
KINDS = ("genuine", "prank", "silent", "accidental", "non_emergency", "duplicate")
Cell = int | str


@dataclass(frozen=True)
class WeekCell:
    """Calls received in one ISO week in one kecamatan."""

    week: str
    kecamatan: str
    calls: Cell


@dataclass(frozen=True)
class KindShare:
    """Closed incidents of one kind over the period, and their share of all closed."""

    kind: str
    incidents: Cell
    percent: float | None


@dataclass(frozen=True)
class ScreeningRow:
    """Calls of one screening band over the period, by what they turned out to be."""

    band: str
    turned_false: Cell
    turned_genuine: Cell
    not_known: Cell
    percent_false: float | None


@dataclass(frozen=True)
class ResponseTime:
    """One agency's times on one measure over the period, against the target."""

    agency: str
    measure: str
    incidents: Cell
    mean_s: float | None
    p90_s: float | None
    target_s: float | None
    percent_within_target: float | None


@dataclass(frozen=True)
class PublicFigures:
    """Everything ``/publik`` shows and exports."""

    weeks: tuple[str, ...]
    first_day: date
    last_day: date
    week_totals: Mapping[str, Cell]
    calls: tuple[WeekCell, ...]
    closed: Cell
    kinds: tuple[KindShare, ...]
    response_times: tuple[ResponseTime, ...]
    screening: tuple[ScreeningRow, ...]
    targets: Targets


def iso_week(moment: datetime, zone: ZoneInfo) -> str:
    """``2026-W47``: the ISO week of a moment in local time."""
    year, week, _ = moment.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"


def period(now: datetime, zone: ZoneInfo, weeks: int = WEEKS) -> tuple[datetime, datetime]:
    """The last ``weeks`` ISO weeks up to and including the current one, in local time."""
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday - timedelta(weeks=weeks - 1), datetime.min.time(), zone)
    return start, datetime.combine(monday + timedelta(weeks=1), datetime.min.time(), zone)


def suppress(counts: Mapping[str, int], *, total_published: bool) -> dict[str, Cell]:
    """Each count, or ``"<5"`` under ``MIN_CELL``; a lone suppressed cell takes its neighbour."""
    cells: dict[str, Cell] = {k: (SUPPRESSED if v < MIN_CELL else v) for k, v in counts.items()}
    hidden = [k for k, v in counts.items() if v < MIN_CELL]
    if total_published and len(hidden) == 1:
        shown = sorted((v, k) for k, v in counts.items() if v >= MIN_CELL)
        if shown:
            cells[shown[0][1]] = SUPPRESSED
    return cells


def _total(value: int) -> Cell:
    return SUPPRESSED if value < MIN_CELL else value


def figures(facts: list[Facts], now: datetime, zone: ZoneInfo, targets: Targets) -> PublicFigures:
    """The public figures of the last twelve weeks from the incidents' facts."""
    start, end = period(now, zone)
    calls = [f for f in facts if start <= f.received_at < end]
    weeks = tuple(iso_week(start + timedelta(weeks=i), zone) for i in range(WEEKS))
    by_week: dict[str, Counter[str]] = {w: Counter() for w in weeks}
    for f in calls:
        by_week[iso_week(f.received_at, zone)][f.kecamatan] += 1
    cells = []
    for week in weeks:
        published = suppress(by_week[week], total_published=True)
        cells += [WeekCell(week, k, published[k]) for k in sorted(published)]
    closed = Counter(f.disposition for f in calls if f.disposition in KINDS)
    closed_total = sum(closed.values())
    kinds = suppress({k: closed.get(k, 0) for k in KINDS}, total_published=True)
    return PublicFigures(
        weeks=weeks,
        first_day=start.date(),
        last_day=(end - timedelta(days=1)).date(),
        week_totals={w: _total(sum(by_week[w].values())) for w in weeks},
        calls=tuple(cells),
        closed=_total(closed_total),
        kinds=tuple(
            KindShare(
                k,
                kinds[k],
                round(100 * closed[k] / closed_total, 1)
                if isinstance(kinds[k], int) and closed_total >= MIN_CELL
                else None,
            )
            for k in KINDS
        ),
        response_times=_response_times(calls, now, targets),
        screening=_screening(calls),
        targets=targets,
    )


def _response_times(
    calls: list[Facts], now: datetime, targets: Targets
) -> tuple[ResponseTime, ...]:
    out = []
    for agency, measured in collect_measures(calls, targets, now).items():
        for measure in ("processing", "acknowledgement", "on_scene"):
            if agency != ALL and measure == "processing":
                continue  # the public figure is the city's: first unit of any agency
            if agency == ALL and measure == "acknowledgement":
                continue
            samples = getattr(measured, measure)
            timed = [s.seconds for s in samples if s.seconds is not None]
            within = sum(1 for s in samples if s.seconds is not None and s.seconds <= s.target_s)
            enough = len(samples) >= MIN_CELL and len(timed) >= MIN_CELL
            distinct = {s.target_s for s in samples}
            out.append(
                ResponseTime(
                    agency,
                    measure,
                    len(samples) if len(samples) >= MIN_CELL else SUPPRESSED,
                    round(fmean(timed), 1) if enough else None,
                    percentile(timed, 90) if enough else None,
                    distinct.pop() if len(distinct) == 1 else None,
                    round(100 * within / len(samples), 1) if len(samples) >= MIN_CELL else None,
                )
            )
    return tuple(out)


def _screening(calls: list[Facts]) -> tuple[ScreeningRow, ...]:
    counts: Counter[tuple[str, str]] = Counter()
    for f in calls:
        result = outcome(f)
        if f.band is not None and result is not None:
            counts[(f.band, result)] += 1
    rows = []
    for band in BANDS:
        false, genuine = counts[(band, "false")], counts[(band, "genuine")]
        both_shown = false >= MIN_CELL and genuine >= MIN_CELL
        rows.append(
            ScreeningRow(
                band,
                _total(false),
                _total(genuine),
                _total(counts[(band, "unknown")]),
                round(100 * false / (false + genuine), 1) if both_shown else None,
            )
        )
    return tuple(rows)
