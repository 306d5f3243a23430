"""Attacks on the compat layer's lazily fetched data and caches, kept as regression tests.

Locale and zone data reach a context on first use, fetched between runs of the event that asked
(runner/compat/core.js). What a context holds must not tell an event anything about earlier ones,
the fetches and reruns must stay inside the event's one time limit, and nothing a handler hands
to compat code may be cached for a later event. Everything goes through `EnginePool` (one worker
behind the watchdog), the entry point for untrusted code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from runner.engine import EnginePool, Handler, Limits, Outcome

ROOT = Path(__file__).resolve().parent.parent
PAYMENT = json.loads((ROOT / "samples" / "payment.succeeded.json").read_text("utf-8"))
LIMIT_MS = 400


@pytest.fixture()
def pool() -> Iterator[EnginePool]:
    with EnginePool(workers=1, limits=Limits(time_ms=LIMIT_MS)) as p:
        yield p


def run(pool: EnginePool, handler: Handler, **data: object) -> Outcome:
    body = dict(PAYMENT, data=dict(PAYMENT["data"], **data))
    return pool.run(handler, json.dumps(body), url="https://example.invalid/")


def out(outcome: Outcome) -> object:
    assert outcome.webhook_json is not None, outcome.error
    return json.loads(outcome.webhook_json)["payload"]["out"]


# The tags are built at run time, so no literal in the source names them ahead of the events.
LOADED_PROBE = """
const tag = (a, b) => a + b;
const loaded = (t) => new Intl.DateTimeFormat(t, {month: "long"}).format(new Date(0)) !== "January";
function handler(w) {
  const chain = [tag("j", "a"), tag("k", "o"), tag("t", "h"), tag("f", "i")];
  if (w.payload.data.plant !== undefined) {
    if (w.payload.data.plant) loaded(chain[0]);
    return w;
  }
  let n = 0;
  for (const t of chain) { if (loaded(t)) n++; else break; }
  w.payload.out = n;
  return w;
}
"""


def test_which_locales_an_earlier_event_loaded_is_not_visible(pool: EnginePool) -> None:
    handler = Handler.from_source(LOADED_PROBE, filename="probe.js")
    seen = []
    for plant in (1, 0, 1, 0):
        pool.prepare(handler)
        run(pool, handler, plant=plant)
        seen.append(out(run(pool, handler)))
    assert len(set(seen)) == 1, f"a later event read what the earlier one loaded: {seen}"


def test_a_locale_counter_across_events_does_not_count(pool: EnginePool) -> None:
    handler = Handler.from_source(LOADED_PROBE, filename="probe.js")
    assert len({out(run(pool, handler)) for _ in range(6)}) == 1


def test_data_fetches_and_reruns_share_the_events_one_time_limit(pool: EnginePool) -> None:
    # Each run burns most of the limit, then asks for locales the context does not hold: a
    # second run may have only what the first left, so the event ends at the limit.
    source = """
    function handler(w) {
      const start = Date.now();
      while (Date.now() - start < %d) {}
      let have = 0;
      for (const t of [["d", "e"], ["f", "r"], ["i", "t"], ["n", "l"]]) {
        if (new Intl.DateTimeFormat(t[0] + t[1], {month: "long"}).format(new Date(0)) !== "January") have++;
      }
      w.payload.out = have;
      return w;
    }
    """ % (LIMIT_MS * 0.75)
    handler = Handler.from_source(source, filename="burn.js")
    for _ in range(3):
        outcome = run(pool, handler)
        assert outcome.error is not None and outcome.error.type == "TimeLimitExceeded", outcome.status


def test_a_global_swapped_and_put_back_is_not_cached_by_compat_code(pool: EnginePool) -> None:
    source = """
    function handler(w) {
      if (w.payload.data.plant) {
        const G = globalThis, K = "Int32" + "Array", Real = G[K];
        let count = 0, armed = false;
        G[K] = function (list) {
          return new Proxy(new Real(list), {
            get(t, k) {
              if (k === "length" && armed) throw new Error("event-1 code ran, count=" + (++count));
              return Reflect.get(t, k);
            },
          });
        };
        [...new Intl.Segmenter("en", { granularity: "word" }).segment("x")];
        G[K] = Real;
        armed = true;
        w.payload.out = "planted";
        return w;
      }
      let n;
      try { n = [...new Intl.Segmenter("en", { granularity: "word" }).segment("\\u20ac\\u4e00")].length; }
      catch (e) { n = String(e.message); }
      w.payload.out = n;
      return w;
    }
    """
    handler = Handler.from_source(source, filename="plant.js")
    assert out(run(pool, handler, plant=1)) == "planted"
    assert [out(run(pool, handler)) for _ in range(3)] == [2, 2, 2]


def test_locales_named_in_the_source_are_there_from_the_first_event(pool: EnginePool) -> None:
    source = """
    function handler(w) {
      w.payload.out = new Intl.DateTimeFormat("de-DE", {month: "long"}).format(new Date(0));
      return w;
    }
    """
    handler = Handler.from_source(source, filename="de.js")
    assert [out(run(pool, handler)) for _ in range(3)] == ["Januar"] * 3
