"""Keep secrets out of logs: websocket clients pass their token in the query string."""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote_plus

# A query parameter: its key and its value, up to the next & or the end of the URL.
_PARAMETER = re.compile(r"(?<=[?&])([^=&\s\"]+)=([^&\s\"]*)")


def redact(text: str) -> str:
    """The text with the value of every query parameter whose key reads ``token`` replaced by
    ``***``: in any case and however percent-encoded (``%74oken``, ``Token``), since the
    server may decode such a key to ``token``."""
    return _PARAMETER.sub(_redact_parameter, text)


def _redact_parameter(match: re.Match[str]) -> str:
    key = match.group(1)
    return f"{key}=***" if unquote_plus(key).casefold() == "token" else match.group(0)


class RedactTokens(logging.Filter):
    """Redacts ``token=`` query values from access-log records (never drops a record)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        record.msg = redact(str(record.msg))
        return True


def install() -> None:
    """Attach the filter to uvicorn's access and error loggers."""
    for name in ("uvicorn.access", "uvicorn.error"):
        logging.getLogger(name).addFilter(RedactTokens())
