"""Fixtures shared by the reliability tests that start a real `siaga112 serve` process."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a server on a fresh SQLite file or a fresh PostgreSQL database."""
    env = {**os.environ, "SIAGA_VAR_DIR": str(tmp_path), "SIAGA_CLASSIFIER_TIMEOUT_MS": "2000"}
    if request.param == "sqlite":
        yield env | {"SIAGA_DATABASE_URL": f"sqlite:///{tmp_path}/siaga112.db"}
    else:
        from tests.support import fresh_database  # imported where used, see tests/conftest.py

        with fresh_database() as url:
            yield env | {"SIAGA_DATABASE_URL": url}
