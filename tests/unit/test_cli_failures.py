"""Every expected failure of `siaga112 …` is one line on stderr and a documented exit code.

Exit codes: 0 ok, 1 a check failed, 2 usage, 3 a service cannot be reached, 141 stdout closed.
PostgreSQL cases are in tests/integration/test_cli_postgres.py; closed pipes, progress on a
terminal and the feed's failures, as real processes, in tests/e2e/test_cli_processes.py.
"""

from __future__ import annotations

import argparse
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.taxonomy import Disposition
from entrypoints.cli import build_parser
from tests.cli import Failure, assert_one_line_failure, run_main
from tests.support import a_report

FAILURES = [
    Failure("negative count", ("classifier", "train", "--n", "-5"), 2, ("--n", "-5", "--help")),
    Failure("port out of range", ("serve", "--port", "99999"), 2, ("--port", "65535")),
    Failure("unknown subcommand", ("replay", "undo"), 2, ("invalid choice", "undo")),
    Failure(
        "unknown radio number",
        ("{db}", "replay", "timeline", "SMD-20261122-0404"),
        2,
        ("no incident", "SMD-20261122-0404", "radio number"),
    ),
    Failure(
        "unknown incident id",
        ("{db}", "replay", "eido", "{uuid}"),
        2,
        ("no incident", "{uuid}"),
    ),
    Failure(
        "negative position", ("{db}", "replay", "state", "--position", "-1"), 2, ("--position",)
    ),
    Failure(
        "time that is not a time",
        ("{db}", "replay", "state", "--at", "yesterday"),
        2,
        ("at", "ISO 8601"),
    ),
    Failure(
        "unknown projection",
        ("{db}", "replay", "rebuild-check", "nope"),
        2,
        ("unknown projections", "nope"),
    ),
    Failure("rebuild of nothing", ("{db}", "project", "rebuild"), 2, ("name or --all",)),
    Failure(
        "projections in memory",
        ("--database-url", "memory://", "project", "rebuild", "--all"),
        2,
        ("SQLite or PostgreSQL",),
    ),
    Failure(
        "bad database url",
        ("--database-url", "mysql://db/x", "replay", "verify"),
        2,
        ("invalid configuration", "database_url"),
    ),
    Failure(
        "too little training data",
        ("{db}", "classifier", "train", "--from-events", "--out", "{tmp}/m.skops"),
        2,
        ("too little training data", "without --from-events"),
    ),
    Failure(
        "no model to evaluate",
        ("classifier", "evaluate", "--model", "{tmp}/none.skops", "--out", "{tmp}/ev"),
        2,
        ("no usable model", "--model"),
    ),
    Failure(
        "report into a file that is not a folder",
        ("{db}", "replay", "kpi", "--from", "2026-01-01", "--to", "2026-02-01", "--out", "{file}"),
        2,
        ("{file}", "check the path"),
    ),
    Failure("unknown role", ("token", "add", "--role", "janitor", "--name", "x"), 2, ("janitor",)),
]


@pytest.fixture
def store(sqlite_settings: Settings) -> Iterator[DispatchCenter]:
    """A SQLite store with one genuine incident closed: far too little to train on."""
    center = build_center(sqlite_settings)
    incident = center.report(a_report()).incident
    center.close_incident(incident.id, Disposition.GENUINE, "padam")
    yield center
    center.close()


def fill(args: tuple[str, ...], settings: Settings, tmp: Path, unknown: uuid.UUID) -> list[str]:
    """The case's arguments with the store, a temporary folder and an unknown id filled in."""
    filled: list[str] = []
    for arg in args:
        if arg == "{db}":
            filled += ["--database-url", settings.database_url]
        else:
            arg = arg.replace("{file}", str(tmp / "notes.txt")).replace("{tmp}", str(tmp))
            filled.append(arg.replace("{uuid}", str(unknown)))
    return filled


@pytest.mark.parametrize("case", FAILURES, ids=[case.name for case in FAILURES])
def test_each_expected_failure_is_one_line_and_its_exit_code(
    case: Failure,
    sqlite_settings: Settings,
    store: DispatchCenter,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    unknown = uuid.uuid4()
    (tmp_path / "notes.txt").write_text("a file, not a folder\n")
    outcome = run_main(fill(case.args, sqlite_settings, tmp_path, unknown), capsys)
    words = tuple(
        word.replace("{uuid}", str(unknown)).replace("{file}", str(tmp_path / "notes.txt"))
        for word in case.words
    )
    assert_one_line_failure(outcome, Failure(case.name, case.args, case.exit_code, words))
    assert outcome.out == ""


@pytest.mark.parametrize("group", ["replay", "token", "classifier", "project"])
def test_a_bare_group_prints_its_own_help_and_exits_2(
    group: str, capsys: pytest.CaptureFixture[str]
) -> None:
    outcome = run_main([group], capsys)
    assert outcome.exit_code == 2
    assert outcome.out.startswith(f"usage: siaga112 {group} ")
    assert outcome.err == ""


def test_verify_and_checkpoint_print_text_or_json_never_a_python_repr(
    sqlite_settings: Settings, store: DispatchCenter, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--database-url", sqlite_settings.database_url, "replay"]
    sealed = run_main([*db, "checkpoint"], capsys)
    assert sealed.exit_code == 0 and "{" not in sealed.out
    assert sealed.out.startswith("sealed ") and "last checkpoint: position " in sealed.out
    document = json.loads(run_main([*db, "checkpoint", "--json"], capsys).out)
    assert document["sealed"] == 0 and document["last_checkpoint"]["position"] > 0
    verified = run_main([*db, "verify"], capsys)
    assert verified.exit_code == 0 and "{" not in verified.out
    assert verified.out.startswith("OK: ")
    assert json.loads(run_main([*db, "verify", "--json"], capsys).out)["ok"] is True


def test_every_command_and_argument_explains_itself_in_help() -> None:
    missing: list[str] = []

    def walk(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {choice.dest: choice.help for choice in action._choices_actions}
                for name, sub in action.choices.items():
                    if not helps.get(name) or not sub.description:
                        missing.append(f"{path} {name}")
                    walk(sub, f"{path} {name}")
            elif not isinstance(action, argparse._HelpAction) and not action.help:
                missing.append(f"{path} {'/'.join(action.option_strings) or action.dest}")

    walk(build_parser(), "siaga112")
    assert missing == []
