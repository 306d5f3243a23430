"""EnginePool under attack: two batches on a worker's pipe, kills and deaths at every moment, a
feeder thread that is slow or descheduled; every job answered once, with its own outcome, and
every overrun stopped at its deadline by the watchdog thread."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import threading
import time

import pytest

from runner.engine import EnginePool, Handler, Limits
from runner.engine import pool as pool_mod
from tests.conftest import sample_text
from tests.test_sandbox_guarantees import NATIVE_SPINS, spin_handler

BODY = sample_text("payment.succeeded.json")
SPIN = Handler.from_source(spin_handler(NATIVE_SPINS["indexOf"]), "spin.js")
PASS = Handler.from_source("function handler(w) { return w }", "pass.js")
# Tags its outcome with its own env, so an outcome can be told to be that job's.
TAG = Handler.from_source("function handler(w) { w.url = 'https://t.example/' + w.env.TAG; return w }", "tag.js")
SLOW150 = Handler.from_source(
    "function handler(w) { const t = Date.now(); while (Date.now() - t < 150) {} "
    "w.url = 'https://slow.example/' + w.env.TAG; return w }", "slow.js")


def big_body(n: int, i: int = 0) -> str:
    """A distinct string each time (pickle would send one object shared by a batch once)."""
    data = json.loads(BODY)
    data["pad"] = f"{i}:" + "x" * n
    return json.dumps(data)


def hard_close(p: EnginePool, futures=(), budget: float = 10.0) -> None:
    """Close `p` even when its feeders are stuck: SIGKILL its workers until they come loose."""
    end = time.monotonic() + budget
    while time.monotonic() < end and any(t.is_alive() for t in p._feeders):
        if all(f.done() for f in futures):
            break
        for pid in p.pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.3)
    t = threading.Thread(target=p.close, daemon=True)
    t.start()
    t.join(10)


def url_of(outcome) -> str | None:
    return None if outcome.request is None else outcome.request.url


def slow_spin_tag(arm) -> tuple[list, EnginePool]:
    """A 150 ms call within its limit, a native spin, then a quick call, one batch each, on one
    worker; `arm()` just before they are submitted. Checks that each got its own outcome and
    returns the outcomes and the closed pool."""
    p = EnginePool(workers=1, limits=Limits(time_ms=300), batch_max=1)
    futures = []
    try:
        p.run(TAG, BODY, env={"TAG": "warm"})
        arm()
        futures = [p.submit(SLOW150, BODY, env={"TAG": "a"}), p.submit(SPIN, BODY), p.submit(TAG, BODY, env={"TAG": "c"})]
        outcomes = [f.result(timeout=12) for f in futures]
        assert url_of(outcomes[0]) == "https://slow.example/a", outcomes[0]
        assert outcomes[1].error is not None and outcomes[1].error.type == "TimeLimitExceeded", outcomes[1]
        assert url_of(outcomes[2]) == "https://t.example/c", outcomes[2]
    finally:
        hard_close(p, futures)
    return outcomes, p


# ---- 1. both ends of the pipe sending at once ------------------------------------------------

def test_two_large_events_in_a_row_do_not_deadlock_the_pipe():
    """Event A's result and event B's body are both larger than the socket buffer. The feeder
    sends B while the worker runs A; the worker then sends A's result while the feeder still
    sends B: neither reads."""
    p = EnginePool(workers=1, limits=Limits(time_ms=1000), batch_max=1)
    futures = []
    try:
        p.run(PASS, BODY)
        futures = [p.submit(PASS, big_body(600_000, i)) for i in range(3)]
        outcomes = [f.result(timeout=10) for f in futures]
        assert all(o.error is None for o in outcomes), [o.error for o in outcomes]
    finally:
        hard_close(p, futures)


def test_a_backlog_of_ordinary_events_does_not_deadlock_the_pipe():
    """Default batch_max (64) and 6 KB webhooks: a batch is ~400 KB each way."""
    p = EnginePool(workers=1, limits=Limits(time_ms=1000))
    futures = []
    try:
        p.run(PASS, BODY)
        bodies = [big_body(6_000, i) for i in range(300)]
        futures = [p.submit(PASS, body) for body in bodies]
        outcomes = [f.result(timeout=15) for f in futures]
        assert all(o.error is None for o in outcomes)
    finally:
        hard_close(p, futures)


# ---- 2. the watchdog stops watching while the feeder is busy ---------------------------------

def test_a_native_spin_is_killed_on_time_while_a_large_next_batch_is_being_sent():
    body = big_body(900_000)
    p = EnginePool(workers=1, limits=Limits(time_ms=300), batch_max=1)
    futures = []
    try:
        p.run(TAG, BODY, env={"TAG": "warm"})
        started = time.monotonic()
        futures = [p.submit(SLOW150, BODY, env={"TAG": "s"}), p.submit(SPIN, BODY), p.submit(TAG, body, env={"TAG": "big"})]
        spin = futures[1].result(timeout=12)
        took = time.monotonic() - started
        assert spin.error is not None and spin.error.type == "TimeLimitExceeded", spin
        # 0.15 s for the slow event, then 0.3 s + 0.2 s grace: well under 1.5 s.
        assert took < 1.5, f"the spin ran {took:.1f} s"
    finally:
        hard_close(p, futures)


def _record_kill_lateness(monkeypatch) -> list[float]:
    """How long past the published deadline each watchdog kill came (measured at the kill of
    the worker's process, wherever in the pool it is made)."""
    late: list[float] = []
    orig = pool_mod._Worker.__init__

    def __init__(self, *args, **kwargs):
        orig(self, *args, **kwargs)
        kill, progress = self.process.kill, self.progress

        def timed_kill():
            if progress[1] > 0 and not getattr(self, "_killed", False):  # the first kill: later ones only reap
                late.append(time.monotonic() - progress[1])
            self._killed = True
            kill()

        self.process.kill = timed_kill

    monkeypatch.setattr(pool_mod._Worker, "__init__", __init__)
    return late


def test_a_native_spin_is_killed_on_time_while_the_feeder_runs_done_callbacks(monkeypatch):
    """Done-callbacks of a concurrent Future run in the feeder thread (inside _deliver); with the
    next batch already on the pipe, the worker runs it meanwhile with nobody watching."""
    late = _record_kill_lateness(monkeypatch)
    p = EnginePool(workers=1, limits=Limits(time_ms=300), batch_max=1)
    futures = []
    try:
        p.run(TAG, BODY, env={"TAG": "warm"})
        first = p.submit(SLOW150, BODY, env={"TAG": "a"})
        first.add_done_callback(lambda f: time.sleep(1.5))  # e.g. a synchronous store write
        futures = [first, p.submit(SPIN, BODY), p.submit(TAG, BODY, env={"TAG": "c"})]
        outcomes = [f.result(timeout=12) for f in futures]
        assert outcomes[1].error.type == "TimeLimitExceeded"
        assert late and max(late) < 0.2, f"killed {late} s past the deadline"
    finally:
        hard_close(p, futures)


def test_a_native_spin_is_killed_on_time_while_the_feeder_is_descheduled_in_deliver(monkeypatch):
    late = _record_kill_lateness(monkeypatch)
    orig = EnginePool._deliver
    slow = {"armed": False}

    def _deliver(batch, results):
        orig(batch, results)
        if slow["armed"] and threading.current_thread().name.startswith("engine-feeder"):
            slow["armed"] = False
            time.sleep(1.5)  # descheduled / GIL held elsewhere

    monkeypatch.setattr(EnginePool, "_deliver", staticmethod(_deliver))
    slow_spin_tag(lambda: slow.update(armed=True))
    assert late and max(late) < 0.2, f"killed {late} s past the deadline"


# ---- 3. a stale deadline blames the next call -------------------------------------------------

def test_a_feeder_descheduled_between_reading_the_deadline_and_the_clock_blames_nobody(monkeypatch):
    """The feeder reads call A's deadline, is descheduled, then reads the clock: A (well within
    its limit) has finished and B (next batch) has run. Nobody overran."""
    real = time.monotonic
    state = {"armed": False}

    class FakeTime:
        perf_counter = staticmethod(time.perf_counter)
        sleep = staticmethod(time.sleep)

        @staticmethod
        def monotonic():
            # The watchdog stalls reading the clock while a call is running: that call ends
            # meanwhile, within its limit, and the next one begins.
            if state["armed"] and threading.current_thread().name == "engine-watchdog":
                import sys
                caller = sys._getframe(1)
                worker = caller.f_locals.get("worker")
                if caller.f_code.co_name == "_watch" and worker is not None and worker.progress[1] > 0:
                    state["armed"] = False
                    time.sleep(0.8)
            return real()

    monkeypatch.setattr(pool_mod, "time", FakeTime)
    p = EnginePool(workers=1, limits=Limits(time_ms=300), batch_max=1)
    futures = []
    try:
        p.run(TAG, BODY, env={"TAG": "warm"})
        state["armed"] = True
        futures = [p.submit(SLOW150, BODY, env={"TAG": "a"}), p.submit(TAG, BODY, env={"TAG": "b"})]
        outcomes = [f.result(timeout=12) for f in futures]
        assert not state["armed"], "the race was not set up"
        assert url_of(outcomes[0]) == "https://slow.example/a", outcomes[0]
        assert url_of(outcomes[1]) == "https://t.example/b", outcomes[1]
        assert p.kills == 0
    finally:
        hard_close(p, futures)


def test_an_overrun_noticed_late_with_the_first_batchs_results_on_the_pipe(monkeypatch):
    """The feeder's poll says 'nothing yet', then it is descheduled; the worker finishes A and
    B (a spin) overruns. Culprit B; A's results, on the pipe, are delivered; C runs again."""
    import multiprocessing.connection as mpc
    real_poll = mpc.Connection.poll
    state = {"armed": False}

    def poll(self, timeout=0.0):
        ready = real_poll(self, timeout)
        if not ready and state["armed"] and threading.current_thread().name.startswith("engine-feeder"):
            state["armed"] = False
            time.sleep(1.0)
        return ready

    monkeypatch.setattr(mpc.Connection, "poll", poll)
    _, p = slow_spin_tag(lambda: state.update(armed=True))
    assert p.kills == 1


# ---- 4. a worker killed from outside between batches -----------------------------------------

def test_a_worker_killed_between_batches_blames_no_finished_call(monkeypatch):
    """B has finished (its results are on the pipe) when the worker is SIGKILLed (OOM killer,
    an operator); sending C then fails. B did nothing wrong and has its result."""
    real_take = pool_mod.take_batch
    state = {"armed": False, "calls": 0, "pool": None}

    def take_batch(source, limit, *, wait=True):
        got = real_take(source, limit, wait=wait)
        if not wait and state["armed"] and got[0]:
            state["calls"] += 1
            if state["calls"] == 2:  # window is [B]: A was answered
                state["armed"] = False
                worker = state["pool"]._workers[0]
                assert worker.conn.poll(5)  # B's results are on the pipe
                os.kill(worker.process.pid, signal.SIGKILL)
                worker.process.join(5)
        return got

    monkeypatch.setattr(pool_mod, "take_batch", take_batch)
    p = EnginePool(workers=1, limits=Limits(time_ms=1000), batch_max=1)
    state["pool"] = p
    futures = []
    try:
        p.run(TAG, BODY, env={"TAG": "warm"})
        state["armed"] = True
        futures = [p.submit(SLOW150, BODY, env={"TAG": t}) for t in "abc"]
        outcomes = [f.result(timeout=12) for f in futures]
        assert state["calls"] == 2, "the race was not set up"
        for t, o in zip("abc", outcomes):
            assert url_of(o) == f"https://slow.example/{t}", (t, o.error)
    finally:
        hard_close(p, futures)


# ---- 5. mixes: kills in either batch, consecutive kills, first sources, failing loads ---------

REFUND = sample_text("refund.succeeded.json")
LOAD_THROWS = Handler.from_source("throw new Error('boom at load'); function handler(w) { return w }", "throws.js")
LOAD_SPINS = Handler.from_source(NATIVE_SPINS["indexOf"] + "\nfunction handler(w) { return w }", "loadspin.js")


def fresh(k: int) -> Handler:
    """A handler no worker has seen: its source goes with its first call."""
    return Handler.from_source(
        f"function handler(w) {{ w.url = 'https://h{k}.example/' + w.env.TAG; return w }}", f"fresh{k}.js")


def fresh_spin(k: int) -> Handler:
    return Handler.from_source(spin_handler(NATIVE_SPINS["indexOf"]) + f"\n// {k}", f"freshspin{k}.js")


def plan(pattern: str):
    """One job per letter: t tag, s spin, f fresh handler, F fresh spin handler (spins) then
    its non-spinning second call, p prepare of a good fresh handler, x prepare that throws,
    l prepare that spins, r a run of the throwing handler."""
    jobs = []
    for i, c in enumerate(pattern):
        tag = f"j{i}"
        if c == "t":
            jobs.append(("run", TAG, BODY, tag, ("url", f"https://t.example/{tag}")))
        elif c == "s":
            jobs.append(("run", SPIN, BODY, tag, ("error", "TimeLimitExceeded")))
        elif c == "f":
            jobs.append(("run", fresh(i), BODY, tag, ("url", f"https://h{i}.example/{tag}")))
        elif c == "F":
            h = fresh_spin(i)
            jobs.append(("run", h, BODY, tag, ("error", "TimeLimitExceeded")))
            jobs.append(("run", h, REFUND, tag, ("status", "cancelled")))
        elif c == "p":
            jobs.append(("load", fresh(1000 + i), None, tag, ("load", None)))
        elif c == "x":
            jobs.append(("load", LOAD_THROWS, None, tag, ("load", "throws.js")))
        elif c == "l":
            jobs.append(("load", LOAD_SPINS, None, tag, ("load", "loadspin.js")))
        elif c == "r":
            jobs.append(("run", LOAD_THROWS, BODY, tag, ("error", "*")))
    return jobs


def submit_plan(p: EnginePool, jobs):
    futures = []
    for kind, handler, body, tag, _ in jobs:
        if kind == "run":
            futures.append(p.submit(handler, body, env={"TAG": tag}))
        else:
            futures.append(p._put(handler, None, pool_mod.DEFAULT_URL, None, None, None))
    return futures


def check_plan(jobs, results):
    problems = []
    for (_kind, handler, _body, tag, (what, want)), got in zip(jobs, results):
        if what == "url":
            ok = getattr(got, "error", "x") is None and url_of(got) == want
        elif what == "error":
            ok = got.error is not None and (want == "*" or got.error.type == want)
        elif what == "status":
            ok = got.status == want
        else:  # a load: None or (class name, data) with the handler's filename
            ok = got is None if want is None else (got is not None and got[1].get("filename") == want)
        if not ok:
            problems.append((tag, handler.filename, what, want, got))
    return problems


def run_plan(pattern, *, workers=1, batch_max=1, spare=True, time_ms=300):
    jobs = plan(pattern)
    p = EnginePool(workers=workers, limits=Limits(time_ms=time_ms), batch_max=batch_max, spare=spare)
    futures = []
    try:
        p.run(TAG, BODY, env={"TAG": "warm"})
        futures = submit_plan(p, jobs)
        results = [f.result(timeout=18) for f in futures]
    finally:
        hard_close(p, futures)
    return jobs, results, p


@pytest.mark.parametrize("batch_max", [1, 2, 3])
@pytest.mark.parametrize("pattern", ["tstft", "ttsstft", "stfFtt", "tfsftfst", "ssf"])
def test_mix(pattern, batch_max):
    jobs, results, p = run_plan(pattern, batch_max=batch_max)
    assert check_plan(jobs, results) == []
    assert p.kills == sum(1 for j in jobs if j[4] == ("error", "TimeLimitExceeded"))


@pytest.mark.parametrize("batch_max", [1, 3])
def test_mix_with_loads(batch_max):
    jobs, results, _p = run_plan("tpxtlrtfsxt", batch_max=batch_max)

    assert check_plan(jobs, results) == []


def test_mix_two_workers_no_spare():
    jobs, results, _p = run_plan("tstsftttsft", workers=2, batch_max=2, spare=False)
    assert check_plan(jobs, results) == []


def test_mix_no_spare_consecutive_kills():
    jobs, results, _p = run_plan("tsstf", batch_max=1, spare=False)
    assert check_plan(jobs, results) == []


@pytest.mark.parametrize("batch_max", [1, 2])
def test_submit_async_mix(batch_max):
    jobs = plan("tstsftt")
    p = EnginePool(workers=1, limits=Limits(time_ms=300), batch_max=batch_max)
    try:
        p.run(TAG, BODY, env={"TAG": "warm"})

        async def go():
            futs = [p.submit_async(h, b, env={"TAG": tag}) for _, h, b, tag, _ in jobs]
            return await asyncio.wait_for(asyncio.gather(*futs), 18)

        results = asyncio.run(go())
    finally:
        hard_close(p)
    assert check_plan(jobs, results) == []


# ---- 6. close() with two batches in flight ----------------------------------------------------

@pytest.mark.parametrize("workers,batch_max", [(1, 1), (1, 3), (2, 1), (2, 2)])
def test_close_finishes_two_batches_in_flight_and_the_queue(workers, batch_max):
    jobs = plan("tttsttfttsttttt")
    p = EnginePool(workers=workers, limits=Limits(time_ms=300), batch_max=batch_max)
    p.run(TAG, BODY, env={"TAG": "warm"})
    futures = submit_plan(p, jobs)
    closer = threading.Thread(target=p.close)
    closer.start()
    closer.join(18)
    assert not closer.is_alive(), "close() hung"
    assert all(f.done() for f in futures), [j[3] for j, f in zip(jobs, futures) if not f.done()]
    assert check_plan(jobs, [f.result() for f in futures]) == []


# ---- 7. SIGKILL from outside at various moments ----------------------------------------------

@pytest.mark.parametrize("delay", [0.02, 0.1, 0.17, 0.25, 0.32])
def test_outside_sigkill_with_two_batches_in_flight(delay):
    """Slow 150 ms events, batch_max 1: two on the pipe. Whatever moment the kill comes, at most
    one event is EngineCrashed (the one running) and every other gets its own result."""
    p = EnginePool(workers=1, limits=Limits(time_ms=1000), batch_max=1)
    futures = []
    try:
        p.run(TAG, BODY, env={"TAG": "warm"})
        pid = p.pids[0]
        futures = [p.submit(SLOW150, BODY, env={"TAG": f"e{i}"}) for i in range(5)]
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        outcomes = [f.result(timeout=15) for f in futures]
    finally:
        hard_close(p, futures)
    crashed = [i for i, o in enumerate(outcomes) if o.error is not None]
    assert len(crashed) <= 1 and all(outcomes[i].error.type == "EngineCrashed" for i in crashed), outcomes
    for i, o in enumerate(outcomes):
        if i not in crashed:
            assert url_of(o) == f"https://slow.example/e{i}", (i, o)


def test_a_fresh_worker_killed_before_its_first_batch_blames_no_event():
    """progress[0] starts at 0, which is also the number of the first call it will be sent."""
    p = EnginePool(workers=1, limits=Limits(time_ms=1000), batch_max=1, spare=False)
    futures = []
    try:
        os.kill(p.pids[0], signal.SIGKILL)
        time.sleep(0.3)
        futures = [p.submit(TAG, BODY, env={"TAG": "a"}), p.submit(TAG, BODY, env={"TAG": "b"})]
        outcomes = [f.result(timeout=15) for f in futures]
    finally:
        hard_close(p, futures)
    assert [url_of(o) for o in outcomes] == ["https://t.example/a", "https://t.example/b"], outcomes
