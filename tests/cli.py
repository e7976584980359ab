"""Running `siaga112` as a person would, and what every expected failure must look like."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

import pytest

from entrypoints.cli import main


@dataclass(frozen=True)
class Failure:
    """One expected failure: the command, its exit code and words its one line must say."""

    name: str
    args: tuple[str, ...]
    exit_code: int
    words: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """What a command did: its exit code and both streams."""

    exit_code: int
    out: str
    err: str


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> Outcome:
    """`siaga112 ARGS` in this process (faster than a subprocess; no traceback can hide)."""
    capsys.readouterr()
    code = main(args)
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def run_process(
    args: list[str], env: dict[str, str] | None = None, timeout: float = 120
) -> Outcome:
    """`siaga112 ARGS` as a real process, with stdout and stderr as pipes."""
    done = subprocess.run(
        [sys.executable, "-m", "entrypoints.cli", *args],
        env=env if env is not None else dict(os.environ),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Outcome(done.returncode, done.stdout, done.stderr)


def assert_one_line_failure(outcome: Outcome, case: Failure) -> None:
    """The exit code, one line on stderr with the case's words, and no traceback."""
    assert "Traceback" not in outcome.err + outcome.out
    assert outcome.exit_code == case.exit_code, outcome.err
    lines = outcome.err.splitlines()
    assert len(lines) == 1, outcome.err
    for word in case.words:
        assert word in lines[0], (word, lines[0])
