"""The compat layer's caches: bounded whatever keys handler code feeds them, immune to patched
Map methods, and emptied by compat("clear") (what they held may have been made with patches)."""

from __future__ import annotations

import json

import pytest
import quickjs

from runner.compat import install
from runner.engine import Engine, Handler
from runner.limits import Limits

# Every event formats with thousands of locale tags no event used before (private-use subtags
# make them distinct): a cache keyed by the locales string would grow by megabytes per event.
DISTINCT_TAGS_HANDLER = """
function handler(w) {
  const round = w.payload.data.round;
  const tag = (lang, i) => lang + "-x-r" + round + "-n" + i;
  const wrong = [];
  const check = (got, want) => { if (got !== want && wrong.length < 5) wrong.push(got + " != " + want); };
  const d = new Date(0);
  for (let i = 0; i < 2000; i++) check(d.toLocaleString(tag("en-US", i)), "1/1/1970, 12:00:00 AM");
  for (let i = 0; i < 500; i++) {
    check(d.toLocaleDateString(tag("de-DE", i)), "1.1.1970");
    check(d.toLocaleTimeString(tag("en-GB", i)), "00:00:00");
    check((1234.5).toLocaleString(tag("de-DE", i)), "1.234,5");
  }
  // Long evicted by now: computed anew, the same.
  check(d.toLocaleString(tag("en-US", 0)), "1/1/1970, 12:00:00 AM");
  w.payload = { wrong };
  return w;
}
"""


def _body(round_: int) -> str:
    return json.dumps({"business_id": "b", "type": "payment.succeeded", "timestamp": "2025-08-04T05:30:45Z",
                       "data": {"round": round_}})


def _fresh_compat() -> tuple[quickjs.Context, quickjs.Object]:
    ctx = quickjs.Context()
    compat = install(ctx)
    compat("configure", "en-US", "UTC", None)
    return ctx, compat


def test_caches_stay_bounded_under_distinct_locale_tags_per_event() -> None:
    engine = Engine(limits=Limits(memory_bytes=16 * 2**20, time_ms=30_000))
    handler = Handler.from_source(DISTINCT_TAGS_HANDLER, filename="t.js")
    heap = []
    first = None
    for round_ in range(6):
        outcome = engine.run(handler, _body(round_))
        assert outcome.error is None, outcome.error
        assert json.loads(outcome.webhook_json or "{}")["payload"] == {"wrong": []}
        (context,) = engine._contexts.values()
        first = first or context
        assert context is first, "the context was replaced: it ran out of memory or grew too much"
        context.ctx.gc()
        heap.append(int(context.ctx.memory()["malloc_size"]))
    assert engine.contexts_created == 1
    # Full after the first event (3,500 keys > any bound); flat from then on.
    assert max(heap[1:]) - heap[1] < 512 * 1024, heap


def test_clear_drops_what_patched_builtins_made_and_formatting_still_works() -> None:
    ctx, compat = _fresh_compat()
    expected = {
        "new Date(0).toLocaleString('es-MX')": "1/1/1970, 12:00:00 a.m.",
        "(1234.5).toLocaleString('es-MX')": "1,234.5",
        "new Date(0).toLocaleString('de-DE', {timeZone: 'Europe/Berlin', timeZoneName: 'long'})":
            "1.1.1970, 1:00:00 Mitteleuropäische Normalzeit",
        "new Intl.DateTimeFormat('ja-JP', {dateStyle: 'full', timeStyle: 'short', timeZone: 'Asia/Tokyo'}).format(0)":
            "1970年1月1日木曜日 9:00",
        "new Intl.ListFormat('en', {type: 'disjunction'}).format(['a', 'b', 'c'])": "a, b, or c",
        "new Intl.RelativeTimeFormat('fr', {numeric: 'auto'}).format(-1, 'day')": "hier",
        "new Intl.PluralRules('en', {type: 'ordinal'}).select(22)": "two",
        "(1234567.891).toLocaleString('en-IN', {style: 'currency', currency: 'INR'})": "₹12,34,567.89",
        "['b', 'a', 'C'].sort(new Intl.Collator('en').compare).join('')": "abC",
    }
    # Built-ins stay writable here, as in the engine's open mode: the first uses of these
    # locales go through patched methods, and whatever got cached meanwhile is wrong.
    ctx.eval("""
      globalThis.saved = [String.prototype.replace, Array.prototype.join, String.prototype.split];
      String.prototype.replace = function (a, b) { return saved[0].call(this, a, b) + "!"; };
      Array.prototype.join = function (sep) { return saved[1].call(this, sep) + "?"; };
      String.prototype.split = function (sep, n) { return saved[2].call(this, sep, n).reverse(); };
    """)
    for expr in expected:
        ctx.eval(f"try {{ {expr} }} catch (e) {{}}")
    ctx.eval("[String.prototype.replace, Array.prototype.join, String.prototype.split] = saved;")
    assert compat("clear") is None
    for expr, want in expected.items():
        assert ctx.eval(expr) == want, expr
    # Clearing again, and clearing an empty cache, change nothing.
    compat("clear")
    compat("clear")
    for expr, want in expected.items():
        assert ctx.eval(expr) == want, expr


def test_caches_ignore_patched_map_methods() -> None:
    ctx, compat = _fresh_compat()
    ctx.eval("""
      globalThis.mapCalls = 0;
      const trap = function () { mapCalls++; throw new Error("patched Map method called"); };
      const iterProto = Object.getPrototypeOf(new Map().keys());
      for (const o of [Map.prototype, iterProto]) {
        for (const k of Object.getOwnPropertyNames(o)) {
          const d = Object.getOwnPropertyDescriptor(o, k);
          if (k === "constructor") continue;
          if (d.get) Object.defineProperty(o, k, { get: trap, configurable: true });
          else if (typeof d.value === "function") o[k] = trap;
        }
      }
    """)
    # Misses, hits and (past the bound) evictions.
    got = ctx.eval("""
      const d = new Date(0), out = new Set();
      for (let i = 0; i < 600; i++) out.add(d.toLocaleString("en-US-x-n" + (i % 300)) + "|" + (1234.5).toLocaleString("de-DE-x-n" + i));
      Array.from(out).join(";")
    """)
    assert got == "1/1/1970, 12:00:00 AM|1.234,5"
    compat("clear")
    assert ctx.eval("new Date(0).toLocaleDateString('de-DE')") == "1.1.1970"
    assert ctx.eval("mapCalls") == 0


def test_unknown_operation_is_refused() -> None:
    _, compat = _fresh_compat()
    with pytest.raises(quickjs.JSException, match="unknown operation"):
        compat("flush")


def test_tags_and_zone_names_from_handler_code() -> None:
    # One-character private-use subtags are valid BCP 47 (V8 formats with them); a zone name
    # that is an Object.prototype property is just an unknown zone.
    ctx, _ = _fresh_compat()
    assert ctx.eval("new Date(0).toLocaleString('en-US-x-0')") == "1/1/1970, 12:00:00 AM"
    assert ctx.eval("new Date(0).toLocaleString('de-DE-x-a-b')") == "1.1.1970, 00:00:00"
    for name in ("constructor", "__proto__", "hasOwnProperty"):
        assert ctx.eval(
            f"(() => {{ try {{ new Intl.DateTimeFormat('en', {{timeZone: '{name}'}}) }} catch (e) {{ return e.name + ': ' + e.message }} }})()"
        ) == f"RangeError: Invalid time zone specified: {name}"
