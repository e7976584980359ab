"""A runaway client gets a clear 429 with the seconds to wait; other call-takers go on."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.auth import add_token
from dispatch.settings import Settings
from entrypoints.http.rate_limit import IntakeRateLimit, RateLimited
from tests.support import FakeClock, Tokens, auth, make_client, report_json


def test_a_bucket_refills_at_its_rate_and_says_how_long_to_wait() -> None:
    clock = FakeClock()
    limit = IntakeRateLimit(rate=2.0, burst=2, clock=lambda: clock().timestamp())
    limit.take("rina")
    limit.take("rina")
    with pytest.raises(RateLimited) as refused:
        limit.take("rina")
    assert refused.value.retry_after_s == pytest.approx(0.5)
    limit.take("budi")  # every token has its own bucket
    clock.advance(0.5)
    limit.take("rina")


def test_a_limit_of_zero_is_no_limit() -> None:
    limit = IntakeRateLimit(rate=0, burst=1)
    for _ in range(1000):
        limit.take("rina")


def test_past_its_burst_a_token_gets_429_with_retry_after_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    settings = Settings(
        database_url="memory://", var_dir=tmp_path, intake_rate_per_s=0.01, intake_burst=3
    )
    tokens = Tokens(
        {role: add_token(tmp_path / "tokens.json", role, f"t-{role}") for role in ("operator",)}
    )
    tokens["supervisor"] = add_token(tmp_path / "tokens.json", "supervisor", "lead")
    with make_client(settings, tokens) as client:
        for _ in range(3):
            made = client.post("/api/reports", json=report_json(), headers=auth(tokens, "operator"))
            assert made.status_code == 201
        refused = client.post("/api/reports", json=report_json(), headers=auth(tokens, "operator"))
        assert refused.status_code == 429
        assert refused.json()["error"] == "rate_limited"
        assert int(refused.headers["retry-after"]) >= 1
        other = client.post("/api/reports", json=report_json(), headers=auth(tokens, "supervisor"))
        assert other.status_code == 201
        listed = client.get("/api/incidents", headers=auth(tokens, "operator")).json()
        assert len(listed["incidents"] if isinstance(listed, dict) else listed) == 4
