"""The sandbox's promises, attacked: a hard time limit in every command, nothing carried from
one event to the next, nothing shared between transforms, every bad result that transform's own
error. Through the real CLI and the real `runner serve` with one engine worker and several
transforms on one endpoint, where tenants meet.

(Times here are bounds that tell "stopped" from "ran on for seconds", not performance targets:
the kill's real cost is measured in bench/.)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from runner.engine import Engine, EnginePool, Handler, Limits, sandbox
from tests.support.segment_standin import SegmentStandin
from tests.support.serve import ROOT, ServeProcess, new_secret, payment_event, signed

PAYMENT = ROOT / "samples" / "payment.succeeded.json"
REFUND = ROOT / "samples" / "refund.succeeded.json"
TRACK = "https://api.segment.io/v1/track"
LIMIT_MS = 300

# Each runs long inside one native built-in (or in a hook QuickJS enters with its interrupt
# dropped), where QuickJS's own time limit never fires.
NATIVE_SPINS = {
    "indexOf": 'const h = "a".repeat(1 << 18); h.indexOf("a".repeat(1 << 17) + "b");',
    "includes": 'const h = "a".repeat(1 << 18); h.includes("a".repeat(1 << 17) + "b");',
    "split": 'const h = "a".repeat(1 << 18); h.split("a".repeat(1 << 17) + "b");',
    "replace": 'const h = "a".repeat(1 << 18); h.replace("a".repeat(1 << 17) + "b", "");',
    "replaceAll": 'const h = "a".repeat(1 << 18); h.replaceAll("a".repeat(1 << 17) + "b", "");',
    "lastIndexOf_string": 'const h = "a".repeat(1 << 18); h.lastIndexOf("a".repeat(1 << 17) + "b");',
    "sparse_join": 'const a = []; a.length = 2 ** 32 - 1; a.join("");',
    "sparse_reverse": "const a = []; a.length = 2 ** 32 - 1; a.reverse();",
    "sparse_copyWithin": "const a = []; a.length = 2 ** 32 - 1; a.copyWithin(0, 1);",
    "sparse_includes": "const a = []; a.length = 2 ** 32 - 1; a.includes(1, 0);",
    "bigint_toString": "((1n << 1000000n) - 1n).toString();",
    "bigint_toString_radix": "((1n << 1000000n) - 1n).toString(3);",
    "typed_lastIndexOf_loop": "const a = new Uint8Array(1 << 25); for (let i = 0; i < 2000; i++) a.lastIndexOf(1);",
    "proxy_defineProperty_in_captureStackTrace":
        "const p = new Proxy({}, { defineProperty() { for (;;) {} } }); for (;;) Error.captureStackTrace(p);",
    "proxy_getOwnPropertyDescriptor_in_captureStackTrace":
        "const p = new Proxy({}, { getOwnPropertyDescriptor() { for (;;) {} } }); for (;;) Error.captureStackTrace(p);",
    "bytecode_loop": "for (;;) {}",
}


def spin_handler(spin: str) -> str:
    # Spins only on the payment sample: the next sample shows the command went on.
    return ("function handler(w) {\n  if (w.eventType === 'payment.succeeded') {\n    " + spin
            + "\n  }\n  w.cancel = true;\n  return w;\n}\n")


def runner_cli(*args: str, timeout: float = 120) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "runner", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "NO_COLOR": "1"})
    return proc, time.monotonic() - started


# ---- a hard time limit in every command ------------------------------------------------------

def test_preview_stops_every_native_spin_and_goes_on_with_the_next_event(tmp_path: Path) -> None:
    for name, spin in NATIVE_SPINS.items():
        (tmp_path / f"{name}.js").write_text(spin_handler(spin))
    proc, elapsed = runner_cli("preview", str(tmp_path), str(PAYMENT), str(REFUND), "--format", "json",
                               "--time-limit-ms", str(LIMIT_MS))
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    by_transform: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        by_transform.setdefault(Path(line["transform"]).stem, []).append(line)
    assert set(by_transform) == set(NATIVE_SPINS)
    for name, (spun, after) in by_transform.items():
        assert spun["error"]["type"] == "TimeLimitExceeded", (name, spun)
        assert after["result"]["cancel"] is True, (name, after)
    assert proc.returncode == 1
    # Unstopped, the first of these alone runs for about 24 s of CPU.
    assert elapsed < len(NATIVE_SPINS) * (LIMIT_MS / 1000 + 1.0) + 10, elapsed


def test_check_stops_a_top_level_native_spin(tmp_path: Path) -> None:
    spin = tmp_path / "spin.js"
    spin.write_text(NATIVE_SPINS["indexOf"] + "\nfunction handler(w) { return w }\n")
    getter = tmp_path / "getter.js"
    # The engine once read this global after the event with its limit switched off.
    getter.write_text('Reflect.defineProperty(this, "console", {get() { for (;;) {} }, configurable: true});\n'
                      "function handler(w) { return w }\n")
    good = ROOT / "transforms" / "segment-track-payments.js"
    proc, elapsed = runner_cli("check", str(spin), str(getter), str(good))
    assert proc.returncode == 1
    assert f"{spin}" in proc.stderr and "TimeLimitExceeded" in proc.stderr, proc.stderr
    assert proc.stdout.count("ok") == 2, proc.stdout  # getter.js loads (its getter is never run), the seed too
    assert elapsed < 20, elapsed


def test_test_command_stops_a_native_spin(tmp_path: Path) -> None:
    handler = tmp_path / "spin.js"
    handler.write_text(spin_handler(NATIVE_SPINS["bigint_toString"]))
    samples = tmp_path / "samples"
    samples.mkdir()
    (samples / "payment.succeeded.json").write_text(PAYMENT.read_text())
    (samples / "refund.succeeded.json").write_text(REFUND.read_text())
    proc, elapsed = runner_cli("test", str(handler), "--samples", str(samples), "--update")
    assert proc.returncode == 0, proc.stderr
    snapshot = json.loads((tmp_path / "spin.snapshot.json").read_text())
    assert snapshot["samples"]["payment.succeeded.json"]["error"]["type"] == "TimeLimitExceeded"
    assert snapshot["samples"]["refund.succeeded.json"]["status"] == "cancelled"
    assert elapsed < 20, elapsed


def test_pool_kill_costs_the_batched_events_nothing(seed_handlers: dict[str, Handler]) -> None:
    spin = Handler.from_source(spin_handler(NATIVE_SPINS["indexOf"]), "spin.js")
    good = seed_handlers["segment-track-payments.js"]
    body = PAYMENT.read_text()
    with EnginePool(workers=1, limits=Limits(time_ms=LIMIT_MS)) as pool:
        pool.run(good, body)
        before = pool.pids
        started = time.monotonic()
        futures = [pool.submit(good, body) for _ in range(5)] + [pool.submit(spin, body)] + \
                  [pool.submit(good, body) for _ in range(20)]
        outcomes = [f.result(timeout=60) for f in futures]
        elapsed = time.monotonic() - started
        assert outcomes[5].error is not None and outcomes[5].error.type == "TimeLimitExceeded"
        assert "watchdog" in outcomes[5].error.message
        assert all(o.status == "sent" for i, o in enumerate(outcomes) if i != 5)  # re-run, not failed
        assert pool.kills == 1 and pool.pids != before
        assert elapsed < LIMIT_MS / 1000 + 2.0, elapsed


def test_pool_prepare_runs_top_level_code_in_the_worker_under_the_watchdog() -> None:
    spin = Handler.from_source(NATIVE_SPINS["sparse_join"] + "\nfunction handler(w) { return w }", "top.js")
    with EnginePool(workers=1, limits=Limits(time_ms=LIMIT_MS)) as pool:
        started = time.monotonic()
        with pytest.raises(Exception) as info:
            pool.prepare(spin)
        assert "TimeLimitExceeded" in str(info.value)
        assert time.monotonic() - started < LIMIT_MS / 1000 + 2.0
        assert pool.kills == 1


def test_parsing_a_handler_runs_none_of_it() -> None:
    # Handler.from_source runs in the server's and the CLI's own process: it must only parse.
    started = time.monotonic()
    handler = Handler.from_source(NATIVE_SPINS["indexOf"] + "\nfunction handler(w) { return w }", "x.js")
    assert time.monotonic() - started < 1.0
    assert handler.filename == "x.js"


# ---- nothing crosses events -----------------------------------------------------------------

# Each top-level prelude tries to keep a counter somewhere that outlives the event; BUMP reads
# and increments it. Every event must count 1.
STASHES = {
    "arguments_callee": ("var f = arguments.callee;", "f.n = (f.n || 0) + 1"),
    "callee_of_the_handler": ("", "(handler.n = (handler.n || 0) + 1)"),
    "caller_chain": ("var c = (function () { return arguments.callee.caller || arguments.callee; })();",
                     "c.n = (c.n || 0) + 1"),
    "global_this": ("var g = (function () { return this; })();", "g.n = (g.n || 0) + 1"),
    "implicit_global": ("", "(typeof counter === 'undefined' ? (counter = 1) : ++counter)"),
    "hidden_global": ("if (!Object.getOwnPropertyDescriptor(globalThis, 'hid')) Object.defineProperty(globalThis, 'hid', {value: {n: 0}, configurable: true});",
                      "++globalThis.hid.n"),
    "non_configurable_global": ("if (!('nc' in globalThis)) Object.defineProperty(globalThis, 'nc', {value: {n: 0}});",
                                "++globalThis.nc.n"),
    "replaced_console": ("if (!console.n) console = Object.assign({}, console, {n: 0});", "++console.n"),
    "console_accessor": ("Reflect.defineProperty(globalThis, 'console', {get() { return {n: (this.k = (this.k || 0) + 1)}; }, configurable: true});",
                         "(console.n || 1)"),
    "read_only_global": ("var was = Object.getOwnPropertyDescriptor(globalThis, 'JSON').writable;"
                         " try { Object.defineProperty(globalThis, 'JSON', {writable: false}); } catch (e) {}",
                         "(was ? 1 : 2)"),
    "builtin_property": ("", "(Math.n = (Math.n || 0) + 1)"),
    "prototype_property": ("", "(Object.prototype.n = (({}).n || 0) + 1)"),
    "function_prototype": ("", "(Function.prototype.n = ((function () {}).n || 0) + 1)"),
    "error_hook": ("", "(Error.prepareStackTrace ? (Error.prepareStackTrace.n = (Error.prepareStackTrace.n || 0) + 1) : ((Error.prepareStackTrace = function () {}).n = 1))"),
    "stack_trace_limit": ("", "(Error.stackTraceLimit === 7 ? 2 : (Error.stackTraceLimit = 7, 1))"),
    "env_object": ("", "(webhook.env.n = (webhook.env.n || 0) + 1, webhook.env.n || 1)"),
    "symbol_registry": ("", "(Symbol.for('n').description === 'n' ? 1 : 2)"),
    "promise_job": ("var box = {n: 0};", "(Promise.resolve().then(() => { globalThis.later = 1; }), (globalThis.later || 0) + 1)"),
    # The accessors that let instances override inherited names (frozen mode), called on the
    # built-ins themselves or on the global object; in the open mode a plain assignment.
    "override_setter_on_prototype": ("var via = (o, k, v) => { const d = Object.getOwnPropertyDescriptor(o, k); if (d.set) d.set.call(o, v); else o[k] = v; };",
                                     "(via(Array.prototype, 'push', {n: (([].push && [].push.n) || 0) + 1}), ([].push && [].push.n) || 1)"),
    "override_setter_on_global": ("var d = Object.getOwnPropertyDescriptor(Object.prototype, 'valueOf');",
                                  "(d.set ? d.set.call(globalThis, {n: ((globalThis.hasOwnProperty('valueOf') && globalThis.valueOf.n) || 0) + 1})"
                                  " : (globalThis.valueOf = {n: ((globalThis.hasOwnProperty('valueOf') && globalThis.valueOf.n) || 0) + 1}), globalThis.valueOf.n)"),
    "weakref_on_builtin": ("", "(Math.ref = Math.ref || new WeakRef({n: 0}), ++(Math.ref || new WeakRef({n: 0})).deref().n)"),
    "finalization_callback": ("new FinalizationRegistry(() => { globalThis.late = (globalThis.late || 0) + 1; }).register({}, 1);",
                              "((globalThis.late || 0) + 1)"),
    "top_level_job": ("Promise.resolve().then(() => { globalThis.early = (globalThis.early || 0) + 1; });",
                      "(Promise.resolve().then(() => {}), (globalThis.early || 0) + 1)"),
}


def stash_handler(prelude: str, bump: str, patches: bool) -> str:
    # A line that looks like a patch of a built-in puts the handler in the open mode.
    open_mode = "if (false) String.prototype.neverPatched = 1;\n" if patches else ""
    return (open_mode + prelude + "\nfunction handler(webhook) {\n  const n = " + bump + ";\n"
            "  webhook.url = '" + TRACK + "';\n"
            "  webhook.payload = { userId: 'u', event: 'count', properties: { n } };\n  return webhook;\n}\n")


@pytest.mark.parametrize("patches", [False, True], ids=["frozen", "open"])
def test_no_counter_survives_from_one_event_to_the_next(tmp_path: Path, patches: bool) -> None:
    for name, (prelude, bump) in STASHES.items():
        (tmp_path / f"{name}.js").write_text(stash_handler(prelude, bump, patches))
    proc, _ = runner_cli("preview", str(tmp_path), str(PAYMENT), str(REFUND), str(PAYMENT), "--format", "json")
    assert "Traceback" not in proc.stderr, proc.stderr
    counts: dict[str, list[Any]] = {}
    for line in proc.stdout.splitlines():
        record = json.loads(line)
        name = Path(record["transform"]).stem
        counts.setdefault(name, []).append(record["result"]["payload"]["properties"]["n"] if "result" in record
                                           else record["error"])
    assert counts == {name: [1, 1, 1] for name in STASHES}, counts


def test_math_random_is_reseeded_from_os_entropy_for_every_event(monkeypatch: pytest.MonkeyPatch) -> None:
    handler = Handler.from_source(
        "function handler(w) { w.url = '" + TRACK + "'; w.payload = {userId: 'u', event: 'r', "
        "properties: {r: [Math.random(), Math.random(), Math.random()]}}; return w; }", "r.js")
    engine = Engine()
    draws = [json.loads(engine.run(handler, PAYMENT.read_text()).request.body)["properties"]["r"] for _ in range(3)]
    assert len({tuple(d) for d in draws}) == 3 and all(0 <= x < 1 for d in draws for x in d)
    # Given the same entropy, every event draws the same numbers: the state is the event's seed
    # alone, nothing earlier events did or drew.
    monkeypatch.setattr(sandbox.os, "urandom", lambda n: bytes(range(1, sandbox.SEED_BYTES + 1)) * (n // sandbox.SEED_BYTES))
    engine = Engine()
    fixed = [json.loads(engine.run(handler, PAYMENT.read_text()).request.body)["properties"]["r"] for _ in range(3)]
    assert fixed[0] == fixed[1] == fixed[2]


def test_every_transform_has_a_context_of_its_own_and_their_number_is_bounded() -> None:
    engine = Engine()
    body = PAYMENT.read_text()
    handlers = [Handler.from_source(f"function handler(w) {{ w.cancel = true; return w }} // {i}", f"t{i}.js")
                for i in range(sandbox.MAX_CONTEXTS + 5)]
    for handler in handlers:
        assert engine.run(handler, body).status == "cancelled"
    contexts = list(engine._contexts.values())
    assert len(contexts) == sandbox.MAX_CONTEXTS
    assert len({id(c.ctx) for c in contexts}) == len(contexts)
    assert engine.run(handlers[0], body).status == "cancelled"  # evicted, then loaded again


# ---- results are checked on what is sent ----------------------------------------------------

def test_preview_reports_a_bad_result_and_runs_the_remaining_samples(tmp_path: Path) -> None:
    two_faced = tmp_path / "two_faced.js"
    two_faced.write_text("function handler(w) { let n = 0; w.url = 'https://x.example/h';\n"
                         "  w.headers = { get 'X-A'() { return ++n === 1 ? 'ok' : 7; } }; return w; }\n")
    proc, _ = runner_cli("preview", str(two_faced), str(PAYMENT), str(REFUND))
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    assert proc.stdout.count("InvalidResult") == 2 and "is a getter" in proc.stdout
    assert proc.returncode == 1


# ---- where tenants meet: one engine worker, several transforms on one endpoint ----------------

PATCHER = """
String.prototype.replace = function () { return "PWN"; };
Array.prototype.join = function () { return "\\u200bPWN" + this.length; };
function handler(w) {
  const d = new Date(0).toLocaleString("en-GB", { timeZone: "UTC" }) + new Intl.DateTimeFormat("en-US").format(0);
  w.url = "https://api.segment.io/v1/track";
  w.payload = { userId: "patcher", event: "p", properties: { d, r: [Math.random(), Math.random()] } };
  return w;
}
"""
VICTIM = """
function handler(w) {
  const d = new Date(0).toLocaleString("en-GB", { timeZone: "UTC" });
  const e = new Intl.DateTimeFormat("en-US").format(0) + " " + (1234.5).toLocaleString("de-DE") + " " + ["a", "b"].join("-");
  w.url = "https://api.segment.io/v1/track";
  w.payload = { userId: "victim", event: "v", properties: { d, e, id: w.payload.data.payment_id } };
  return w;
}
"""
CACHE_FILLER = """
"use strict";
function handler(w) {
  let s = "";
  for (let i = 0; i < 3000; i++) s = new Date(0).toLocaleString("en-US-x-" + (w.payload.data.total_amount % 100) + "k" + i);
  w.url = "https://api.segment.io/v1/track";
  w.payload = { userId: "filler", event: "f", properties: { s } };
  return w;
}
"""
BIG_USER = """
function handler(w) {
  const blocks = [];
  for (let i = 0; i < 40; i++) blocks.push(new Uint8Array(1 << 20).fill(i));
  w.url = "https://api.segment.io/v1/track";
  w.payload = { userId: "big", event: "b", properties: { n: blocks.length } };
  return w;
}
"""
DEEP = """
function handler(w) {
  let p = {}, q = p;
  for (let i = 0; i < 1100; i++) { q.a = {}; q = q.a; }
  w.url = "https://api.segment.io/v1/track";
  w.payload = p;
  return w;
}
"""
STASHER = """
var seen = arguments.callee.seen || (arguments.callee.seen = []);
function handler(w) {
  seen.push(w.payload.data.customer.email);
  globalThis.lastEmail = globalThis.lastEmail || w.payload.data.customer.email;
  w.url = "https://api.segment.io/v1/track";
  w.payload = { userId: "stasher", event: "s", properties: { seen: seen.slice(), last: globalThis.lastEmail } };
  return w;
}
"""
SPIN = spin_handler(NATIVE_SPINS["indexOf"]).replace("w.cancel = true;",
                                                    "w.url = 'https://api.segment.io/v1/track'; w.payload = {userId: 's', event: 's'};")
GOOD = ("function handler(w) { w.url = 'https://api.segment.io/v1/track'; "
        "w.payload = { userId: 'good', event: w.eventType, properties: { id: w.payload.data.payment_id } }; return w; }")


@pytest.fixture(scope="module")
def tenants(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("tenants")
    sources = {"patcher": PATCHER, "victim": VICTIM, "filler": CACHE_FILLER, "big": BIG_USER, "deep": DEEP,
               "stasher": STASHER, "spin": SPIN, "good": GOOD}
    for name, source in sources.items():
        (root / f"{name}.js").write_text(source)
    shared = ", ".join(f"{n}: {{file: {n}.js}}" for n in ("patcher", "victim", "filler", "big", "deep", "stasher"))
    with SegmentStandin() as standin:
        (root / "runner.yaml").write_text(
            "server: {engine_workers: 1}\n"
            "delivery: {initial_backoff_s: 0.05, max_backoff_s: 0.2, max_attempts: 3, idle_poll_s: 0.05}\n"
            f"destinations:\n  segment: {{type: segment, write_key_env: SEG_KEY, base_url: '{standin.url}'}}\n"
            "endpoints:\n"
            f"  shared: {{secret_env: HOOK_SECRET, transforms: {{{shared}}}}}\n"
            "  mixed: {secret_env: HOOK_SECRET, transforms: {spin: {file: spin.js}, good: {file: good.js}}}\n"
            "  innocent: {secret_env: HOOK_SECRET, transforms: {good: {file: good.js}}}\n")
        secret = new_secret()
        server = ServeProcess(["--config", str(root / "runner.yaml")], env={"HOOK_SECRET": secret, "SEG_KEY": "wk"},
                              data_dir=root / "data").start()
        try:
            yield server, standin, secret, sources
        finally:
            server.kill()


def post(url: str, secret: str, endpoint: str, event: dict[str, Any]) -> tuple[httpx.Response, float]:
    body, headers = signed(secret, event)
    started = time.monotonic()
    response = httpx.post(f"{url}/webhooks/{endpoint}", content=body, headers=headers, timeout=30)
    return response, time.monotonic() - started


def fresh_properties(source: str, event: dict[str, Any]) -> dict[str, Any]:
    """What a brand-new engine makes of `event`: the reference for every tenant's output."""
    engine = Engine()
    try:
        outcome = engine.run(Handler.from_source(source, "fresh.js"), json.dumps(event), event_type=event["type"])
    finally:
        engine.close()
    assert outcome.request is not None, outcome.error
    return json.loads(outcome.request.body)["properties"]


def test_tenants_on_one_endpoint_cannot_change_each_others_output(tenants: Any) -> None:
    server, standin, secret, _sources = tenants
    events = [payment_event(100 + i) for i in range(6)]
    for event in events:
        response, _ = post(server.url, secret, "shared", event)
        assert response.status_code == 200, response.text
        statuses = {t["name"]: t["status"] for t in response.json()["transforms"]}
        reasons = {t["name"]: t.get("reason", "") for t in response.json()["transforms"]}
        # The bad result is its own transform's dead letter; the others are stored and sent.
        assert statuses == {"patcher": "pending", "victim": "pending", "filler": "pending", "big": "pending",
                            "deep": "dead", "stasher": "pending"}, reasons
        assert "nested more than 256 levels" in reasons["deep"]
    assert standin.wait_for_events(5 * len(events), timeout=60) >= 5 * len(events)
    by_user: dict[str, list[dict[str, Any]]] = {}
    for event in standin.events():
        by_user.setdefault(event["userId"], []).append(event)
    victims = sorted(by_user["victim"], key=lambda e: e["properties"]["id"])
    # Byte for byte what a fresh engine makes of the same event, whatever the patcher did.
    assert [v["properties"] for v in victims] == [fresh_properties(VICTIM, e) for e in events]
    assert victims[0]["properties"]["d"] == "01/01/1970, 00:00:00"
    # The cache filler's heap is its own: the 40 MiB transform beside it never runs short.
    assert len(by_user["big"]) == len(events) and len(by_user["filler"]) == len(events)
    # No earlier customer's e-mail address reaches a later event.
    emails = sorted((e["properties"]["seen"], e["properties"]["last"]) for e in by_user["stasher"])
    assert emails == sorted(([ev["data"]["customer"]["email"]], ev["data"]["customer"]["email"]) for ev in events)
    draws = [tuple(p["properties"]["r"]) for p in by_user["patcher"]]
    assert len(set(draws)) == len(draws)


def test_a_hung_transform_costs_innocent_webhooks_about_a_second_at_most(tenants: Any) -> None:
    server, _standin, secret, _ = tenants
    hung: list[tuple[httpx.Response, float]] = []
    thread = threading.Thread(target=lambda: hung.append(post(server.url, secret, "mixed", payment_event(900))))
    thread.start()
    time.sleep(0.1)  # the hung event is in the engine worker now
    innocent, innocent_s = post(server.url, secret, "innocent", payment_event(901))
    thread.join(30)
    (response, hung_s), = hung
    assert innocent.status_code == 200 and innocent.json()["transforms"][0]["status"] == "pending"
    assert response.status_code == 200, response.text
    statuses = {t["name"]: (t["status"], t.get("reason", "")) for t in response.json()["transforms"]}
    assert statuses["good"][0] == "pending"
    assert statuses["spin"][0] == "dead" and statuses["spin"][1].startswith("TimeLimitExceeded"), statuses
    # Before the watchdog: 7.4 s for the hung webhook, 7.1 s for the innocent one behind it.
    assert innocent_s < 2.0, innocent_s
    assert hung_s < 2.5, hung_s


# ---- found by attacking the first version of all this ----------------------------------------

THROWN_PROXY = ("function handler(w) {\n  throw new Proxy({}, { getPrototypeOf() { throw new Error(__TEXT__); } });\n}\n")


@pytest.mark.parametrize("text", ['"x\\n" + "(".repeat(1e6)', '"x\\n    at f (<input>:" + "9".repeat(5000) + ":1)"'],
                         ids=["a million parentheses", "a 5000-digit line number"])
def test_a_thrown_value_whose_every_check_throws_is_that_events_error(text: str) -> None:
    handler = Handler.from_source(THROWN_PROXY.replace("__TEXT__", text), "proxy.js")
    with EnginePool(workers=1, limits=Limits(time_ms=LIMIT_MS)) as pool:
        started = time.monotonic()
        outcome = pool.run(handler, PAYMENT.read_text())
        assert time.monotonic() - started < LIMIT_MS / 1000 + 2.0
        assert outcome.error is not None and len(outcome.error.message) <= 4200, outcome.error
        assert pool.run(handler, REFUND.read_text()).error is not None  # and the next event runs


def test_check_reports_a_top_level_throw_of_such_a_value_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.js"
    bad.write_text('throw new Proxy({}, { getPrototypeOf() { throw new Error("x\\n    at f (<input>:" + "9".repeat(5000) + ":1)"); } });\n'
                   "function handler(w) { return w; }\n")
    proc, _ = runner_cli("check", str(bad))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "LoadError" in proc.stderr, proc.stderr


OPEN_MODE_STASHES = {
    # A counter in the sign of zero of built-ins' `length`: +0 and -0 are === equal.
    "negative_zero": """
const BITS = [String.prototype.trim, String.prototype.toLowerCase, Array.prototype.keys, Date.now, Math.random];
function handler(w) {
  let n = 0;
  for (let i = 0; i < BITS.length; i++) if (Object.is(BITS[i].length, -0)) n |= 1 << i;
  n++;
  for (let i = 0; i < BITS.length; i++) Object.defineProperty(BITS[i], "length", { value: (n >> i) & 1 ? -0 : 0 });
  w.url = "https://api.segment.io/v1/track";
  w.payload = { userId: "u", event: "count", properties: { n } };
  return w;
}
String.prototype.neverUsed = undefined;
""",
    # A promise job plants an accessor, and Object.prototype getters answer for the fields an
    # accessor descriptor lacks, so that a restore reading descriptors through the prototype
    # chain would see nothing changed.
    "planted_descriptor_fields": """
const FP = Function.prototype, OP = Object.prototype;
function handler(w) {
  const d = Reflect.getOwnPropertyDescriptor(FP, "toString");
  const stash = d.get && d.get.stash ? d.get.stash : { n: 0 };
  const orig = d.get ? d.get.orig : d.value;
  stash.n++;
  const n = stash.n;
  Promise.resolve().then(() => {
    const get = function toString() { return orig; };
    get.stash = stash; get.orig = orig;
    Reflect.defineProperty(FP, "toString", { __proto__: null, get, set: undefined, enumerable: false, configurable: true });
    const ours = (self) => { const g = Reflect.getOwnPropertyDescriptor(self, "get"); return g !== undefined && g.value === get; };
    Reflect.defineProperty(OP, "value", { __proto__: null, get() { return ours(this) ? orig : undefined; }, configurable: true });
    Reflect.defineProperty(OP, "writable", { __proto__: null, get() { return ours(this) ? true : undefined; }, configurable: true });
  });
  w.url = "https://api.segment.io/v1/track";
  w.payload = { userId: "u", event: "count", properties: { n } };
  return w;
}
String.prototype.neverUsed = undefined;
""",
}


def test_open_mode_restores_what_descriptor_tricks_would_hide(tmp_path: Path) -> None:
    for name, source in OPEN_MODE_STASHES.items():
        (tmp_path / f"{name}.js").write_text(source)
    proc, _ = runner_cli("preview", str(tmp_path), str(PAYMENT), str(REFUND), str(PAYMENT), "--format", "json")
    counts: dict[str, list[Any]] = {}
    for line in proc.stdout.splitlines():
        record = json.loads(line)
        counts.setdefault(Path(record["transform"]).stem, []).append(
            record["result"]["payload"]["properties"]["n"] if "result" in record else record["error"])
    assert counts == {name: [1, 1, 1] for name in OPEN_MODE_STASHES}, counts


def test_huge_locale_tags_leave_no_heap_behind() -> None:
    # Each event formats with megabyte-long private-use tags no event used before; cached, they
    # would fill the heap of every later event.
    handler = Handler.from_source(
        "function handler(w) { const tag = 'en-x-' + String(Math.random()).slice(2, 10) + '-' + 'abcdefgh-'.repeat(110000) + 'z';\n"
        "  const s = (1).toLocaleString(tag) + (2).toLocaleString(tag + '-y');\n"
        "  w.cancel = s !== '12'; return w; }", "tags.js")
    # The time limit is raised: the heap is what is measured here, and megabyte tags take a
    # while on a machine busy with other work.
    engine = Engine(limits=Limits(memory_bytes=16 * 2 ** 20, time_ms=10_000))
    outcomes = [engine.run(handler, PAYMENT.read_text()) for _ in range(8)]
    assert [o.status for o in outcomes] == ["unchanged"] * 8, [o.error for o in outcomes]
    assert engine.contexts_created <= 2


@pytest.mark.parametrize("result", ["return Symbol('x'.repeat(1 << 22));",
                                    "w.url = 'https://a.example/'; w.method = 'x'.repeat(2 ** 22); return w;",
                                    "w.url = 'https://a.example/\\u0001' + 'x'.repeat(2 ** 20); return w;",
                                    "w.url = 'https://a.example/'; w.headers = {['x'.repeat(2 ** 13) + ' ']: 'v'}; return w;"],
                         ids=["symbol", "method", "url", "header name"])
def test_every_error_message_is_bounded(result: str) -> None:
    outcome = Engine().run(Handler.from_source("function handler(w) { " + result + " }", "big.js"), PAYMENT.read_text())
    assert outcome.error is not None and outcome.error.type == "InvalidResult"
    assert len(outcome.error.message) <= 4096 + 100, len(outcome.error.message)


def test_preview_of_invalid_utf8_on_stdin_is_a_syntax_error() -> None:
    proc = subprocess.run([sys.executable, "-m", "runner", "preview", "-", str(PAYMENT)], cwd=ROOT, capture_output=True,
                          input=b"function handler(w) { return '\xff'; }", timeout=60)
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
    assert b"not valid UTF-8" in proc.stderr and b"<stdin>:1:" in proc.stderr, proc.stderr


def test_preview_lays_out_a_huge_deep_result_compactly(tmp_path: Path) -> None:
    deep = tmp_path / "deep.js"
    deep.write_text("function handler(w) { let p = new Array(100000).fill(0); for (let i = 0; i < 250; i++) p = [p];\n"
                    "  w.url = 'https://x.example/h'; w.payload = p; return w; }\n")
    proc, _ = runner_cli("preview", str(deep), str(PAYMENT))
    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout) < 2 * 1024 * 1024  # indented, it would be about 56 MB


def test_code_that_parses_slowly_is_parsed_in_a_child_under_a_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    from runner.engine import handler as handler_module
    monkeypatch.setattr(handler_module, "PARSE_TIMEOUT_S", 0.3)
    source = "function handler(w) {\n" + "\n".join(f"let v{i} = {i};" for i in range(60000)) + "\nreturn w; }\n"
    started = time.monotonic()
    with pytest.raises(Exception, match="did not parse within"):
        Handler.from_source(source, "lets.js")
    assert time.monotonic() - started < 5


def test_back_to_back_kills_each_cost_about_the_limit() -> None:
    spin = Handler.from_source(spin_handler(NATIVE_SPINS["sparse_join"]), "spin.js")
    with EnginePool(workers=1, limits=Limits(time_ms=LIMIT_MS)) as pool:
        started = time.monotonic()
        outcomes = [f.result() for f in [pool.submit(spin, PAYMENT.read_text()) for _ in range(4)]]
        elapsed = time.monotonic() - started
    assert [o.error.type for o in outcomes if o.error] == ["TimeLimitExceeded"] * 4
    assert elapsed < 4 * (LIMIT_MS / 1000 + 0.2) + 4.0, elapsed


def test_a_promise_chain_that_exhausts_memory_is_reported_as_the_memory_limit() -> None:
    handler = Handler.from_source(
        "function handler(w) { let p = Promise.resolve(); for (let i = 0; i < 2e5; i++) p = p.then(() => {}); return w; }", "p.js")
    outcome = Engine(limits=Limits(memory_bytes=16 * 2 ** 20)).run(handler, PAYMENT.read_text())
    assert outcome.error is not None and outcome.error.type in ("MemoryLimitExceeded", "TimeLimitExceeded"), outcome.error


# ---- found by attacking the second version ---------------------------------------------------

@pytest.mark.parametrize("source", [
    "function handler(w) { w.url = 'https://a.example/x'; w.payload = { e: '\\u{1F600}\\u{1F600}' }; w.headers = {'X-A': 'v'}; return w; }",
    "function handler(w) { w.url = 'https://a.example/\\u{1F600}'; w.payload = { e: 1 }; return w; }",
    "function handler(w) { w.payload.data.x = '\\u{1F600}'; w.url = 'https://a.example/x'; return w; }",
], ids=["in the payload", "in the url", "in the original body"])
def test_characters_outside_the_bmp_never_shift_the_body_that_is_sent(source: str) -> None:
    outcome = Engine().run(Handler.from_source(source, "astral.js"), PAYMENT.read_text())
    assert outcome.request is not None, outcome.error
    sent = json.loads(outcome.request.body)  # the payload exactly, nothing of the head or tail
    webhook = json.loads(outcome.webhook_json or "")
    assert sent == webhook["payload"]


FORGERS = {
    # A patched push would be handed the runtime's own array of log entries.
    "logs_through_push": """
const push = Array.prototype.push;
function handler(w) { let L;
  Array.prototype.push = function (...a) { if (a[0] && typeof a[0].level === 'string') L = this; return Reflect.apply(push, this, a); };
  console.log('x'); Array.prototype.push = push;
  if (L) { for (let i = 0; i < 20; i++) L[L.length] = { level: 'log', message: 'L'.repeat(1 << 20) }; L[0] = {}; }
  w.cancel = true; return w; }
""",
    # A toJSON on Object.prototype that cannot be removed would write the invocation's record.
    "record_through_tojson": """
function handler(w) {
  Object.prototype.toJSON = function () { return ('r' in this && 'logs' in this) ? { r: { status: 'bogus' }, logs: [] } : this; };
  Object.preventExtensions(Object.prototype); w.cancel = true; return w; }
""",
    # A patched WeakMap get would be handed the runtime's map of error positions.
    "positions_through_weakmap": """
const get = WeakMap.prototype.get;
function handler(w) {
  WeakMap.prototype.get = function (k) { this.set(k, ['one', 1.5]); return Reflect.apply(get, this, [k]); };
  throw new Error('where?'); }
""",
}


@pytest.mark.parametrize("name", list(FORGERS))
def test_open_mode_handlers_cannot_forge_the_runtimes_record(name: str) -> None:
    engine = Engine()
    outcome = engine.run(Handler.from_source(FORGERS[name], f"{name}.js"), PAYMENT.read_text())
    assert outcome.status in ("cancelled", "error")
    assert sum(len(e.message) for e in outcome.logs) <= Limits().log_bytes
    if outcome.error is not None:
        assert outcome.error.type in ("InvalidResult", "Error"), outcome.error
        assert outcome.error.line is None or isinstance(outcome.error.line, int)


def test_cyclic_garbage_of_earlier_events_never_fails_a_later_one() -> None:
    # Each event fits the limit on its own; what earlier ones left for the cycle collector must
    # not make a later one fail.
    handler = Handler.from_source(
        "function handler(w) { let keep = []; for (let i = 0; i < 60000; i++) { const o = { a: [i, i], b: 'x' + i }; o.self = o; keep.push(o); }"
        " keep = null; w.cancel = true; return w; }", "cycles.js")
    engine = Engine(limits=Limits(memory_bytes=24 * 2 ** 20))
    statuses = [engine.run(handler, PAYMENT.read_text()).status for _ in range(12)]
    assert statuses == ["cancelled"] * 12, statuses


def test_preview_of_a_sample_nested_too_deeply_is_a_sample_error(tmp_path: Path) -> None:
    sample = tmp_path / "deep.json"
    sample.write_text('{"type": "payment.succeeded", "data": ' + "[" * 5000 + "]" * 5000 + "}")
    proc, _ = runner_cli("preview", str(ROOT / "transforms" / "segment-track-payments.js"), str(sample))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "nested too deeply" in proc.stderr, proc.stderr
