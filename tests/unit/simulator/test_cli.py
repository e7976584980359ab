"""`siaga112 simulate` as a command: its options, and exit 3 when no server answers."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from entrypoints.cli import build_parser
from simulator.cli import EXIT_UNREACHABLE, REQUIRED_ROLES, main


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port  # nothing listens once the socket is closed


def test_simulate_is_a_siaga112_subcommand_with_the_shift_options() -> None:
    args = build_parser().parse_args(
        ["simulate", "--hours", "8", "--minutes", "2", "--seed", "7", "--calls-per-hour", "40",
         "--json", "--out", "r.json", "--url", "http://x:1", "--token-file", "t.json"]
    )  # fmt: skip
    assert (args.hours, args.minutes, args.seed, args.calls_per_hour) == (8, 2, 7, 40)
    assert args.json and args.out == Path("r.json") and args.token_file == Path("t.json")


def test_a_server_that_cannot_be_reached_exits_3(tmp_path: Path) -> None:
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps({role: "t" for role in REQUIRED_ROLES}))
    url = f"http://127.0.0.1:{closed_port()}"
    assert main(["--url", url, "--token-file", str(tokens)]) == EXIT_UNREACHABLE


def test_a_missing_token_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tokens = tmp_path / "tokens.json"
    tokens.write_text(json.dumps({"operator": "t"}))
    assert main(["--token-file", str(tokens)]) == 2
    assert "agency:police" in capsys.readouterr().err
