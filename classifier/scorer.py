"""The scorer the dispatch core calls at intake: never raises, fails towards "genuine"."""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import datetime
from pathlib import Path
from typing import Protocol

from classifier import safety
from classifier.compiled import CompiledModel, Scored
from classifier.features import Extracted, extract
from classifier.inputs import CallerHistory, ReportInput, input_problems
from classifier.persistence import load_model
from classifier.reasons import MAX_REASONS, model_reasons, unknown_reason
from classifier.score import Score, band_for
from classifier.thresholds import Thresholds

DEFAULT_MODEL_PATH = Path(__file__).parent / "models" / "default.skops"
NO_MODEL = "none"


class Scorer(Protocol):
    """Scores one report; the core depends on this and nothing else."""

    def score(self, report: ReportInput, history: CallerHistory, now: datetime) -> Score:
        """Score one report (never raises)."""
        ...


class BatchScorer(Scorer, Protocol):
    """A scorer that can also score many reports at once (backfills, benchmarks)."""

    version: str  # the loaded model's content hash, or "none"
    thresholds: Thresholds  # the band limits every score of this scorer uses

    def score_batch(
        self, items: Sequence[tuple[ReportInput, CallerHistory]], now: datetime
    ) -> list[Score]:
        """Score many reports (never raises)."""
        ...

    def close(self) -> None:
        """Release the worker thread (call once at shutdown)."""
        ...


class SafeScorer:
    """Model plus safety rules, with a kill switch, a time budget and fail-safe defaults."""

    def __init__(
        self,
        model: CompiledModel | None,
        *,
        version: str,
        thresholds: Thresholds,
        enabled: bool = True,
        timeout_ms: float = 50.0,
        unavailable_detail: str = "",
    ) -> None:
        self._model = model
        self.version = version
        self.thresholds = thresholds
        self.enabled = enabled
        self._timeout_s = timeout_ms / 1000.0
        self._unavailable = unavailable_detail
        # Worker threads bound how long intake waits; created here, not at import time.
        self._pool = ThreadPoolExecutor(4, "classifier") if model and timeout_ms > 0 else None

    def score(self, report: ReportInput, history: CallerHistory, now: datetime) -> Score:
        """Score one report; anything unexpected yields a genuine-leaning fail-safe score."""
        try:
            early = self._precheck(report, history)
            if early is not None:
                return early
            if self._pool is None:
                return self._timed(report, history, now)
            future = self._pool.submit(self._timed, report, history, now)
            try:
                return future.result(timeout=self._timeout_s)
            except FutureTimeout:
                future.cancel()
                return safety.fail_safe(safety.TIMEOUT, self.version, detail=self._budget())
        except Exception as error:
            return safety.fail_safe(safety.SCORING_ERROR, self.version, detail=type(error).__name__)

    def score_batch(
        self, items: Sequence[tuple[ReportInput, CallerHistory]], now: datetime
    ) -> list[Score]:
        """Score many reports at once in this thread (backfills, evaluation, benchmarks).

        Same rules and fail-safes as ``score``, except the per-report time budget.
        """
        results: list[Score | None] = [None] * len(items)
        pending: list[tuple[int, Extracted, int | None]] = []
        for i, (report, history) in enumerate(items):
            try:
                results[i] = self._precheck(report, history)
                if results[i] is None:
                    pending.append((i, extract(report, history, now), report.injuries))
            except Exception as error:
                results[i] = self._error(error)
        try:
            scored = self._model.score_many([row for _, row, _ in pending]) if self._model else []
        except Exception as error:
            return [r or self._error(error) for r in results]
        for (i, row, injuries), one in zip(pending, scored, strict=True):
            try:
                results[i] = self._build(row, injuries, one)
            except Exception as error:
                results[i] = self._error(error)
        return [r or self._error(None) for r in results]

    def _error(self, error: Exception | None) -> Score:
        detail = type(error).__name__ if error is not None else "not scored"
        return safety.fail_safe(safety.SCORING_ERROR, self.version, detail=detail)

    def close(self) -> None:
        """Stop the worker thread (the scorer keeps working, inline)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _precheck(self, report: ReportInput, history: CallerHistory) -> Score | None:
        if not self.enabled:
            return safety.fail_safe(safety.DISABLED, self.version)
        if self._model is None:
            return safety.fail_safe(safety.MODEL_UNAVAILABLE, NO_MODEL, detail=self._unavailable)
        problems = input_problems(report, history)
        if problems:
            detail = "; ".join(problems)[:200]
            return safety.fail_safe(
                safety.UNKNOWN_INPUT,
                self.version,
                detail=detail,
                features={"input_problems": detail},
            )
        return None

    def _timed(self, report: ReportInput, history: CallerHistory, now: datetime) -> Score:
        started = time.perf_counter()
        row = extract(report, history, now)
        score = self._model_score(row, report.injuries)
        if time.perf_counter() - started > self._timeout_s > 0:
            return safety.fail_safe(
                safety.TIMEOUT, self.version, detail=self._budget(), features=row.record
            )
        return score

    def _model_score(self, row: Extracted, injuries: int | None) -> Score:
        if self._model is None:  # checked in _precheck; kept for the type checker
            return safety.fail_safe(safety.MODEL_UNAVAILABLE, NO_MODEL)
        return self._build(row, injuries, self._model.score(row))

    def _build(self, row: Extracted, injuries: int | None, scored: Scored) -> Score:
        # A call the summary says was silent needs the silent calls' stronger evidence, even
        # when no silence flag was sent.
        quiet = row.silent or bool(row.record.get("kw_silence_marker"))
        band = band_for(scored.p_false, self.thresholds, silent=quiet)
        alone = band_for(scored.p_without_history, self.thresholds, silent=quiet)
        verdict = safety.apply_rules(row, injuries, band, alone)
        unknown = unknown_reason(row.record)
        room = MAX_REASONS - len(verdict.reasons)
        told = (unknown,) if unknown is not None and room > 1 else ()
        limit = room - len(told)
        reasons = (*verdict.reasons, *model_reasons(scored, row.record, limit=limit), *told)
        return Score(
            model_version=self.version,
            p_false=round(scored.p_false, 6),
            band=verdict.band,
            reasons=reasons,
            features=row.record,
            p_class={c: round(p, 6) for c, p in scored.p_class.items()},
            safety_rule=verdict.rule,
            callback_first=verdict.callback_first,
        )

    def _budget(self) -> str:
        return f"{self._timeout_s * 1000:.0f} ms"


def load_scorer(
    model_path: Path | None = None,
    *,
    enabled: bool = True,
    thresholds: Thresholds | None = None,
    timeout_ms: float = 50.0,
) -> BatchScorer:
    """The scorer for ``model_path`` (default: the shipped model); never raises.

    A missing, corrupt or untrusted model gives a scorer whose every score treats the call as
    genuine with ``safety_rule="model_unavailable"``; ``enabled=False`` is the kill switch.
    ``thresholds`` (from the core's settings) override the ones stored with the model.
    """
    fallback = thresholds or Thresholds.from_cost_ratio()
    if not enabled:
        return SafeScorer(None, version=NO_MODEL, thresholds=fallback, enabled=False)
    try:
        model, version = load_model(model_path or DEFAULT_MODEL_PATH)
        compiled = CompiledModel(model)
    except Exception as error:  # whatever went wrong, intake must keep working
        return SafeScorer(
            None, version=NO_MODEL, thresholds=fallback, unavailable_detail=str(error)[:200]
        )
    return SafeScorer(
        compiled,
        version=version,
        thresholds=thresholds or model.thresholds,
        timeout_ms=timeout_ms,
    )
