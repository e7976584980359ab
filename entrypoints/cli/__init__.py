"""The siaga112 command: serve, demo, token, classifier, and more as they land."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import socket
import sys
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, NoReturn

from pydantic import ValidationError

from dispatch.settings import Settings, unknown_variables
from entrypoints.cli import failures

if TYPE_CHECKING:
    from fastapi import FastAPI

    from entrypoints.http.stopping import Stopping
    from entrypoints.worker_slot import WorkerSlot

# The settings of the running command, for parts whose callbacks take no arguments.
ACTIVE_SETTINGS: ContextVar[Settings] = ContextVar("siaga112_cli_settings")

DESCRIPTION = """Siaga112: event-sourced emergency dispatch core for a 112 call center.
Configuration comes from SIAGA_* environment variables (see README); options below override.
Exit codes: 0 ok, 1 a check failed, 2 usage (bad arguments, unknown id or number),
3 a service cannot be reached (database, feed server)."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line naming the command's --help."""

    def error(self, message: str) -> NoReturn:
        """Print one line on stderr and exit 2."""
        self.exit(failures.USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the siaga112 command."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help (0) or a usage error (2), already printed
        return stop.code if isinstance(stop.code, int) else failures.USAGE
    if not hasattr(args, "handler"):
        parser.print_help()
        return failures.USAGE
    try:
        settings = _settings(args)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'settings'}: {e['msg']}" for e in error.errors()
        )
        print(f"siaga112: invalid configuration: {problems} (see README)", file=sys.stderr)
        return failures.USAGE
    token = ACTIVE_SETTINGS.set(settings)
    try:
        return failures.run(lambda: _run(args, settings), settings)
    finally:
        ACTIVE_SETTINGS.reset(token)


def _run(args: argparse.Namespace, settings: Settings) -> int:
    from adapters.storage import keep_local_state_private

    keep_local_state_private(settings)
    code: int = args.handler(args, settings)
    return code


def show_help(parser: argparse.ArgumentParser) -> Callable[..., int]:
    """The handler of a bare command group: its own help on stdout, exit 2."""

    def handler(*_: object) -> int:
        parser.print_help()
        return failures.USAGE

    return handler


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser: argparse.ArgumentParser = Parser(prog="siaga112", description=DESCRIPTION)
    parser.add_argument("--database-url", help="overrides SIAGA_DATABASE_URL")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    serve = sub.add_parser(
        "serve",
        help="run the API, console and feeds",
        description="Serve the HTTP API, the console, the agency boards and the live feeds; "
        "runs the projections, the escalation watchdog and the audit checkpointer too.",
    )
    serve.add_argument("--host", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, help="port, 1-65535 (default 8112)")
    serve.add_argument("--log-level", default="info", help="uvicorn log level (default info)")
    serve.add_argument(
        "--workers",
        type=_workers,
        help="serving processes sharing the port, 1-64 (default SIAGA_WORKERS or 1; one "
        "process uses about one core at most)",
    )
    # A worker of `serve --workers N`, started by it: never typed by hand.
    serve.add_argument("--fd", type=int, help=argparse.SUPPRESS)
    serve.add_argument("--worker", type=_worker_slot, help=argparse.SUPPRESS)
    serve.add_argument("--ready-fd", type=int, help=argparse.SUPPRESS)
    serve.add_argument("--lifeline-fd", type=int, help=argparse.SUPPRESS)
    serve.set_defaults(handler=_serve)

    demo = sub.add_parser(
        "demo",
        help="seed units at Samarinda's stations and print demo tokens (idempotent)",
        description="Registers police, fire and ambulance units at the real Samarinda stations "
        "and prints one line per demo token, '<role>: <token>'. Running it again changes nothing.",
    )
    demo.set_defaults(handler=_demo)

    token = sub.add_parser(
        "token", help="manage API tokens (stored hashed)", description="Manage API tokens."
    )
    token.set_defaults(handler=show_help(token))
    token_sub = token.add_subparsers(title="token commands", metavar="ACTION")
    add = token_sub.add_parser(
        "add",
        help="make a token for a role and print it once",
        description="Make a token for a role, store its hash and print the token once.",
    )
    add.add_argument("--role", required=True, help="operator, supervisor, auditor, agency:<code>")
    add.add_argument("--name", required=True, help="who holds it (recorded as the actor)")
    add.set_defaults(handler=_token_add)

    _register_optional(sub)
    return parser


def _port(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a whole number from 1 to 65535, not {text}")
    return int(text)


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"workers is a whole number from 1 to 64, not {text}")
    return int(text)


def _worker_slot(text: str) -> WorkerSlot:
    from entrypoints.worker_slot import WorkerSlot

    try:
        return WorkerSlot.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _register_optional(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from entrypoints.cli import parts

    parts.register(sub)


def _settings(args: argparse.Namespace) -> Settings:
    for line in unknown_variables(os.environ):
        print(f"siaga112: warning: {line}", file=sys.stderr)
    overrides = {}
    if args.database_url:
        overrides["database_url"] = args.database_url
    return Settings(**overrides)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    gc.disable()  # from here until the app is up (see serving_app)
    try:
        return _run_server(args, settings)
    finally:  # however the start ended (a store that cannot be opened too)
        gc.enable()


def _run_server(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from entrypoints import affinity, logging_filters
    from entrypoints.cli import workers
    from entrypoints.http.stopping import GRACE_S, Stopping, StoppingServer
    from entrypoints.worker_slot import WorkerSlot

    host = args.host or settings.host
    port = args.port or settings.port
    count = args.workers or settings.workers
    slot = args.worker or WorkerSlot()
    # A serving process (not the supervisor of several) goes to its CPU before any thread.
    serves = args.worker is not None or count == 1
    cpu = affinity.pin_serving_process(settings.cpu_affinity, slot) if serves else None
    on_cpu = f", CPU {cpu}" if cpu is not None else ""
    if args.worker is None:
        many = f", {count} workers" if count > 1 else ""
        print(
            f"Siaga112 on http://{host}:{port}  (store: {settings.backend}{many}{on_cpu})",
            flush=True,
        )
    elif cpu is not None:
        print(f"Siaga112 worker {slot} on CPU {cpu}", flush=True)
    if args.worker is None and count > 1:
        logging_filters.install(args.log_level)
        sock = workers.bind(host, port)
        try:
            command = workers.serve_command(args.log_level, args.database_url)
            return workers.Supervisor(count, sock, command).run()
        finally:
            sock.close()
    stopping = Stopping()
    workers.follow_lifeline(args.lifeline_fd)

    def started() -> None:
        workers.tell_ready(args.ready_fd, slot)

    config = uvicorn.Config(
        serving_app(settings, stopping, slot, started),
        host=host,
        port=port,
        log_level=args.log_level,
        timeout_graceful_shutdown=GRACE_S,
    )
    logging_filters.install(args.log_level)  # JSON lines, after uvicorn configured its own
    sockets = [socket.socket(fileno=args.fd)] if args.fd is not None else None
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises SIGINT after shutdown
        StoppingServer(config, stopping).run(sockets=sockets)
    return 0


def serving_app(
    settings: Settings,
    stopping: Stopping,
    slot: WorkerSlot | None = None,
    ready: Callable[[], None] | None = None,
) -> FastAPI:
    """The app ``serve`` runs, built with the cyclic garbage collector off until it is up.

    The imports, the model and the present's checkpoint make hundreds of thousands of
    objects; the collections they set off took 0.5 s of CPU on an empty store and 1 s with a
    million events, and found little garbage (120k objects, 11 MiB at a million events: the
    one collection before the start-up heap is frozen gathers it, ``freeze_start_up_heap``).
    The collector is on again before the first request. ``ready`` is called then too (a
    worker tells its supervisor it serves).
    """
    gc.disable()
    from entrypoints.http.app import create_app

    def started() -> None:
        gc.enable()
        if ready is not None:
            ready()

    return create_app(
        settings, stopping=stopping, freeze_start_up=True, started=started, worker=slot
    )


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from entrypoints.bootstrap import bootstrap
    from entrypoints.cli.demo import demo_tokens, seed_units
    from entrypoints.cli.progress import step

    with step(f"opening the store ({settings.backend})"):
        center = bootstrap(settings).center
    try:
        new, existing = seed_units(center)
    finally:
        center.close()
    tokens = demo_tokens(settings.var_dir, settings.resolved_tokens_file)
    print(f"# units: {new} registered, {existing} already there (store: {settings.backend})")
    print(f"# console: http://{settings.host}:{settings.port}/   API docs: /docs")
    for role, token in tokens.items():
        print(f"{role}: {token}")
    return 0


def _token_add(args: argparse.Namespace, settings: Settings) -> int:
    from adapters.auth import add_token

    try:
        token = add_token(settings.resolved_tokens_file, args.role, args.name)
    except ValueError as error:
        raise failures.CommandFailed(f"token add: {error}") from None
    print(f"{args.role}: {token}")
    return 0
