"""Attacks on the sandbox's promises that it contains, kept as regression tests.

Variants of tests/test_sandbox_guarantees.py and tests/test_hostile_handlers.py: more built-ins
that run long in C (or call back into handler code from C), promise jobs and hooks that spin
natively, more places a handler might keep state from one event to the next (in the frozen and
in the open mode), values built to confuse QuickJS's native code (resizable buffers, species,
re-entrant callbacks), and results shaped to make the host side fail. Everything goes through
`EnginePool` (one worker behind the watchdog), the entry point for untrusted code, plus one real
`runner preview` run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from runner.engine import EnginePool, Handler, Limits, Outcome
from runner.errors import HandlerError

ROOT = Path(__file__).resolve().parent.parent
PAYMENT = (ROOT / "samples" / "payment.succeeded.json").read_text("utf-8")
REFUND = (ROOT / "samples" / "refund.succeeded.json").read_text("utf-8")
TRACK = "https://api.segment.io/v1/track"
LIMIT_MS = 300
# Well above the watchdog's limit + 200 ms (and the start of a replacement worker when two kills
# come back to back), well below what these ran for before being stopped.
STOPPED_WITHIN_S = 5.0

SPARSE_JOIN = "const a = []; a.length = 2 ** 32 - 1; a.join('');"  # seconds of C, no bytecode


@pytest.fixture(scope="module")
def pool() -> Iterator[EnginePool]:
    with EnginePool(workers=1, limits=Limits(time_ms=LIMIT_MS)) as p:
        yield p


def run(pool: EnginePool, handler: Handler, body: str) -> tuple[Outcome, float]:
    started = time.monotonic()
    outcome = pool.run(handler, body, event_type=json.loads(body)["type"])
    return outcome, time.monotonic() - started


def on_payment_only(code: str, *, asynchronous: bool = False) -> str:
    """A handler that runs `code` for the payment sample and cancels every other event."""
    return (("async " if asynchronous else "") + "function handler(w) {\n"
            "  if (w.eventType !== 'payment.succeeded') { w.cancel = true; return w; }\n" + code + "\n}\n")


# ---- a hard time limit, whatever runs long ---------------------------------------------------

# Each spends its time inside one native built-in, where QuickJS's own interrupt never fires.
NATIVE_SPINS = {
    "eval_of_huge_source": "eval('1+'.repeat(1 << 23) + '1');",
    "function_constructor_huge_source": "new Function('a', 'return ' + 'a+'.repeat(1 << 23) + 'a');",
    "function_toString_of_huge_function": "const f = Function('return ' + '1+'.repeat(1 << 20) + '1'); for (;;) f.toString();",
    "json_stringify_shared_subtrees": "let o = [1]; for (let i = 0; i < 40; i++) o = [o, o]; JSON.stringify(o);",
    "sparse_splice": "const a = []; a.length = 2 ** 32 - 1; a.splice(1, 1);",
    "sparse_sort": "const a = []; a.length = 2 ** 32 - 1; a[5] = 1; a.sort();",
    "sparse_unshift": "const a = []; a.length = 2 ** 32 - 2; a.unshift(1);",
    "sparse_lastIndexOf": "const a = []; a.length = 2 ** 32 - 1; a.lastIndexOf(1);",
    "array_like_reverse": "Array.prototype.reverse.call({ length: 2 ** 53 - 1 });",
    "concat_spreadable_huge_length": "[].concat({ length: 2 ** 53 - 1, [Symbol.isConcatSpreadable]: true });",
    "flat_of_proxy_with_huge_length": "Array.prototype.flat.call(new Proxy([1, [2]], { get: (t, k) => k === 'length' ? 2 ** 30 : t[k] }), 1);",
    "includes_on_rope": "let s = ''; for (let i = 0; i < 1 << 16; i++) s += 'a'; for (;;) s.includes('a'.repeat(1 << 15) + 'b');",
    "parseFloat_of_huge_literal": "for (;;) parseFloat('1' + '0'.repeat(1 << 22));",
    "to_upper_case_of_huge_string": "const s = '\\u00df'.repeat(1 << 22); for (;;) s.toUpperCase();",
}

# Handler code QuickJS calls from its own C code (conversions, serialisation, the result's
# accessors) or from the job queue after the handler returned, each spinning natively there.
HOOK_SPINS = {
    "after_await": ("await null; " + SPARSE_JOIN + " return w;", True),
    "thenable_result": ("return { then(resolve) { " + SPARSE_JOIN + " resolve(w); } };", False),
    "promise_job_after_return": ("Promise.resolve().then(() => { " + SPARSE_JOIN + " }); return w;", False),
    "rejection_handler_after_return": ("Promise.reject(1).catch(() => { " + SPARSE_JOIN + " }); return w;", False),
    "async_generator_step": ("(async function* () { await null; " + SPARSE_JOIN + " yield 1; })().next(); return w;", False),
    "result_url_getter": ("return { get url() { " + SPARSE_JOIN + " return 'https://a.example/'; }, payload: {} };", False),
    "result_cancel_getter": ("return { get cancel() { " + SPARSE_JOIN + " return true; } };", False),
    "payload_toJSON": ("w.url = 'https://a.example/'; w.payload = { toJSON() { " + SPARSE_JOIN + " return 1; } }; return w;", False),
    "thrown_error_name_getter": ("throw { get name() { " + SPARSE_JOIN + " return 'E'; } };", False),
    "thrown_error_stack_getter": ("const e = new Error('m'); Object.defineProperty(e, 'stack', { get() { " + SPARSE_JOIN
                                  + " return ''; } }); throw e;", False),
    # console.log never calls a getter (Node shows `[Getter]`); %s calls a toString of the handler's.
    "console_log_to_string": ("console.log('%s', { toString() { " + SPARSE_JOIN + " return 'x'; } }); return w;", False),
    "console_log_to_primitive": ("console.log('%d', { [Symbol.toPrimitive]() { " + SPARSE_JOIN + " return 1; } }); return w;", False),
}


# Parsing a huge source allocates as it goes: on a busy machine the parser may reach the memory
# limit before the watchdog's deadline. Either limit stopping it is the guarantee.
ALLOCATING_SPINS = {"eval_of_huge_source", "function_constructor_huge_source"}


def assert_stopped_and_next_event_runs(pool: EnginePool, handler: Handler) -> None:
    outcome, elapsed = run(pool, handler, PAYMENT)
    allowed = {"TimeLimitExceeded"} | ({"MemoryLimitExceeded"} if handler.filename[:-3] in ALLOCATING_SPINS else set())
    assert outcome.error is not None and outcome.error.type in allowed, outcome.error
    assert elapsed < STOPPED_WITHIN_S, elapsed
    after, _ = run(pool, handler, REFUND)
    assert after.status == "cancelled", after.error


@pytest.mark.parametrize("name", NATIVE_SPINS)
def test_native_built_in_spin_is_stopped(pool: EnginePool, name: str) -> None:
    assert_stopped_and_next_event_runs(pool, Handler.from_source(on_payment_only(NATIVE_SPINS[name]), f"{name}.js"))


@pytest.mark.parametrize("name", HOOK_SPINS)
def test_native_spin_in_a_hook_or_job_is_stopped(pool: EnginePool, name: str) -> None:
    code, asynchronous = HOOK_SPINS[name]
    assert_stopped_and_next_event_runs(pool, Handler.from_source(on_payment_only(code, asynchronous=asynchronous),
                                                                 f"{name}.js"))


def test_top_level_promise_job_spin_is_stopped_on_every_event(pool: EnginePool) -> None:
    # The top-level code runs again before every event, and so does the job it queues.
    handler = Handler.from_source("Promise.resolve().then(() => { " + SPARSE_JOIN + " });\n"
                                  "function handler(w) { w.cancel = true; return w; }\n", "top_job.js")
    for body in (PAYMENT, REFUND):
        outcome, elapsed = run(pool, handler, body)
        assert outcome.error is not None and outcome.error.type == "TimeLimitExceeded", outcome.error
        assert elapsed < STOPPED_WITHIN_S, elapsed


def test_load_error_with_a_pathological_stack_is_stopped(pool: EnginePool) -> None:
    # The top-level code makes the runtime's own error handling throw (a Proxy's trap), with a
    # stack text that the host's frame parser takes quadratic time on: still inside the watchdog.
    handler = Handler.from_source(
        'throw new Proxy({}, { getPrototypeOf() { throw new Error("x\\n" + "(".repeat(200000)); } });\n'
        "function handler(w) { return w; }\n", "load.js")
    started = time.monotonic()
    with pytest.raises(HandlerError):
        pool.prepare(handler)
    assert time.monotonic() - started < STOPPED_WITHIN_S


# ---- nothing carried from one event to the next ------------------------------------------------

# Each prelude/bump pair tries to keep a counter somewhere that might outlive the event; every
# event must count 1 (frozen built-ins and the open mode alike).
STASHES = {
    "template_object": ("const tag = (s) => s;",
                        "(() => { const t = tag`x`; try { t.n = (t.n || 0) + 1; } catch (e) {} return t.n || 1; })()"),
    "template_raw_strings": ("const tag = (s) => s.raw;",
                             "(() => { const t = tag`x`; try { t.n = (t.n || 0) + 1; } catch (e) {} return t.n || 1; })()"),
    "regexp_literal_last_index": ("", "(() => { const r = /x/g; r.lastIndex = r.lastIndex + 1; return r.lastIndex; })()"),
    "regexp_legacy_statics": ("", "(/(\\d+)/.exec('n' + (Number(RegExp.$1 || 0) + 1)), Number(RegExp.$1) || 1)"),
    "registered_symbol": ("", "(() => { const s = Symbol.for('k'); try { Object(s).n = 1; } catch (e) {} return Object(Symbol.for('k')).n ? 2 : 1; })()"),
    "weakmap_keyed_by_intrinsic": ("const wm = new WeakMap();", "(wm.set(Math, (wm.get(Math) || 0) + 1), wm.get(Math))"),
    "date_prototype": ("const DP = Object.getPrototypeOf(new Date(0));", "(() => { try { DP.n = (DP.n || 0) + 1; } catch (e) {} return DP.n || 1; })()"),
    "iterator_prototype_via_helper": ("", "(() => { const p = Object.getPrototypeOf(Object.getPrototypeOf([].values().map((x) => x))); "
                                          "try { p.n = (p.n || 0) + 1; } catch (e) {} return p.n || 1; })()"),
    "generator_prototype": ("", "(() => { const g = Object.getPrototypeOf(function* () {}).prototype; try { g.n = (g.n || 0) + 1; } catch (e) {} return g.n || 1; })()"),
    "intl_formatter_prototype": ("", "(() => { const p = Object.getPrototypeOf(new Intl.NumberFormat()); try { p.n = (p.n || 0) + 1; } catch (e) {} return p.n || 1; })()"),
    "console_method": ("", "(() => { try { console.log.n = (console.log.n || 0) + 1; } catch (e) {} return console.log.n || 1; })()"),
    "crypto_object": ("const C = crypto;", "(() => { try { C.n = (C.n || 0) + 1; } catch (e) {} return C.n || 1; })()"),
    "env_prototype": ("", "(() => { const p = Object.getPrototypeOf(webhook.env); try { p.n = (p.n || 0) + 1; } catch (e) {} return p.n || 1; })()"),
    "webhook_prototype": ("", "(() => { const p = Object.getPrototypeOf(webhook); try { p.n = (p.n || 0) + 1; } catch (e) {} return p.n || 1; })()"),
    "array_prototype_index": ("const AP = Object.getPrototypeOf([]);", "(() => { try { AP[0] = ([][0] || 0) + 1; } catch (e) {} return [][0] || 1; })()"),
    "string_prototype_through_proto": ("", "(() => { try { ''.__proto__.n = (''.n || 0) + 1; } catch (e) {} return ''.n || 1; })()"),
    "symbol_prototype": ("", "(() => { try { Object.getPrototypeOf(Symbol()).n = (Symbol().n || 0) + 1; } catch (e) {} return Symbol().n || 1; })()"),
    "global_accessor": ("const G = globalThis;", "(() => { if (Reflect.getOwnPropertyDescriptor(G, 'n0')) return 2; "
                                              "Reflect.defineProperty(G, 'n0', { get() { return 1; }, configurable: true }); return 1; })()"),
    "function_constructor_global": ("", "(Function('return typeof zz === \"undefined\" ? (zz = 1) : ++zz')())"),
    "indirect_eval_let_and_class": ("", "((0, eval)('let L = 1; class K {}'), (0, eval)('typeof L === \"undefined\" && typeof K === \"undefined\"') ? 1 : 2)"),
    "stack_trace_limit_object": ("const E = Error;", "(() => { const was = typeof E.stackTraceLimit; try { E.stackTraceLimit = { n: 1 }; } catch (e) {} return was === 'number' ? 1 : 2; })()"),
    "finalization_registry_callback": ("const G = globalThis;", "(new FinalizationRegistry(() => { G.fr = 1; }).register({}, 1), (G.fr || 0) + 1)"),
    "weakref_to_intrinsic": ("", "(new WeakRef(Math).deref() === Math ? 1 : 2)"),
}


def stash_handler(prelude: str, bump: str, open_mode: bool) -> str:
    # A line that looks like a patch of a built-in (never run) puts the handler in the open mode.
    return (("if (false) String.prototype.neverPatched = 1;\n" if open_mode else "") + prelude
            + "\nfunction handler(webhook) {\n  const n = " + bump + ";\n  webhook.url = '" + TRACK + "';\n"
            "  webhook.payload = { userId: 'u', event: 'count', properties: { n } };\n  return webhook;\n}\n")


@pytest.mark.parametrize("open_mode", [False, True], ids=["frozen", "open"])
def test_no_counter_survives_between_events(pool: EnginePool, open_mode: bool) -> None:
    counts: dict[str, list[Any]] = {}
    for name, (prelude, bump) in STASHES.items():
        handler = Handler.from_source(stash_handler(prelude, bump, open_mode), f"{name}.js")
        if open_mode:
            assert handler.patches_builtins
        for body in (PAYMENT, REFUND, PAYMENT):
            outcome, _ = run(pool, handler, body)
            value = (json.loads(outcome.request.body)["properties"]["n"] if outcome.request is not None
                     else f"{outcome.error.type}: {outcome.error.message}" if outcome.error else outcome.status)
            counts.setdefault(name, []).append(value)
    assert counts == {name: [1, 1, 1] for name in STASHES}, counts


def test_preview_shows_no_counter_carried_over(tmp_path: Path) -> None:
    """The same through the real CLI, both modes in one `runner preview` of a directory."""
    for name, (prelude, bump) in STASHES.items():
        (tmp_path / f"{name}.js").write_text(stash_handler(prelude, bump, False))
        (tmp_path / f"{name}.open.js").write_text(stash_handler(prelude, bump, True))
    samples = [str(ROOT / "samples" / n) for n in ("payment.succeeded.json", "refund.succeeded.json", "payment.succeeded.json")]
    proc = subprocess.run([sys.executable, "-m", "runner", "preview", str(tmp_path), *samples, "--format", "json"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})
    assert "Traceback" not in proc.stderr, proc.stderr
    counts: dict[str, list[Any]] = {}
    for line in proc.stdout.splitlines():
        record = json.loads(line)
        counts.setdefault(Path(record["transform"]).name, []).append(
            record["result"]["payload"]["properties"]["n"] if "result" in record else record["error"])
    assert len(counts) == 2 * len(STASHES)
    assert all(c == [1, 1, 1] for c in counts.values()), {k: c for k, c in counts.items() if c != [1, 1, 1]}


def result_properties(pool: EnginePool, source: str) -> dict[str, Any]:
    outcome, _ = run(pool, Handler.from_source(source, "probe.js"), PAYMENT)
    assert outcome.request is not None, outcome.error
    return json.loads(outcome.request.body)["properties"]


def test_objects_handlers_can_reach_from_api_results_are_frozen_or_their_own(pool: EnginePool) -> None:
    """Prototype chains of everything the engine and the compat layer hand out are frozen (a
    generator function's own fresh `.prototype` apart), and two calls of an API never share an
    unfrozen object (a cache the next event would find)."""
    source = r"""
const MAKERS = {
  iterator_concat: () => Iterator.concat([1]), iterator_map: () => [1].values().map((x) => x),
  iterator_from: () => Iterator.from({ next() { return { done: true }; } }), match_all: () => "a".matchAll(/a/g),
  weakref: () => new WeakRef({}), registry: () => new FinalizationRegistry(() => {}), shared_buffer: () => new SharedArrayBuffer(8),
  float16: () => new Float16Array(1), data_view: () => new DataView(new ArrayBuffer(1)), suppressed: () => new SuppressedError(1, 2),
  async_function: () => async function () {}, async_arrow: () => async () => {}, promise_try: () => Promise.try(() => 1),
  with_resolvers: () => Promise.withResolvers(), bound: () => (function () {}).bind(null), revocable: () => Proxy.revocable({}, {}),
  regexp_groups: () => /(?<a>x)/.exec("x").groups, captured: () => { const o = {}; Error.captureStackTrace(o); return o; },
  strict_arguments: function () { "use strict"; return arguments; }, typed_iterator: () => new Uint8Array(1).values(),
  set_iterator: () => new Set([1]).entries(), params_iterator: () => new URLSearchParams("a=1").entries(),
  from_async: () => Array.fromAsync([1]), symbol_object: () => Object(Symbol()), flat_map: () => [1].values().flatMap((x) => [x]),
  dtf_options: () => new Intl.DateTimeFormat("en-US").resolvedOptions(), dtf_parts: () => new Intl.DateTimeFormat("en-US", { dateStyle: "full" }).formatToParts(0),
  dtf_format: () => new Intl.DateTimeFormat("en-US").format, nf_options: () => new Intl.NumberFormat("de-DE", { style: "currency", currency: "EUR" }).resolvedOptions(),
  nf_parts: () => new Intl.NumberFormat("de-DE").formatToParts(1234.5), plural_options: () => new Intl.PluralRules("en").resolvedOptions(),
  rtf_options: () => new Intl.RelativeTimeFormat("en").resolvedOptions(), collator_options: () => new Intl.Collator("de").resolvedOptions(),
  list_parts: () => new Intl.ListFormat("en").formatToParts(["a", "b"]), canonical: () => Intl.getCanonicalLocales(["EN-us", "de"]),
  supported: () => Intl.DateTimeFormat.supportedLocalesOf(["en", "de"]), url: () => new URL("https://a.example/p?q=1#h"),
  search_params: () => new URL("https://a.example/p?q=1").searchParams, encoder: () => new TextEncoder(), decoder: () => new TextDecoder(),
  dom_exception: () => new DOMException("x", "AbortError"), clone: () => structuredClone({ a: [1, { b: 2 }], d: new Date(0), m: new Map([[1, 2]]) }),
  error: () => { try { null.x; } catch (e) { return e; } }, template: () => ((s) => s)`a${1}b`, exec: () => /a(b)/.exec("ab"),
};
function handler(w) {
  const P = Object.getPrototypeOf;
  const unfrozen = [], shared = [];
  for (const [name, make] of Object.entries(MAKERS)) {
    const a = make(), b = make();
    for (let o = P(a), depth = 0; o !== null && depth < 10; o = P(o), depth++) {
      if (!Object.isFrozen(o)) unfrozen.push(name + " proto " + depth);
      for (const k of Reflect.ownKeys(o)) {
        const d = Reflect.getOwnPropertyDescriptor(o, k);
        for (const x of [d.value, d.get, d.set]) if (x !== null && (typeof x === "object" || typeof x === "function") && !Object.isFrozen(x)) unfrozen.push(name + " proto " + depth + "." + String(k));
      }
    }
    const seen = new Map();
    const walk = (o, path, depth, tag) => {
      if (o === null || (typeof o !== "object" && typeof o !== "function") || depth > 5 || Object.isFrozen(o)) return;
      if (seen.has(o)) { if (seen.get(o) !== tag) shared.push(path); return; }
      seen.set(o, tag);
      for (const k of Reflect.ownKeys(o)) { const d = Reflect.getOwnPropertyDescriptor(o, k); if ("value" in d) walk(d.value, path + "." + String(k), depth + 1, tag); }
    };
    walk(a, name, 0, "a"); walk(b, name, 0, "b");
  }
  w.url = "https://api.segment.io/v1/track";
  w.payload = { userId: "u", event: "e", properties: { unfrozen, shared } };
  return w;
}
"""
    assert result_properties(pool, source) == {"unfrozen": [], "shared": []}


def test_no_stateful_instance_is_reachable_from_the_global_object(pool: EnginePool) -> None:
    """Freezing does not freeze a Map's entries or a Date's time: no such instance may be
    reachable from the global object or the hidden intrinsics."""
    source = r"""
function handler(w) {
  const P = Object.getPrototypeOf;
  const stack = [globalThis, P([][Symbol.iterator]()), P(""[Symbol.iterator]()), P(new Map().entries()), P(new Set().values()),
    P("a".matchAll(/a/g)), P(function* () {}), P(async function () {}), P(async function* () {})];
  const brands = [["Map", Map.prototype.has], ["Set", Set.prototype.has], ["WeakMap", WeakMap.prototype.has], ["WeakSet", WeakSet.prototype.has],
    ["Date", Date.prototype.getTime], ["ArrayBuffer", Reflect.getOwnPropertyDescriptor(ArrayBuffer.prototype, "byteLength").get],
    ["TypedArray", Reflect.getOwnPropertyDescriptor(P(Uint8Array.prototype), "length").get], ["Promise", Promise.prototype.then],
    ["WeakRef", WeakRef.prototype.deref], ["DataView", Reflect.getOwnPropertyDescriptor(DataView.prototype, "byteLength").get]];
  const seen = new Set(), found = [];
  while (stack.length) {
    const o = stack.pop();
    if (o === null || (typeof o !== "object" && typeof o !== "function") || seen.has(o)) continue;
    seen.add(o);
    for (const [brand, method] of brands) { try { method.call(o); found.push(brand); } catch (e) {} }
    if (Object.prototype.toString.call(o) === "[object RegExp]") found.push("RegExp");
    stack.push(P(o));
    for (const k of Reflect.ownKeys(o)) { const d = Reflect.getOwnPropertyDescriptor(o, k); if ("value" in d) stack.push(d.value); else stack.push(d.get, d.set); }
  }
  w.url = "https://api.segment.io/v1/track";
  w.payload = { userId: "u", event: "e", properties: { reached: seen.size > 500, found } };
  return w;
}
"""
    assert result_properties(pool, source) == {"reached": True, "found": []}


# ---- values built to confuse QuickJS's native code ------------------------------------------------

# Buffers resized or detached, arrays shrunk, species swapped and callbacks re-entered while a
# built-in works on them: each an ordinary result or error, never a crashed engine process.
NATIVE_CONFUSION = {
    "typed_sort_comparator_shrinks_buffer": "const ab = new ArrayBuffer(64, { maxByteLength: 128 }); const ta = new Uint8Array(ab); ta.fill(3); "
                                            "ta.sort((a, b) => { ab.resize(0); return a - b; });",
    "typed_fill_value_detaches": "const ab = new ArrayBuffer(1 << 16); new Uint8Array(ab).fill({ valueOf() { ab.transfer(); return 1; } });",
    "typed_set_getter_detaches": "const ab = new ArrayBuffer(1 << 16); new Uint8Array(ab).set({ length: 1 << 16, get 0() { ab.transfer(); return 1; } });",
    "typed_copyWithin_shrinks": "const ab = new ArrayBuffer(1024, { maxByteLength: 2048 }); new Uint8Array(ab).copyWithin({ valueOf() { ab.resize(8); return 0; } }, 512);",
    "typed_lastIndexOf_shrinks": "const ab = new ArrayBuffer(1024, { maxByteLength: 2048 }); new Uint8Array(ab).lastIndexOf(0, { valueOf() { ab.resize(0); return 1000; } });",
    "typed_includes_shrinks": "const ab = new ArrayBuffer(1024, { maxByteLength: 2048 }); new Uint8Array(ab).includes(undefined, { valueOf() { ab.resize(0); return 0; } });",
    "typed_subarray_detaches": "const ab = new ArrayBuffer(1024); new Uint8Array(ab).subarray({ valueOf() { ab.transfer(); return 0; } }, 1024)[0];",
    "typed_slice_small_species": "class X extends Uint8Array { static get [Symbol.species]() { return function () { return new Uint8Array(1); }; } } new X(1024).slice(0);",
    "typed_join_separator_detaches": "const ab = new ArrayBuffer(1024); new Uint8Array(ab).join({ toString() { ab.transfer(); return ','; } });",
    "typed_map_small_species": "class S extends Uint8Array { static get [Symbol.species]() { return function () { return new Uint8Array(1); }; } } new S(100).map((x) => x);",
    "typed_with_index_shrinks": "const ab = new ArrayBuffer(16, { maxByteLength: 32 }); new Uint8Array(ab).with(10, { valueOf() { ab.resize(0); return 1; } });",
    "typed_toSorted_shrinks": "const ab = new ArrayBuffer(16, { maxByteLength: 32 }); new Uint8Array(ab).toSorted(() => { ab.resize(0); return 0; });",
    "typed_set_overlapping_shrinks": "const ab = new ArrayBuffer(1024, { maxByteLength: 2048 }); new Uint8Array(ab).set(new Uint16Array(ab, 2), { valueOf() { ab.resize(4); return 0; } });",
    "dataview_offset_shrinks": "const ab = new ArrayBuffer(16, { maxByteLength: 32 }); new DataView(ab).setFloat64({ valueOf() { ab.resize(0); return 8; } }, 1);",
    "transferred_buffer_view": "const ab = new ArrayBuffer(64); const ta = new Float64Array(ab); ab.transfer(8); w.payload = [ta.length, ta[0]];",
    "array_sort_comparator_shrinks": "const a = Array.from({ length: 100 }, (_, i) => i); a.sort((x, y) => { a.length = 0; return y - x; });",
    "array_sort_comparator_grows": "const a = Array.from({ length: 100 }, (_, i) => i); a.sort((x, y) => { a.push(1); return y - x; });",
    "array_splice_getter_shrinks": "const a = [1, 2, 3]; Object.defineProperty(a, 1, { get() { a.length = 0; return 5; } }); a.splice(0, 3);",
    "array_concat_getter_shrinks": "const a = [1, 2, 3]; a.concat({ length: 3, [Symbol.isConcatSpreadable]: true, get 1() { a.length = 0; return 1; } }, a);",
    "array_copyWithin_shrinks": "const a = new Array(1000).fill(0); a.copyWithin(0, { valueOf() { a.length = 1; return 500; } });",
    "array_with_shrinks": "const a = new Array(100).fill(0); a.with({ valueOf() { a.length = 0; return 50; } }, 1);",
    "regexp_recompiled_during_replace": "const r = /(a)/g; 'aaaa'.replace(r, () => { r.compile('(b)(c)(d)', 'g'); return 'x'; });",
    "regexp_recompiled_by_lastIndex": "const r = /a/g; r.lastIndex = { valueOf() { r.compile('b', 'g'); return 0; } }; r.exec('aaa');",
    "json_replacer_deletes_keys": "const o = { a: 1, b: 2, c: 3 }; JSON.stringify(o, (k, v) => { delete o.b; delete o.c; return v; });",
    "json_reviver_truncates_holder": "JSON.parse('[1,[2,3],4]', function (k, v) { if (Array.isArray(this)) this.length = 0; return v; });",
    "generator_reentered": "let g; g = (function* () { try { g.next(); } catch (e) {} yield 1; })(); g.next();",
    "async_generator_return_thenable_reenters": "const g = (async function* () { yield 1; })(); g.return({ then(r) { g.next(); r(1); } });",
    "mapped_arguments_redefined": "(function (a) { delete arguments[0]; Object.defineProperty(arguments, 0, { get() { return a; } }); a = 2; return arguments[0]; })(1);",
    "iterator_concat_reentered": "const it = Iterator.concat({ [Symbol.iterator]() { return { next() { it.next(); return { done: true }; } }; } }); it.next();",
    "date_setter_argument_invalidates": "const d = new Date(0); d.setFullYear({ valueOf() { d.setTime(NaN); return 2000; } });",
    "proxy_duplicate_own_keys": "Object.keys(new Proxy({}, { ownKeys: () => ['a', 'a'] }));",
    "apply_with_huge_argument_list": "Math.max.apply(null, new Array(1 << 20).fill(1));",
}


@pytest.mark.parametrize("name", NATIVE_CONFUSION)
def test_confusing_values_never_crash_the_engine(pool: EnginePool, name: str) -> None:
    code = "try {\n" + NATIVE_CONFUSION[name] + "\n} catch (e) {}\nw.cancel = true; return w;"
    handler = Handler.from_source(on_payment_only(code), f"{name}.js")
    crashes = pool.crashes
    outcome, _ = run(pool, handler, PAYMENT)
    assert outcome.error is None or outcome.error.type not in ("EngineCrashed", "InternalError"), outcome.error
    assert pool.crashes == crashes
    after, _ = run(pool, handler, REFUND)
    assert after.status == "cancelled", after.error


# ---- bad results are that transform's own error ------------------------------------------------

BAD_RESULTS = {
    "returned_revoked_proxy": ("const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy;", "TypeError"),
    "thrown_revoked_proxy": ("const r = Proxy.revocable({}, {}); r.revoke(); throw r.proxy;", ("TypeError", "Error")),
    "thrown_symbol": ("throw Symbol('s');", "Error"),
    "thrown_bigint": ("throw 10n ** 100n;", "Error"),
    "url_bad_port": ("w.url = 'https://a.example:99999/x'; w.payload = {}; return w;", "InvalidResult"),
    "url_negative_port": ("w.url = 'https://a.example:-1/x'; w.payload = {}; return w;", "InvalidResult"),
    "url_unclosed_ipv6": ("w.url = 'https://[::1/x'; w.payload = {}; return w;", "InvalidResult"),
    "header_name_not_ascii": ("w.url = 'https://a.example/x'; w.headers = { 'X-\\u00e9': 'v' }; w.payload = {}; return w;", "InvalidResult"),
    "header_value_lone_surrogate": ("w.url = 'https://a.example/x'; w.headers = { 'X-A': '\\ud800' }; w.payload = {}; return w;", "InvalidResult"),
    "header_toJSON_function": ("w.url = 'https://a.example/'; w.headers = { toJSON() { return {}; } }; return w;", "InvalidResult"),
    "method_dotless_i": ("w.url = 'https://a.example/x'; w.method = 'PATCH\\u0131'; w.payload = {}; return w;", "InvalidResult"),
}


@pytest.mark.parametrize("name", BAD_RESULTS)
def test_bad_result_is_the_transforms_own_error(pool: EnginePool, name: str) -> None:
    code, kinds = BAD_RESULTS[name]
    outcome, _ = run(pool, Handler.from_source(on_payment_only(code), f"{name}.js"), PAYMENT)
    assert outcome.status == "error" and outcome.error is not None, outcome
    assert outcome.error.type in ((kinds,) if isinstance(kinds, str) else kinds), outcome.error
    assert len(outcome.error.message) <= 4096


def test_huge_error_name_is_clipped(pool: EnginePool) -> None:
    handler = Handler.from_source(on_payment_only("const e = new Error('m'); e.name = 'N'.repeat(1e6); throw e;"), "name.js")
    outcome, _ = run(pool, handler, PAYMENT)
    assert outcome.error is not None and outcome.error.type.startswith("N" * 200) and len(outcome.error.type) < 300
