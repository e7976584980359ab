"""Local state holds personal data: it is private to the server's user whatever the umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path


def test_stores_and_tokens_are_private_even_when_started_with_umask_022(tmp_path: Path) -> None:
    var = tmp_path / "var"
    env = {**os.environ, "SIAGA_VAR_DIR": str(var)}
    url = f"sqlite:///{tmp_path}/store/events.db"
    subprocess.run(
        [sys.executable, "-m", "entrypoints.cli", "--database-url", url, "demo"],
        env=env,
        check=True,
        capture_output=True,
        preexec_fn=lambda: os.umask(0o022),  # what a default shell gives
    )
    made = [var, *var.rglob("*"), *(tmp_path / "store").rglob("*")]
    assert any(p.name == "events.db" for p in made) and any(p.name == "tokens.json" for p in made)
    loose = {str(p): oct(stat.S_IMODE(p.stat().st_mode)) for p in made if p.stat().st_mode & 0o077}
    assert loose == {}


def test_files_an_older_version_left_readable_are_tightened(tmp_path: Path) -> None:
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    tokens = var / "tokens.json"
    tokens.write_text("{}")
    tokens.chmod(0o644)
    env = {**os.environ, "SIAGA_VAR_DIR": str(var)}
    url = f"sqlite:///{var}/events.db"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "entrypoints.cli",
            "--database-url",
            url,
            "token",
            "add",
            "--role",
            "operator",
            "--name",
            "rina",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    assert stat.S_IMODE(tokens.stat().st_mode) == 0o600
