"""A real `siaga112 serve` logs JSON lines: request id, actor, incident, level, logger, message;
caller numbers masked and tokens redacted wherever they appear."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.server import cli, free_port, parse_tokens, wait_healthy
from tests.support import report_json

pytestmark = pytest.mark.e2e
CALLER = "+6281350001234"
MASKED = "+62813****1234"


@contextmanager
def logging_server(var_dir: Path) -> Iterator[tuple[str, dict[str, str], Path, Path]]:
    """`siaga112 serve --log-level info`, its stdout and stderr written to files."""
    env = {**os.environ, "SIAGA_VAR_DIR": str(var_dir)}
    env["SIAGA_DATABASE_URL"] = f"sqlite:///{var_dir}/siaga112.db"
    tokens = parse_tokens(cli("demo", env=env).stdout)
    out, err = var_dir / "stdout.log", var_dir / "stderr.log"
    port = free_port()
    with out.open("w") as stdout, err.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)],
            env=env,
            stdout=stdout,
            stderr=stderr,
            text=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process)
            yield url, tokens, out, err
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=20)


def json_lines(*files: Path) -> list[dict[str, Any]]:
    lines = [line for f in files for line in f.read_text().splitlines() if line.strip()]
    return [json.loads(line) for line in lines if line.startswith("{")]


def test_a_request_carrying_a_caller_number_is_logged_as_json_with_the_number_masked(
    tmp_path: Path,
) -> None:
    with logging_server(tmp_path / "var") as (url, tokens, out, err):
        operator = {"Authorization": f"Bearer {tokens['operator']}"}
        actor = httpx.get(f"{url}/api/me", headers=operator).json()["actor"]
        report = httpx.post(
            f"{url}/api/reports", json=report_json(caller_number=CALLER), headers=operator
        )
        incident_id = report.json()["incident"]["id"]
        events = httpx.get(
            f"{url}/api/incidents/{incident_id}/events",
            params={"caller": CALLER},
            headers={**operator, "X-Request-ID": "call-7781"},
        )
        feed = httpx.get(f"{url}/ws/console", params={"token": tokens["operator"]})
        assert events.headers["x-request-id"] == "call-7781"
        assert feed.status_code != 101

    everything = out.read_text() + err.read_text()
    lines = json_lines(out, err)
    assert CALLER not in everything and CALLER.replace("+", "%2B") not in everything
    assert tokens["operator"] not in everything
    (access,) = [line for line in lines if line.get("request_id") == "call-7781"]
    assert {"time", "level", "logger", "message", "request_id", "actor", "incident_id"} <= set(
        access
    )
    assert access["logger"] == "uvicorn.access" and access["level"] == "info"
    assert access["incident_id"] == incident_id
    assert access["actor"] == actor
    assert access["status"] == 200
    assert MASKED.replace("+", "%2B") in access["message"]
    assert all(line["request_id"] for line in lines if line["logger"] == "uvicorn.access")
