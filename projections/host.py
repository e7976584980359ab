"""Runs every projection of the catalogue once per store: elect, run, watch, report.

The host takes the lease (see ``election``), starts one loop (``projections.loop``) per
projection, and watches them:

- a projection that fails on an event stops there, for good, and is reported as failed
  (health 503) with the position and event; it is never restarted past that event;
- a projection that lost its store (connection errors) is "retrying": restarted after a
  back-off from its last committed position, so no event is skipped either;
- if the lease is lost, the loops stop and the host stands by again.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from adapters.storage import sqlite_sidecar
from dispatch.present.follow import LogSource
from dispatch.settings import Settings
from projections.catalog import CATALOG, ProjectionSpec
from projections.election import FileLease, Lease, PostgresLease
from projections.failures import is_transient
from projections.loop import ProjectionLoop
from projections.wiring import ProjectionReaders

log = logging.getLogger("siaga112.projections")
Status = Literal["standby", "running", "retrying", "failed", "stopped"]
MAX_BACKOFF_S = 2.0  # a store back after an outage is used again within seconds


@dataclass
class Slot:
    """One projection as the host runs it."""

    spec: ProjectionSpec
    # Status and error change together, in one assignment, so /healthz never reads a status
    # from before a failure beside the error of after it.
    state: tuple[Status, str | None] = ("standby", None)
    loop: ProjectionLoop | None = field(default=None, repr=False)
    retry_at: float = 0.0
    backoff_s: float = 1.0
    failed_at: int | None = None  # the log position of the event it stopped at

    @property
    def status(self) -> Status:
        return self.state[0]

    @property
    def error(self) -> str | None:
        return self.state[1]


def default_lease(settings: Settings) -> Lease:
    """An advisory lock on PostgreSQL, a file lock beside a SQLite store."""
    if settings.backend == "postgres":
        return PostgresLease(settings.database_url, timeout=settings.postgres_connect_timeout)
    return FileLease(sqlite_sidecar(settings, "projections").with_suffix(".lock"))


class ProjectionHost:
    """Elects this process to run the projections, runs them and reports how they are."""

    def __init__(
        self,
        settings: Settings,
        specs: tuple[ProjectionSpec, ...] | None = None,
        *,
        lease: Lease | None = None,
        readers: ProjectionReaders | None = None,
        poll_s: float = 0.5,
        tail: LogSource | None = None,
    ) -> None:
        self.settings = settings
        self.tail = tail  # the process's one subscription to the log (None: each loop its own)
        self.slots = [Slot(spec) for spec in (specs or tuple(CATALOG.values()))]
        self.lease = lease or default_lease(settings)
        self.readers = readers or ProjectionReaders(
            settings, {s.spec.name: s.spec for s in self.slots}
        )
        self._own_readers = readers is None
        self.poll_s = poll_s
        self.role: Literal["starting", "leader", "standby", "stopped"] = "starting"
        self._stop = threading.Event()
        self._leading = threading.Event()
        self._thread = threading.Thread(target=self._run, name="projection-host", daemon=True)

    # ---- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Start electing and running in a background thread."""
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop the loops and give the lease up."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        if self._own_readers:
            self.readers.close()

    def wait_until_leading(self, timeout: float) -> bool:
        """Block until this host runs the projections (True) or timeout."""
        return self._leading.wait(timeout)

    # ---- reporting -----------------------------------------------------------------------------

    def runner(self, name: str) -> ProjectionLoop | None:
        """The running loop of a projection on this node, if any."""
        return next((s.loop for s in self.slots if s.spec.name == name), None)

    def health(self) -> tuple[bool, dict[str, Any]]:
        """(healthy, detail) for /healthz: unhealthy while a projection is failed or retrying."""
        detail: dict[str, Any] = {"role": self.role}
        healthy = True
        for slot in self.slots:
            status, error = slot.state  # one reading: the verdict and the detail agree
            healthy = healthy and status not in ("failed", "retrying")
            detail[slot.spec.name] = {
                "status": status,
                "position": self._position(slot),
                "error": error,
            }
        return healthy, detail

    def _moved_past_failure(self, slot: Slot) -> bool:
        position = self._position(slot)
        return slot.failed_at is not None and position is not None and position >= slot.failed_at

    def _position(self, slot: Slot) -> int | None:
        try:
            return self.readers.view(slot.spec.name).position()
        except Exception:  # health reports the store's own reachability separately
            return None

    # ---- the host thread -----------------------------------------------------------------------

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                if not self.lease.acquire():
                    self.role = "standby"
                    self._stop.wait(self.poll_s)
                    continue
                self.role = "leader"
                log.info("projections: this process runs them (lease taken)")
                self._lead()
        finally:
            self._stop_loops()
            self.lease.release()
            self._leading.clear()
            self.role = "stopped"

    def _lead(self) -> None:
        for slot in self.slots:
            if slot.status != "failed":
                self._start(slot)
        self._leading.set()
        while not self._stop.wait(self.poll_s):
            if not self.lease.held():  # also how a lost store shows first: the lease's session
                log.error("projections: lease lost; stopping the loops and standing by")
                break
            for slot in self.slots:
                self._check(slot)
                if slot.status == "retrying" and time.monotonic() >= slot.retry_at:
                    self._start(slot)
                elif slot.status == "failed" and self._moved_past_failure(slot):
                    log.warning(
                        "projection %s resumes: its position moved past the event at %s it "
                        "stopped at (a decision recorded in the event log)",
                        slot.spec.name,
                        slot.failed_at,
                    )
                    self._start(slot)
        self._stop_loops()
        self._leading.clear()

    def _start(self, slot: Slot) -> None:
        spec = slot.spec
        try:
            loop = ProjectionLoop(
                self.settings,
                spec.name,
                spec.projection,
                spec.view_class(self.settings.backend),
                tail=self.tail,
            )
            slot.loop = loop.start()
        except Exception as error:
            self._trouble(slot, f"could not start: {error!r}", transient=is_transient(error))
            return
        slot.state = ("running", None)

    def _check(self, slot: Slot) -> None:
        loop = slot.loop
        if loop is None or slot.status != "running":
            return
        failure = loop.view.failure
        if failure is None and not loop.stopped.is_set():
            slot.backoff_s = 1.0
            return
        if failure is not None:
            error, transient = str(failure), failure.transient
            slot.failed_at = failure.position
        elif loop.error is not None:
            error, transient = repr(loop.error), is_transient(loop.error)
        else:
            error, transient = "stopped without an error", False
        self._stop_loop(slot)
        self._trouble(slot, error, transient=transient)

    def _trouble(self, slot: Slot, error: str, *, transient: bool) -> None:
        if transient:
            slot.state = ("retrying", error)
            slot.retry_at = time.monotonic() + slot.backoff_s
            log.error(
                "projection %s cannot reach its store; restarting from its last position "
                "in %.0f s: %s",
                slot.spec.name,
                slot.backoff_s,
                error,
            )
            slot.backoff_s = min(slot.backoff_s * 2, MAX_BACKOFF_S)
            return
        slot.state = ("failed", error)
        log.error(
            "PROJECTION %s FAILED and is stopped (no event is skipped; fix and restart): %s",
            slot.spec.name,
            error,
        )

    def _stop_loops(self) -> None:
        for slot in self.slots:
            self._stop_loop(slot)
            if slot.status == "running":
                slot.state = ("stopped", slot.error)

    def _stop_loop(self, slot: Slot) -> None:
        loop, slot.loop = slot.loop, None
        if loop is None:
            return
        try:
            loop.close()  # stops, joins its thread, closes its log and its view
        except Exception as error:
            log.debug("projection %s stopped with %r", slot.spec.name, error)
