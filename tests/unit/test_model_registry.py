"""The model registry: a model is promoted only when it bands no more genuine calls HIGH."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.model_registry import (
    AlreadyLive,
    GateFigures,
    ModelRegistry,
    UnknownModel,
    gate_refusals,
)

AT = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def figures(live: int, candidate: int, dataset: str = "frozen realistic set") -> GateFigures:
    return GateFigures(
        dataset, genuine=156, live_genuine_high=live, candidate_genuine_high=candidate
    )


def registry_with(*versions: str) -> ModelRegistry:
    registry = ModelRegistry()
    for version in versions:
        registry.register(version, f"{version}.skops", {}, actor="cli:lead", at=AT)
    return registry


def test_a_candidate_that_bands_no_more_genuine_calls_high_is_promoted_with_its_figures() -> None:
    registry = registry_with("sha256:a")
    registry.start_shadow("sha256:a", actor="cli:lead", at=AT)
    reasons = registry.promote(
        "sha256:a", [figures(1, 1), figures(0, 0, "last 500 closed")], actor="cli:lead", at=AT
    )
    assert reasons == []
    assert (registry.live, registry.shadow) == ("sha256:a", None)
    promoted = registry.collect_events()[-1]
    assert isinstance(promoted, ModelRegistry.ModelPromoted)
    assert promoted.previous is None  # the shipped model was live
    assert promoted.figures[1]["dataset"] == "last 500 closed"
    assert promoted.actor == "cli:lead"


def test_one_more_genuine_call_banded_high_is_refused_and_the_refusal_recorded() -> None:
    registry = registry_with("sha256:a", "sha256:b")
    registry.promote("sha256:a", [figures(2, 1)], actor="cli:lead", at=AT)
    reasons = registry.promote(
        "sha256:b", [figures(0, 0), figures(1, 2, "last 500 closed")], actor="cli:lead", at=AT
    )
    assert reasons == [
        "last 500 closed: the candidate bands 2 of 156 genuine calls HIGH, the live model 1"
    ]
    assert registry.live == "sha256:a"
    refused = registry.collect_events()[-1]
    assert isinstance(refused, ModelRegistry.PromotionRefused)
    assert refused.reasons == reasons and refused.live == "sha256:a"


def test_no_figures_is_no_promotion() -> None:
    assert gate_refusals([]) == ["no comparison figures: compare the models before promoting"]
    registry = registry_with("sha256:a")
    assert registry.promote("sha256:a", [], actor="cli:lead", at=AT)
    assert registry.live is None


def test_only_registered_models_run_in_shadow_and_the_live_one_never_does() -> None:
    registry = registry_with("sha256:a")
    with pytest.raises(UnknownModel):
        registry.start_shadow("sha256:z", actor="cli:lead", at=AT)
    registry.promote("sha256:a", [figures(0, 0)], actor="cli:lead", at=AT)
    with pytest.raises(AlreadyLive):
        registry.start_shadow("sha256:a", actor="cli:lead", at=AT)
    with pytest.raises(AlreadyLive):
        registry.promote("sha256:a", [figures(0, 0)], actor="cli:lead", at=AT)


def test_registering_twice_records_once_and_stopping_the_shadow_clears_it() -> None:
    registry = registry_with("sha256:a")
    assert not registry.register("sha256:a", "again.skops", {}, actor="cli:lead", at=AT)
    registry.start_shadow("sha256:a", actor="cli:lead", at=AT)
    registry.stop_shadow(actor="cli:lead", at=AT)
    assert registry.shadow is None
    kinds = [type(e).__name__ for e in registry.collect_events()]
    assert kinds == ["Opened", "ModelRegistered", "ShadowStarted", "ShadowStopped"]
