"""Fixtures of the unit tests: a tiny model trained and saved once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from classifier import TrainedModel, train
from classifier.persistence import save_model
from classifier.synthetic import generate_tagged


@pytest.fixture(scope="session")
def tiny_model() -> TrainedModel:
    tagged = generate_tagged(400, seed=3, split="train")
    return train(
        [t.example for t in tagged], seed=3, groups=[t.template for t in tagged], max_features=1000
    )


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory: pytest.TempPathFactory, tiny_model: TrainedModel) -> Path:
    """The tiny model as ``save_model`` wrote it, with its card beside it (read-only)."""
    path = tmp_path_factory.mktemp("model") / "tiny.skops"
    save_model(tiny_model, path)
    return path
