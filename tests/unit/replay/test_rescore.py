"""Reproducible scores: a recorded score re-run with its recorded model version is the same."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from adapters.scoring import ClassifierScoring, recorded_request
from classifier import Thresholds, load_scorer
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.incident import Incident
from domain.taxonomy import Category
from replay.errors import ModelNotFound
from replay.rescore import default_model_dirs, render_text, rescore
from tests.support import a_report


@pytest.fixture
def memory_settings(tmp_path: Path) -> Settings:
    """A budget no busy machine reaches: a score recorded as the timeout fail-safe is not the
    model's, and a rescore rightly finds it different (seen with the load at 12)."""
    return Settings(database_url="memory://", var_dir=tmp_path, classifier_timeout_ms=10_000.0)


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory, tiny_model_path: Path) -> Path:
    """A folder holding a small trained model (the session's tiny model, saved once)."""
    directory = tmp_path_factory.mktemp("models")
    shutil.copyfile(tiny_model_path, directory / "small.skops")
    return directory


def test_a_recorded_score_is_reproduced_by_its_model_version(
    center: DispatchCenter, models: Path
) -> None:
    center.scoring = ClassifierScoring(load_scorer(models / "small.skops", timeout_ms=0))
    incident = center.report(
        a_report(description="halo halo cuma iseng saja", call_duration_s=8.0, injuries=None)
    ).incident
    result = rescore(center, incident.number, [models])
    [score] = result["scores"]
    assert score["rerun"] and score["reproduced"], score["differences"]
    assert score["model_version"].startswith("sha256:")
    assert score["rescored"]["p_false"] == score["recorded"]["p_false"] > 0
    assert result["all_reproduced"]
    assert "REPRODUCED" in render_text(result)


def test_a_score_from_a_model_that_cannot_be_found_is_refused(
    center: DispatchCenter, models: Path, tmp_path: Path
) -> None:
    center.scoring = ClassifierScoring(load_scorer(models / "small.skops", timeout_ms=0))
    incident = center.report(a_report()).incident
    with pytest.raises(ModelNotFound, match="sha256:"):
        rescore(center, incident.number, [tmp_path])


def test_a_report_no_model_scored_is_shown_but_not_re_run(center: DispatchCenter) -> None:
    center.scoring = None  # no scorer: the fail-safe score
    incident = center.report(a_report()).incident
    [score] = rescore(center, str(incident.id), [])["scores"]
    assert not score["rerun"] and "model_unavailable" in score["why_not"]


def test_a_score_re_run_with_other_thresholds_shows_the_band_that_changed(
    center: DispatchCenter, models: Path
) -> None:
    center.scoring = ClassifierScoring(load_scorer(models / "small.skops", timeout_ms=0))
    report = a_report(description="halo cuma iseng", call_duration_s=5.0, injuries=None)
    incident = center.report(report).incident
    recorded = rescore(center, incident.number, [models])["scores"][0]["recorded"]
    assert recorded["safety_rule"] is None
    other = (
        Thresholds(medium=0.999998, high=0.999999)
        if recorded["band"] == "high"
        else Thresholds(medium=0.000001, high=0.000002)
    )
    [score] = rescore(center, incident.number, [models], other)["scores"]
    assert score["rescored"]["p_false"] == recorded["p_false"]
    assert not score["reproduced"]
    assert "band" in {d.split(":")[0] for d in score["differences"]}


def test_the_shipped_model_reproduces_its_recorded_score(center: DispatchCenter) -> None:
    # The center fixture scores with the model shipped in classifier/models.
    incident = center.report(a_report()).incident
    if center.get_incident(incident.id).score["model_version"] == "none":  # type: ignore[index]
        pytest.fail("the shipped model did not load")
    result = rescore(center, incident.number, default_model_dirs())
    assert result["all_reproduced"], result["scores"][0].get("differences")


def test_the_hoax_tick_is_recorded_and_a_rescore_reproduces_the_ticked_score(
    center: DispatchCenter,
) -> None:
    # The tick lifts the life-threat rule: a rescore that lost it would band the report LOW.
    ticked = a_report(
        description="tolong ada kebakaran, lalu penelepon tertawa dan bilang bercanda",
        category=Category.LAINNYA,
        injuries=None,
        hoax_observed=True,
    )
    incident = center.report(ticked).incident
    reported = center.incident_events(incident.id)[0]
    assert isinstance(reported, Incident.Reported) and reported.hoax_observed is True
    assert incident.score is not None and incident.score["safety_rule"] != "life_threat_keywords"
    result = rescore(center, incident.number, default_model_dirs())
    assert result["all_reproduced"], result["scores"][0].get("differences")


def test_a_report_recorded_before_the_tick_existed_reads_as_unticked(
    center: DispatchCenter,
) -> None:
    incident = center.report(a_report()).incident
    stored = center.mapper.to_stored_event(center.incident_events(incident.id)[0])
    state = json.loads(stored.state)
    del state["hoax_observed"]  # what an event from before the field looks like
    old = replace(stored, state=json.dumps(state).encode())
    reported = center.mapper.to_domain_event(old)
    assert isinstance(reported, Incident.Reported)
    assert reported.hoax_observed is False
    assert recorded_request(reported).hoax_observed is False
