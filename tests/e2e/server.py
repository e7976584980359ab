"""Run a real `siaga112 serve` process for end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the siaga112 command as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "entrypoints.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


@dataclass
class RunningServer:
    url: str
    tokens: dict[str, str]
    process: subprocess.Popen[str]
    env: dict[str, str]


def parse_tokens(output: str) -> dict[str, str]:
    """`role: token` lines from `siaga112 demo`."""
    return dict(
        line.split(": ", 1) for line in output.splitlines() if line and not line.startswith("#")
    )


@contextmanager
def running_server(
    var_dir: Path, database_url: str | None = None, workers: int = 1, log_level: str = "warning"
) -> Iterator[RunningServer]:
    """`siaga112 demo` then `siaga112 serve` on a free port (with ``workers`` serving
    processes); stopped with SIGINT afterwards."""
    env = {**os.environ, "SIAGA_VAR_DIR": str(var_dir)}
    env["SIAGA_DATABASE_URL"] = database_url or f"sqlite:///{var_dir}/siaga112.db"
    # These servers share two cores with Chromium and the suite: a 50 ms scoring budget would
    # sometimes give way to the fail-safe score (tested on its own in tests/unit/classifier).
    env.setdefault("SIAGA_CLASSIFIER_TIMEOUT_MS", "2000")
    tokens = parse_tokens(cli("demo", env=env).stdout)
    port = free_port()
    # Into a file, never an unread pipe: a server that fills a pipe's 64 KB stops writing (and
    # before its log lines had a writer thread of their own, serving and stopping too).
    var_dir.mkdir(parents=True, exist_ok=True)
    output = (var_dir / "server.log").open("a")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "entrypoints.cli",
            "serve",
            "--port",
            str(port),
            "--log-level",
            log_level,
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, var_dir / "server.log")
        yield RunningServer(url, tokens, process, env)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        finally:
            output.close()


def wait_healthy(
    url: str, process: subprocess.Popen[str], log: Path | None = None, timeout: float = 60
) -> None:
    """Wait for /healthz 200; a server that exits first fails with its output (piped or LOG)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text() if log else process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"server exited: {output}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not become healthy")
