"""Tokens passed in websocket URLs never reach the logs."""

from __future__ import annotations

import contextvars
import json
import logging
import sys

from dispatch.context import begin_request, set_actor
from entrypoints.logging_filters import JsonLines, RedactTokens, mask_numbers, redact


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


def test_caller_numbers_are_masked_in_every_form_they_take_and_nothing_else_is() -> None:
    assert mask_numbers("from +6281350001234.") == "from +62813****1234."
    assert mask_numbers("?caller=%2B6281350001234&x=1") == "?caller=%2B62813****1234&x=1"
    assert mask_numbers("dial 081350001234 now") == "dial 08135****1234 now"
    assert mask_numbers('"msisdn": "6281350001234"') == '"msisdn": "62813****1234"'
    untouched = "SMD-20261122-0042 at position 1234567 id 7f0c1f3e-5a7b-4a55-9b8e-3f3cde1b0001"
    assert mask_numbers(untouched) == untouched


def test_a_json_line_names_its_request_and_masks_the_number_in_the_error_too() -> None:
    def in_a_request() -> str:
        request = begin_request("req-1")
        set_actor("operator:ani")
        request.incident_id = "7f0c1f3e-5a7b-4a55-9b8e-3f3cde1b0001"
        try:
            raise ValueError("caller +6281350001234 unreachable")
        except ValueError:
            record = logging.LogRecord(
                "siaga112.test",
                logging.ERROR,
                __file__,
                1,
                "call %s",
                ("+6281350001234",),
                sys.exc_info(),
            )
        return JsonLines().format(record)

    # A context of its own, as each request has: nothing leaks into other tests (and no event
    # loop, which a browser test of the same session may already run in this thread).
    line = contextvars.copy_context().run(in_a_request)

    assert "6281350001234" not in line
    fields = json.loads(line)
    assert {k: fields[k] for k in ("level", "logger", "message", "request_id", "actor")} == {
        "level": "error",
        "logger": "siaga112.test",
        "message": "call +62813****1234",
        "request_id": "req-1",
        "actor": "operator:ani",
    }
    assert fields["incident_id"] == "7f0c1f3e-5a7b-4a55-9b8e-3f3cde1b0001"
    assert "+62813****1234 unreachable" in fields["error"]
