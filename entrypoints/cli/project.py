"""``siaga112 project``: run the projection runners, or rebuild a projection and compare."""

from __future__ import annotations

import argparse
import getpass
import json
import signal
import threading
from contextlib import closing
from types import FrameType

from dispatch.settings import Settings
from entrypoints.cli import show_help
from entrypoints.cli.failures import CHECK_FAILED, OK, USAGE, CommandFailed
from entrypoints.cli.progress import track
from projections.catalog import CATALOG
from projections.rebuild import NEVER_RAN

DIFFERENCES_SHOWN = 20
NAMES = ", ".join(sorted(CATALOG))


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``project``, ``project run`` and ``project rebuild``."""
    project = sub.add_parser(
        "project",
        help="run the projection runners (boards, caller history, KPIs) or rebuild one",
        description="The read models (boards, caller history, KPI counters). `project run` runs "
        "every projection until SIGTERM/SIGINT; on PostgreSQL, several of these (and `serve`) "
        "may run: an advisory lock elects one, the others stand by and take over when it dies.",
    )
    project.set_defaults(handler=show_help(project))
    actions = project.add_subparsers(title="actions", metavar="ACTION")
    run = actions.add_parser(
        "run",
        help="run every projection until SIGTERM/SIGINT",
        description="Run every projection until SIGTERM/SIGINT; exit 1 if one failed.",
    )
    run.set_defaults(handler=_run)
    rebuild = actions.add_parser(
        "rebuild",
        help="replay a projection from position 0 into scratch tables and compare with live",
        description="Prints one line per projection (and each difference); exits 1 when "
        "any rebuilt row differs from the live one.",
    )
    rebuild.add_argument("name", nargs="?", choices=sorted(CATALOG), help="projection name")
    rebuild.add_argument("--all", action="store_true", help="every projection")
    rebuild.add_argument("--json", action="store_true", help="print the reports as JSON")
    rebuild.set_defaults(handler=_rebuild)
    skip = actions.add_parser(
        "skip",
        help="let a stopped projection go on past the one event it could not apply (recorded)",
        description="A projection that cannot apply an event stops there (health 503). This "
        "records who skips that event and why, in the event log, then moves the projection "
        "past it; a running server resumes the projection within seconds. The other way on: "
        "deploy a fix and restart, and it resumes from its position.",
    )
    skip.add_argument("name", choices=sorted(CATALOG), help="projection name")
    skip.add_argument(
        "--position", type=int, help="the log position it stopped at (checked; default: that one)"
    )
    skip.add_argument("--reason", required=True, help="why (recorded with your name)")
    skip.set_defaults(handler=_skip)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from projections.host import ProjectionHost

    _durable(settings)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    host = ProjectionHost(settings)
    host.start()
    print(f"projections: {', '.join(CATALOG)} (store: {settings.backend})", flush=True)
    role = ""
    while not stop.wait(0.5):
        if host.role != role:
            role = host.role
            print(f"projections: {role}", flush=True)
    host.stop()
    healthy, detail = host.health()
    print(f"projections: stopped {json.dumps(detail, default=str)}", flush=True)
    return OK if healthy else CHECK_FAILED


def _rebuild(args: argparse.Namespace, settings: Settings) -> int:
    from projections.rebuild import rebuild_and_diff

    _durable(settings)
    if not args.all and not args.name:
        raise CommandFailed(f"project rebuild: give a projection name or --all ({NAMES})", USAGE)
    names = list(CATALOG) if args.all else [args.name]
    reports = [rebuild_and_diff(settings, name) for name in track(names, "rebuilding")]
    if args.json:
        print(json.dumps([r.as_dict() for r in reports], indent=2, default=str))
    for report in reports if not args.json else []:
        if report.position is None and report.identical:
            print(f"{report.name}: {NEVER_RAN}")
            continue
        verdict = "identical" if report.identical else f"{len(report.differences)} DIFFERENCES"
        print(
            f"{report.name}: up to position {report.position}, {report.events} events in "
            f"{report.seconds:.2f} s; live {report.live_rows} rows, rebuilt "
            f"{report.rebuilt_rows} rows: {verdict}"
        )
        for difference in report.differences[:DIFFERENCES_SHOWN]:
            print(f"  {json.dumps(difference.as_dict(), default=str)}")
    return OK if all(r.identical for r in reports) else CHECK_FAILED


def _skip(args: argparse.Namespace, settings: Settings) -> int:
    from dispatch.context import set_actor
    from entrypoints.bootstrap import bootstrap
    from projections.repair import NothingToSkip, skip_stuck_event
    from projections.wiring import open_view

    _durable(settings)
    set_actor(f"cli:{getpass.getuser()}")
    spec = CATALOG[args.name]
    with closing(bootstrap(settings).center) as center, closing(open_view(settings, spec)) as view:
        try:
            done = skip_stuck_event(center, view, spec, args.reason, position=args.position)
        except NothingToSkip as error:
            raise CommandFailed(str(error), USAGE) from error
    print(
        f"{done.projection}: skipped position {done.position} ({done.event_type}), recorded in "
        "the event log; a running server resumes the projection within seconds"
    )
    return OK


def _durable(settings: Settings) -> None:
    if settings.backend == "memory":
        raise CommandFailed(
            "projections need SQLite or PostgreSQL, not memory://; fix --database-url", USAGE
        )
