"""``siaga112 simulate``: play a shift against a running server and report the invariants."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any, Protocol

from simulator.client import Unreachable
from simulator.report import to_json, to_text
from simulator.shift import ShiftOptions, run_shift

EXIT_OK, EXIT_VIOLATIONS, EXIT_UNREACHABLE = 0, 1, 3
DESCRIPTION = """Play a realistic 112 shift through a running Siaga112 server, over HTTP and
websockets only, as the console and the agencies do: calls per hour following a daily curve,
a published Indonesian false-call mix (silent, prank, accidental, non-emergency), repeat
callers, several callers about one event, multi-agency incidents, units moving and changing
status, agencies acknowledging late or never, operators routing and dispatching as the
console's Enter does and closing incidents with dispositions.

It checks, while the shift runs: no genuine call with speech is banded high or sent to
call-back; every routed P1 gets a unit recommended whenever its agency has one available;
every later call about one event is offered the earlier ones as duplicates; every escalation
fires within 2 s of its deadline (GET /api/escalation-rules) and never early; every routed
incident reaches its agencies' feeds and no other; no 5xx; and at the end, every projection
equals a rebuild from the log. Exit 0 with no violation, 1 with any, 3 when the server cannot
be reached. Progress goes to stderr on a terminal (not in CI); the report to stdout
(--json for JSON)."""


class HasVarDir(Protocol):
    """The part of the settings this command reads."""

    @property
    def var_dir(self) -> Path: ...


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``simulate`` to the siaga112 command."""
    parser = sub.add_parser(
        "simulate",
        help="play a shift against a running server and check the safety invariants",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    parser.set_defaults(handler=_handle)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of a shift."""
    parser.add_argument(
        "--url", default="http://127.0.0.1:8112", help="the server (default %(default)s)"
    )
    parser.add_argument(
        "--token-file",
        type=Path,
        help="JSON role -> token, as `siaga112 demo` writes it (default <SIAGA_VAR_DIR>/"
        "demo-tokens.json); roles used: operator, auditor, agency:police … agency:sar",
    )
    parser.add_argument(
        "--token",
        action="append",
        default=[],
        metavar="ROLE=TOKEN",
        help="a token for one role (repeatable; overrides the token file)",
    )
    parser.add_argument(
        "--hours", type=float, default=8.0, help="shift length in shift hours (default 8)"
    )
    parser.add_argument(
        "--minutes", type=float, default=2.0, help="wall-clock minutes to play it in (default 2)"
    )
    parser.add_argument("--seed", type=int, default=112, help="traffic seed (default 112)")
    parser.add_argument(
        "--calls-per-hour", type=float, default=30.0, help="mean calls per shift hour (default 30)"
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--out", type=Path, help="also write the JSON report to this file")


def _handle(args: argparse.Namespace, settings: HasVarDir) -> int:
    return run(args, default_tokens=settings.var_dir / "demo-tokens.json")


def run(args: argparse.Namespace, default_tokens: Path) -> int:
    """Run the shift the options describe; returns the exit code."""
    try:
        tokens = load_tokens(args.token_file or default_tokens, args.token)
    except (OSError, ValueError) as error:
        print(f"simulate: {error}", file=sys.stderr)
        return 2
    options = ShiftOptions(
        url=args.url,
        tokens=tokens,
        hours=args.hours,
        minutes=args.minutes,
        seed=args.seed,
        calls_per_hour=args.calls_per_hour,
        progress=progress_shown(),
    )
    try:
        result = asyncio.run(run_shift(options))
    except Unreachable as error:
        print(f"simulate: the server cannot be reached: {error}", file=sys.stderr)
        return EXIT_UNREACHABLE
    report = to_json(result)
    if options.progress:
        print(file=sys.stderr)
    if args.out:
        args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else to_text(report))
    return EXIT_OK if report["ok"] else EXIT_VIOLATIONS


def progress_shown() -> bool:
    """Progress on stderr only on a terminal, never in CI or on a dumb terminal (the rule the
    other siaga112 commands follow)."""
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stderr.isatty()


def load_tokens(path: Path, overrides: list[str]) -> dict[str, str]:
    """Tokens by role from the file (if it exists) and ROLE=TOKEN overrides."""
    tokens: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    for item in overrides:
        role, sep, token = item.partition("=")
        if not sep:
            raise ValueError(f"--token {item!r} is not ROLE=TOKEN")
        tokens[role.strip()] = token.strip()
    missing = [r for r in REQUIRED_ROLES if r not in tokens]
    if missing:
        raise ValueError(f"no token for {', '.join(missing)} (in {path} or --token)")
    return {str(k): str(v) for k, v in tokens.items()}


REQUIRED_ROLES = (
    "operator",
    "auditor",
    "agency:police",
    "agency:fire",
    "agency:medical",
    "agency:bpbd",
    "agency:sar",
)


def main(argv: list[str] | None = None) -> int:
    """Run without the siaga112 command (``python -m simulator``)."""
    parser = argparse.ArgumentParser(prog="simulate", description=DESCRIPTION)
    add_arguments(parser)
    args = parser.parse_args(argv)
    var_dir = Path(os.environ.get("SIAGA_VAR_DIR", "var"))
    return run(args, default_tokens=var_dir / "demo-tokens.json")
