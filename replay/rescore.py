"""Reproducing a recorded score: the recorded model version on the recorded inputs.

A ``Scored`` event records the model version (the SHA-256 of the model file), the feature
record and the result. The model's inputs are not the feature record alone (the summary text
is needed, and keyword counts), so the inputs are rebuilt from the ``Reported`` event plus the
caller history recorded in the features; the re-extracted feature record must then equal the
recorded one, and the score must be the same.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from adapters.scoring import recorded_request, report_input
from classifier import CallerHistory, Thresholds
from dispatch.center import DispatchCenter
from domain.incident import Incident
from replay.errors import ModelNotFound
from replay.lookup import known_incident
from replay.positions import event_positions

HISTORY = ("calls_1h", "calls_24h", "calls_30d", "prior_false", "prior_genuine", "prior_silent")
COMPARED = (
    "model_version",
    "p_false",
    "band",
    "p_class",
    "safety_rule",
    "callback_first",
    "reasons",
    "features",
)
TOLERANCE = 1e-9


def default_model_dirs(configured: Path | None = None) -> list[Path]:
    """Where model files are looked for: beside the configured model, then the shipped ones."""
    import classifier.scorer

    dirs = [configured.parent] if configured is not None else []
    return [*dirs, classifier.scorer.DEFAULT_MODEL_PATH.parent]


def find_model(version: str, dirs: Iterable[Path]) -> Path:
    """The model file whose content hash is ``version``."""
    for directory in dirs:
        for path in sorted(Path(directory).glob("*.skops")):
            if _version_of(path, path.stat().st_mtime_ns) == version:
                return path
    raise ModelNotFound(f"no model file with version {version} in {', '.join(map(str, dirs))}")


@lru_cache(maxsize=64)
def _version_of(path: Path, _mtime: int) -> str:
    from classifier.persistence import version_of

    return version_of(path.read_bytes())


def rescore(
    center: DispatchCenter,
    reference: str,
    model_dirs: Sequence[Path],
    thresholds: Thresholds | None = None,
) -> dict[str, Any]:
    """Re-run every recorded score of one incident and compare.

    ``thresholds`` override; None uses those each ``Scored`` event recorded (else the model
    card's own, for events recorded before thresholds were).
    """
    incident_id = known_incident(center, reference)
    events = center.incident_events(incident_id)
    positions = event_positions(center, incident_id)
    reported = events[0]
    assert isinstance(reported, Incident.Reported)
    scores = [
        _rescore_one(reported, e, positions.get(e.originator_version), model_dirs, thresholds)
        for e in events
        if isinstance(e, Incident.Scored)
    ]
    return {
        "incident_id": str(incident_id),
        "number": reported.number,
        "thresholds": thresholds.to_dict() if thresholds else "as recorded",
        "scores": scores,
        "all_reproduced": all(s["reproduced"] for s in scores if s["rerun"]),
    }


def _rescore_one(
    reported: Incident.Reported,
    scored: Incident.Scored,
    position: int | None,
    model_dirs: Sequence[Path],
    thresholds: Thresholds | None,
) -> dict[str, Any]:
    recorded = _recorded(scored)
    body: dict[str, Any] = {
        "position": position,
        "version": scored.originator_version,
        "model_version": scored.model_version,
        "recorded": recorded,
    }
    if scored.model_version == "none":
        reason = f"no model scored this report (safety rule {scored.safety_rule})"
        return body | {"rerun": False, "reproduced": None, "why_not": reason}
    model_path = find_model(scored.model_version, model_dirs)
    if thresholds is None and scored.thresholds:  # the limits in force when it was scored
        thresholds = Thresholds.from_dict(scored.thresholds)
    again = _score_again(model_path, reported, scored, thresholds)
    differences = list(_differences(recorded, again))
    return body | {
        "rerun": True,
        "model_file": str(model_path),
        "rescored": again,
        "reproduced": not differences,
        "differences": differences,
    }


def _recorded(scored: Incident.Scored) -> dict[str, Any]:
    return {
        "model_version": scored.model_version,
        "p_false": scored.p_false,
        "band": scored.band.value,
        "p_class": dict(scored.p_class),
        "safety_rule": scored.safety_rule,
        "callback_first": scored.callback_first,
        "reasons": list(scored.reasons),
        "features": dict(scored.features),
    }


def _score_again(
    model_path: Path,
    reported: Incident.Reported,
    scored: Incident.Scored,
    thresholds: Thresholds | None,
) -> dict[str, Any]:
    """The intake's own mapping (adapters.scoring) over the recorded report and history."""
    from classifier import load_scorer

    scorer = load_scorer(model_path, thresholds=thresholds, timeout_ms=0)
    features = scored.features
    request = recorded_request(reported)
    counts = CallerHistory(**{name: int(features.get(name) or 0) for name in HISTORY})
    result = scorer.score(
        report_input(request, reported.location, scored.at), counts, scored.at
    ).to_dict()
    return {key: result[key] for key in COMPARED}


def _differences(recorded: Any, again: Any, path: str = "") -> Iterable[str]:
    if isinstance(recorded, dict) and isinstance(again, dict):
        for key in sorted(set(recorded) | set(again)):
            yield from _differences(recorded.get(key), again.get(key), f"{path}.{key}".strip("."))
    elif isinstance(recorded, list) and isinstance(again, list) and len(recorded) == len(again):
        for index, (a, b) in enumerate(zip(recorded, again, strict=True)):
            yield from _differences(a, b, f"{path}[{index}]")
    elif _numbers(recorded, again):
        if not math.isclose(recorded, again, rel_tol=TOLERANCE, abs_tol=TOLERANCE):
            yield f"{path}: recorded {recorded!r}, now {again!r}"
    elif recorded != again:
        yield f"{path}: recorded {recorded!r}, now {again!r}"


def _numbers(a: Any, b: Any) -> bool:
    return all(isinstance(x, int | float) and not isinstance(x, bool) for x in (a, b))


def render_text(result: dict[str, Any]) -> str:
    """One line per recorded score, then any differences."""
    lines = [f"Incident {result['number']}  {result['incident_id']}"]
    for s in result["scores"]:
        head = f"position {s['position']} (v{s['version']}), model {s['model_version']}"
        recorded = s["recorded"]
        if not s["rerun"]:
            lines.append(f"{head}: not re-run: {s['why_not']}")
            continue
        again = s["rescored"]
        verdict = "REPRODUCED" if s["reproduced"] else "DIFFERENT"
        lines.append(
            f"{head}: recorded p_false={recorded['p_false']} band={recorded['band']}; "
            f"re-run p_false={again['p_false']} band={again['band']}: {verdict}"
        )
        lines += [f"  - {d}" for d in s["differences"]]
    if not result["scores"]:
        lines.append("no recorded scores")
    return "\n".join(lines)
