"""Fixtures of the unit tests: a tiny model trained and saved once per session, and an app
shared by the tests of a module that neither need an empty store nor change its settings."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # imported where used, as in tests/conftest.py
    from fastapi.testclient import TestClient

    from classifier import TrainedModel
    from tests.support import Tokens


@pytest.fixture(scope="session")
def tiny_model() -> TrainedModel:
    from classifier import train
    from classifier.synthetic import generate_tagged

    tagged = generate_tagged(400, seed=3, split="train")
    return train(
        [t.example for t in tagged], seed=3, groups=[t.template for t in tagged], max_features=1000
    )


@pytest.fixture(scope="session")
def tiny_model_path(tmp_path_factory: pytest.TempPathFactory, tiny_model: TrainedModel) -> Path:
    """The tiny model as ``save_model`` wrote it, with its card beside it (read-only)."""
    from classifier.persistence import save_model

    path = tmp_path_factory.mktemp("model") / "tiny.skops"
    save_model(tiny_model, path)
    return path


@pytest.fixture(scope="module")
def shared_var_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("shared")


@pytest.fixture(scope="module")
def shared_tokens(shared_var_dir: Path, made_tokens: tuple[Path, Tokens]) -> Tokens:
    """The roles' tokens of the shared apps (the same file and plaintexts as ``tokens``)."""
    from tests.support import Tokens

    file, plaintexts = made_tokens
    shutil.copy(file, shared_var_dir / "tokens.json")
    return Tokens(plaintexts)


@pytest.fixture(scope="module")
def shared_client(shared_var_dir: Path, shared_tokens: Tokens) -> Iterator[TestClient]:
    """One in-memory app for a module's tests that add to the store whatever they need, read
    only what they added and assert nothing about what else is there (access checks, 422s)."""
    from dispatch.settings import Settings
    from tests.support import make_client

    with make_client(
        Settings(database_url="memory://", var_dir=shared_var_dir), shared_tokens
    ) as client:
        yield client


@pytest.fixture(scope="module")
def shared_sqlite_client(shared_var_dir: Path, shared_tokens: Tokens) -> Iterator[TestClient]:
    """As :func:`shared_client`, on SQLite with the projection host running."""
    from dispatch.settings import Settings
    from tests.support import make_client

    settings = Settings(
        database_url=f"sqlite:///{shared_var_dir}/events.db", var_dir=shared_var_dir
    )
    with make_client(settings, shared_tokens) as client:
        yield client
