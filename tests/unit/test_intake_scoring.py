"""Every report is scored before routing; the score is advice and never blocks anything."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dispatch.settings import Settings
from tests.support import Tokens, auth, make_client, report_json, services_of

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


@pytest.fixture
def client(memory_settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    """The app with a scorer that has all the time it needs: these tests are about what the
    score says, and on a busy machine the 50 ms budget turns a score into the timeout fail-safe."""
    settings = memory_settings.model_copy(update={"classifier_timeout_ms": 10_000.0})
    with make_client(settings, tokens) as test_client:
        yield test_client


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


@pytest.mark.timeshift  # the score depends on the day and hour of the call
def test_a_score_records_its_thresholds_and_replays_with_them_exactly(
    memory_settings: Settings, tokens: Tokens, tmp_path: Path
) -> None:
    from classifier import Thresholds
    from replay.rescore import default_model_dirs, rescore

    # Given a center banding with very strict thresholds, and a snake call it bands HIGH
    settings = memory_settings.model_copy(
        update={
            # Far below any p_false the model gives this call, whatever the day or the hour
            # (p_false is about 0.025 at 23:59 WITA on a Sunday in March, above 0.03 on others).
            "classifier_threshold_medium": 0.002,
            "classifier_threshold_high": 0.003,
            "classifier_timeout_ms": 10_000.0,  # a busy machine must not turn it into the fail-safe
        }
    )
    with make_client(settings, tokens) as client:
        incident = take(
            client,
            tokens,
            description="ada ular besar masuk rumah warga",
            category="hewan_berbahaya",
            injuries=None,
        )
        center = services_of(client).center
        dirs = default_model_dirs(None)
        # When an auditor re-runs the score without saying which thresholds applied
        as_recorded = rescore(center, incident["id"], dirs, thresholds=None)
        with_model_defaults = rescore(center, incident["id"], dirs, Thresholds.from_cost_ratio())
    # Then the recorded thresholds are used and the HIGH band is reproduced exactly
    assert incident["band"] == "high"
    assert incident["score"]["thresholds"]["high"] == 0.003
    assert as_recorded["all_reproduced"] is True
    assert with_model_defaults["all_reproduced"] is False  # other thresholds, other band


# What the console posts (console_ui/static/js/intake.js `body()`): no duration, no time to
# first speech, and (before it learnt to say "the caller spoke") no silence flag either.
def console_body(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "report_id": str(uuid.uuid4()),
        "channel": "voice",
        "category": "lainnya",
        "description": "",
        "persons_involved": None,
        "injuries": None,
        "caller_number": None,
        "address_text": None,
        "location": {"lat": -0.4906, "lon": 117.1442, "source": "typed"},
    }
    return body | fields


def post(client: TestClient, tokens: Tokens, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/reports", json=body, headers=auth(tokens, "operator"))
    assert response.status_code == 201, response.text
    incident: dict[str, Any] = response.json()["incident"]
    return incident


def features(client: TestClient, tokens: Tokens, incident: dict[str, Any]) -> dict[str, Any]:
    """The model inputs recorded in the incident's Scored event."""
    events = client.get(
        f"/api/incidents/{incident['id']}/events", headers=auth(tokens, "auditor")
    ).json()["events"]
    recorded: dict[str, Any] = next(e for e in events if e["type"] == "Scored")["data"]["features"]
    return recorded


def silence_reasons(incident: dict[str, Any]) -> list[str]:
    return [
        r["text_en"]
        for r in incident["score"]["reasons"]
        if "silent" in r["text_en"].lower() or "tanpa suara" in r["text_id"].lower()
    ]


def test_a_fire_with_a_child_trapped_sent_as_the_console_sends_it_is_not_a_silent_call(
    client: TestClient, tokens: Tokens
) -> None:
    incident = post(
        client,
        tokens,
        console_body(
            category="kebakaran",
            description="api besar, ada anak terjebak",
            persons_involved=3,
            address_text="Gg. Mawar dekat masjid",
        ),
    )
    assert silence_reasons(incident) == []
    assert features(client, tokens, incident)["silent"] is False
    assert incident["band"] == "low"
    assert incident["verification"]["pending"] is False


def test_a_medical_call_located_by_aml_sms_is_routed_not_held_for_a_call_back(
    client: TestClient, tokens: Tokens
) -> None:
    aml = 'A"ML=1;lt=-0.49060;lg=+117.14420;rd=12;top=20261122101500;lc=90;pm=G;si=510100000000001'
    body = console_body(category="medis", description="pingsan, sesak napas", aml=aml)
    del body["location"]
    incident = post(client, tokens, body)
    assert incident["verification"] == {**incident["verification"], "pending": False}
    assert incident["verification"]["callback_first"] is False
    assert silence_reasons(incident) == []


def test_a_domestic_violence_call_with_bleeding_is_not_flagged_for_a_call_back(
    client: TestClient, tokens: Tokens
) -> None:
    body = console_body(
        category="kekerasan",
        description="suami memukul istri, kepala berdarah, anak menangis",
        persons_involved=2,
        injuries=1,
        caller_number="+6281350007777",
    )
    incident = post(client, tokens, body)
    assert incident["verification"]["pending"] is False
    assert incident["verification"]["callback_first"] is False
    assert incident["band"] == "low"


def test_a_prank_caller_who_rings_again_and_speaks_is_not_called_back_first(
    client: TestClient, tokens: Tokens
) -> None:
    prank = {"description": "penelepon tertawa, cuma iseng", "caller_number": "+6281350009999"}
    post(client, tokens, console_body(**prank))
    again = post(client, tokens, console_body(**prank))
    assert again["verification"]["callback_first"] is False
    assert again["score"]["safety_rule"] != "silent_repeat_caller"
    assert silence_reasons(again) == []


def test_the_readme_curl_example_is_scored_as_the_genuine_fire_it_is(
    client: TestClient, tokens: Tokens
) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    example = re.search(r"# Take a call.*?-d '(\{.*?\})'", readme, re.DOTALL)
    assert example is not None, "the README's report example moved"
    body = json.loads(example.group(1))
    body["report_id"] = str(uuid.uuid4())  # the example's own id may already be taken here
    incident = post(client, tokens, body)
    assert silence_reasons(incident) == []
    assert incident["band"] == "low"
    assert incident["verification"]["pending"] is False


def test_silence_is_what_the_client_says_and_absent_is_unknown(
    client: TestClient, tokens: Tokens
) -> None:
    ticked = post(client, tokens, console_body(silent=True))
    measured = post(client, tokens, console_body(first_speech_s=None))
    heard_nobody = post(client, tokens, console_body(silent=True, first_speech_s=1.5))
    spoke = post(client, tokens, console_body(silent=False, first_speech_s=None))
    unsaid = post(client, tokens, console_body())
    calls = (ticked, measured, heard_nobody, spoke, unsaid)
    recorded = [features(client, tokens, i) for i in calls]
    assert [f["silent"] for f in recorded] == [True, True, True, False, False]
    assert "silence" in recorded[-1]["unknown"].split(",")
    assert "speech" in recorded[-2]["unknown"].split(",")
    assert any(r["code"] == "unknown" for r in unsaid["score"]["reasons"])


def test_the_call_takers_hoax_tick_lifts_the_life_threat_rule_and_keeps_the_words_visible(
    client: TestClient, tokens: Tokens
) -> None:
    claim = {
        "description": "lapor kebakaran di pasar pagi lalu tertawa dan menutup telepon",
        "category": "kebakaran",
        "injuries": None,
        "call_duration_s": 20,
    }
    words_alone = take(client, tokens, **claim)
    assert words_alone["score"]["safety_rule"] == "life_threat_keywords"
    assert words_alone["band"] == "low"
    ticked = take(client, tokens, **claim, hoax_observed=True)
    score = ticked["score"]
    assert score["safety_rule"] is None
    assert features(client, tokens, ticked)["hoax_observed"] is True
    seen = score["reasons"][0]
    assert seen["code"] == "life_threat_hoax_observed"
    assert "kebakaran" in seen["text_id"] and "kebakaran" in seen["text_en"]


def test_a_hoax_tick_that_is_not_a_boolean_is_refused_naming_the_field(
    client: TestClient, tokens: Tokens
) -> None:
    response = client.post(
        "/api/reports", json=report_json(hoax_observed="ya"), headers=auth(tokens, "operator")
    )
    assert response.status_code == 422
    assert "hoax_observed" in response.text
