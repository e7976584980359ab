"""What happened where the log and the sealed chain first differ: an event altered, removed,
inserted or reordered (``replay.verify`` finds the position, this module names it)."""

from __future__ import annotations

from dataclasses import dataclass

from replay.chain import AuditStore, ChainRecord, digest
from replay.log import NotificationSource, notifications


@dataclass(frozen=True)
class Problem:
    """One thing found wrong."""

    kind: str
    position: int | None
    detail: str
    aggregate_id: str | None = None
    version: int | None = None


@dataclass(frozen=True)
class Entry:
    """A log event as the verifier sees it: position, (aggregate, version), content digest."""

    position: int
    key: tuple[str, int]
    digest: bytes


def classify(
    source: NotificationSource,
    store: AuditStore,
    position: int,
    entry: Entry | None,
    record: ChainRecord | None,
) -> Problem:
    """Say what happened at the first position where the log and the sealed chain differ."""
    if entry is not None:
        moved_from = _record_position(store, entry.digest, position)
        if moved_from is not None:
            return _problem(
                "reordered",
                entry,
                f"the event sealed at position {moved_from} is now at position {position}",
            )
        if record is None:
            return _problem(
                "inserted",
                entry,
                f"an event never sealed sits at position {position}, inside the sealed range",
            )
        if entry.key == (record.originator_id, record.originator_version):
            return _problem(
                "altered",
                entry,
                f"the event at position {position} was changed after it was sealed",
            )
        if _log_position(source, record.digest, position) is not None:
            return _problem(
                "inserted",
                entry,
                f"an event never sealed was put at position "
                f"{position}; the sealed events from there on were moved along",
            )
        return _problem(
            "altered", entry, f"the event sealed at position {position} was replaced by another"
        )
    assert record is not None
    now_at = _log_position(source, record.digest, position)
    key = (record.originator_id, record.originator_version)
    if now_at is not None:
        return _problem(
            "reordered",
            None,
            f"the event sealed at position {position} is now at position {now_at}",
            key,
            position,
        )
    return _problem(
        "removed",
        None,
        f"the event sealed at position {position} is no longer in the log",
        key,
        position,
    )


def _problem(
    kind: str,
    entry: Entry | None,
    detail: str,
    key: tuple[str, int] | None = None,
    position: int | None = None,
) -> Problem:
    key = entry.key if entry is not None else key
    where = entry.position if entry is not None else position
    return Problem(kind, where, detail, key[0] if key else None, key[1] if key else None)


def _record_position(store: AuditStore, wanted: bytes, other_than: int) -> int | None:
    return next(
        (r.position for r in store.records() if r.digest == wanted and r.position != other_than),
        None,
    )


def _log_position(source: NotificationSource, wanted: bytes, other_than: int) -> int | None:
    return next(
        (n.id for n in notifications(source) if n.id != other_than and digest(n) == wanted),
        None,
    )
