"""The siaga112 command: serve, demo, token, classifier, and more as they land."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from contextvars import ContextVar

from pydantic import ValidationError

from dispatch.settings import Settings

# The settings of the running command, for parts whose callbacks take no arguments.
ACTIVE_SETTINGS: ContextVar[Settings] = ContextVar("siaga112_cli_settings")

DESCRIPTION = """Siaga112: event-sourced emergency dispatch core for a 112 call center.
Configuration comes from SIAGA_* environment variables (see README); options below override."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the siaga112 command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        settings = _settings(args)
    except ValidationError as error:
        print(f"siaga112: invalid configuration:\n{error}", file=sys.stderr)
        return 2
    from dispatch.storage import keep_local_state_private

    keep_local_state_private(settings)
    token = ACTIVE_SETTINGS.set(settings)
    try:
        code: int = args.handler(args, settings)
    finally:
        ACTIVE_SETTINGS.reset(token)
    return code


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="siaga112", description=DESCRIPTION)
    parser.add_argument("--database-url", help="overrides SIAGA_DATABASE_URL")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the API, console and feeds")
    serve.add_argument("--host", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8112)")
    serve.add_argument("--log-level", default="info", help="uvicorn log level (default info)")
    serve.set_defaults(handler=_serve)

    demo = sub.add_parser(
        "demo",
        help="seed units at Samarinda's stations and print demo tokens (idempotent)",
        description="Registers police, fire and ambulance units at the real Samarinda stations "
        "and prints one line per demo token, '<role>: <token>'. Running it again changes nothing.",
    )
    demo.set_defaults(handler=_demo)

    token = sub.add_parser("token", help="manage API tokens (stored hashed)")
    token_sub = token.add_subparsers(title="token commands", metavar="ACTION")
    add = token_sub.add_parser("add", help="make a token for a role and print it once")
    add.add_argument("--role", required=True, help="operator, supervisor, auditor, agency:<code>")
    add.add_argument("--name", required=True, help="who holds it (recorded as the actor)")
    add.set_defaults(handler=_token_add)

    _register_optional(sub)
    return parser


def _register_optional(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from dispatch import commands

    commands.register(sub)


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {}
    if args.database_url:
        overrides["database_url"] = args.database_url
    return Settings(**overrides)


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from dispatch import logging_filters
    from dispatch.api.app import create_app

    host = args.host or settings.host
    port = args.port or settings.port
    print(f"Siaga112 on http://{host}:{port}  (store: {settings.backend})", flush=True)
    config = uvicorn.Config(create_app(settings), host=host, port=port, log_level=args.log_level)
    logging_filters.install(args.log_level)  # JSON lines, after uvicorn configured its own
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises SIGINT after shutdown
        uvicorn.Server(config).run()
    return 0


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from dispatch.bootstrap import build_center
    from dispatch.demo import demo_tokens, seed_units

    center = build_center(settings)
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
    from dispatch.auth import add_token

    try:
        token = add_token(settings.resolved_tokens_file, args.role, args.name)
    except ValueError as error:
        print(f"siaga112: {error}", file=sys.stderr)
        return 2
    print(f"{args.role}: {token}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
