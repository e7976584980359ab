"""``siaga112 replay …``: the auditor's commands (read-only, except ``checkpoint``)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from adapters.scoring import thresholds
from adapters.storage import event_store_env
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from entrypoints.cli import show_help
from entrypoints.cli.failures import CHECK_FAILED, OK, USAGE, CommandFailed
from entrypoints.cli.progress import step
from replay import eido, kpi, kpi_report, rescore, state, timeline, verify
from replay.chain import Signer
from replay.checkpointer import Checkpointer
from replay.checkpoints import open_audit_store
from replay.errors import ReplayError
from replay.kpi_labels import LANGS
from replay.kpi_source import read_facts
from replay.rebuild import rebuild_check
from replay.rebuild import render_text as rebuild_text
from replay.times import parse_instant, parse_period

Handler = Callable[[argparse.Namespace, DispatchCenter, Settings], int]
JSON_HELP = "print the result as JSON instead of text"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``replay`` and its subcommands."""
    replay = sub.add_parser(
        "replay",
        help="audit: timelines, state as at a time, rebuild check, hash-chain verification, KPIs",
        description="Read the event log as an auditor. Every answer is rebuilt from the log. "
        "Exit codes: 0 ok, 1 a check found a difference, 2 usage or unknown incident, "
        "3 the store cannot be reached.",
    )
    replay.set_defaults(handler=show_help(replay))
    commands = replay.add_subparsers(title="replay commands", metavar="ACTION")

    def command(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        parser = commands.add_parser(name, help=help_text, description=help_text)
        parser.set_defaults(handler=_run(handler))
        return parser

    tl = command("timeline", _timeline, "every event of an incident, oldest first")
    tl.add_argument("incident", help="incident id (UUID) or radio number (SMD-20261122-0042)")
    tl.add_argument("--json", action="store_true", help="JSON instead of a text table")

    st = command("state", _state, "state rebuilt from the log as at a time or position (JSON)")
    when = st.add_mutually_exclusive_group()
    when.add_argument("--at", help="ISO 8601 recording time (WITA if no zone)")
    when.add_argument("--position", type=_position, help="log position (notification id)")
    what = st.add_mutually_exclusive_group()
    what.add_argument("--incident", help="one incident (id or radio number)")
    what.add_argument("--board", help="one agency's board: police, fire, medical, bpbd, sar")
    what.add_argument("--open", action="store_true", help="every open incident (the default)")

    rb = command("rebuild-check", _rebuild, "rebuild every projection from 0 and diff with live")
    rb.add_argument("names", nargs="*", help="only these projections (default: all)")
    rb.add_argument("--json", action="store_true", help=JSON_HELP)

    vf = command("verify", _verify, "recompute the hash chain; exit 1 on any tampering found")
    vf.add_argument("--json", action="store_true", help=JSON_HELP)

    cp = command("checkpoint", _checkpoint, "seal new events into the audit chain now (once)")
    cp.add_argument("--json", action="store_true", help=JSON_HELP)

    kp = command("kpi", _kpi, "KPI report for a period: JSON, CSV and HTML with charts")
    kp.add_argument("--from", dest="start", required=True, help="ISO date or time (WITA)")
    kp.add_argument("--to", dest="end", required=True, help="ISO date or time, exclusive")
    kp.add_argument("--out", type=Path, required=True, help="directory for the report files")
    kp.add_argument(
        "--from-log",
        action="store_true",
        help="fold the whole event log instead of reading the kpis projection (the auditors' "
        "cross-check: the figures are the same)",
    )
    kp.add_argument(
        "--lang", choices=LANGS, default="id", help="language of labels, tables and charts"
    )

    ei = command("eido", _eido, "an incident as a NENA EIDO JSON document")
    ei.add_argument("incident", help="incident id or radio number")

    rs = command("rescore", _rescore, "re-run each recorded score with its model version")
    rs.add_argument("incident", help="incident id or radio number")
    rs.add_argument(
        "--models", type=Path, action="append", help="directory of model files (repeatable)"
    )
    rs.add_argument("--json", action="store_true", help=JSON_HELP)


def _position(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"a log position is a whole number >= 0, not {text!r}")
    return int(text)


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

    return run


@contextmanager
def _refusals() -> Iterator[None]:
    try:
        yield
    # unknown incidents and unreachable stores (their exit codes: entrypoints.cli.failures)
    except ReplayError as error:
        raise CommandFailed(f"replay: {error}", USAGE) from error


def _print_json(document: Any) -> None:
    print(json.dumps(document, indent=2, ensure_ascii=False))


def _timeline(args: argparse.Namespace, center: DispatchCenter, _: Settings) -> int:
    document = timeline.timeline(center, args.incident)
    if args.json:
        _print_json(document)
    else:
        print(timeline.render_text(document))
    return OK


def _state(args: argparse.Namespace, center: DispatchCenter, _: Settings) -> int:
    at = parse_instant(args.at, center.local_zone) if args.at else None
    as_of = state.AsOf(args.position, at)
    with step("rebuilding state from the event log"):
        document = state.state(center, as_of, incident=args.incident, board=args.board)
    _print_json(document)
    return OK


def _rebuild(args: argparse.Namespace, _: DispatchCenter, settings: Settings) -> int:
    with step("rebuilding projections from position 0 and comparing"):
        result = rebuild_check(settings, args.names or None)
    if args.json:
        _print_json(result)
    else:
        print(rebuild_text(result))
    return OK if result["ok"] else CHECK_FAILED


def _signer(settings: Settings) -> Signer:
    return Signer(settings.audit_key.get_secret_value().encode())


def _verify(args: argparse.Namespace, center: DispatchCenter, settings: Settings) -> int:
    store = open_audit_store(settings, center.recorder)
    try:
        with step("recomputing the hash chain over the event log"):
            result = verify.verify(center.recorder, store, _signer(settings))
    finally:
        store.close()
    if args.json:
        _print_json(result.to_json())
    else:
        summary, *rest = verify.render_text(result).splitlines()
        print(summary)
        if result.last_checkpoint:
            print(f"last checkpoint: {checkpoint_text(result.last_checkpoint)}")
        for line in rest:
            if not line.startswith("last checkpoint:"):
                print(line)
    return OK if result.ok else CHECK_FAILED


def checkpoint_text(checkpoint: Mapping[str, Any] | None) -> str:
    """A checkpoint as one readable line (position, count, time, hash)."""
    if not checkpoint:
        return "none yet"
    return (
        f"position {checkpoint['position']}, {checkpoint['count']} events, sealed at "
        f"{checkpoint['sealed_at']}, key {checkpoint['key_id']}, hash {checkpoint['hash']}"
    )


def _checkpoint(args: argparse.Namespace, center: DispatchCenter, settings: Settings) -> int:
    store = open_audit_store(settings, center.recorder)
    try:
        with step("sealing new events"):
            sealed = Checkpointer(center.recorder, store, _signer(settings)).run_once()
        last = store.last_checkpoint()
    finally:
        store.close()
    document = last.to_json() if last else None
    if args.json:
        _print_json({"sealed": sealed, "last_checkpoint": document})
    else:
        print(f"sealed {sealed} events; last checkpoint: {checkpoint_text(document)}")
    return OK


def _kpi(args: argparse.Namespace, center: DispatchCenter, settings: Settings) -> int:
    start, end = parse_period(args.start, args.end, center.local_zone)
    where = "the event log" if args.from_log else "the kpis projection"
    with step(f"computing KPIs from {where}"):
        facts = read_facts(center, settings, start, end, log=args.from_log)
        document = kpi.report(center, start, end, lang=args.lang, facts=facts)
        paths = kpi_report.write_report(document, args.out)
    if not document["source"].get("caught_up", True):
        print(f"warning: the kpis projection is behind the log: {document['source']}")
    for name, path in paths.items():
        print(f"{name}: {path}")
    return OK


def _eido(args: argparse.Namespace, center: DispatchCenter, _: Settings) -> int:
    _print_json(eido.eido(center, args.incident))
    return OK


def _rescore(args: argparse.Namespace, center: DispatchCenter, settings: Settings) -> int:
    dirs = args.models or rescore.default_model_dirs(settings.classifier_model_path)
    with step("re-running the recorded scores"):
        result = rescore.rescore(center, args.incident, dirs, thresholds(settings))
    if args.json:
        _print_json(result)
    else:
        print(rescore.render_text(result))
    return OK if result["all_reproduced"] else CHECK_FAILED
