"""Reading the times auditors type: ISO 8601, local (WITA) unless a zone is given."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from replay.errors import InvalidQuery


def parse_instant(text: str, zone: ZoneInfo, *, field: str = "at") -> datetime:
    """An ISO 8601 date or date-time; without a zone it is local time; a date is midnight."""
    value = text.strip()
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), time(0), tzinfo=zone)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidQuery(field, f"{text!r} is not an ISO 8601 date or time") from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=zone)


def parse_period(start: str, end: str, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A half-open period [start, end); refuses an empty or reversed one."""
    begins = parse_instant(start, zone, field="from")
    ends = parse_instant(end, zone, field="to")
    if ends <= begins:
        raise InvalidQuery("to", "must be after from")
    return begins, ends
