"""A notification log in a list, which tests may tamper with freely."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace

from eventsourcing.persistence import Notification


class ListLog:
    """Just enough of an application recorder: select_notifications and max_notification_id."""

    def __init__(self, count: int = 0, *, gap_every: int = 0) -> None:
        self.rows: list[Notification] = []
        self.append(count, gap_every=gap_every)

    def append(self, count: int, *, gap_every: int = 0) -> None:
        position = self.rows[-1].id if self.rows else 0
        for _ in range(count):
            position += 1
            if gap_every and position % gap_every == 0:
                position += 1  # a failed insert used this id up (PostgreSQL)
            self.rows.append(
                Notification(
                    id=position,
                    originator_id=uuid.uuid4(),
                    originator_version=1,
                    topic="domain.incident:Incident.NoteAdded",
                    state=f'{{"text": "note {position}"}}'.encode(),
                )
            )

    def select_notifications(
        self,
        start: int | None,
        limit: int,
        stop: int | None = None,
        topics: Sequence[str] = (),
        *,
        inclusive_of_start: bool = True,
    ) -> Sequence[Notification]:
        low = start or 0
        rows = sorted(self.rows, key=lambda n: n.id)
        found = [
            n
            for n in rows
            if (n.id >= low if inclusive_of_start else n.id > low)
            and (stop is None or n.id <= stop)
            and (not topics or n.topic in topics)
        ]
        return found[:limit]

    def max_notification_id(self) -> int | None:
        return max((n.id for n in self.rows), default=None)

    # ---- an attacker with write access -----------------------------------------------------

    def at(self, position: int) -> int:
        return next(i for i, n in enumerate(self.rows) if n.id == position)

    def alter_state_byte(self, position: int) -> None:
        i = self.at(position)
        state = bytearray(self.rows[i].state)
        state[3] ^= 0x01
        self.rows[i] = replace(self.rows[i], state=bytes(state))

    def delete(self, position: int) -> None:
        del self.rows[self.at(position)]

    def insert_shifting(self, position: int) -> None:
        """Insert a forged event at ``position``, moving later events one id along."""
        self.rows = [replace(n, id=n.id + 1) if n.id >= position else n for n in self.rows]
        forged = replace(self.rows[0], id=position, originator_id=uuid.uuid4(), state=b"{}")
        self.rows.append(forged)

    def insert_at(self, position: int) -> None:
        forged = replace(self.rows[0], id=position, originator_id=uuid.uuid4(), state=b"{}")
        self.rows.append(forged)

    def swap(self, first: int, second: int) -> None:
        i, j = self.at(first), self.at(second)
        self.rows[i], self.rows[j] = (
            replace(self.rows[j], id=first),
            replace(self.rows[i], id=second),
        )
