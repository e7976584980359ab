"""How the siaga112 command fails: one line on stderr and a documented exit code.

Exit codes: 0 ok · 1 a check failed (verify, rebuild-check, rescore found a difference) ·
2 usage (bad arguments, unknown id or number, not enough data for what was asked) ·
3 a service cannot be reached (database, feed server) · 130 interrupted · 141 stdout closed
by its reader (128 + SIGPIPE, quietly, as Unix tools do). Anything else is a bug and keeps
its traceback.
"""

from __future__ import annotations

import os
import re
import sqlite3
import sys
from collections.abc import Callable
from urllib.parse import unquote, urlparse

from dispatch.errors import IncidentNotFound, StorageUnavailable, UnitNotFound
from dispatch.settings import Settings

OK = 0
CHECK_FAILED = 1
USAGE = 2
UNREACHABLE = 3
INTERRUPTED = 130
PIPE_CLOSED = 141


class CommandFailed(Exception):
    """Raised by a command for an expected failure: the message and the exit code to give."""

    def __init__(self, message: str, exit_code: int = USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def run(command: Callable[[], int], settings: Settings, prog: str = "siaga112") -> int:
    """Run a command; expected failures become one line on stderr and their exit code."""
    try:
        code = command()
        sys.stdout.flush()  # a reader that closed the pipe is noticed here, not at exit
        return code
    except BrokenPipeError:
        _silence_stdout()
        return PIPE_CLOSED
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return INTERRUPTED
    except Exception as error:
        failure = explain(error, settings)
        if failure is None:
            raise
        print(f"{prog}: {failure}", file=sys.stderr)
        return failure.exit_code


def explain(error: Exception, settings: Settings) -> CommandFailed | None:
    """The expected failure an exception stands for, or None for a bug."""
    if isinstance(error, CommandFailed):
        return error
    if isinstance(error, IncidentNotFound | UnitNotFound):
        hint = "give a UUID or a radio number such as SMD-20261122-0042 (see `replay state`)"
        return CommandFailed(f"{error}; {hint}", USAGE)
    if _is_unreachable(error):
        return CommandFailed(store_problem(settings, error), UNREACHABLE)
    if isinstance(error, OSError) and error.filename is not None:  # a path the user gave
        reason = (error.strerror or type(error).__name__).lower()
        return CommandFailed(
            f"cannot use {error.filename}: {reason}; check the path and its permissions", USAGE
        )
    return None


def _is_unreachable(error: Exception) -> bool:
    import psycopg
    import psycopg_pool
    from eventsourcing.persistence import InterfaceError, OperationalError

    unreachable = (
        StorageUnavailable,
        OperationalError,
        InterfaceError,
        psycopg.OperationalError,
        psycopg_pool.PoolTimeout,
        sqlite3.OperationalError,
    )
    return isinstance(error, unreachable)


def store_problem(settings: Settings, error: Exception) -> str:
    """What is wrong with the event store, and what to do about it (asks the server again)."""
    if settings.backend == "sqlite":
        return (
            f"cannot open the SQLite store {settings.sqlite_path}: {error}; check that its "
            "folder exists and is writable, or fix --database-url / SIAGA_DATABASE_URL"
        )
    if settings.backend != "postgres":
        return f"the event store failed: {error}"
    url = urlparse(settings.database_url)
    host, port = url.hostname or "127.0.0.1", url.port or 5432
    database = unquote(url.path.lstrip("/")) or "siaga112"
    reason = _postgres_reason(settings)
    fix = "fix --database-url or SIAGA_DATABASE_URL"
    if reason is None:  # the server answers now: the failure was something else
        return f"PostgreSQL at {host}:{port} failed: {error}; try again, or {fix}"
    missing = re.fullmatch(r'database "(.+)" does not exist', reason)
    if missing:
        return (
            f"database {missing.group(1)} does not exist on {host}:{port}; create it "
            f"(createdb -h {host} -p {port} {missing.group(1)}) or {fix}"
        )
    if reason.startswith("role "):
        return f"PostgreSQL at {host}:{port} refused the login: {reason}; {fix}"
    return (
        f"cannot connect to PostgreSQL at {host}:{port} (database {database}): "
        f"{reason}; start the server or {fix}"
    )


def _postgres_reason(settings: Settings) -> str | None:
    """libpq's own reason for a failed connection (None when it connects)."""
    import psycopg

    try:
        with psycopg.connect(
            settings.database_url, connect_timeout=settings.postgres_connect_timeout
        ):
            return None
    except psycopg.Error as error:
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        reason = first.rsplit(" failed: ", 1)[-1]
        reason = re.sub(r"^(FATAL|ERROR):\s+", "", reason).strip().rstrip(".")
        return reason[:1].lower() + reason[1:]


def _silence_stdout() -> None:
    # Python would flush stdout again at exit and complain; point it at /dev/null instead.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
