"""Every report is scored before routing; the score is advice and never blocks anything."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from dispatch.settings import Settings
from tests.support import Tokens, auth, make_client, report_json

PRANK = {
    "description": "penelepon tertawa, bilang cuma iseng, anak-anak main hp",
    "call_duration_s": 8,
    "first_speech_s": 1,
    "silent": False,
    "category": "lainnya",
    "injuries": None,
    "location": None,
}
SILENT_BREATHING = {
    "description": "tidak ada suara, terdengar napas berat",
    "call_duration_s": 30,
    "silent": True,
    "first_speech_s": None,
    "category": "lainnya",
    "injuries": None,
}


def take(client: TestClient, tokens: Tokens, **fields: Any) -> dict[str, Any]:
    response = client.post(
        "/api/reports", json=report_json(**fields), headers=auth(tokens, "operator")
    )
    assert response.status_code == 201, response.text
    incident: dict[str, Any] = response.json()["incident"]
    return incident


def test_a_life_threat_is_banded_low_by_the_safety_rule_with_bilingual_reasons(
    client: TestClient, tokens: Tokens
) -> None:
    incident = take(
        client, tokens, description="rumah terbakar api besar ada orang terjebak tolong"
    )
    score = incident["score"]
    assert (incident["band"], score["safety_rule"]) == ("low", "life_threat_keywords")
    assert 2 <= len(score["reasons"]) <= 4
    assert all(r["text_id"] and r["text_en"] for r in score["reasons"])
    assert score["model_version"].startswith("sha256:")
    assert incident["verification"]["pending"] is False


def test_a_likely_prank_waits_for_a_call_back_and_can_still_be_routed(
    client: TestClient, tokens: Tokens
) -> None:
    incident = take(client, tokens, **PRANK)
    assert incident["band"] == "high"
    assert incident["status"] == "verifying" and incident["verification"]["pending"]
    routed = client.post(
        f"/api/incidents/{incident['id']}/route",
        json={"agencies": ["police"]},
        headers=auth(tokens, "operator"),
    )
    assert routed.status_code == 200 and routed.json()["status"] == "routed"


def test_a_silent_call_with_breathing_goes_to_the_top_of_the_call_back_queue(
    client: TestClient, tokens: Tokens
) -> None:
    incident = take(client, tokens, **SILENT_BREATHING)
    assert incident["score"]["safety_rule"] == "silent_with_signs_of_life"
    assert incident["band"] != "high"
    assert incident["verification"] == {
        **incident["verification"],
        "pending": True,
        "callback_first": True,
    }


def test_the_score_is_an_event_with_model_version_and_features(
    client: TestClient, tokens: Tokens
) -> None:
    incident = take(client, tokens, **PRANK)
    events = client.get(
        f"/api/incidents/{incident['id']}/events", headers=auth(tokens, "auditor")
    ).json()["events"]
    scored = next(e for e in events if e["type"] == "Scored")
    assert scored["actor"] == "system:classifier"
    assert scored["data"]["model_version"] == incident["score"]["model_version"]
    assert scored["data"]["features"]["call_duration_s"] == 8
    flagged = next(e for e in events if e["type"] == "FlaggedForVerification")
    assert flagged["data"]["reason"] == "high_false_call_likelihood"


def test_an_operator_overrides_the_band_with_a_reason_and_dismisses_after_call_back(
    client: TestClient, tokens: Tokens
) -> None:
    incident = take(client, tokens, **PRANK)
    url = f"/api/incidents/{incident['id']}"
    no_reason = client.post(
        f"{url}/score-override",
        json={"band": "low", "reason": ""},
        headers=auth(tokens, "operator"),
    )
    assert no_reason.status_code == 422
    dismissed = client.post(
        f"{url}/verify",
        json={
            "outcome": "false",
            "reason": "ditelepon balik: anak bermain",
            "disposition": "prank",
        },
        headers=auth(tokens, "operator"),
    )
    assert dismissed.status_code == 200
    assert (dismissed.json()["status"], dismissed.json()["disposition"]) == ("closed", "prank")


def test_the_kill_switch_scores_every_call_as_genuine_and_says_so(
    memory_settings: Settings, tokens: Tokens, tmp_path: Path
) -> None:
    settings = memory_settings.model_copy(update={"classifier_enabled": False})
    with make_client(settings, tokens) as client:
        incident = take(client, tokens, **PRANK)
    assert (incident["band"], incident["score"]["safety_rule"]) == ("low", "disabled")
    assert incident["status"] == "new"


def test_a_score_records_its_thresholds_and_replays_with_them_exactly(
    memory_settings: Settings, tokens: Tokens, tmp_path: Path
) -> None:
    from classifier import Thresholds
    from replay.rescore import default_model_dirs, rescore

    # Given a center banding with very strict thresholds, and a snake call it bands HIGH
    settings = memory_settings.model_copy(
        update={"classifier_threshold_medium": 0.02, "classifier_threshold_high": 0.03}
    )
    with make_client(settings, tokens) as client:
        incident = take(
            client,
            tokens,
            description="ada ular besar masuk rumah warga",
            category="hewan_berbahaya",
            injuries=None,
        )
        center = client.app.state.center  # type: ignore[attr-defined]
        dirs = default_model_dirs(None)
        # When an auditor re-runs the score without saying which thresholds applied
        as_recorded = rescore(center, incident["id"], dirs, thresholds=None)
        with_model_defaults = rescore(center, incident["id"], dirs, Thresholds.from_cost_ratio())
    # Then the recorded thresholds are used and the HIGH band is reproduced exactly
    assert incident["band"] == "high"
    assert incident["score"]["thresholds"]["high"] == 0.03
    assert as_recorded["all_reproduced"] is True
    assert with_model_defaults["all_reproduced"] is False  # other thresholds, other band
