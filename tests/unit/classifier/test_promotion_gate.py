"""A candidate model in shadow and the promotion gate, on a real store and the real command.

The shadow's score is recorded beside the live one and changes nothing; `promote` refuses a
model that bands more genuine calls HIGH than the live one and says why; a promoted model is
live at the next start.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.center import build_center
from adapters.model_gate import read_registry
from adapters.scoring import ClassifierScoring
from classifier import CallerHistory, Thresholds, TrainedModel, load_scorer
from classifier.persistence import card_path, save_model
from dispatch.settings import Settings
from domain.incident import Incident
from domain.model_registry import ModelRegistry
from domain.taxonomy import Category, Disposition, ScoreBand
from tests.cli import run_main
from tests.support import Tokens, a_report, auth, make_client, report_json

#: Bands every report HIGH: the worst candidate there is.
EAGER = Thresholds(medium=0.0001, high=0.0002)
#: Bands nothing HIGH that the live model would not (p_false never reaches 1).
CAUTIOUS = Thresholds(medium=0.999998, high=0.999999)


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory, tiny_model: TrainedModel) -> Path:
    """The tiny model saved once per limits (a save takes ~0.3 s); tests copy the files."""
    folder = tmp_path_factory.mktemp("candidates")
    for name, limits in (("eager", EAGER), ("cautious", CAUTIOUS)):
        save_model(replace(tiny_model, thresholds=limits), folder / f"{name}.skops")
    return folder


def candidate(tmp_path: Path, saved: Path, name: str) -> Path:
    """A candidate model file and its card of this test's own, as `save_model` wrote them."""
    path = tmp_path / "candidates" / f"{name}.skops"
    path.parent.mkdir(parents=True, exist_ok=True)
    for source in (saved / f"{name}.skops", card_path(saved / f"{name}.skops")):
        shutil.copyfile(source, path.parent / source.name)
    return path


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SIAGA_VAR_DIR", str(tmp_path))  # the command installs models there
    # All the time a score needs: on a busy machine the 50 ms budget would turn the live score
    # into the timeout fail-safe and leave no time for the shadow (these tests are about what
    # is recorded, not how fast).
    return Settings(
        database_url=f"sqlite:///{tmp_path}/events.db",
        var_dir=tmp_path,
        classifier_timeout_ms=10_000.0,
    )


def siaga(settings: Settings, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    outcome = run_main(["--database-url", settings.database_url, *args], capsys)
    return outcome.exit_code, outcome.out + outcome.err


def test_a_shadow_model_is_recorded_beside_the_live_one_and_changes_nothing(
    settings: Settings,
    tmp_path: Path,
    saved: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    eager = candidate(tmp_path, saved, "eager")
    code, out = siaga(settings, capsys, "classifier", "shadow", "--candidate", str(eager))
    assert code == 0, out
    center = build_center(settings)
    try:
        assert isinstance(center.scoring, ClassifierScoring)
        assert center.scoring.shadow is not None
        shadow_version = center.scoring.shadow.version
        # A genuine call with speech: the live model bands it, the eager shadow would say HIGH
        request = a_report(
            description="ada ular kobra masuk ke dapur, anak2 ketakutan",
            category=Category.HEWAN_BERBAHAYA,
            injuries=None,
        )
        incident = center.report(request).incident
        events = center.incident_events(incident.id)
    finally:
        center.close()
    shadow = [e for e in events if isinstance(e, Incident.ShadowScored)]
    assert len(shadow) == 1
    assert shadow[0].model_version == shadow_version
    assert shadow[0].band is ScoreBand.HIGH
    assert incident.score is not None
    assert incident.score["band"] != "high" and "shadow" not in incident.score
    assert incident.verification_pending is False
    assert incident.shadow_score == {
        "model_version": shadow_version,
        "p_false": shadow[0].p_false,
        "band": "high",
    }


def test_promote_refuses_a_model_that_bands_more_genuine_calls_high_and_says_why(
    settings: Settings,
    tmp_path: Path,
    saved: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    eager = candidate(tmp_path, saved, "eager")
    code, out = siaga(settings, capsys, "classifier", "promote", "--candidate", str(eager))
    assert code == 1, out
    assert "promotion refused: frozen realistic set: the candidate bands" in out
    assert "genuine calls HIGH, the live model 0" in out
    center = build_center(settings)
    try:
        registry = read_registry(center)
        assert registry is not None and registry.live is None
        kinds = [type(e).__name__ for e in center.events.get(registry.id)]
        assert kinds[-1] == "PromotionRefused"
        assert isinstance(center.scoring, ClassifierScoring)
        assert center.scoring.scorer.version not in registry.models  # the shipped one
    finally:
        center.close()


def test_compare_then_promote_a_model_that_passes_the_gate_makes_it_live_at_the_next_start(
    settings: Settings,
    tmp_path: Path,
    saved: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cautious = candidate(tmp_path, saved, "cautious")
    center = build_center(settings)
    try:  # two closed incidents in the store: the gate compares on them too
        for disposition, text in ((Disposition.GENUINE, None), (Disposition.PRANK, "iseng")):
            request = a_report(description=text) if text else a_report()
            taken = center.report(request).incident
            center.close_incident(taken.id, disposition, "selesai")
    finally:
        center.close()
    code, out = siaga(settings, capsys, "classifier", "compare", "--candidate", str(cautious))
    assert code == 0, out
    assert "frozen realistic set (364 reports)" in out
    assert "frozen unseen set (112 reports)" in out
    assert "last 2 closed incidents (2 reports)" in out
    assert "genuine banded HIGH" in out and "silent" in out
    assert "gate: would promote" in out
    code, out = siaga(settings, capsys, "classifier", "promote", "--candidate", str(cautious))
    assert code == 0, out
    center = build_center(settings)
    try:
        registry = read_registry(center)
        assert isinstance(registry, ModelRegistry) and registry.live is not None
        promoted = list(center.events.get(registry.id))[-1]
        assert isinstance(promoted, ModelRegistry.ModelPromoted)
        assert [f["dataset"] for f in promoted.figures] == [
            "frozen realistic set",
            "frozen unseen set",
            "last 2 closed incidents",
        ]
        assert promoted.actor.startswith("cli:")
        assert isinstance(center.scoring, ClassifierScoring)
        assert center.scoring.scorer.version == registry.live
    finally:
        center.close()


def test_the_shadow_is_skipped_when_the_live_score_used_half_the_time_budget(
    tiny_model_path: Path,
) -> None:
    live = load_scorer(tiny_model_path, timeout_ms=0)
    shadow = load_scorer(tiny_model_path, timeout_ms=0)
    try:
        request = a_report(description="motor saya hilang di parkiran", injuries=None)
        history, now = CallerHistory(), datetime.now(UTC)
        with_time = ClassifierScoring(live, shadow, budget_ms=10_000.0)
        assert with_time.score_report(request, None, history, now).shadow is not None
        # A budget no score fits in half of: intake never waits for the shadow
        no_time = ClassifierScoring(live, shadow, budget_ms=1e-9)
        both = no_time.score_report(request, None, history, now)
        assert both.shadow is None
        assert both.live.model_version == live.version
    finally:
        live.close()
        shadow.close()


def test_the_events_api_shows_shadow_scores_to_auditors_only(
    settings: Settings,
    tmp_path: Path,
    saved: Path,
    tokens: Tokens,
    capsys: pytest.CaptureFixture[str],
) -> None:
    eager = candidate(tmp_path, saved, "eager")
    code, out = siaga(settings, capsys, "classifier", "shadow", "--candidate", str(eager))
    assert code == 0, out
    with make_client(settings, tokens) as client:
        posted = client.post("/api/reports", json=report_json(), headers=auth(tokens, "operator"))
        assert posted.status_code == 201, posted.text
        incident_id = posted.json()["incident"]["id"]

        def types(role: str) -> list[str]:
            answer = client.get(f"/api/incidents/{incident_id}/events", headers=auth(tokens, role))
            assert answer.status_code == 200, answer.text
            return [e["type"] for e in answer.json()["events"]]

        assert "ShadowScored" not in types("operator")
        assert "Scored" in types("operator")
        assert "ShadowScored" in types("auditor")
