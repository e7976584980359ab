"""Reading the notification log: in pages, gap-tolerant, oldest first.

PostgreSQL notification ids may have gaps (a failed insert still uses up its id), so a page
always asks for ids *greater than* the last one seen, never for ``last + 1``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from eventsourcing.persistence import Notification

PAGE = 1000


class NotificationSource(Protocol):
    """What replay needs from an application recorder (the library's select_notifications)."""

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]: ...

    def max_notification_id(self) -> int | None: ...


def notifications(
    source: NotificationSource,
    *,
    after: int = 0,
    upto: int | None = None,
    topics: Sequence[str] = (),
    page: int = PAGE,
) -> Iterator[Notification]:
    """Every notification with ``after < id <= upto`` (or to the end), in log order."""
    last = after
    while True:
        batch = source.select_notifications(
            start=last, limit=page, stop=upto, topics=topics, inclusive_of_start=False
        )
        yield from batch
        if len(batch) < page:
            return
        last = batch[-1].id


def pages(
    source: NotificationSource, *, after: int = 0, upto: int | None = None, page: int = PAGE
) -> Iterator[Sequence[Notification]]:
    """The same notifications, one page (one query) at a time."""
    last = after
    while True:
        batch = source.select_notifications(
            start=last, limit=page, stop=upto, inclusive_of_start=False
        )
        if batch:
            yield batch
        if len(batch) < page:
            return
        last = batch[-1].id


def head(source: NotificationSource) -> int:
    """The highest position in the log (0 when empty)."""
    return source.max_notification_id() or 0
