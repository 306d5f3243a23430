"""EnginePool: engines in worker processes with budgets of their own, surviving crashes."""

from __future__ import annotations

import os
import signal
import threading

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


def test_a_killed_worker_is_replaced(pool, seed_handlers):
    pids = [w.process.pid for w in pool._all]
    slow = Handler.from_source("function handler(w) { const t = Date.now(); while (Date.now() - t < 250) {} return w }")
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(pool.run(slow, BODY))) for _ in range(2)]
    for t in threads:
        t.start()
    import time
    time.sleep(0.1)
    os.kill(pids[0], signal.SIGKILL)
    for t in threads:
        t.join()
    kinds = sorted((r.error.type if r.error else r.status) for r in results)
    assert "EngineCrashed" in kinds
    assert pids[0] not in [w.process.pid for w in pool._all]
    for _ in range(4):
        assert pool.run(seed_handlers["segment-track-payments.js"], BODY).status == "sent"


def test_closed_pool_refuses_work(seed_handlers):
    p = EnginePool(workers=1)
    p.close()
    with pytest.raises(RuntimeError, match="closed"):
        p.run(seed_handlers["segment-track-payments.js"], BODY)
