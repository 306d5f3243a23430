"""`runner serve --workers N`: N ingest processes on one listening socket and one dispatcher,
all on the same durable queue, started and watched by this process.

    supervisor = Supervisor(command, spec, workers=4, sockets=[sock], keep_fds=[lock_fd], env=env)
    exit_code = supervisor.run()   # until SIGTERM / SIGINT; SIGHUP: reload(), then every child

Why it holds:
- The sockets (one per address of the host) are bound once, here, and inherited: the kernel
  hands each connection to one process accepting on it, and connections waiting in a backlog
  outlive a killed worker (the others accept them). A request the killed worker had read but
  not answered was never acknowledged, so the provider sends it again; nothing acknowledged is
  lost, since a 200 goes out only after the queue's commit.
- Every process writes to one queue (one SQLite file in WAL mode, or PostgreSQL): the queue's
  unique webhook-id makes a webhook accepted by two workers one event, and only the dispatcher
  claims deliveries, so each is sent by one process. A dispatcher that is killed leaves its
  claims to the next one, which releases them at start (their pid is gone).
- The data folder's lock is taken here and its file descriptor inherited by every child, so
  another `runner serve` cannot start on the folder while any of them lives, even if this
  process was killed first (the children's pids are written in it, and the refusal names them).
  Children stop (gracefully) when their parent is gone.
- A reload is read and checked once, here, and every child serves what was read, also one
  started again later (runner.server.snapshot).
- A child that dies is started again (at once after a long life, with a growing pause after
  repeated quick deaths); a child that cannot start while the server is starting stops it all.
- Stopping stops the ingest processes first (each finishes its requests), then the
  dispatcher (which settles what it has in flight), so nothing is queued after delivery stops.

Children are told their part as one JSON object on stdin and say "ready" on stdout once they
serve. They run in a process group of their own: a Ctrl-C reaches this process, which stops
them in order, rather than all of them at once.
"""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

log = logging.getLogger("runner.serve")

START_TIMEOUT_S = 120.0  # a child that is not serving by then failed to start
TICK_S = 0.2
LONG_LIFE_S = 10.0  # a child that lived this long is restarted at once
MAX_RESTART_PAUSE_S = 10.0
READY = b"ready\n"


@dataclass
class Child:
    """One child process: an ingest worker (index 1..N) or the dispatcher (index 0)."""

    role: str
    index: int
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    ready: bool = False
    output: bytes = b""
    quick_deaths: int = 0
    due: float | None = None  # when to start it again
    restarts: int = 0

    @property
    def name(self) -> str:
        return "dispatcher" if self.role == "dispatch" else f"worker-{self.index}"

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None


@dataclass
class Supervisor:
    """Starts `workers` ingest children and one dispatcher with `command`, each given `spec`
    plus its role and file descriptors (the listening `sockets`, the wake pipe, `keep_fds`),
    and keeps them running until told to stop."""

    command: Sequence[str]
    spec: Mapping[str, Any]
    workers: int
    sockets: Sequence[socket.socket]
    keep_fds: Sequence[int] = ()
    env: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    graceful_s: float = 30.0  # an ingest worker's requests get this long to finish
    drain_s: float = 15.0  # then the dispatcher's requests in flight (one delivery timeout)
    on_child_exit: Callable[[int], None] | None = None  # given a child's pid once it is gone
    on_spawn: Callable[[list[int]], None] | None = None  # given the live children's pids after a start
    # A reload (SIGHUP, or a reason `changes` returns) calls `reload(reason)` first (it reads
    # and checks the config for every child: runner.server.snapshot), then SIGHUPs the children
    # if it returned True (without `reload`, always).
    reload: Callable[[str], bool] | None = None
    changes: Callable[[], str | None] | None = None  # polled every tick (a change since the start, --watch)
    children: list[Child] = field(default_factory=list)
    _stopping: bool = False
    _hup: bool = False  # a SIGHUP came since the last reload began
    _wake: tuple[int, int] = (-1, -1)

    def run(self) -> int:
        """Serve until SIGTERM or SIGINT, then stop every child in order; 0, or 1 if the
        children could not all start."""
        # The dispatcher reads one end; every ingest worker writes a byte to the other when it
        # enqueues. Kept open here so a restarted dispatcher or worker gets the same pipe.
        self._wake = os.pipe()
        os.set_blocking(self._wake[1], False)
        previous = {sig: signal.signal(sig, self._signal) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
        try:
            self.children = [Child("dispatch", 0)] + [Child("ingest", i) for i in range(1, self.workers + 1)]
            for child in self.children:
                self._spawn(child)  # an OSError here ends the start (the children are stopped)
            if not self._wait_ready():
                return 0 if self._stopping else 1  # a stop asked for while starting is no failure
            log.info("serve.workers_started", extra={
                "workers": self.workers, "listening": " ".join(_url(s) for s in self.sockets),
                "pids": {c.name: c.proc.pid for c in self.children if c.proc}})
            while not self._stopping:
                self._tick()
            return 0
        finally:
            # Whatever ended the loop, the children are stopped before the caller lets go of
            # the folder's lock (which they share).
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            for fd in self._wake:
                os.close(fd)

    def _signal(self, signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGHUP:
            self._hup = True  # acted on by the loop: reading the config is no work for a handler
        elif self._stopping:  # a second Ctrl-C: the children's servers stop without waiting
            for child in self.children:
                self._send(child, signal.SIGINT)
        else:
            self._stopping = True

    def _send(self, child: Child, signum: int) -> None:
        if child.alive:
            assert child.proc is not None
            try:
                child.proc.send_signal(signum)
            except ProcessLookupError:
                pass

    def _spawn(self, child: Child) -> None:
        wake = self._wake[0] if child.role == "dispatch" else self._wake[1]
        listen = [s.fileno() for s in self.sockets]
        fds = [*listen, wake, *self.keep_fds]
        message = dict(self.spec) | {"role": child.role, "index": child.index, "parent": os.getpid(),
                                      "listen_fds": listen, "wake_fd": wake}
        # SIGHUP is blocked while the child is made, and the child starts with it blocked (the
        # mask survives exec; a handler does not): a reload asked for while it starts cannot
        # kill it before it ignores the signal, and one asked of this process meanwhile waits.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGHUP})
        try:
            child.proc = subprocess.Popen(list(self.command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          pass_fds=fds, env=dict(self.env), process_group=0)
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGHUP})
        assert child.proc.stdin is not None and child.proc.stdout is not None
        try:
            with child.proc.stdin:
                child.proc.stdin.write(json.dumps(message).encode())
        except BrokenPipeError:
            pass  # it died at once: reaped and started again like any other
        os.set_blocking(child.proc.stdout.fileno(), False)
        if self.on_spawn is not None:
            self.on_spawn([c.proc.pid for c in self.children if c.proc is not None and c.alive])
        child.started = time.monotonic()
        child.ready = False
        child.output = b""
        child.due = None

    def _read(self, timeout: float) -> None:
        """Read what children wrote on stdout (their "ready"), waiting up to `timeout`."""
        pipes = {c.proc.stdout.fileno(): c for c in self.children
                 if c.proc is not None and c.proc.stdout is not None and not c.proc.stdout.closed}
        if not pipes:
            time.sleep(timeout)
            return
        readable, _, _ = select.select(list(pipes), [], [], timeout)
        for fd in readable:
            child = pipes[fd]
            try:
                chunk = os.read(fd, 4096)
            except BlockingIOError:
                continue
            if not chunk:  # the child closed stdout (it is exiting): reaped by `_reap`
                assert child.proc is not None and child.proc.stdout is not None
                child.proc.stdout.close()
                continue
            if not child.ready:
                child.output = (child.output + chunk)[-len(READY):]
                if child.output.endswith(READY):
                    child.ready = True
                    if child.restarts:
                        log.info("serve.worker_restarted", extra={"worker": child.name, "pid": child.proc.pid if child.proc else None})

    def _reload_if_asked(self) -> None:
        reasons = []
        if self._hup:
            self._hup = False
            reasons.append("SIGHUP")
        if self.changes is not None and (changed := self.changes()):
            reasons.append(changed)
        if not reasons:
            return
        if self.reload is not None:
            try:
                if not self.reload(", ".join(reasons)):
                    return  # nothing new for the children (it said why)
            except Exception:  # a bug of ours must not end the server: it keeps what it serves
                log.exception("serve.reload_failed", extra={"kept": "the running config"})
                return
        for child in self.children:
            self._send(child, signal.SIGHUP)

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not all(c.ready for c in self.children):
            if self._stopping:
                return False
            self._reload_if_asked()
            for child in self.children:
                if not child.alive and not child.ready:
                    assert child.proc is not None
                    log.error("serve.worker_failed", extra={
                        "worker": child.name, "exit": _exit_text(child.proc.returncode),
                        "detail": "a process of the server could not start (its lines above say why)"})
                    return False
            if time.monotonic() > deadline:
                log.error("serve.worker_failed", extra={"detail": f"not every process was serving after {START_TIMEOUT_S:g} s"})
                return False
            self._read(TICK_S)
        return True

    def _tick(self) -> None:
        self._read(TICK_S)
        self._reload_if_asked()
        now = time.monotonic()
        for child in self.children:
            if child.due is not None:
                if now >= child.due and not self._stopping:
                    child.restarts += 1
                    try:
                        self._spawn(child)
                    except OSError as exc:  # out of processes or descriptors: try again later
                        child.due = now + MAX_RESTART_PAUSE_S
                        log.error("serve.worker_failed", extra={"worker": child.name, "detail": f"cannot start: {exc}"})
                continue
            if child.alive or child.proc is None:
                continue
            code = child.proc.returncode
            lived = now - child.started
            child.quick_deaths = 0 if lived >= LONG_LIFE_S else child.quick_deaths + 1
            pause = 0.0 if not child.quick_deaths else min(MAX_RESTART_PAUSE_S, 0.5 * 2 ** (child.quick_deaths - 1))
            child.due = now + pause
            if self.on_child_exit is not None:
                self.on_child_exit(child.proc.pid)
            log.warning("serve.worker_exited", extra={
                "worker": child.name, "pid": child.proc.pid, "exit": _exit_text(code),
                "lived_s": round(lived, 1), "restart_in_s": pause})

    def _stop_all(self) -> None:
        """SIGTERM the ingest workers and wait for them, then the dispatcher."""
        self._stopping = True
        ingest = [c for c in self.children if c.role == "ingest"]
        dispatch = [c for c in self.children if c.role == "dispatch"]
        for group, grace in ((ingest, self.graceful_s), (dispatch, self.drain_s)):
            for child in group:
                self._send(child, signal.SIGTERM)
            deadline = time.monotonic() + grace + 5  # and a moment to close engines and the store
            for child in group:
                if child.proc is None:
                    continue
                try:
                    child.proc.wait(max(0.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    log.error("serve.worker_killed", extra={"worker": child.name, "pid": child.proc.pid,
                                                            "detail": "did not stop in time"})
                    child.proc.kill()
                    child.proc.wait()
                if child.proc.stdout is not None:
                    child.proc.stdout.close()
                if self.on_child_exit is not None:
                    self.on_child_exit(child.proc.pid)


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _exit_text(code: int | None) -> str:
    if code is None:
        return "running"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit code {code}"
