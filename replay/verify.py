"""Verifying the log against the audit chain: the first event altered, removed, inserted or
reordered, and every checkpoint whose signature does not verify.

The signed checkpoints are the proof: the chain recomputed from the log must reach each
checkpoint's hash and count. The per-event chain records then say *where* and *how* the log
first differs from what was sealed:

* altered   — the same event (aggregate and version) at the same position, other content;
* removed   — a sealed event is no longer in the log;
* inserted  — an event that was never sealed sits inside the sealed range;
* reordered — a sealed event sits at another position.

Events after the last checkpoint are not yet sealed: they are counted, not judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from eventsourcing.persistence import Notification

from replay.chain import GENESIS, AuditStore, ChainRecord, Checkpoint, Signer, link_and_digest
from replay.divergence import Entry, Problem, classify
from replay.log import NotificationSource, notifications


@dataclass
class Verification:
    """What ``verify`` found."""

    events_checked: int = 0
    sealed_position: int = 0
    sealed_events: int = 0
    unsealed_events: int = 0
    checkpoints: int = 0
    last_checkpoint: dict[str, Any] | None = None
    first_problem: Problem | None = None
    checkpoint_problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was found wrong."""
        return self.first_problem is None and not self.checkpoint_problems

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        body = asdict(self)
        body["first_problem"] = asdict(self.first_problem) if self.first_problem else None
        return {"ok": self.ok, **body}


def verify(source: NotificationSource, store: AuditStore, signer: Signer) -> Verification:
    """Recompute the chain over the log and compare it with the signed checkpoints."""
    result = Verification()
    checkpoints = store.checkpoints()
    result.checkpoints = len(checkpoints)
    trusted = _check_signatures(checkpoints, signer, result)
    if checkpoints:
        last = checkpoints[-1]
        result.sealed_position, result.sealed_events = last.position, last.count
        result.last_checkpoint = last.to_json()
    walk = _Walk(trusted, result)
    for position, n, record in _merge(notifications(source), store.records()):
        walk.step(position, n, record)
    walk.finish()
    if result.events_checked and not checkpoints:
        result.checkpoint_problems.append(
            Problem(
                "unanchored",
                None,
                f"the log holds {result.events_checked} events but the audit store has no "
                "checkpoint: it was deleted or replaced (or the log was never sealed), so "
                "nothing about the log can be proven",
            )
        )
    if walk.divergence is not None and result.first_problem is None:
        result.first_problem = classify(source, store, *walk.divergence)
    elif walk.mismatch is not None and result.first_problem is None:
        result.first_problem = walk.mismatch
    return result


def _check_signatures(
    checkpoints: list[Checkpoint], signer: Signer, result: Verification
) -> list[Checkpoint]:
    trusted = []
    for checkpoint in checkpoints:
        if signer.verifies(checkpoint):
            trusted.append(checkpoint)
            continue
        whose = "another key" if checkpoint.key_id != signer.key_id else "this key"
        result.checkpoint_problems.append(
            Problem(
                "bad_signature",
                checkpoint.position,
                f"the checkpoint at position {checkpoint.position} (sealed "
                f"{checkpoint.sealed_at.isoformat()}) is not signed by {whose}'s signature "
                "of its content: it was altered or forged",
            )
        )
    return trusted


def _merge(
    log: Iterator[Notification], records: Iterator[ChainRecord]
) -> Iterator[tuple[int, Notification | None, ChainRecord | None]]:
    """Log events and chain records side by side, by position."""
    n, r = next(log, None), next(records, None)
    while n is not None or r is not None:
        if r is None or (n is not None and n.id < r.position):
            yield n.id, n, None  # type: ignore[union-attr]
            n = next(log, None)
        elif n is None or r.position < n.id:
            yield r.position, None, r
            r = next(records, None)
        else:
            yield n.id, n, r
            n, r = next(log, None), next(records, None)


class _Walk:
    """The chain recomputed step by step, checked against records and checkpoints."""

    def __init__(self, trusted: list[Checkpoint], result: Verification) -> None:
        self.chain = GENESIS
        self.count = 0
        self.pending = list(reversed(trusted))
        self.result = result
        self.divergence: tuple[int, Entry | None, ChainRecord | None] | None = None
        self.mismatch: Problem | None = None
        self.last_good = 0

    def step(self, position: int, n: Notification | None, record: ChainRecord | None) -> None:
        self._checkpoints_before(position)
        entry = None
        if n is not None:
            self.chain, content = link_and_digest(self.chain, n)
            self.count += 1
            self.result.events_checked += 1
            if position > self.result.sealed_position:
                self.result.unsealed_events += 1
            entry = Entry(n.id, (str(n.originator_id), n.originator_version), content)
        if self.divergence is None and self._differs(position, entry, record):
            self.divergence = (position, entry, record)

    def _differs(self, position: int, entry: Entry | None, record: ChainRecord | None) -> bool:
        if record is None:
            return position <= self.result.sealed_position
        if entry is None or entry.digest != record.digest:
            return True
        if record.link != self.chain:
            # Same event, broken chain: something before it vanished from the log *and* from
            # the audit records (only someone with both stores could do that).
            self.mismatch = self.mismatch or Problem(
                "removed",
                position,
                f"the chain breaks just before position {position}: an earlier event was "
                "removed together with its audit record",
            )
            return False
        return False

    def _checkpoints_before(self, position: int | None) -> None:
        while self.pending and (position is None or self.pending[-1].position < position):
            self._check(self.pending.pop())

    def _check(self, checkpoint: Checkpoint) -> None:
        if self.chain.hex() == checkpoint.chain_hash and self.count == checkpoint.count:
            self.last_good = checkpoint.position
            return
        if self.mismatch is None or self.mismatch.kind != "removed":
            self.mismatch = Problem(
                "altered",
                None,
                f"the log no longer matches the checkpoint at position {checkpoint.position} "
                f"({self.count} events, {checkpoint.count} sealed): something after position "
                f"{self.last_good} changed, and its audit records were rewritten to match",
            )
        self.result.checkpoint_problems.append(
            Problem(
                "checkpoint_mismatch",
                checkpoint.position,
                f"recomputed chain at position {checkpoint.position} differs from the signed "
                "checkpoint",
            )
        )
        self.pending.clear()  # every later checkpoint differs for the same reason

    def finish(self) -> None:
        self._checkpoints_before(None)


def render_text(result: Verification) -> str:
    """A few lines for the terminal."""
    lines = [
        f"{'OK' if result.ok else 'FAILED'}: {result.events_checked} events read, "
        f"{result.sealed_events} sealed up to position {result.sealed_position} by "
        f"{result.checkpoints} checkpoints; {result.unsealed_events} not sealed yet",
    ]
    if result.last_checkpoint:
        lines.append(f"last checkpoint: {result.last_checkpoint}")
    if result.first_problem:
        p = result.first_problem
        where = f" at position {p.position}" if p.position is not None else ""
        whose = f" ({p.aggregate_id} v{p.version})" if p.aggregate_id else ""
        lines.append(f"first problem: {p.kind.upper()}{where}{whose}: {p.detail}")
    lines += [f"checkpoint problem: {p.kind}: {p.detail}" for p in result.checkpoint_problems]
    return "\n".join(lines)
