"""The audit hash chain over the notification log, and signed checkpoints.

Each link is ``SHA-256(previous link ‖ notification id ‖ originator id ‖ originator version ‖
topic ‖ stored state)``, fields encoded without ambiguity: ids and versions as 8-byte
big-endian integers, a UUID as its 16 bytes, topic and state each preceded by its length. The
state is hashed exactly as stored (compressed or encrypted bytes included), so the chain does
not depend on the cipher key. A checkpoint (position, link, event count, time) is signed with
HMAC-SHA256 under ``SIAGA_AUDIT_KEY`` and kept apart from the events, in the audit store
(``replay.checkpointer`` extends the chain and writes them).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import Notification

GENESIS = hashlib.sha256(b"siaga112/audit-chain/v1").digest()
FORMAT = "siaga112-audit-checkpoint/v1"


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
