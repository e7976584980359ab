"""`siaga112` as real processes: closed pipes, progress only on a terminal, models under var/,
and `siaga112 feed` against a real server and against a port where nothing listens."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import pytest

from adapters.center import build_center
from classifier.scorer import DEFAULT_MODEL_PATH
from dispatch.settings import Settings
from entrypoints.cli import main
from tests.cli import Failure, assert_one_line_failure, run_process
from tests.e2e.server import RunningServer, free_port, running_server
from tests.support import a_report

pytestmark = pytest.mark.e2e


def store_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a person using this store (without CI, which silences progress)."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    return env | {
        "SIAGA_DATABASE_URL": settings.database_url,
        "SIAGA_VAR_DIR": str(settings.var_dir),
        **extra,
    }


@pytest.fixture
def reported(sqlite_settings: Settings) -> Settings:
    """A SQLite store with one report in it, sealed into the audit chain."""
    center = build_center(sqlite_settings)
    try:
        center.report(a_report())
    finally:
        center.close()
    assert main(["--database-url", sqlite_settings.database_url, "replay", "checkpoint"]) == 0
    return sqlite_settings


@pytest.mark.parametrize(
    "args", [["demo"], ["replay", "state", "--open"]], ids=["demo", "replay state"]
)
def test_a_reader_that_closes_stdout_ends_the_command_quietly(
    args: list[str], reported: Settings
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "entrypoints.cli", *args],
        env=store_env(reported),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # as `| head` does once it has read enough
    err = process.stderr.read()
    assert process.wait(timeout=120) == 141  # 128 + SIGPIPE, as Unix tools report it
    assert err == ""


def test_progress_is_drawn_on_a_terminal_and_never_in_a_pipe_or_in_ci(
    reported: Settings,
) -> None:
    env = store_env(reported, TERM="xterm")
    piped = run_process(["replay", "verify"], env)
    assert piped.exit_code == 0
    assert piped.err == ""
    assert piped.out.startswith("OK: ")
    # The same command with stderr on a terminal shows what it is doing there, stdout unchanged
    out, drawn = on_a_terminal(["replay", "verify"], env)
    assert b"recomputing the hash chain" in drawn
    assert out.decode() == piped.out
    # ... unless it runs in CI
    out, drawn = on_a_terminal(["replay", "verify"], env | {"CI": "true"})
    assert drawn == b""
    assert out.decode() == piped.out


def on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[bytes, bytes]:
    """Run `siaga112 ARGS` with stderr on a pseudo-terminal: its stdout, and what it drew."""
    leader, follower = os.openpty()
    with open(leader, "rb", buffering=0) as terminal:
        done = subprocess.run(
            [sys.executable, "-m", "entrypoints.cli", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=120,
        )
        os.close(follower)
        drawn = read_all(terminal)
    assert done.returncode == 0, drawn
    return done.stdout, drawn


def read_all(terminal: BinaryIO) -> bytes:
    """Everything written to a pseudo-terminal whose other side is closed."""
    chunks = []
    while True:
        try:
            chunk = terminal.read(65536)
        except OSError:  # EIO: the other side is closed and everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_train_without_out_writes_under_the_var_dir_never_over_the_shipped_model(
    tmp_path: Path,
) -> None:
    shipped = hashlib.sha256(DEFAULT_MODEL_PATH.read_bytes()).hexdigest()
    env = {**os.environ, "SIAGA_VAR_DIR": str(tmp_path / "var")}
    done = run_process(["classifier", "train", "--n", "400", "--eval-n", "100"], env)
    assert done.exit_code == 0, done.err
    written = tmp_path / "var" / "models" / DEFAULT_MODEL_PATH.name
    assert written.exists() and written.with_suffix(".card.json").exists()
    assert f"wrote {written}" in done.out
    assert hashlib.sha256(DEFAULT_MODEL_PATH.read_bytes()).hexdigest() == shipped


# Feed cases: {url} is the running server, {dead} a port where nothing listens.
FEED_FAILURES = [
    Failure(
        "bad token",
        ("feed", "fire", "--url", "{url}", "--token", "not-a-token", "--max-messages", "1"),
        2,
        ("feed refused", "bad token", "4401"),
    ),
    Failure(
        "another agency's feed",
        ("feed", "police", "--url", "{url}", "--token", "{fire}", "--max-messages", "1"),
        2,
        ("feed refused", "not allowed", "4403"),
    ),
    Failure(
        "unknown agency",
        ("feed", "navy", "--url", "{url}", "--token", "{fire}", "--max-messages", "1"),
        2,
        ("feed refused", "unknown agency"),
    ),
    Failure(
        "nothing listening",
        ("feed", "fire", "--url", "{dead}", "--token", "{fire}", "--give-up-after", "0"),
        3,
        ("cannot connect to ws://127.0.0.1:", "connection refused", "gave up"),
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    with running_server(tmp_path_factory.mktemp("feed-failures")) as running:
        yield running


@pytest.mark.parametrize("case", FEED_FAILURES, ids=[case.name for case in FEED_FAILURES])
def test_each_feed_failure_is_one_line_and_its_exit_code(
    case: Failure, server: RunningServer, tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    fire = server.tokens["agency:fire"]
    args = [a.replace("{url}", server.url).replace("{dead}", dead) for a in case.args]
    args = [a.replace("{fire}", fire) for a in args]
    outcome = run_process([*args, "--state-file", str(tmp_path / "feed.json")], server.env)
    assert_one_line_failure(outcome, case)
    assert outcome.out == ""  # a refusal is not a feed message


def test_feed_reports_each_failed_connection_and_its_backoff(tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    args = ["feed", "fire", "--url", dead, "--token", "t", "--give-up-after", "2.5"]
    outcome = run_process([*args, "--state-file", str(tmp_path / "feed.json")])
    assert outcome.exit_code == 3
    *retries, last = outcome.err.splitlines()
    waits = [line.rsplit("; ", 1)[1] for line in retries]
    assert waits == ["retrying in 0.5 s", "retrying in 1 s", "retrying in 2 s"]
    assert all("connection refused" in line for line in retries)
    assert "gave up after 2.5 s" in last
    assert "Traceback" not in outcome.err
