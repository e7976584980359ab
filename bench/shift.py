"""A long shift through a real server: calls, invariant checks, violations, intake latency.

Starts `siaga112 demo` + `siaga112 serve` on a fresh store (SQLite file, or a fresh PostgreSQL
database), plays a shift with `siaga112 simulate` (HTTP and websockets only) and prints ONE
JSON object: calls, checks and violations per invariant, p50/p99 intake latency, duration.
Or, with --url, plays it against a server already running (tokens from --token-file).

    python bench/shift.py [--backend sqlite|postgres] [--hours 8] [--minutes 20]
                          [--calls-per-hour 40] [--seed 112] [--url URL --token-file F]

Exit 0 with no violation, 1 with any (the simulator's own exit code).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from tests.e2e.server import running_server
from tests.support import fresh_database


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--hours", type=float, default=8.0)
    parser.add_argument("--minutes", type=float, default=20.0)
    parser.add_argument("--calls-per-hour", type=float, default=40.0)
    parser.add_argument("--seed", type=int, default=112)
    parser.add_argument("--url", help="a running server instead of a fresh one")
    parser.add_argument("--token-file", type=Path, help="its tokens (with --url)")
    parser.add_argument("--workers", type=int, default=1, help="serve --workers N (default 1)")
    args = parser.parse_args()
    shift = [
        "--hours", str(args.hours), "--minutes", str(args.minutes),
        "--calls-per-hour", str(args.calls_per_hour), "--seed", str(args.seed),
    ]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="siaga-shift-") as tmp:
        out = Path(tmp) / "report.json"
        if args.url:
            tokens = ["--token-file", str(args.token_file)] if args.token_file else []
            code = simulate([*shift, "--url", args.url, *tokens], dict(os.environ), out)
        elif args.backend == "postgres":
            with (
                fresh_database() as url,
                running_server(Path(tmp), url, workers=args.workers) as server,
            ):
                code = simulate([*shift, "--url", server.url], server.env, out)
        else:
            with running_server(Path(tmp), workers=args.workers) as server:
                code = simulate([*shift, "--url", server.url], server.env, out)
        report = json.loads(out.read_text())
    store = args.backend if not args.url else args.url
    print(json.dumps({**summary(report, store), "workers": args.workers}, indent=2))
    return code


def simulate(arguments: list[str], env: dict[str, str], out: Path) -> int:
    """Run the simulator; its text report and any error go to stderr, the JSON stays ours."""
    command = [sys.executable, "-m", "entrypoints.cli", "simulate", *arguments, "--out", str(out)]
    code = subprocess.run(command, env=env, stdout=sys.stderr).returncode
    if not out.exists():
        raise SystemExit(f"simulate exited {code} without a report")
    return code


def summary(report: dict[str, Any], store: str) -> dict[str, Any]:
    return {
        "store": store,
        "shift": report["shift"],
        "calls": report["calls"]["taken"],
        "duration_s": report["shift"]["duration_s"],
        "intake_latency_ms": report["intake_latency_ms"],
        "requests": report["http"]["requests"],
        "checks": report["checks"],
        "violations": report["violations"],
        "invariants": {
            i["key"]: {"checks": i["checks"], "violations": i["violations"]}
            for i in report["invariants"]
        },
        "examples": {i["key"]: i["examples"][:3] for i in report["invariants"] if i["examples"]},
        "activity": report["activity"],
    }


if __name__ == "__main__":
    raise SystemExit(main())
