"""The model registry in the event store, and the data the promotion gate compares models on.

The registry (``domain.model_registry``) is one aggregate in the center's own store, so model
versions, shadow runs and promotions sit in the same append-only log as the incidents they
scored. The live model at start-up is the registry's last promoted one (see
``adapters.scoring.ClassifierScoring.from_settings``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from adapters.training import LABELS, example
from classifier import LabeledExample
from classifier.persistence import card_path, load_model
from dispatch.center import DispatchCenter, storage_errors
from dispatch.present import KEEP_ALL, Present
from domain.model_registry import REGISTRY_ID, ModelRegistry


def read_registry(center: DispatchCenter) -> ModelRegistry | None:
    """The center's model registry, or None when no model was ever registered."""
    try:
        with storage_errors():
            registry: object = center.repository.get(REGISTRY_ID)
    except AggregateNotFoundError:
        return None
    return registry if isinstance(registry, ModelRegistry) else None


def open_registry(center: DispatchCenter) -> ModelRegistry:
    """The registry, new (not yet saved) when there is none."""
    return read_registry(center) or ModelRegistry()


def register(registry: ModelRegistry, path: Path, *, actor: str, at: datetime) -> tuple[str, bool]:
    """Register the model file at ``path`` (trusted types only); its version and whether it
    was new. Raises ``classifier.persistence.ModelRefused`` for an unusable file."""
    model, version = load_model(path)
    kept = ("training_data", "thresholds")
    card: dict[str, Any] = {k: model.card[k] for k in kept if k in model.card}
    card["card_file"] = card_path(path).name
    return version, registry.register(version, path.name, card, actor=actor, at=at)


def last_closed(center: DispatchCenter, n: int) -> list[LabeledExample]:
    """The last ``n`` incidents closed with a label-worthy disposition, as the classifier saw
    them (the report, and the caller's history when it was scored)."""
    history = Present(center, KEEP_ALL)  # the whole log: the process's present keeps a window
    closed = [
        incident
        for incident in history.incidents(include_closed=True)
        if incident.disposition in LABELS and incident.closed_at is not None
    ]
    closed.sort(key=lambda incident: (incident.closed_at, incident.number))
    return [example(history, incident) for incident in closed[-n:]] if n > 0 else []
