"""Logs as JSON lines, with secrets kept out: tokens redacted, caller numbers masked.

Websocket clients pass their token in the query string, and a caller's number can end up in a
URL or an error message: every line (uvicorn's access and error logs and the application's
own) goes through the same redaction before it is written. Each line names the request
(``request_id``), who acted (``actor``) and the incident when the path names one.

Lines are written by a thread of their own (``BackgroundWriter``): the event loop logs from
the middle of requests, and a write to a pipe whose reader is slow or gone blocks. A server
that logged into a full pipe stopped serving altogether, and ignored SIGINT.
"""

from __future__ import annotations

import contextlib
import json
import logging
import logging.config
import queue
import re
import threading
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import unquote_plus

from dispatch.context import current_actor, current_request

# A query parameter: its key and its value, up to the next & or the end of the URL.
_PARAMETER = re.compile(r"(?<=[?&])([^=&\s\"]+)=([^&\s\"]*)")
# A caller number: E.164 (also URL-encoded, %2B, or without its +: 628…) or Indonesian
# national (08…), standing alone.
_NUMBER = re.compile(r"(?<![\w%])(\+|%2[bB]|(?=0[89])|(?=628))(\d{5})(\d{2,8})(\d{4})(?!\d)")
UNKNOWN_ACTOR = "system:unknown"


def redact(text: str) -> str:
    """The text with the value of every query parameter whose key reads ``token`` replaced by
    ``***``: in any case and however percent-encoded (``%74oken``, ``Token``), since the
    server may decode such a key to ``token``."""
    return _PARAMETER.sub(_redact_parameter, text)


def _redact_parameter(match: re.Match[str]) -> str:
    key = match.group(1)
    return f"{key}=***" if unquote_plus(key).casefold() == "token" else match.group(0)


def mask_numbers(text: str) -> str:
    """The text with the middle of every caller number masked: ``+62813****1234``."""
    return _NUMBER.sub(lambda m: f"{m[1]}{m[2]}****{m[4]}", text)


def scrub(text: str) -> str:
    """Tokens redacted and caller numbers masked."""
    return mask_numbers(redact(text))


class RedactTokens(logging.Filter):
    """Redacts ``token=`` values and masks caller numbers in a record (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(scrub(a) if isinstance(a, str) else a for a in record.args)
        record.msg = scrub(str(record.msg))
        return True


class JsonLines(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, actor, incident."""

    def format(self, record: logging.LogRecord) -> str:
        request = current_request()
        actor = request.actor if request is not None else current_actor()
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request.request_id if request is not None else None,
            "actor": actor if actor != UNKNOWN_ACTOR else None,
            "incident_id": request.incident_id if request is not None else None,
        }
        if record.name == "uvicorn.access" and isinstance(record.args, tuple):
            client, method, path, _, status = (*record.args, None, None, None, None, None)[:5]
            line.update(client=client, method=method, path=path, status=status)
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return scrub(json.dumps(line, ensure_ascii=False, default=str))


class BackgroundWriter(logging.Handler):
    """Formats a record where it is logged (the request's context is there) and hands the line
    to a thread that writes it: logging never blocks the caller. When the output falls behind by
    ``capacity`` lines, further lines are dropped and counted, and the count is written once the
    output takes lines again. Closing writes what is queued, waiting ``close_timeout_s`` at most."""

    def __init__(self, stream: IO[str], capacity: int = 10_000, close_timeout_s: float = 2.0):
        super().__init__()
        self.stream, self.close_timeout_s = stream, close_timeout_s
        self.dropped = 0  # not yet reported
        self._dropped_lock = threading.Lock()
        self._lines: queue.Queue[str | None] = queue.Queue(capacity)
        self._thread = threading.Thread(target=self._write_lines, name="log-writer", daemon=True)
        self._thread.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
        except Exception:
            self.handleError(record)
            return
        try:
            self._lines.put_nowait(line)
        except queue.Full:
            with self._dropped_lock:
                self.dropped += 1

    @property
    def backlog(self) -> int:
        """Lines waiting to be written."""
        return self._lines.qsize()

    def _write_lines(self) -> None:
        while True:
            line = self._lines.get()
            with self._dropped_lock:
                dropped, self.dropped = self.dropped, 0
            try:
                if dropped:
                    self.stream.write(self._dropped_line(dropped) + "\n")
                if line is None:  # closed: the count above was the last line
                    self.stream.flush()
                    return
                self.stream.write(line + "\n")
                self.stream.flush()
            except (OSError, ValueError):  # the reader is gone, or the stream closed
                return

    def _dropped_line(self, count: int) -> str:
        message = f"{count} log lines dropped: the log output did not keep up"
        record = logging.makeLogRecord(
            {"name": __name__, "levelno": logging.WARNING, "levelname": "WARNING", "msg": message}
        )
        return self.format(record)

    def close(self) -> None:
        """Write what is queued (bounded wait), then stop the thread."""
        with contextlib.suppress(queue.Full):
            self._lines.put(None, timeout=self.close_timeout_s)
        self._thread.join(timeout=self.close_timeout_s)
        super().close()


def log_config(level: str = "info") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for ``serve``: JSON lines, access log on stdout,
    everything else on stderr, each written by a thread of its own (``BackgroundWriter``);
    uvicorn's own loggers keep the levels it gave them."""
    handler = {"formatter": "json", "filters": ["scrub"], "()": BackgroundWriter}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"scrub": {"()": RedactTokens}},
        "formatters": {"json": {"()": JsonLines}},
        "handlers": {
            "stderr": {**handler, "stream": "ext://sys.stderr"},
            "stdout": {**handler, "stream": "ext://sys.stdout"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "propagate": False},
            "uvicorn.error": {"propagate": True},
            "uvicorn.access": {"handlers": ["stdout"], "propagate": False},
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
    }


def install(level: str = "info") -> None:
    """Log JSON lines from here on (after uvicorn configured its loggers, replacing its
    handlers but not its levels)."""
    logging.config.dictConfig(log_config(level))
