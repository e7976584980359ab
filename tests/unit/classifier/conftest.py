"""Shared fixtures: the tiny model compiled (tests/unit/conftest.py trains it), report builders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from classifier import CallerHistory, ReportInput, SafeScorer, Thresholds, TrainedModel
from classifier.compiled import CompiledModel

WITA = timezone(timedelta(hours=8))
NOW = datetime(2025, 6, 1, 15, 0, tzinfo=WITA)
#: With these thresholds the model alone bands almost everything HIGH, so a test can see a
#: safety rule pull a report down.
EAGER = Thresholds(medium=0.0001, high=0.0002)


def make_report(**overrides: Any) -> ReportInput:
    """A plausible voice report; override any field."""
    report = ReportInput(
        channel="voice",
        caller_number="+6281234567890",
        sim_present=True,
        call_duration_s=75.0,
        first_speech_s=2.0,
        silent=False,
        has_location=True,
        location_source="aml",
        location_accuracy_m=15.0,
        description="Pohon besar tumbang menutup jalan, kendaraan tidak bisa lewat.",
        category="pohon_tumbang",
        persons_involved=None,
        injuries=None,
        hazards=(),
        received_at=datetime(2025, 6, 1, 14, 58, tzinfo=WITA),
        disaster_context=False,
    )
    return replace(report, **overrides)


def silent_report(description: str = "") -> ReportInput:
    """A short silent voice call."""
    return make_report(
        description=description,
        silent=True,
        first_speech_s=None,
        call_duration_s=9.0,
        category=None,
    )


PRANKSTER = CallerHistory(calls_1h=0, calls_24h=9, calls_30d=40, prior_false=25, prior_silent=3)


@pytest.fixture(scope="session")
def compiled(tiny_model: TrainedModel) -> CompiledModel:
    return CompiledModel(tiny_model)


@pytest.fixture
def eager_scorer(compiled: CompiledModel) -> SafeScorer:
    return SafeScorer(compiled, version="sha256:test", thresholds=EAGER, timeout_ms=0)


# Test modules get the builders through fixtures (importing conftest is fragile).
ReportFactory = Callable[..., ReportInput]


@pytest.fixture
def report() -> ReportFactory:
    return make_report


@pytest.fixture
def silent() -> Callable[..., ReportInput]:
    return silent_report


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def prankster() -> CallerHistory:
    return PRANKSTER


@pytest.fixture
def eager() -> Thresholds:
    return EAGER
