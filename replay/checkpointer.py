"""The checkpointer: extends the audit chain over new events and seals it with signed
checkpoints (``replay.chain``), once or every few seconds in a background thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from replay.chain import GENESIS, AuditStore, ChainRecord, Checkpoint, Signer, link_and_digest
from replay.errors import AuditStoreConflict, AuditStoreMissing
from replay.log import NotificationSource

EVERY_EVENTS = 1000
EVERY_SECONDS = 2.0
PAGES_PER_TRANSACTION = 10  # while catching up, ten checkpoints are written per transaction
log = logging.getLogger(__name__)


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
