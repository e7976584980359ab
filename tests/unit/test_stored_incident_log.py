"""An incident log written before the domain's values were typed still loads, event by event.

``data/incident_log_2026_12.json`` holds stored events of three incidents (every Incident
event type, the score recorded from a dict with a shadow beside it) as the code of 2026-12-06
wrote them, and each incident's JSON as that code showed it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import get_topic, resolve_topic

from dispatch.center import DispatchCenter
from dispatch.present.checkpoint import STATE_MODULES
from domain import incident_events
from domain.facility import Facility
from domain.incident import Incident
from domain.score import Reason, Score
from domain.taxonomy import ScoreBand
from domain.unit import Unit
from formats.incident_json import incident_out

LOG = json.loads((Path(__file__).parent / "data" / "incident_log_2026_12.json").read_text())


def stored(entry: dict[str, Any]) -> StoredEvent:
    return StoredEvent(
        originator_id=UUID(entry["originator_id"]),
        originator_version=entry["version"],
        topic=entry["topic"],
        state=json.dumps(entry["state"]).encode(),
    )


def test_every_incident_of_an_old_log_loads_as_it_was_shown(center: DispatchCenter) -> None:
    # Given the old log in the store
    center.recorder.insert_events([stored(e) for e in LOG["events"]])
    # When each incident is loaded, it is the incident the old code showed
    ids = dict.fromkeys(UUID(e["originator_id"]) for e in LOG["events"])
    loaded = [center.get_incident(incident_id) for incident_id in ids]
    assert [incident_out(i) for i in loaded] == LOG["incidents"]
    assert loaded[0].band is ScoreBand.HIGH and loaded[0].callback_first is True
    assert loaded[0].shadow_score == {"model_version": "sha256:def", "p_false": 0.3, "band": "low"}


def test_a_typed_score_is_stored_in_the_shape_old_logs_hold(center: DispatchCenter) -> None:
    # Given the first incident's report, as stored
    events = [e for e in LOG["events"] if e["originator_id"] == LOG["events"][0]["originator_id"]]
    reported = center.mapper.to_domain_event(stored(events[0]))
    assert isinstance(reported, Incident.Reported)
    incident = reported.mutate(None)
    assert isinstance(incident, Incident)
    old_live, old_shadow = events[1]["state"], events[2]["state"]
    # When the same scores are recorded from typed values
    incident.record_score(
        Score(
            model_version=old_live["model_version"],
            p_false=old_live["p_false"],
            band=ScoreBand(old_live["band"]["_data_"]),
            reasons=tuple(Reason(**r) for r in old_live["reasons"]),
            features=old_live["features"],
            p_class=old_live["p_class"],
            safety_rule=old_live["safety_rule"],
            callback_first=old_live["callback_first"],
            thresholds=old_live["thresholds"],
        ),
        shadow=Score(
            model_version=old_shadow["model_version"],
            p_false=old_shadow["p_false"],
            band=ScoreBand(old_shadow["band"]["_data_"]),
            reasons=(),
            features={},
            p_class={},
            safety_rule=old_shadow["safety_rule"],
            callback_first=old_shadow["callback_first"],
        ),
        actor=old_live["actor"],
        at=reported.at,
    )
    # Then the stored events are the old ones, but for the time they were recorded
    new = [center.mapper.to_stored_event(e) for e in incident.collect_events()]
    old = events[1:3]
    assert [(s.topic, s.originator_version) for s in new] == [
        (e["topic"], e["version"]) for e in old
    ]
    assert [_untimed(json.loads(s.state)) for s in new] == [_untimed(e["state"]) for e in old]


def test_every_incident_event_keeps_the_topic_old_logs_name_it_by() -> None:
    declared = [
        name
        for name, value in vars(incident_events).items()
        if isinstance(value, type) and value.__module__ == incident_events.__name__
    ]
    assert len(declared) == len({e["topic"] for e in LOG["events"]}) == 18
    for name in declared:
        topic = f"domain.incident:Incident.{name}"
        assert get_topic(getattr(Incident, name)) == topic
        assert resolve_topic(topic) is getattr(Incident, name)


def test_the_present_checkpoint_format_covers_every_module_that_changes_an_aggregate() -> None:
    # A checkpoint of another format is ignored: the format digests the code that shapes state.
    shaping = set()
    for aggregate in (Incident, Unit, Facility):
        for value in vars(aggregate).values():
            code = getattr(value, "decorated_func", value)
            classes = value.__mro__ if isinstance(value, type) else ()
            shaping |= {getattr(code, "__module__", "")} | {c.__module__ for c in classes}
    digested = {module.__name__ for module in STATE_MODULES}
    assert {m for m in shaping if m.startswith("domain.")} <= digested
    assert {"domain.incident_scoring", "domain.incident_events"} <= digested


def _untimed(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if k != "timestamp"}
