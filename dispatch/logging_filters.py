"""Keep secrets out of logs: websocket clients pass their token in the query string."""

from __future__ import annotations

import logging
import re

_TOKEN = re.compile(r"(?<=[?&]token=)[^&\s]+")


def redact(text: str) -> str:
    """The text with every ``token=`` query value replaced by ``***``."""
    return _TOKEN.sub("***", text)


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
