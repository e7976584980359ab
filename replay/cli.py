"""``siaga112 replay …``: the auditor's commands (read-only, except ``checkpoint``)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from dispatch.center import DispatchCenter
from dispatch.errors import DispatchError
from dispatch.scoring import thresholds
from dispatch.settings import Settings
from dispatch.storage import event_store_env
from replay import eido, kpi, kpi_report, rescore, state, timeline, verify
from replay.chain import Checkpointer, Signer
from replay.checkpoints import open_audit_store
from replay.errors import ReplayError
from replay.rebuild import rebuild_check
from replay.rebuild import render_text as rebuild_text
from replay.times import parse_instant, parse_period

Handler = Callable[[argparse.Namespace, DispatchCenter, Settings], int]
FAILED = 1
REFUSED = 2


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``replay`` and its subcommands."""
    replay = sub.add_parser(
        "replay",
        help="audit: timelines, state as at a time, rebuild check, hash-chain verification, KPIs",
        description="Read the event log as an auditor. Every answer is rebuilt from the log.",
    )
    commands = replay.add_subparsers(title="replay commands", metavar="ACTION")

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help_text, description=help_text)
        parser.set_defaults(handler=_run(handler))
        return parser

    tl = command("timeline", _timeline, "every event of an incident, oldest first")
    tl.add_argument("incident", help="incident id (UUID) or radio number (SMD-20261122-0042)")
    tl.add_argument("--json", action="store_true", help="JSON instead of a text table")

    st = command("state", _state, "state rebuilt from the log as at a time or position")
    when = st.add_mutually_exclusive_group()
    when.add_argument("--at", help="ISO 8601 recording time (WITA if no zone)")
    when.add_argument("--position", type=int, help="log position (notification id)")
    what = st.add_mutually_exclusive_group()
    what.add_argument("--incident", help="one incident (id or radio number)")
    what.add_argument("--board", help="one agency's board: police, fire, medical, bpbd, sar")
    what.add_argument("--open", action="store_true", help="every open incident (the default)")

    rb = command("rebuild-check", _rebuild, "rebuild every projection from 0 and diff with live")
    rb.add_argument("names", nargs="*", help="only these projections")
    rb.add_argument("--json", action="store_true")

    vf = command("verify", _verify, "recompute the hash chain; exit 1 on any tampering found")
    vf.add_argument("--json", action="store_true")

    command("checkpoint", _checkpoint, "seal new events into the audit chain now (once)")

    kp = command("kpi", _kpi, "KPI report for a period: JSON, CSV and HTML with charts")
    kp.add_argument("--from", dest="start", required=True, help="ISO date or time (WITA)")
    kp.add_argument("--to", dest="end", required=True, help="ISO date or time, exclusive")
    kp.add_argument("--out", type=Path, required=True, help="directory for the report files")

    ei = command("eido", _eido, "an incident as a NENA EIDO JSON document")
    ei.add_argument("incident", help="incident id or radio number")

    rs = command("rescore", _rescore, "re-run each recorded score with its model version")
    rs.add_argument("incident", help="incident id or radio number")
    rs.add_argument("--models", type=Path, action="append", help="directory of model files")
    rs.add_argument("--json", action="store_true")


def open_center(settings: Settings) -> DispatchCenter:
    """The application over the event store, for reading (no index, no triggers installed)."""
    return DispatchCenter(
        env=event_store_env(settings),
        number_prefix=settings.number_prefix,
        timezone=settings.timezone,
    )


def _run(handler: Handler) -> Callable[[argparse.Namespace, Settings], int]:
    def run(args: argparse.Namespace, settings: Settings) -> int:
        with _refusals():
            center = open_center(settings)
            try:
                return handler(args, center, settings)
            finally:
                center.close()
        return REFUSED

    return run


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    except (DispatchError, ReplayError) as error:
        print(f"siaga112 replay: {error}", file=sys.stderr)


def _print_json(document: Any) -> None:
    print(json.dumps(document, indent=2, ensure_ascii=False))


def _timeline(args: argparse.Namespace, center: DispatchCenter, _: Settings) -> int:
    document = timeline.timeline(center, args.incident)
    if args.json:
        _print_json(document)
    else:
        print(timeline.render_text(document))
    return 0


def _state(args: argparse.Namespace, center: DispatchCenter, _: Settings) -> int:
    at = parse_instant(args.at, center.local_zone) if args.at else None
    as_of = state.AsOf(args.position, at)
    _print_json(state.state(center, as_of, incident=args.incident, board=args.board))
    return 0


def _rebuild(args: argparse.Namespace, _: DispatchCenter, settings: Settings) -> int:
    result = rebuild_check(settings, args.names or None)
    if args.json:
        _print_json(result)
    else:
        print(rebuild_text(result))
    return 0 if result["ok"] else FAILED


def _signer(settings: Settings) -> Signer:
    return Signer(settings.audit_key.get_secret_value().encode())


def _verify(args: argparse.Namespace, center: DispatchCenter, settings: Settings) -> int:
    store = open_audit_store(settings, center.recorder)
    try:
        result = verify.verify(center.recorder, store, _signer(settings))
    finally:
        store.close()
    if args.json:
        _print_json(result.to_json())
    else:
        print(verify.render_text(result))
    return 0 if result.ok else FAILED


def _checkpoint(_: argparse.Namespace, center: DispatchCenter, settings: Settings) -> int:
    store = open_audit_store(settings, center.recorder)
    try:
        sealed = Checkpointer(center.recorder, store, _signer(settings)).run_once()
        last = store.last_checkpoint()
    finally:
        store.close()
    print(f"sealed {sealed} events; last checkpoint: {last.to_json() if last else None}")
    return 0


def _kpi(args: argparse.Namespace, center: DispatchCenter, _: Settings) -> int:
    start, end = parse_period(args.start, args.end, center.local_zone)
    paths = kpi_report.write_report(kpi.report(center, start, end), args.out)
    for name, path in paths.items():
        print(f"{name}: {path}")
    return 0


def _eido(args: argparse.Namespace, center: DispatchCenter, _: Settings) -> int:
    _print_json(eido.eido(center, args.incident))
    return 0


def _rescore(args: argparse.Namespace, center: DispatchCenter, settings: Settings) -> int:
    dirs = args.models or rescore.default_model_dirs(settings.classifier_model_path)
    result = rescore.rescore(center, args.incident, dirs, thresholds(settings))
    if args.json:
        _print_json(result)
    else:
        print(rescore.render_text(result))
    return 0 if result["all_reproduced"] else FAILED
