"""EnginePool: engines in worker processes with budgets of their own, surviving crashes."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time

import pytest

from runner.engine import EnginePool, Handler, Limits
from tests.conftest import sample_text

BODY = sample_text("payment.succeeded.json")


@pytest.fixture(scope="module")
def pool() -> EnginePool:
    p = EnginePool(workers=2, limits=Limits(time_ms=300))
    yield p
    p.close()


def test_runs_handlers_like_the_engine(pool, seed_handlers):
    outcome = pool.run(seed_handlers["segment-track-payments.js"], BODY, url="https://x.example/")
    assert outcome.status == "sent" and outcome.request.url == "https://api.segment.io/v1/track"


def test_a_looping_handler_does_not_eat_another_events_budget(pool, seed_handlers):
    loop = Handler.from_source("function handler(w) { while (true) {} }", "loop.js")
    results: list = []
    thread = threading.Thread(target=lambda: results.append(pool.run(loop, BODY)))
    thread.start()
    # While one worker burns its whole budget, the other keeps completing events.
    done = 0
    while thread.is_alive() and done < 10_000:
        assert pool.run(seed_handlers["segment-track-payments.js"], BODY).status == "sent"
        done += 1
    thread.join()
    assert results[0].error.type == "TimeLimitExceeded"
    assert done > 0


def test_a_killed_worker_is_replaced_and_its_event_fails(seed_handlers):
    slow = Handler.from_source("function handler(w) { const t = Date.now(); while (Date.now() - t < 250) {} return w }")
    with EnginePool(workers=1, limits=Limits(time_ms=400), batch_max=1) as single:
        before = single.pids
        future = single.submit(slow, BODY)
        time.sleep(0.1)
        os.kill(before[0], signal.SIGKILL)
        assert future.result(timeout=60).error.type == "EngineCrashed"
        # The failed event is answered first; the replacement follows at once.
        deadline = time.monotonic() + 30
        while single.pids == before and time.monotonic() < deadline:
            time.sleep(0.01)
        assert single.pids != before
        assert single.run(seed_handlers["segment-track-payments.js"], BODY).status == "sent"


def test_many_concurrent_submissions_are_batched_and_all_answered(pool, seed_handlers):
    handlers = list(seed_handlers.values())
    futures = [pool.submit(handlers[i % 3], BODY, env={"I": str(i)}) for i in range(500)]
    outcomes = [f.result(timeout=60) for f in futures]
    assert [o.status for o in outcomes] == ["sent" if i % 3 != 2 else "unchanged" for i in range(500)]


def test_events_batched_with_a_crash_are_run_again(seed_handlers):
    # The worker dies with a whole batch in hand: no event is lost, each is run again alone.
    slow = Handler.from_source("function handler(w) { const t = Date.now(); while (Date.now() - t < 150) {} return w }")
    with EnginePool(workers=1, limits=Limits(time_ms=300)) as single:
        futures = [single.submit(slow, BODY)] + [single.submit(seed_handlers["segment-track-payments.js"], BODY)
                                                 for _ in range(20)]
        time.sleep(0.05)
        os.kill(single.pids[0], signal.SIGKILL)
        outcomes = [f.result(timeout=60) for f in futures]
        # Alone in its batch, the running event is the one that fails; batched, it is run again.
        assert outcomes[0].status == "unchanged" or outcomes[0].error.type == "EngineCrashed"
        assert all(o.status == "sent" for o in outcomes[1:])


def test_closed_pool_refuses_work(seed_handlers):
    p = EnginePool(workers=1)
    p.close()
    with pytest.raises(RuntimeError, match="closed"):
        p.run(seed_handlers["segment-track-payments.js"], BODY)


def test_submit_async_answers_every_event_on_the_event_loop(pool, seed_handlers):
    handlers = list(seed_handlers.values())

    async def many() -> list:
        return await asyncio.gather(*(pool.submit_async(handlers[i % 3], BODY, env={"I": str(i)})
                                      for i in range(300)))

    outcomes = asyncio.run(many())
    assert [o.status for o in outcomes] == ["sent" if i % 3 != 2 else "unchanged" for i in range(300)]


@pytest.mark.parametrize("batch_max", [1, 3])
def test_a_kill_with_two_batches_on_the_pipe_costs_the_others_nothing(seed_handlers, batch_max):
    """The worker is sent its next batch while it runs one (two on its pipe). Whichever of the
    two holds a call the watchdog kills, that call alone fails; every other call of both
    batches gets its own outcome, once, from the replacement if need be."""
    from tests.test_sandbox_guarantees import NATIVE_SPINS, spin_handler

    spin = Handler.from_source(spin_handler(NATIVE_SPINS["indexOf"]), "spin.js")
    good = seed_handlers["segment-track-payments.js"]
    with EnginePool(workers=1, limits=Limits(time_ms=300), batch_max=batch_max, spare=True) as single:
        single.run(good, BODY)
        spins = {1, 4, 9}
        futures = [single.submit(spin if i in spins else good, BODY, url=f"https://x.example/{i}") for i in range(12)]
        outcomes = [f.result(timeout=60) for f in futures]
    for i, outcome in enumerate(outcomes):
        if i in spins:
            assert outcome.error is not None and outcome.error.type == "TimeLimitExceeded", (i, outcome)
        else:
            assert outcome.status == "sent", (i, outcome)
    assert single.kills == len(spins)


def test_a_worker_killed_with_two_batches_on_the_pipe_fails_only_its_call(seed_handlers):
    slow = Handler.from_source("function handler(w) { const t = Date.now(); while (Date.now() - t < 150) {} return w }")
    good = seed_handlers["segment-track-payments.js"]
    with EnginePool(workers=1, limits=Limits(time_ms=1000), batch_max=1) as single:
        single.run(good, BODY)
        before = single.pids
        futures = [single.submit(slow, BODY)] + [single.submit(good, BODY) for _ in range(5)]
        time.sleep(0.05)  # the slow call is running, the next batch is on the pipe
        os.kill(before[0], signal.SIGKILL)
        outcomes = [f.result(timeout=60) for f in futures]
    assert outcomes[0].error is not None and outcomes[0].error.type == "EngineCrashed"
    assert all(o.status == "sent" for o in outcomes[1:]), outcomes[1:]


def test_large_batches_both_ways_never_wait_on_each_other(seed_handlers):
    """A batch sent while the worker runs another may meet that one's results on the pipe:
    with bodies (and results) far larger than the socket buffers, each end writing while the
    other writes would wait forever."""
    big = '{"type":"payment.succeeded","data":{"note":"' + "x" * 400_000 + '"}}'
    echo = Handler.from_source("function handler(w) { w.payload.data.seen = true; return w; }", "echo.js")
    with EnginePool(workers=1, limits=Limits(time_ms=2000), batch_max=1) as single:
        futures = [single.submit(echo, big) for _ in range(6)]
        outcomes = [f.result(timeout=30) for f in futures]
    assert all(o.status == "sent" and len(o.request.body) > 400_000 for o in outcomes)


def test_every_job_is_answered_when_batches_are_larger_than_a_busy_pipe_holds(seed_handlers):
    """A batch for a busy worker goes in part (what its pipe holds unread), the rest after:
    none of it is dropped, whatever the sizes."""
    good = seed_handlers["segment-track-payments.js"]
    bodies = [BODY.replace('"payment.succeeded"', '"payment.succeeded","pad":"' + "p" * (i * 97 % 5000) + '"', 1)
              for i in range(600)]
    with EnginePool(workers=1, limits=Limits(time_ms=1000)) as single:
        futures = [single.submit(good, body) for body in bodies]
        outcomes = [f.result(timeout=60) for f in futures]
    assert all(o.status == "sent" for o in outcomes)
