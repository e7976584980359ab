"""A SIAGA_ variable that no part reads is named on stderr, never silently ignored."""

from __future__ import annotations

from pathlib import Path

import pytest

from dispatch.settings import unknown_variables
from tests.cli import run_main


def test_a_renamed_setting_is_named_with_its_new_name() -> None:
    lines = unknown_variables({"SIAGA_COMMAND_RETRIES": "5", "PATH": "/usr/bin"})
    assert lines == [
        "SIAGA_COMMAND_RETRIES is not a Siaga112 setting and is ignored; "
        "did you mean SIAGA_COMMAND_RETRY_S (seconds, not a count)?"
    ]


def test_a_typo_gets_the_closest_setting_and_known_variables_pass() -> None:
    environ = {
        "SIAGA_DATABSE_URL": "sqlite:///x.db",
        "SIAGA_DATABASE_URL": "sqlite:///y.db",
        "SIAGA_TOKEN": "t",
        "SIAGA_TEST_DATABASE_URL": "postgresql://postgres@127.0.0.1/postgres",
        "SIAGA_CLASSIFIER_TIMEOUT_MS": "20",
    }
    assert unknown_variables(environ) == [
        "SIAGA_DATABSE_URL is not a Siaga112 setting and is ignored; "
        "did you mean SIAGA_DATABASE_URL?"
    ]


def test_the_command_warns_on_stderr_and_still_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("SIAGA_COMMAND_RETRIES", "5")
    monkeypatch.setenv("SIAGA_VAR_DIR", str(tmp_path))
    outcome = run_main(["token", "add", "--role", "operator", "--name", "budi"], capsys)
    assert outcome.exit_code == 0, outcome.err
    assert "warning: SIAGA_COMMAND_RETRIES is not a Siaga112 setting" in outcome.err
    assert outcome.out.startswith("operator: ")
