"""Malicious and broken handlers, through the real server.

One `runner serve` process holds every handler of the table below, each as the one transform of
its own endpoint (`/webhooks/h-NAME`), plus two probe endpoints and the bundled payments
transform. All of them share one engine worker process (`engine_workers: 1`, the same limits),
so every event runs in the engine the previous one ran in. For each case:

1. a signed event goes to the hostile handler: it must be answered 200 with that transform's
   specific status and reason (a dead letter naming the limit or error, a rejected URL, ...);
2. two probe events run a handler that fingerprints the world it sees (every object reachable
   from the global object and from the hidden intrinsics, each property's kind and key order,
   every object's frozen state, built-in behaviour, the webhook it was given) and compares it
   with the fingerprint of a fresh engine: the next event must see a clean sandbox. One probe
   runs with frozen built-ins, the other in the open mode the engine uses for handlers that
   patch built-ins (its code merely looks like such a patch);
3. a real payment event must still be accepted: the server keeps serving.

At the end every acknowledged payment event must have reached the Segment stand-in exactly once,
and nothing a hostile handler aimed elsewhere may have arrived anywhere.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from runner import segment
from runner.cli import main
from runner.engine import Engine, Handler
from tests.support.reliability import MiB, eventually, queue_counts, rss_bytes
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import TRANSFORMS, ServeProcess, new_secret, payment_event, signed

PROBE = r"""
// Fingerprints the world a handler sees. EXPECTED is that of a fresh engine (null: report it).
const EXPECTED = __EXPECTED__;
let topLevelRuns = 0;
topLevelRuns += 1;

function fnv(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

function kindOf(v) {
  if (typeof v === "function") return "function " + v.name + "/" + v.length;
  if (v !== null && typeof v === "object") return "object";
  if (typeof v === "number") return "number";  // performance.timeOrigin differs per context
  return typeof v + " " + String(v).slice(0, 60);
}

function graph() {
  const P = Object.getPrototypeOf;
  const roots = [];
  for (const name of Reflect.ownKeys(globalThis).map(String).sort()) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    roots.push(["global " + name, [d && "value" in d ? d.value : d && d.get, d && d.set]]);
  }
  roots.push(["hidden intrinsics", [P([][Symbol.iterator]()), P(""[Symbol.iterator]()), P(new Map().entries()),
    P(new Set().values()), P("a".matchAll(/a/g)), P(function* () {}), P(async function () {}),
    P(async function* () {})]]);
  roots.push(["globalThis", [globalThis]]);
  const seen = new Set();
  const sections = {};
  for (const [section, values] of roots) {
    const parts = [];
    const stack = values.slice();
    while (stack.length) {
      const o = stack.pop();
      if (o === null || (typeof o !== "object" && typeof o !== "function") || seen.has(o)) continue;
      seen.add(o);
      const props = [];
      for (const k of Reflect.ownKeys(o)) {
        const d = Object.getOwnPropertyDescriptor(o, k);
        if ("value" in d) {
          props.push(String(k) + "=" + kindOf(d.value) + (d.writable ? " w" : "") + (d.enumerable ? " e" : "") + (d.configurable ? " c" : ""));
          stack.push(d.value);
        } else {
          props.push(String(k) + "=get " + kindOf(d.get) + " set " + kindOf(d.set) + (d.enumerable ? " e" : "") + (d.configurable ? " c" : ""));
          stack.push(d.get, d.set);
        }
      }
      stack.push(P(o));
      parts.push((o === globalThis ? "G" : Object.isFrozen(o) ? "F" : "UNFROZEN") + "{" + props.join(";") + "}");
    }
    sections[section] = fnv(parts.join("\n")) + ":" + parts.length;
  }
  return sections;
}

async function behaviour(webhook) {
  const out = {};
  const forOf = [];
  for (const x of [1, 2, 3]) forOf.push(x);
  out.iteration = [forOf, [...[4, 5]], [...new Set([6])], [...new Map([[7, 8]])], [..."ab"], [...(function* () { yield 9; })()],
    Array.from({ length: 2 }, (_, i) => i), [...new URLSearchParams("a=1&b=2")], Object.entries({ k: 1 })];
  out.json = [JSON.stringify(JSON.parse('{"a":[1,{"b":null}],"c":"\\u00e9","__proto__":{"x":1}}')),
    JSON.stringify({ d: new Date(0), u: undefined, n: NaN, nested: { toJSON() { return "t"; } } })];
  const inherited = [];
  for (const k in {}) inherited.push(k);
  for (const k in []) inherited.push(k);
  out.inherited = inherited;
  out.polluted = [({}).polluted, [].polluted, "".polluted, (1).polluted, (() => 0).polluted, ({}).toJSON, ({}).then,
    Object.prototype.polluted].map(String);
  out.strings = ["a-b".split("-"), "x".padStart(3, "."), "abc".replace(/b/, "B"), "A".toLowerCase(), (1234.5).toFixed(2),
    String(Symbol("s")), [3, 1, 2].sort(), [1, 2, 3].map((x) => x * 2), "a,b".split(",").join("|")];
  out.intl = [(1234.5).toLocaleString("en-US", { style: "currency", currency: "USD" }), new Intl.NumberFormat("de-DE").format(1234.5),
    new Date(0).toLocaleString("en-US", { timeZone: "UTC" }), new Intl.DateTimeFormat("en-GB", { dateStyle: "long", timeZone: "UTC" }).format(0),
    ["b", "a", "C"].sort(new Intl.Collator("en").compare)];
  out.errors = [String(new TypeError("t")), /^ {4}at handler \(.*probe(-open)?\.js:\d+:\d+\)\n/.test(new Error("e").stack),
    Error.stackTraceLimit, typeof Error.prepareStackTrace, (() => { try { null.x; } catch (e) { return e instanceof TypeError; } })()];
  out.async = [await Promise.resolve(1), await new Promise((resolve) => queueMicrotask(() => resolve(2))), await Promise.all([3])];
  out.random = (() => { const a = Math.random(), b = Math.random(); return a !== b && a >= 0 && a < 1; })();
  out.clock = Date.now() > 1.7e12 && Math.abs(Date.now() - new Date().getTime()) < 60000;
  out.uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(crypto.randomUUID());
  out.host = ["std", "os", "require", "process", "print", "scriptArgs", "bjson", "fetch", "XMLHttpRequest", "WebSocket",
    "setTimeout", "setInterval", "importScripts", "__loadScript", "module", "exports", "Deno", "Bun", "gc",
    "planted", "planted2", "late", "spy"].filter((n) => n in globalThis);
  out.regexpStatics = [RegExp.$1, RegExp.lastMatch, RegExp.input].map(String);
  out.topLevelRuns = topLevelRuns;
  out.webhook = [Object.keys(webhook), webhook.method, webhook.cancel, webhook.url, JSON.stringify(webhook.headers),
    JSON.stringify(webhook.env), Object.isFrozen(webhook.env), webhook.eventType, webhook.payload.type,
    typeof webhook.payload.data.n, JSON.stringify(webhook.payload).length > 20];
  return out;
}

async function handler(webhook) {
  const seen = { graph: graph(), behaviour: JSON.stringify(await behaviour(webhook)) };
  if (EXPECTED === null) {
    webhook.payload = seen;
    webhook.url = "https://probe.invalid/fingerprint";
    return webhook;
  }
  const problems = [];
  for (const k of Object.keys(EXPECTED.graph)) if (seen.graph[k] !== EXPECTED.graph[k]) problems.push(k + " changed");
  for (const k of Object.keys(seen.graph)) if (!(k in EXPECTED.graph)) problems.push(k + " added");
  if (seen.behaviour !== EXPECTED.behaviour) problems.push("behaviour now " + seen.behaviour + " was " + EXPECTED.behaviour);
  if (problems.length) throw new Error("sandbox not clean: " + problems.join(", "));
  webhook.cancel = true;
  return webhook;
}
"""

# Grabs a function of the engine's own runtime from a stack frame, if QuickJS would hand one out.
GRAB = r"""
function grab(name) {
  let found;
  Error.prepareStackTrace = (err, sites) => {
    for (const s of sites) {
      const f = typeof s.getFunction === "function" ? s.getFunction() : undefined;
      if (typeof f === "function" && f.name === name) found = f;
    }
    return "";
  };
  new Error("x").stack;
  return found;
}
"""

TRACK = "https://api.segment.io/v1/track"


@dataclass(frozen=True)
class Case:
    name: str
    source: str  # the handler; __RELAY__ is the relay destination's host:port
    status: str | tuple[str, ...]  # the transform's status in the server's answer (or one of them)
    reason: str | None = None  # a regular expression the recorded reason must match


def h(body: str) -> str:
    return "function handler(w) {\n" + body + "\n}\n"


CANCEL = "w.cancel = true; return w;"

CASES = [
    # --- resource exhaustion: each a specific limit error, the other events carry on ------------
    Case("endless_loop", h("for (;;) {}"), "dead", r"^TimeLimitExceeded: .*time limit of 500 ms"),
    Case("endless_loop_at_top_level", "while (true) {}\n" + h("return w;"), "dead", r"time limit of 500 ms"),
    Case("endless_loop_swallowing_errors", h("for (;;) { try { null.x } catch (e) {} }"), "dead", r"^TimeLimitExceeded"),
    Case("endless_loop_making_errors", h("for (;;) new Error('x');"), "dead", r"^TimeLimitExceeded"),
    # QuickJS drops the time limit's interrupt raised inside a stack-trace hook, so a handler's own
    # hook is kept from the engine (never called): the loop that follows hits the CPU limit.
    Case("own_stack_trace_hook_that_loops", h("Error.prepareStackTrace = () => { for (;;) {} }; for (;;) new Error('x');"),
         "dead", r"^TimeLimitExceeded"),
    Case("endless_async_loop", "async " + h("for (;;) await null;"), "dead", r"^TimeLimitExceeded"),
    Case("microtask_flood_after_return", h("(function again() { Promise.resolve().then(again); })(); return w;"),
         "dead", r"^TimeLimitExceeded"),
    Case("never_settling_promise", "async " + h("await new Promise(() => {}); return w;"), "dead", r"^UnsettledPromise"),
    Case("memory_bomb_small_objects", h("const a = []; for (;;) a.push({ n: a.length });"), "dead", r"^MemoryLimitExceeded"),
    Case("memory_bomb_nested_objects", h("let o = {}; for (;;) o = { o };"), "dead", r"^MemoryLimitExceeded"),
    Case("memory_bomb_map", h("const m = new Map(); for (let i = 0; ; i++) m.set(i, new Array(256).fill(i));"), "dead", r"^MemoryLimitExceeded"),
    Case("memory_bomb_caught_and_retried", h("for (;;) { try { const a = []; for (;;) a.push([1]); } catch (e) {} }"),
         "dead", r"^(MemoryLimitExceeded|TimeLimitExceeded)"),
    Case("huge_array_buffer", h("new ArrayBuffer(2 ** 31); return w;"), "dead", r"^(MemoryLimitExceeded|RangeError)"),
    Case("huge_array_fill", h("new Array(2 ** 28).fill(0); return w;"), "dead", r"^MemoryLimitExceeded"),
    Case("huge_string_doubling", h("let s = 'x'; for (;;) s += s;"), "dead",
         r"^(MemoryLimitExceeded|InternalError: string too long)"),
    Case("huge_string_repeat", h("w.payload = 'x'.repeat(2 ** 29); return w;"), "dead",
         r"^(MemoryLimitExceeded|RangeError|InternalError)"),
    Case("huge_string_join", h("const parts = []; for (let i = 0; ; i++) parts.push('y'.repeat(4096) + i); "),
         "dead", r"^MemoryLimitExceeded"),
    Case("deep_recursion", h("function f(n) { return f(n + 1) + 1; } return f(0);"), "dead", r"^StackLimitExceeded"),
    Case("deep_recursion_caught_and_retried", h("function f() { try { f(); } catch (e) { f(); } } f(); return w;"),
         "dead", r"^(StackLimitExceeded|TimeLimitExceeded)"),
    Case("deep_payload_for_json_stringify", h("let o = {}; for (let i = 0; i < 200000; i++) o = { o }; w.payload = o; return w;"),
         "dead", r"^(StackLimitExceeded|InvalidResult: .*(stack|call stack))"),
    Case("catastrophic_regex", h("/^(a+)+$/.test('a'.repeat(40) + 'b'); return w;"), "dead",
         r"^TimeLimitExceeded: .*regular expression"),
    Case("catastrophic_regex_replace", h("'x'.repeat(40).replace(/(x+x+)+y/, ''); return w;"), "dead", r"^TimeLimitExceeded"),
    Case("console_flood", h("for (let i = 0; i < 30000; i++) console.log('spam'.repeat(500), i); " + CANCEL), "cancelled"),
    Case("atomics_wait_blocks_thread", h("Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); return w;"),
         "dead", r"^TypeError: cannot block"),

    # --- pollution aimed at the next event: ignored, undone after the event, or the context discarded
    Case("object_prototype_assignment", h("Object.prototype.polluted = 'yes'; Object.prototype.toJSON = () => 'x'; " + CANCEL),
         "cancelled"),
    # Frozen built-ins refuse it (TypeError); in the open mode it happens and is undone.
    Case("object_prototype_define_strict", '"use strict";\n' + h("Object.defineProperty(Object.prototype, 'polluted', { value: 1 }); return w;"),
         ("dead", "skipped"), r"^TypeError|^no destination"),
    Case("proto_setter_pollution", h("({}).__proto__.polluted = 1; [].__proto__.polluted = 1; ''.__proto__.polluted = 1; " + CANCEL),
         "cancelled"),
    Case("json_parse_override", h("JSON.parse = () => ({ evil: true }); JSON.stringify = () => '{}'; " + CANCEL), "cancelled"),
    Case("json_global_replaced", h("globalThis.JSON = { parse: () => ({ evil: 1 }), stringify: () => '{}' }; " + CANCEL),
         "cancelled"),
    Case("json_global_made_permanent",
         h("Object.defineProperty(globalThis, 'JSON', { value: { parse: () => 1 }, writable: false, configurable: false }); " + CANCEL),
         "cancelled"),
    Case("builtins_deleted", h("delete globalThis.Array; delete globalThis.JSON; delete globalThis.Intl; " + CANCEL), "cancelled"),
    Case("global_planted", h("globalThis.planted = [w.payload]; var leaked = 1; " + CANCEL), "cancelled"),
    Case("global_planted_non_configurable",
         h("Object.defineProperty(globalThis, 'planted', { value: [], configurable: false }); " + CANCEL), "cancelled"),
    Case("global_prototype_swapped", h("Object.setPrototypeOf(globalThis, { polluted: 1 }); " + CANCEL), "cancelled"),
    Case("global_frozen", h("Object.freeze(globalThis); " + CANCEL), "cancelled"),
    Case("indirect_eval_global_var", h("(0, eval)('var planted = 1; let planted2 = 2;'); " + CANCEL), "cancelled"),
    Case("function_constructor_global", h("Function('planted = 1; this.planted2 = 2')(); " + CANCEL), "cancelled"),
    Case("array_iterator_next_replaced",
         h("Object.getPrototypeOf([][Symbol.iterator]()).next = () => ({ done: true }); " + CANCEL), "cancelled"),
    Case("hidden_intrinsics_patched",
         h("const P = Object.getPrototypeOf; for (const o of [P(''[Symbol.iterator]()), P(new Map().entries()), P(new Set().values()), "
           "P(function* () {}).prototype, P(async function () {})]) { try { o.next = () => ({ done: true }); o.polluted = 1; } catch (e) {} } "
           + CANCEL), "cancelled"),
    Case("override_accessor_stash",
         h("const g = Object.getOwnPropertyDescriptor(Object.prototype, 'toString').get; g.spy = [w.payload]; "
           "if (g.spy) throw new Error('stashed on a built-in accessor'); " + CANCEL), "cancelled"),
    Case("function_prototype_call_replaced", h("Function.prototype.call = () => 'evil'; Function.prototype.apply = null; " + CANCEL),
         "cancelled"),
    Case("promise_then_replaced", h("Promise.prototype.then = function () { return this; }; " + CANCEL), "cancelled"),
    Case("stack_trace_hooks_changed", h("Error.prepareStackTrace = () => 'pwned'; Error.stackTraceLimit = 0; " + CANCEL), "cancelled"),
    Case("call_site_prototype_patched",
         h("let p; Error.prepareStackTrace = (e, s) => { p = Object.getPrototypeOf(s[0]); return ''; }; new Error().stack; "
           "try { p.getFunctionName = () => 'PWNED'; p.getLineNumber = () => -1; } catch (e) {} " + CANCEL), "cancelled"),
    Case("runtime_reached_through_call_sites",
         GRAB + h("const rt = grab('runtime'); if (typeof rt === 'function') { globalThis.spy = []; rt('lockdown'); "
                  "throw new Error('escaped: the runtime function was reachable'); } " + CANCEL), "cancelled"),
    # Handlers that patch built-ins (runner/engine/handler.py: patches_builtins) run with writable
    # built-ins that are put back after each event: these aim at that mode.
    Case("open_mode_prototype_patches",
         h("String.prototype.evil = () => 'x'; Array.prototype.push = function () { return 0; }; "
           "Array.prototype[Symbol.iterator] = function* () {}; Object.prototype.polluted = 1; JSON.parse = () => 1; " + CANCEL),
         "cancelled"),
    Case("open_mode_builtin_method_deleted", h("delete Array.prototype.map; delete String.prototype.trim; Math.round = null; " + CANCEL),
         "cancelled"),
    Case("open_mode_intrinsic_frozen_or_reparented",
         h("Object.setPrototypeOf(Array.prototype, null); Object.freeze(String.prototype); Object.preventExtensions(Math); " + CANCEL),
         "cancelled"),
    Case("open_mode_permanent_accessor",
         h("Object.defineProperty(Object.prototype, 'stash', { get() { return 'stale'; }, configurable: false }); " + CANCEL),
         "cancelled"),
    Case("open_mode_handler_map_hijack",
         "const originalSet = Map.prototype.set;\n"
         "Map.prototype.set = function (key, value) {\n"
         "  if (value && typeof value === 'object' && typeof value.factory === 'function') {\n"
         "    for (const k of Array.from(this.keys())) if (k !== key) originalSet.call(this, k, { factory: () => function handler(w) {\n"
         "      w.url = '" + TRACK + "'; w.payload = { userId: 'attacker', event: 'Hijacked' }; return w; }, filename: 'evil.js' });\n"
         "  }\n"
         "  return originalSet.call(this, key, value);\n"
         "};\n" + h(CANCEL), "cancelled"),
    Case("open_mode_weakmap_and_set_stash",
         h("const stash = []; WeakMap.prototype.set = function (k, v) { stash.push(this); return this; }; "
           "Set.prototype.add = function (v) { stash.push(this); return this; }; new Error('x').stack; " + CANCEL), "cancelled"),
    Case("finalization_registry_planting",
         h("new FinalizationRegistry(() => { globalThis.late = 1; }).register({}, 1); new WeakRef({}); " + CANCEL), "cancelled"),
    Case("microtask_planting", h("Promise.resolve().then(() => { globalThis.late = 1; }); queueMicrotask(() => { globalThis.planted = 1; }); "
                                 + CANCEL), "cancelled"),
    Case("regexp_legacy_statics", h("/(\\d{4})/.exec('card 4242 4242'); " + CANCEL), "cancelled"),
    Case("env_mutation", h("try { w.env.SEGMENT_WRITE_KEY = 'x'; Object.defineProperty(w.env, 'k', { value: 1 }); } catch (e) {} " + CANCEL),
         "cancelled"),

    # --- reaching for the host --------------------------------------------------------------
    Case("dynamic_import_os", h("return import('os').then((os) => { os.exec(['sh']); return w; });"), "dead",
         r"could not load module 'os'"),
    Case("dynamic_import_std", h("return import('std').then((std) => { w.payload = std.getenviron(); return w; });"), "dead",
         r"could not load module 'std'"),
    Case("dynamic_import_file", h("return import('/etc/passwd').then(() => w);"), "dead", r"could not load module"),
    Case("require_fs", h("require('fs').readFileSync('/etc/passwd'); return w;"), "dead", r"^ReferenceError: .*require"),
    Case("process_env", h("w.payload = process.env; return w;"), "dead", r"^ReferenceError: .*process"),
    Case("std_and_os_globals", h("w.payload = std.getenviron(); os.exec(['sh']); return w;"), "dead", r"^ReferenceError: .*std"),
    Case("global_probing",
         h("const host = ['std', 'os', 'require', 'process', 'print', 'scriptArgs', 'bjson', 'fetch', 'XMLHttpRequest', "
           "'WebSocket', 'setTimeout', 'importScripts', '__loadScript', 'Deno', 'Bun', 'module'].filter((n) => n in globalThis); "
           "if (host.length) throw new Error('host reachable: ' + host); " + CANCEL), "cancelled"),
    Case("function_constructor_tricks",
         h("const g = Function('return this')(); const viaCtor = ({}).constructor.constructor('return typeof std + typeof os + typeof require')(); "
           "if (viaCtor !== 'undefinedundefinedundefined' || g.std || g.os) throw new Error('host reachable'); " + CANCEL), "cancelled"),
    Case("caller_chain", h("function f() { return f.caller; } const c = f(); let a; try { a = handler.caller; } catch (e) {} "
                           "if ((typeof c === 'function' && c.name !== 'handler') || typeof a === 'function') throw new Error('caller reached'); "
                           + CANCEL), "cancelled"),

    # --- results built to break the server ---------------------------------------------------
    Case("cyclic_payload", h("const a = { userId: 'u' }; a.self = a; w.payload = a; w.url = '" + TRACK + "'; return w;"), "dead",
         r"^InvalidResult: webhook.payload is not JSON-serialisable"),
    Case("cyclic_webhook_object", h("w.self = w; w.payload.self = undefined; return w;"), "skipped"),
    Case("getter_that_throws", h("return { get url() { throw new Error('getter says no'); }, payload: {}, method: 'POST' };"), "dead",
         r"^Error: getter says no"),
    Case("payload_getter_that_throws", h("Object.defineProperty(w, 'payload', { get() { throw new TypeError('no payload'); } }); return w;"),
         "dead", r"^TypeError: no payload"),
    Case("getter_that_loops", h("return { get url() { for (;;) {} }, payload: {} };"), "dead", r"^TimeLimitExceeded"),
    Case("proxy_result", h("return new Proxy(w, { get(t, k) { throw new Error('trap ' + String(k)); } });"), "dead", r"^Error: trap"),
    Case("thenable_that_throws", h("return { then() { throw new Error('then trap'); } };"), "dead", r"^Error: then trap"),
    Case("to_json_throws", h("w.url = '" + TRACK + "'; w.payload = { toJSON() { throw new Error('nope'); } }; return w;"), "dead",
         r"^InvalidResult: webhook.payload is not JSON-serialisable: Error: nope"),
    Case("to_json_loops", h("w.url = '" + TRACK + "'; w.payload = { toJSON() { for (;;) {} } }; return w;"), "dead", r"^TimeLimitExceeded"),
    Case("to_json_returns_undefined", h("w.url = '" + TRACK + "'; w.payload = { toJSON() { return undefined; } }; return w;"), "dead",
         r"^InvalidResult: webhook.payload must be a JSON value"),
    Case("to_json_swaps_the_event",
         h("w.url = '" + TRACK + "'; w.payload = { userId: 'cus_real', event: 'Original', "
           "toJSON() { return { userId: 'cus_swapped', event: 'Swapped' }; } }; return w;"), "pending"),
    Case("bigint_in_payload", h("w.url = '" + TRACK + "'; w.payload = { userId: 'u', event: 'e', amount: 10n ** 30n }; return w;"),
         "dead", r"^InvalidResult: .*BigInt"),
    Case("symbol_returned", h("return Symbol('webhook');"), "dead", r"^InvalidResult: handler must return the webhook object"),
    Case("non_string_header_number", h("w.headers = { 'X-Amount': 5 }; return w;"), "dead",
         r"^InvalidResult: webhook.headers\[\"X-Amount\"\] must be a string"),
    Case("non_string_header_object", h("w.headers = { 'X-A': { toString() { return 'v'; } } }; return w;"), "dead",
         r"^InvalidResult: .*must be a string"),
    Case("non_string_header_bigint", h("w.headers = { 'X-A': 1n }; return w;"), "dead", r"^InvalidResult: .*must be a string"),
    Case("header_crlf_injection", h("w.url = 'http://__RELAY__/hook'; w.headers = { 'X-A': 'v\\r\\nX-Injected: 1' }; return w;"),
         "dead", r"^InvalidResult: .*line breaks"),
    Case("header_name_injection", h("w.url = 'http://__RELAY__/hook'; w.headers = { 'X-A: 1\\r\\nX-B': 'v' }; return w;"),
         "dead", r"^InvalidResult: .*invalid header name"),
    Case("header_content_length_smuggling", h("w.url = 'http://__RELAY__/hook'; w.headers = { 'Content-Length': '2' }; return w;"),
         "dead", r"^InvalidResult: .*set by the HTTP client"),
    Case("header_transfer_encoding", h("w.url = 'http://__RELAY__/hook'; w.headers = { 'Transfer-Encoding': 'chunked' }; return w;"),
         "dead", r"^InvalidResult: .*set by the HTTP client"),
    Case("header_host_override", h("w.url = 'http://__RELAY__/hook'; w.headers = { Host: 'internal.example' }; return w;"),
         "dead", r"^InvalidResult: .*set by the HTTP client"),
    Case("header_non_ascii_value", h("w.url = 'http://__RELAY__/hook'; w.headers = { 'X-Name': 'José €' }; return w;"),
         "dead", r"^InvalidResult: .*must be ASCII"),
    Case("method_injection", h("w.method = 'POST /admin HTTP/1.1\\r\\nX:'; return w;"), "dead", r"^InvalidResult: webhook.method"),
    Case("lone_surrogate_in_payload",
         h("w.url = '" + TRACK + "'; w.payload = { userId: 'cus_emoji', event: 'Emoji ' + '\\u{1F600}'.slice(0, 1) }; return w;"),
         "pending"),
    Case("lone_surrogate_in_logs_and_error", h("console.log('\\u{1F600}'.slice(0, 1)); throw new Error('half ' + '\\u{1F600}'.slice(1));"),
         "dead", "^Error: half \ufffd"),
    Case("oversized_segment_event", h("w.url = '" + TRACK + "'; w.payload = { userId: 'u', event: 'e', blob: 'x'.repeat(1e5) }; return w;"),
         "dead", r"over Segment's 32768-byte limit"),
    Case("huge_result_for_small_webhook", h("w.url = '" + TRACK + "'; w.payload = { userId: 'u', event: 'e', blob: 'x'.repeat(16 << 20) }; return w;"),
         "dead", r"^InvalidResult: webhook.payload serialises to \d+ characters, more than the limit of 1048576 bytes"),
    Case("multibyte_result_over_the_byte_limit", h("w.url = '" + TRACK + "'; w.payload = { userId: 'u', event: 'e', blob: '\u20ac'.repeat(400000) }; return w;"),
         "dead", r"^InvalidResult: webhook.payload serialises to \d+ bytes, more than the limit of 1048576 bytes"),
    Case("payload_nested_1100_deep", h("let p = {}, q = p; for (let i = 0; i < 1100; i++) { q.a = {}; q = q.a; } w.url = '" + TRACK + "'; w.payload = p; return w;"),
         "dead", r"^InvalidResult: webhook.payload is nested more than 256 levels deep"),
    Case("array_nested_1100_deep", h("let p = [], q = p; for (let i = 0; i < 1100; i++) { q.push([]); q = q[0]; } w.url = '" + TRACK + "'; w.payload = {userId: 'u', event: 'e', properties: {p}}; return w;"),
         "dead", r"^InvalidResult: webhook.payload is nested more than 256 levels deep"),
    Case("header_getter_answers_twice", h("let n = 0; w.url = 'http://__RELAY__/hook'; w.headers = { get 'X-A'() { return ++n === 1 ? 'ok' : 7; } }; return w;"),
         "dead", r"^InvalidResult: webhook.headers\[\"X-A\"\] is a getter"),
    Case("header_tojson_swaps_values", h("w.url = 'http://__RELAY__/hook'; w.headers = { 'X-A': 'ok', toJSON() { return { 'X-A': 7 }; } }; return w;"),
         "dead", r"^InvalidResult: webhook.headers\[\"toJSON\"\] must be a string"),
    Case("header_flood", h("const hs = {}; for (let i = 0; i < 300000; i++) hs['X-' + i] = 'v'; w.url = 'http://__RELAY__/hook'; w.headers = hs; return w;"),
         "dead", r"^InvalidResult: webhook.headers has 300000 entries, more than the limit of 64"),
    Case("huge_error_message", h("throw new Error('x'.repeat(20 << 20));"), "dead", r"^Error: x{4096}… \(20967424 more characters\)"),

    # --- URLs aimed at places results must not go ---------------------------------------------
    Case("url_loopback_unlisted_port", h("w.url = 'http://127.0.0.1:1/admin'; return w;"), "rejected", r"not a configured destination"),
    Case("url_localhost", h("w.url = 'http://localhost:__PORT__/hook'; return w;"), "rejected", r"'localhost' is not a configured"),
    Case("url_ipv6_loopback", h("w.url = 'http://[::1]:__PORT__/hook'; return w;"), "rejected", r"not a configured destination"),
    Case("url_cloud_metadata", h("w.url = 'http://169.254.169.254/latest/meta-data/iam/'; return w;"), "rejected",
         r"not a configured destination"),
    Case("url_private_network", h("w.url = 'https://10.0.0.7/internal'; return w;"), "rejected", r"not a configured destination"),
    Case("url_decimal_ip", h("w.url = 'http://2130706433:__PORT__/hook'; return w;"), "rejected", r"not a configured destination"),
    Case("url_credentials_trick", h("w.url = 'https://api.segment.io@127.0.0.1:__PORT__/v1/track'; w.payload = { userId: 'u', event: 'e' }; return w;"),
         "rejected", r"carries credentials"),
    Case("url_lookalike_host", h("w.url = 'https://api.segment.io.evil.example/v1/track'; w.payload = { userId: 'u', event: 'e' }; return w;"),
         "rejected", r"not a configured destination"),
    Case("url_segment_host_other_path", h("w.url = 'https://api.segment.io/admin/delete'; return w;"), "rejected",
         r"not a Segment tracking API path"),
    Case("url_file_scheme", h("w.url = 'file:///etc/passwd'; return w;"), "dead", r"^InvalidResult: .*http:// or https://"),
    Case("url_data_scheme", h("w.url = 'data:text/plain,hi'; return w;"), "dead", r"^InvalidResult: .*http:// or https://"),
    Case("url_not_a_string", h("w.url = { toString() { return 'https://api.segment.io/v1/track'; } }; return w;"), "dead",
         r"^InvalidResult: webhook.url must be a string"),

    # --- top-level code ------------------------------------------------------------------------
    Case("top_level_throw", "throw new Error('boom at load');\n" + h("return w;"), "dead", r"top-level code threw Error: boom at load"),
    Case("top_level_state_carried_over", "let calls = 0;\n" + h("calls += 1; if (calls !== 1) throw new Error('state carried over'); " + CANCEL),
         "cancelled"),
]


@dataclass
class World:
    url: str
    secret: str
    standin: SegmentStandin
    server: ServeProcess
    relay: str
    payments: list[str] = field(default_factory=list)
    counter: int = 0

    def post(self, endpoint: str, body: dict[str, object]) -> httpx.Response:
        data, headers = signed(self.secret, body, msg_id=f"msg_{uuid.uuid4().hex}")
        return httpx.post(f"{self.url}/webhooks/{endpoint}", content=data, headers=headers, timeout=60)

    def probes(self) -> dict[str, dict[str, str]]:
        """Each probe's result for the next event: frozen built-ins, and the open mode."""
        out = {}
        for endpoint in PROBES:
            self.counter += 1
            answer = self.post(endpoint, {"type": "probe.check", "data": {"n": self.counter}}).json()
            out[endpoint] = answer["transforms"][0]
        return out

    def payment(self) -> None:
        self.counter += 1
        data, headers = signed(self.secret, payment_event(self.counter), msg_id=f"msg_pay_{self.counter}")
        r = httpx.post(f"{self.url}/webhooks/payments", content=data, headers=headers, timeout=60)
        assert r.status_code == 200 and r.json()["transforms"][0]["status"] == "pending", r.text
        self.payments.append(headers["webhook-id"])


# The probe as is runs with frozen built-ins; with a line that looks like a patch of a built-in
# (never executed) it runs in the open mode, where built-ins are writable and put back.
PROBES = {"probe": "", "probe-open": "if (false) Math.neverPatched = 1;\n"}


def probe_source(expected: str, prefix: str = "") -> str:
    return prefix + PROBE.replace("__EXPECTED__", expected)


def fresh_fingerprint(prefix: str) -> str:
    """The probe's fingerprint in a fresh engine (the same code the server's workers run)."""
    engine = Engine()
    try:
        outcome = engine.run(Handler.from_source(probe_source("null", prefix), "probe.js"),
                             json.dumps({"type": "probe.check", "data": {"n": 0}}))
    finally:
        engine.close()
    assert outcome.status == "sent" and outcome.request is not None, outcome.error
    return outcome.request.body


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root = tmp_path_factory.mktemp("hostile")
    (root / "hostile").mkdir()
    for endpoint, prefix in PROBES.items():
        (root / f"{endpoint}.js").write_text(probe_source(fresh_fingerprint(prefix), prefix))
    with SegmentStandin() as standin:
        relay = standin.url.removeprefix("http://")
        port = relay.rsplit(":", 1)[1]
        endpoints = [f"  {e}: {{secret_env: HOOK_SECRET, transforms: {{probe: {{file: {e}.js}}}}}}" for e in PROBES]
        endpoints += [f"  payments: {{secret_env: HOOK_SECRET, transforms: {{payments: {{file: {TRANSFORMS / 'segment-track-payments.js'}}}}}}}"]
        for case in CASES:
            path = root / "hostile" / f"{case.name}.js"
            path.write_text(case.source.replace("__RELAY__", relay).replace("__PORT__", port), encoding="utf-8")
            endpoints.append(f"  h-{case.name}: {{secret_env: HOOK_SECRET, transforms: {{{case.name}: {{file: hostile/{case.name}.js}}}}}}")
        (root / "runner.yaml").write_text(
            "server: {engine_workers: 1}\n"
            "delivery: {initial_backoff_s: 0.05, max_backoff_s: 0.2, max_attempts: 3, idle_poll_s: 0.05}\n"
            "destinations:\n"
            f"  segment: {{type: segment, write_key_env: SEG_KEY, base_url: '{standin.url}'}}\n"
            f"  relay: {{type: http, hosts: ['{relay}'], allow_private: true}}\n"
            "endpoints:\n" + "\n".join(endpoints) + "\n")
        secret = new_secret()
        server = ServeProcess(["--config", str(root / "runner.yaml")], env={"HOOK_SECRET": secret, "SEG_KEY": "wk_hostile"},
                              data_dir=root / "data").start()
        try:
            w = World(server.url, secret, standin, server, relay)
            # The fingerprint of a fresh in-process engine matches the server's untouched worker.
            for endpoint, first in w.probes().items():
                assert first["status"] == "cancelled", (endpoint, first)
            yield w
        finally:
            server.kill()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_handler_is_contained(world: World, case: Case) -> None:
    r = world.post(f"h-{case.name}", payment_event(world.counter + 10_000))
    assert r.status_code == 200, r.text
    (result,) = r.json()["transforms"]
    allowed = case.status if isinstance(case.status, tuple) else (case.status,)
    assert result["status"] in allowed, result
    if case.reason is not None:
        assert re.search(case.reason, result.get("reason", "")), result
    for endpoint, probe in world.probes().items():  # the next events, in each kind of context
        assert probe["status"] == "cancelled", f"after {case.name}, {endpoint}: {probe.get('reason')}"
    world.payment()


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 40 and len({c.name for c in CASES}) == len(CASES)


def test_after_the_hostile_handlers_everything_acknowledged_was_delivered(world: World) -> None:
    for _ in range(3):
        world.payment()
    want = {segment.message_id("payments", w, "payments") for w in world.payments}
    # The hostile results that were fit to deliver went out too (as JSON.stringify made them).
    hostile_ok = [c.name for c in CASES if c.status == "pending"]
    assert world.standin.wait_for_events(len(want) + len(hostile_ok), timeout=60) >= len(want) + len(hostile_ok)

    def settled() -> dict[str, int] | None:
        counts = queue_counts(world.url)
        return counts if counts.get("pending", 0) == 0 else None

    counts = eventually(settled, timeout=60)
    assert counts, queue_counts(world.url)
    got = world.standin.message_ids()
    assert want <= set(got)
    assert all(n == 1 for n in got.values()), [m for m, n in got.items() if n > 1]
    events = {e.get("event"): e for e in world.standin.events()}
    assert events["Swapped"]["userId"] == "cus_swapped" and "Original" not in events  # toJSON decides, as in V8
    assert events["Emoji \ufffd"]["userId"] == "cus_emoji"  # half an emoji: U+FFFD, not a 500 to the provider
    # Nothing a hostile handler aimed at the relay or elsewhere arrived: only Segment API paths.
    assert {r.path for r in world.standin.requests} <= {"/v1/track", "/v1/batch"}
    assert counts.get("delivered", 0) == len(want) + len(hostile_ok)
    # The whole server (event loop and engine worker) after ~90 hostile handlers, memory bombs
    # included: the worker's heap is capped per invocation, and discarded contexts are freed.
    rss = rss_bytes(world.server.proc.pid)  # type: ignore[union-attr]
    assert rss < 600 * MiB
    print(f"\nhostile handlers: {len(CASES)} cases, {len(world.payments)} payment events acknowledged and "
          f"{counts.get('delivered', 0)} deliveries delivered, {sum(got.values())} received; server RSS {rss / MiB:.0f} MiB")


def test_handlers_the_server_refuses_to_load(tmp_path: Path) -> None:
    """Code that cannot even load is refused when `runner serve` starts, with file and line."""
    runner = CliRunner()
    env = {"DODO_WEBHOOK_SECRET": new_secret(), "SEGMENT_WRITE_KEY": "wk"}
    for name, source, message in [
        ("static_import.js", "import * as os from 'os';\nfunction handler(w) { return w; }\n", "static_import.js:1"),
        ("no_handler.js", "function transform(w) { return w; }\n", "no top-level function named `handler`"),
        ("syntax.js", "function handler(w) {\n  return w;;\n  }}\n", "syntax.js:3"),
        ("nul.js", "function handler(w) { return w; }\x00\n", "NUL character"),
    ]:
        path = tmp_path / name
        path.write_text(source)
        result = runner.invoke(main, ["serve", str(path), "--data-dir", str(tmp_path / "data")], env=env)
        assert result.exit_code == 1, (name, result.output)
        assert message in result.output, (name, result.output)
