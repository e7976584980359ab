"""``serve --workers N``: N serving processes on one port, each a node of its own on the store.

One serving process runs its Python on one core at a time (the GIL): at saturation it uses
about one core whatever the machine has. Several processes per machine use the others. Each
worker is a whole ``serve`` (its own present following the log, its own feeds, watchdog and
admission slots); what must be one per store already is (the projections elect one runner,
incident numbers come from blocks each node reserves, an escalation is recorded once per reason
whoever races for it). They share:

* the listening socket, bound here once and inherited, so the kernel hands each connection to
  whichever worker accepts it first;
* Prometheus counters and histograms, written by every worker to files in one directory and
  summed at each scrape (the ``prometheus_client`` multiprocess mode), so ``/metrics`` counts
  the whole node whichever worker answers.

This process only supervises: it starts the workers, tells them to stop on SIGINT, SIGTERM or
SIGHUP (each then stops as ``serve`` does: work not begun refused, work begun finished) and
starts again a worker that dies, after 1 s, then 2, 4, ... up to 30 s while it keeps dying
within a minute. A worker that cannot start the first time (the store unreachable, a bad
setting) stops them all, with its exit code: an operator sees the cause at once, not a loop of
restarts (a worker killed by a signal while it started is started again). Workers stop by
themselves when the supervisor is gone, even killed with SIGKILL (``Inherited.lifeline``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from entrypoints.cli import failures
from entrypoints.worker_slot import MULTIPROCESS_DIR, WorkerSlot

log = logging.getLogger("siaga112.workers")

MAX_BACKOFF_S = 30.0
STEADY_S = 60.0  # a worker up this long before it died is started again at once
STOP_GRACE_S = 20.0  # beyond serve's own grace (10 s): then a worker still running is killed


@dataclass(frozen=True)
class Inherited:
    """The file descriptors a worker inherits: the listening socket; the pipe it writes its
    index to once it serves; and its lifeline, a pipe whose other end only the supervisor
    holds, so the worker reads its end of file when the supervisor is gone, however it went
    (SIGKILL included), and stops instead of serving on unsupervised."""

    socket: int
    ready: int
    lifeline: int


#: A worker's command line, given its slot and what it inherits.
Command = Callable[[WorkerSlot, Inherited], Sequence[str]]


def bind(host: str, port: int) -> socket.socket:
    """The node's listening socket, inheritable by the workers (an address in use is the
    caller's error: the message says which)."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as error:
        raise failures.CommandFailed(f"serve: cannot listen on {host}: {error.strerror}") from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as error:
        sock.close()
        raise failures.CommandFailed(
            f"serve: cannot listen on {host}:{port}: {error.strerror}"
        ) from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


@dataclass
class _Worker:
    slot: WorkerSlot
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    ready: bool = False
    ever_ready: bool = False
    backoff_s: float = 0.0
    start_after: float = 0.0
    exits: list[int] = field(default_factory=list)


class Supervisor:
    """Starts ``count`` workers of ``serve`` on ``sock`` and keeps them running until told to
    stop. ``command(slot, inherited)`` is each worker's command line."""

    def __init__(
        self,
        count: int,
        sock: socket.socket,
        command: Command,
        env: dict[str, str] | None = None,
    ) -> None:
        self.sock, self.command = sock, command
        self.workers = [_Worker(WorkerSlot(i, count)) for i in range(1, count + 1)]
        self.env = dict(os.environ if env is None else env)
        self.stop = threading.Event()
        self._metrics_dir = Path(tempfile.mkdtemp(prefix="siaga112-metrics-"))
        self.env[MULTIPROCESS_DIR] = str(self._metrics_dir)
        self._ready_read, self._ready_write = os.pipe()
        os.set_inheritable(self._ready_write, True)
        self._lifeline_read, self._lifeline_write = os.pipe()  # the write end is never inherited
        os.set_inheritable(self._lifeline_read, True)
        self._pending = b""

    def run(self) -> int:
        """Supervise until SIGINT, SIGTERM or SIGHUP (0), or a worker that could not start (its
        exit code)."""
        stops = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        previous = {s: signal.signal(s, self._signalled) for s in stops}
        code = failures.OK
        try:
            for worker in self.workers:
                self._start(worker)
            while not self.stop.is_set():
                self._read_ready(timeout=0.5)
                code = self._check()
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            pipes = (self._ready_read, self._ready_write, self._lifeline_read, self._lifeline_write)
            for fd in pipes:
                with contextlib.suppress(OSError):
                    os.close(fd)
            shutil.rmtree(self._metrics_dir, ignore_errors=True)
        return code

    def pids(self) -> list[int]:
        """The running workers' process ids."""
        return [w.process.pid for w in self.workers if w.process and w.process.poll() is None]

    # ---- one pass -------------------------------------------------------------------------

    def _check(self) -> int:
        now = time.monotonic()
        for worker in self.workers:
            process = worker.process
            if process is None:
                if now >= worker.start_after and not self.stop.is_set():
                    self._start(worker)
                continue
            code = process.poll()
            if code is None:
                continue
            self._mark_dead(process.pid)
            worker.process = None
            worker.exits.append(code)
            if not worker.ever_ready and code > 0:  # it gave up by itself: it would again
                log.error(
                    "worker %s (pid %d) could not start (exit %d): stopping every worker",
                    worker.slot,
                    process.pid,
                    code,
                )
                self.stop.set()
                return code
            up_s = now - worker.started_at
            worker.backoff_s = (
                0.0
                if worker.ready and up_s >= STEADY_S
                else min(MAX_BACKOFF_S, worker.backoff_s * 2 or 1.0)
            )
            worker.start_after = now + worker.backoff_s
            log.error(
                "worker %s (pid %d) exited with %d after %.0f s; starting it again in %.0f s",
                worker.slot,
                process.pid,
                code,
                up_s,
                worker.backoff_s,
            )
        return failures.OK

    def _start(self, worker: _Worker) -> None:
        inherited = Inherited(self.sock.fileno(), self._ready_write, self._lifeline_read)
        argv = self.command(worker.slot, inherited)
        worker.process = subprocess.Popen(
            argv, env=self.env, pass_fds=(inherited.socket, inherited.ready, inherited.lifeline)
        )
        worker.started_at, worker.ready = time.monotonic(), False

    def _read_ready(self, timeout: float) -> None:
        """Workers write ``INDEX\\n`` to the pipe once they serve."""
        readable, _, _ = select.select([self._ready_read], [], [], timeout)
        if not readable:
            return
        self._pending += os.read(self._ready_read, 4096)
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            if line.strip().isdigit() and 1 <= int(line) <= len(self.workers):
                worker = self.workers[int(line) - 1]
                worker.ready = worker.ever_ready = True
                pid = worker.process.pid if worker.process else 0
                log.info("worker %s (pid %d) serving", worker.slot, pid)

    def _mark_dead(self, pid: int) -> None:
        """Drop a dead worker's live gauges from the shared metrics (its counters stay summed)."""
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid, str(self._metrics_dir))  # type: ignore[no-untyped-call]

    def _signalled(self, sig: int, frame: FrameType | None) -> None:
        self.stop.set()

    def _stop_all(self) -> None:
        running = [w.process for w in self.workers if w.process and w.process.poll() is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        for process in running:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                log.error(
                    "worker (pid %d) still running after %.0f s: killed", process.pid, STOP_GRACE_S
                )
                process.kill()
                process.wait()


def serve_command(log_level: str, database_url: str | None) -> Command:
    """``siaga112 serve`` as a worker: on the inherited socket, reporting to the ready pipe."""

    def command(slot: WorkerSlot, fds: Inherited) -> Sequence[str]:
        head = [sys.executable, "-m", "entrypoints.cli"]
        if database_url:
            head += ["--database-url", database_url]
        worker = ["--fd", str(fds.socket), "--worker", str(slot), "--ready-fd", str(fds.ready)]
        worker += ["--lifeline-fd", str(fds.lifeline)]
        return [*head, "serve", "--log-level", log_level, *worker]

    return command


def follow_lifeline(fd: int | None) -> None:
    """In a worker: stop (as on SIGTERM) once the supervisor is gone."""
    if fd is None:
        return

    def wait() -> None:
        with contextlib.suppress(OSError):
            while os.read(fd, 1):  # nothing is ever written: returns b"" at end of file
                pass
        log.error("the supervisor is gone: this worker stops")
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=wait, name="siaga112-lifeline", daemon=True).start()


def tell_ready(ready_fd: int | None, slot: WorkerSlot) -> None:
    """In a worker: tell the supervisor this worker serves."""
    if ready_fd is None:
        return
    with contextlib.suppress(OSError):
        os.write(ready_fd, f"{slot.index}\n".encode())
        os.close(ready_fd)
