"""Every operation of the OpenAPI schema, fed generated input against a real server.

Schemathesis draws requests from the schema the server publishes (valid and invalid bodies,
query strings and path ids) for every operation, sends them with an operator's token to a
real `siaga112 serve`, and checks each answer: never a server error (5xx), and always a body
that matches the schema the server promised for that status.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.e2e.server import RunningServer, running_server

EXAMPLES_PER_OPERATION = 6


@dataclass
class Tally:
    """What the fuzzing saw: requests sent, and each failed check with its operation."""

    requests: int = 0
    operations: int = 0
    failures: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    var: Path = tmp_path_factory.mktemp("fuzz")
    with running_server(var) as running:
        yield running


def test_no_operation_answers_a_server_error_or_breaks_its_schema(server: RunningServer) -> None:
    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    headers = {"Authorization": f"Bearer {server.tokens['operator']}"}
    tally = Tally()
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"the schema has an invalid operation: {result}"
        operation = result.ok()
        tally.operations += 1

        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def exercise(case: schemathesis.Case[Any]) -> None:
            response = case.call(base_url=server.url, headers=headers, timeout=30)
            tally.requests += 1
            try:
                case.validate_response(
                    response, checks=[not_a_server_error, response_schema_conformance]
                )
            except Exception as failure:  # each failed check is collected, then all reported
                tally.failures.append(f"{case.operation.label}: {str(failure)[:400]}")

        exercise()
    print(
        f"schemathesis: {tally.operations} operations, {tally.requests} requests, "
        f"{len(tally.failures)} failures"
    )
    assert tally.operations >= 25 and tally.requests >= tally.operations
    assert tally.failures == [], "\n".join(tally.failures)
