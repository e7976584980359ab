"""Tokens passed in websocket URLs never reach the logs."""

from __future__ import annotations

import logging

from dispatch.logging_filters import RedactTokens, redact


def test_token_values_are_redacted_and_other_parameters_kept() -> None:
    assert redact("/ws/console?token=abc123&after=42") == "/ws/console?token=***&after=42"
    assert redact("/ws/agencies/fire?after=7&token=s3cr3t") == "/ws/agencies/fire?after=7&token=***"
    assert redact("/api/incidents?status=new") == "/api/incidents?status=new"


def test_a_token_key_in_another_case_or_percent_encoded_is_redacted_too() -> None:
    assert redact("/ws/console?%74oken=abc123") == "/ws/console?%74oken=***"
    assert redact("/ws/console?Token=abc123&after=3") == "/ws/console?Token=***&after=3"
    assert redact("/ws/console?TOK%45N=abc123") == "/ws/console?TOK%45N=***"
    assert redact('"GET /ws/console?after=1&token=s3cr3t HTTP/1.1"') == (
        '"GET /ws/console?after=1&token=*** HTTP/1.1"'
    )


def test_an_access_log_record_is_redacted_not_dropped() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/ws/console?token=abc123", "1.1", 101),
        None,
    )
    assert RedactTokens().filter(record) is True
    assert "abc123" not in record.getMessage()
    assert "token=***" in record.getMessage()
