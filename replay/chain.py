"""The audit hash chain over the notification log, signed checkpoints, and the checkpointer.

Each link is ``SHA-256(previous link ‖ notification id ‖ originator id ‖ originator version ‖
topic ‖ stored state)``, fields encoded without ambiguity: ids and versions as 8-byte
big-endian integers, a UUID as its 16 bytes, topic and state each preceded by its length. The
state is hashed exactly as stored (compressed or encrypted bytes included), so the chain does
not depend on the cipher key. A checkpoint (position, link, event count, time) is signed with
HMAC-SHA256 under ``SIAGA_AUDIT_KEY`` and kept apart from the events, in the audit store.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import Notification

from replay.errors import AuditStoreConflict, AuditStoreMissing
from replay.log import NotificationSource

GENESIS = hashlib.sha256(b"siaga112/audit-chain/v1").digest()
FORMAT = "siaga112-audit-checkpoint/v1"
EVERY_EVENTS = 1000
EVERY_SECONDS = 2.0
PAGES_PER_TRANSACTION = 10  # while catching up, ten checkpoints are written per transaction
log = logging.getLogger(__name__)


def _state(n: Notification) -> bytes:
    # A tampered SQLite row may come back as TEXT; hash what is there rather than fail.
    state: object = n.state
    return state if isinstance(state, bytes) else str(state).encode()


def _fields(n: Notification, state: bytes) -> bytes:
    """Originator id, version, topic and state, each unambiguously encoded."""
    topic = n.topic.encode()
    originator = (
        n.originator_id.bytes
        if isinstance(n.originator_id, UUID)
        else len(n.originator_id.encode()).to_bytes(4, "big") + n.originator_id.encode()
    )
    return b"".join(
        (
            originator,
            n.originator_version.to_bytes(8, "big"),
            len(topic).to_bytes(4, "big"),
            topic,
            len(state).to_bytes(8, "big"),
            state,
        )
    )


def link(previous: bytes, n: Notification) -> bytes:
    """The next link of the chain after ``previous``."""
    return link_and_digest(previous, n)[0]


def digest(n: Notification) -> bytes:
    """One event's content (what, whose, which version), whatever its position."""
    return hashlib.sha256(_fields(n, _state(n))).digest()


def link_and_digest(previous: bytes, n: Notification) -> tuple[bytes, bytes]:
    """The next link after ``previous``, and the event's content digest (one encoding)."""
    fields = _fields(n, _state(n))
    chained = hashlib.sha256(previous)
    chained.update(n.id.to_bytes(8, "big"))
    chained.update(fields)
    return chained.digest(), hashlib.sha256(fields).digest()


@dataclass(frozen=True)
class ChainRecord:
    """One sealed event: where it was, whose it was, its content digest and its link."""

    position: int
    originator_id: str
    originator_version: int
    digest: bytes
    link: bytes

    @classmethod
    def of(cls, n: Notification, chain_link: bytes, content: bytes) -> ChainRecord:
        """The record of a notification with its link and content digest."""
        return cls(n.id, str(n.originator_id), n.originator_version, content, chain_link)


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement: after ``count`` events, up to ``position``, the chain was ``hash``."""

    position: int
    chain_hash: str
    count: int
    sealed_at: datetime
    key_id: str
    signature: str

    def message(self) -> bytes:
        """The bytes that are signed."""
        return "\n".join(
            (
                FORMAT,
                str(self.position),
                str(self.count),
                self.chain_hash,
                self.sealed_at.astimezone(UTC).isoformat(),
                self.key_id,
            )
        ).encode()

    def to_json(self) -> dict[str, object]:
        """As JSON."""
        return {
            "position": self.position,
            "count": self.count,
            "hash": self.chain_hash,
            "sealed_at": self.sealed_at.isoformat(),
            "key_id": self.key_id,
        }


class Signer:
    """Signs and checks checkpoints with the audit key (HMAC-SHA256)."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        # Names the key without revealing it, so an auditor sees which key signed what.
        self.key_id = hashlib.sha256(b"siaga112/audit-key-id\0" + key).hexdigest()[:16]

    def sign(self, position: int, chain_hash: bytes, count: int, at: datetime) -> Checkpoint:
        """A signed checkpoint."""
        unsigned = Checkpoint(position, chain_hash.hex(), count, at, self.key_id, "")
        return replace(unsigned, signature=self._mac(unsigned))

    def verifies(self, checkpoint: Checkpoint) -> bool:
        """True when the signature is this key's signature of this checkpoint."""
        return hmac.compare_digest(self._mac(checkpoint), checkpoint.signature)

    def _mac(self, checkpoint: Checkpoint) -> str:
        return hmac.new(self._key, checkpoint.message(), hashlib.sha256).hexdigest()


class AuditStore(Protocol):
    """Where chain records and checkpoints are kept, apart from the events (``checkpoints``)."""

    def last_checkpoint(self) -> Checkpoint | None:
        """The newest checkpoint, or None."""
        ...

    def append(
        self, records: Sequence[ChainRecord], checkpoints: Sequence[Checkpoint], previous: int
    ) -> None:
        """Store records and their checkpoints in one transaction if ``previous`` is the head.

        Raises AuditStoreConflict when another checkpointer got there first.
        """
        ...

    def records(self) -> Iterator[ChainRecord]:
        """Every chain record, by position."""
        ...

    def checkpoints(self) -> list[Checkpoint]:
        """Every checkpoint, by position."""
        ...

    def close(self) -> None:
        """Let go of any connection."""
        ...


class Checkpointer:
    """Extends the chain over new events and seals it with a checkpoint every N events."""

    def __init__(
        self,
        source: NotificationSource,
        store: AuditStore,
        signer: Signer,
        *,
        every: int = EVERY_EVENTS,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        may_start: Callable[[], bool] = lambda: True,
    ) -> None:
        self.source = source
        self.store = store
        self.signer = signer
        self.every = every
        self.clock = clock
        self.may_start = may_start  # asked before a first checkpoint over a non-empty log
        self._sealed_to: int | None = None

    def run_once(self) -> int:
        """Seal every event recorded since the last checkpoint; returns how many."""
        if self._sealed_to is not None and self.source.max_notification_id() == self._sealed_to:
            return 0  # nothing new in the log since this checkpointer last sealed
        last = self.store.last_checkpoint()
        if last is None and self.source.max_notification_id() and not self.may_start():
            raise AuditStoreMissing(
                "the audit store has no checkpoint but the log holds events recorded before "
                "this deployment could have sealed them: it was deleted or replaced. Not sealing; "
                "`siaga112 replay verify` fails until an auditor seals the log as it is now "
                "(`siaga112 replay checkpoint`)"
            )
        head = (
            (last.position, bytes.fromhex(last.chain_hash), last.count) if last else (0, GENESIS, 0)
        )
        sealed = 0
        while True:
            records, checkpoints, done = self._extend(*head)
            if not checkpoints:
                self._sealed_to = head[0]
                return sealed
            try:
                self.store.append(records, checkpoints, previous=head[0])
            except AuditStoreConflict:
                return sealed  # another node sealed these; the next run starts from its head
            newest = checkpoints[-1]
            head = (newest.position, bytes.fromhex(newest.chain_hash), newest.count)
            sealed += len(records)
            if done:
                self._sealed_to = head[0]
                return sealed

    def _extend(
        self, position: int, chain: bytes, count: int
    ) -> tuple[list[ChainRecord], list[Checkpoint], bool]:
        """Up to PAGES_PER_TRANSACTION pages of records, a checkpoint after each page."""
        records: list[ChainRecord] = []
        checkpoints: list[Checkpoint] = []
        for _ in range(PAGES_PER_TRANSACTION):
            page = self.source.select_notifications(
                start=position, limit=self.every, inclusive_of_start=False
            )
            for n in page:
                chain, content = link_and_digest(chain, n)
                records.append(ChainRecord.of(n, chain, content))
            if page:
                position, count = page[-1].id, count + len(page)
                checkpoints.append(self.signer.sign(position, chain, count, self.clock()))
            if len(page) < self.every:
                return records, checkpoints, True
        return records, checkpoints, False


class CheckpointLoop:
    """Runs a checkpointer every few seconds in a background thread.

    The checkpointer is built in the thread, on first use: a database that is down at
    start-up delays sealing, never the application.
    """

    def __init__(self, make: Callable[[], Checkpointer], interval_s: float = EVERY_SECONDS) -> None:
        self._make = make
        self._checkpointer: Checkpointer | None = None
        self.interval_s = interval_s
        self.runs = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="audit-checkpointer", daemon=True)

    def start(self) -> CheckpointLoop:
        """Start sealing (first run at once)."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop after the current run."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._checkpointer is not None:
            self._checkpointer.store.close()

    def run_once(self) -> int:
        """One run (builds the checkpointer the first time)."""
        if self._checkpointer is None:
            self._checkpointer = self._make()
        sealed = self._checkpointer.run_once()
        self.runs += 1
        return sealed

    def _run(self) -> None:
        said = ""
        while not self._stop.is_set():
            try:
                self.run_once()
                said = ""
            except AuditStoreMissing as error:
                if str(error) != said:  # an alarm, said once, not every two seconds
                    log.error("AUDIT STORE MISSING: %s", error)
                    said = str(error)
            except Exception as error:
                # Nothing is skipped: the next run starts again from the last checkpoint.
                log.warning("audit checkpointer: %s; retrying in %.0f s", error, self.interval_s)
            self._stop.wait(self.interval_s)
