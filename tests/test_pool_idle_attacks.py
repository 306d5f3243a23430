"""EnginePool's idle watchdog under attack: it sleeps while no batch is in flight. Every overrun
must still be stopped at its deadline, the in-flight count must never go negative, never stay
zero while a batch is on a pipe, and come back to zero (watchdog asleep) when the pool is idle."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from runner.engine import EnginePool, Handler, Limits
from tests.test_pool_attacks import BODY, SLOW150, TAG, hard_close, url_of
from tests.test_sandbox_guarantees import NATIVE_SPINS, spin_handler

pytestmark = pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="reads Linux's per-thread counters")

LIMIT_MS = 300
BOUND_S = LIMIT_MS / 1000 + 2.0  # limit + grace + a noisy 2-core machine
SPINS = {name: Handler.from_source(spin_handler(NATIVE_SPINS[name]), f"idle-{name}.js")
         for name in ("indexOf", "sparse_join", "bigint_toString")}
SPIN = SPINS["indexOf"]


class Monitor:
    """Samples the pool every 5 ms: the count never negative; no live worker in handler code
    (deadline published) while the count is 0; no live worker past its deadline by > 1 s."""

    def __init__(self, p: EnginePool) -> None:
        self.p = p
        self.problems: list[str] = []
        self.max_seen = 0
        self._stop = threading.Event()
        self._suspect: dict[int, float] = {}
        self._thread = threading.Thread(target=self._loop, daemon=True, name="idle-monitor")
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(0.005):
            with self.p._lock:
                count = self.p._in_flight
                workers = list(self.p._workers)
                running = [(id(w), w.progress[1]) for w in workers if w.progress[1] > 0]
            self.max_seen = max(self.max_seen, count)
            if count < 0:
                self.problems.append(f"in-flight count {count}")
            now = time.monotonic()
            alive = {id(w): w for w in workers}
            for wid, deadline in running:
                w = alive[wid]
                if not w.process.is_alive() or w.overran is not None:
                    continue
                if count == 0:
                    # seen twice with the same deadline 30+ ms apart: not a passing moment
                    if self._suspect.get(wid) == deadline:
                        self.problems.append(f"count 0 while worker {w.process.pid} runs handler code")
                    self._suspect[wid] = deadline
                if now > deadline + 1.0:
                    self.problems.append(f"worker {w.process.pid} {now - deadline:.2f} s past its deadline, alive")

    def stop(self) -> list[str]:
        self._stop.set()
        self._thread.join(5)
        return sorted(set(self.problems))


def settle(p: EnginePool, budget: float = 5.0) -> int:
    """Wait until the pool's in-flight count is 0 (after every future was answered)."""
    end = time.monotonic() + budget
    while time.monotonic() < end:
        with p._lock:
            if p._in_flight == 0:
                return 0
        time.sleep(0.01)
    return p._in_flight


def watchdog_of(p: EnginePool) -> threading.Thread:
    return p._watchdog


def wakeups(thread: threading.Thread) -> int:
    with open(f"/proc/self/task/{thread.native_id}/status") as f:
        for line in f:
            if line.startswith("voluntary_ctxt_switches:"):
                return int(line.split()[1])
    raise AssertionError("no counter")


def assert_asleep(p: EnginePool) -> None:
    assert settle(p) == 0, f"in-flight count leaked: {p._in_flight}"
    w = watchdog_of(p)
    before = wakeups(w)
    time.sleep(0.5)
    assert wakeups(w) - before <= 2, "the watchdog keeps polling an idle pool"


def spin_killed(outcome, took: float) -> None:
    assert outcome.error is not None and outcome.error.type == "TimeLimitExceeded", outcome
    assert took < BOUND_S, f"the spin ran {took:.2f} s"


# ---- 1. idle for a while, then a native built-in overrun ------------------------------------

@pytest.mark.parametrize("name", sorted(SPINS))
@pytest.mark.parametrize("idle", [0.05, 0.6])
def test_native_overrun_after_idle_is_killed(name, idle):
    p = EnginePool(workers=1, limits=Limits(time_ms=LIMIT_MS), batch_max=1, spare=False)
    mon = Monitor(p)
    futures = []
    try:
        p.run(TAG, BODY, env={"TAG": "warm"})
        assert_asleep(p)
        time.sleep(idle)
        started = time.monotonic()
        futures = [p.submit(SPINS[name], BODY)]
        spin_killed(futures[0].result(timeout=15), time.monotonic() - started)
        # the replacement (no spare: a fresh start) works and the count is back to 0
        futures.append(p.submit(TAG, BODY, env={"TAG": "after"}))
        assert url_of(futures[1].result(timeout=30)) == "https://t.example/after"
        assert_asleep(p)
        assert p.kills == 1
    finally:
        hard_close(p, futures)
    assert mon.stop() == []


# ---- 2. a worker dies during a send ----------------------------------------------------------

@pytest.mark.parametrize("second", [False, True])
def test_worker_sigkilled_during_a_send_then_a_spin(monkeypatch, second):
    """The worker is SIGKILLed just as the feeder writes a batch (the first on the pipe, or the
    second behind a running one): the send fails, the count must not leak or go negative, and
    the next overrun is still stopped."""
    import multiprocessing.connection as mpc
    real_send = mpc.Connection.send_bytes
    state = {"armed": False, "n": 0, "pool": None, "done": False}

    def send_bytes(self, buf, *a, **kw):
        if state["armed"] and threading.current_thread().name.startswith("engine-feeder"):
            state["n"] += 1
            if state["n"] == (2 if second else 1):
                state["armed"] = False
                w = state["pool"]._workers[0]
                os.kill(w.process.pid, signal.SIGKILL)
                w.process.join(5)
                state["done"] = True
        return real_send(self, buf, *a, **kw)

    monkeypatch.setattr(mpc.Connection, "send_bytes", send_bytes)
    p = EnginePool(workers=1, limits=Limits(time_ms=1000 if second else LIMIT_MS), batch_max=1)
    state["pool"] = p
    mon = Monitor(p)
    futures = []
    try:
        p.run(TAG, BODY, env={"TAG": "warm"})
        state["armed"] = True
        futures = [p.submit(SLOW150, BODY, env={"TAG": t}) for t in "ab"]
        outs = [f.result(timeout=15) for f in futures]
        assert state["done"], "the race was not set up"
        crashed = [o for o in outs if o.error is not None]
        assert len(crashed) <= 1 and all(o.error.type == "EngineCrashed" for o in crashed), outs
        assert settle(p) == 0, p._in_flight
        started = time.monotonic()
        futures.append(p.submit(SPIN, BODY))
        spin_killed(futures[-1].result(timeout=15), time.monotonic() - started)
        assert_asleep(p)
    finally:
        hard_close(p, futures)
    assert mon.stop() == []


# ---- 3. close() of an idle pool ---------------------------------------------------------------

def test_close_an_idle_pool_wakes_the_sleeping_watchdog():
    p = EnginePool(workers=1, limits=Limits(time_ms=LIMIT_MS))
    p.run(TAG, BODY, env={"TAG": "warm"})
    assert_asleep(p)
    closer = threading.Thread(target=p.close)
    closer.start()
    closer.join(10)
    assert not closer.is_alive() and not p._watchdog.is_alive()


# ---- 4. a spin in the second pipelined batch right after idle --------------------------------

def test_spin_in_the_second_batch_on_the_pipe_after_idle():
    p = EnginePool(workers=1, limits=Limits(time_ms=LIMIT_MS), batch_max=1)
    mon = Monitor(p)
    futures = []
    try:
        p.run(TAG, BODY, env={"TAG": "warm"})
        for _ in range(3):
            assert_asleep(p)
            started = time.monotonic()
            fs = [p.submit(SLOW150, BODY, env={"TAG": "a"}), p.submit(SPIN, BODY), p.submit(TAG, BODY, env={"TAG": "c"})]
            futures += fs
            outs = [f.result(timeout=15) for f in fs]
            assert url_of(outs[0]) == "https://slow.example/a"
            spin_killed(outs[1], time.monotonic() - started)
            assert url_of(outs[2]) == "https://t.example/c"
    finally:
        hard_close(p, futures)
    assert mon.stop() == []
