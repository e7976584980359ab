"""`siaga112` when PostgreSQL is not there (exit 3, one line saying why), and rebuilds of
projections that never ran, on both durable stores."""

from __future__ import annotations

import json
import threading
import uuid
from urllib.parse import urlparse

import pytest

from adapters.center import build_center
from dispatch.settings import Settings
from projections.catalog import CATALOG
from tests.cli import Failure, assert_one_line_failure, run_main
from tests.e2e.server import free_port
from tests.support import a_report, pg_admin_url

pytestmark = pytest.mark.postgres


def server_url(database: str, port: int | None = None) -> str:
    """A URL on the test server (or on another port of its host) naming ``database``."""
    admin = urlparse(pg_admin_url())
    netloc = admin.netloc if port is None else f"{admin.netloc.rsplit(':', 1)[0]}:{port}"
    return admin._replace(netloc=netloc, path=f"/{database}").geturl()


def test_a_database_that_does_not_exist_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    missing = f"no_such_db_{uuid.uuid4().hex[:8]}"
    case = Failure(
        "missing database",
        ("--database-url", server_url(missing), "replay", "verify"),
        3,
        (f"database {missing} does not exist", "createdb", "--database-url"),
    )
    assert_one_line_failure(run_main(list(case.args), capsys), case)


# What a command opened and left for the garbage collector was closed in whatever thread the
# collector ran: in one of its own pool's, "cannot join current thread" (an unraisable error).
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize(
    "command", [["replay", "verify"], ["demo"], ["project", "rebuild", "--all"]]
)
def test_a_server_that_does_not_answer_is_exit_3_with_what_to_do(
    command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    before = set(threading.enumerate())
    port = free_port()  # nothing listens there
    host = urlparse(pg_admin_url()).hostname
    case = Failure(
        "unreachable PostgreSQL",
        ("--database-url", server_url("siaga112", port), *command),
        3,
        (f"cannot connect to PostgreSQL at {host}:{port}", "connection refused", "start"),
    )
    assert_one_line_failure(run_main(list(case.args), capsys), case)
    # Everything it opened is closed: no connection pool is left trying in its threads
    assert [t.name for t in threading.enumerate() if t not in before] == []


def test_rebuild_of_projections_that_never_ran_says_so(
    any_settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    center = build_center(any_settings)
    try:
        center.report(a_report())
    finally:
        center.close()
    db = ["--database-url", any_settings.database_url]
    project = run_main([*db, "project", "rebuild", "--all"], capsys)
    replay = run_main([*db, "replay", "rebuild-check"], capsys)
    for outcome in (project, replay):
        assert outcome.exit_code == 0
        assert "None" not in outcome.out and "identical" not in outcome.out
        assert outcome.out.count("never ran on this store") == len(CATALOG)
    reports = json.loads(run_main([*db, "project", "rebuild", "--all", "--json"], capsys).out)
    assert {r["position"] for r in reports} == {None}
