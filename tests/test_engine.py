"""The engine's contract: inputs, result validation, errors with positions, limits, isolation."""

from __future__ import annotations

import json

import pytest

from runner.engine import Engine, Handler, Limits
from runner.errors import HandlerLoadError, HandlerSyntaxError, NoHandlerError
from tests.conftest import sample_text

BODY = sample_text("payment.succeeded.json")


def h(source: str, name: str = "h.js") -> Handler:
    return Handler.from_source(source, filename=name)


def run(engine: Engine, source: str, body: str = BODY, **kw):
    return engine.run(h(source), body, **kw)


# ---- loading -------------------------------------------------------------------------------

def test_syntax_error_names_file_line_column_and_source_line():
    with pytest.raises(HandlerSyntaxError) as info:
        h("function handler(webhook) {\n  const x = ;\n  return webhook;\n}", "bad.js")
    err = info.value
    assert (err.filename, err.line, err.column) == ("bad.js", 2, 13)
    assert err.source_line == "  const x = ;"
    text = err.render()
    assert text.startswith("bad.js:2:13: SyntaxError:")
    assert "  const x = ;\n" in text and text.split("\n")[2].index("^") == 4 + 12


def test_top_level_return_is_rejected_as_in_a_script():
    with pytest.raises(HandlerSyntaxError):
        h("return 1;\nfunction handler(w) { return w }")


def test_missing_handler_is_reported():
    with pytest.raises(NoHandlerError) as info:
        h("function transform(webhook) { return webhook }", "nohandler.js")
    assert "handler" in info.value.render() and "nohandler.js" in info.value.render()


def test_handler_that_is_not_a_function(engine):
    handler = h("var handler = 5;")  # parsing runs nothing: the engine finds out when it loads it
    with pytest.raises(NoHandlerError, match="is a number"):
        engine.prepare(handler)


def test_arrow_function_handler_is_accepted(engine):
    assert run(engine, "const handler = (w) => { w.cancel = true; return w };").status == "cancelled"


def test_top_level_throw_is_a_load_error_with_position(engine):
    handler = h("function handler(w) { return w }\nconst table = {};\ntable.missing.key = 1;\n", "load.js")
    with pytest.raises(HandlerLoadError) as info:
        engine.prepare(handler)
    assert info.value.line == 3
    assert "TypeError" in info.value.message


# ---- the input webhook ---------------------------------------------------------------------

def test_input_webhook_fields(engine):
    outcome = run(engine, """function handler(w) {
      w.payload = {
        eventType: w.eventType, url: w.url, method: w.method, cancel: w.cancel,
        headers: w.headers, env: w.env, type: w.payload.type, keys: Object.keys(w),
      };
      return w;
    }""", url="https://hooks.example.com/in", env={"SEGMENT_KEY": "abc"})
    assert outcome.status == "sent"
    assert json.loads(outcome.request.body) == {
        "eventType": "payment.succeeded", "url": "https://hooks.example.com/in", "method": "POST",
        "cancel": False, "headers": {}, "env": {"SEGMENT_KEY": "abc"}, "type": "payment.succeeded",
        "keys": ["eventType", "payload", "url", "method", "cancel", "headers", "env"],
    }


def test_env_is_read_only_and_event_type_changes_are_ignored(engine):
    outcome = run(engine, """function handler(w) {
      w.env.KEY = "changed"; w.eventType = "other"; w.payload = {key: w.env.KEY}; return w;
    }""", env={"KEY": "original"})
    assert json.loads(outcome.request.body) == {"key": "original"}
    assert json.loads(outcome.webhook_json)["eventType"] == "payment.succeeded"
    assert "env" not in json.loads(outcome.webhook_json)


def test_webhook_json_has_the_documented_keys(engine):
    outcome = run(engine, 'function handler(w) { w.headers["X-Source"] = "dodo"; w.url = "https://a.example/x"; return w }')
    assert list(json.loads(outcome.webhook_json)) == ["eventType", "url", "method", "payload", "cancel", "headers"]
    plain = run(engine, 'function handler(w) { w.url = "https://a.example/x"; return w }')
    assert list(json.loads(plain.webhook_json)) == ["eventType", "url", "method", "payload", "cancel"]


def test_statuses(engine):
    assert run(engine, "function handler(w) { return w }").status == "unchanged"
    assert run(engine, "function handler(w) { w.cancel = true; return w }").status == "cancelled"
    assert run(engine, "function handler(w) { w.cancel = true; return w }").request is None
    sent = run(engine, "function handler(w) { w.payload.extra = 1; return w }")
    assert sent.status == "sent"  # mutated in place: not the original body any more
    assert json.loads(sent.request.body)["extra"] == 1
    assert run(engine, 'function handler(w) { w.method = "PUT"; return w }').request.method == "PUT"


def test_payload_serialised_with_json_stringify_semantics(engine):
    outcome = run(engine, """function handler(w) {
      w.payload = {a: undefined, b: NaN, c: Infinity, d: -0, e: 1e21, f: [undefined, function(){}],
                   g: new Date(0), h: "\\u2028", i: 0.1 + 0.2};
      return w;
    }""")
    assert outcome.request.body == ('{"b":null,"c":null,"d":0,"e":1e+21,"f":[null,null],'
                                    '"g":"1970-01-01T00:00:00.000Z","h":"\u2028","i":0.30000000000000004}')


# ---- invalid results: each has its own message ----------------------------------------------

@pytest.mark.parametrize("source, fragment", [
    ("function handler(w) { }", "returned undefined"),
    ("function handler(w) { return 42 }", "returned number 42"),
    ("function handler(w) { return null }", "returned null"),
    ("function handler(w) { return [w] }", "returned an array"),
    ('function handler(w) { w.url = "not a url"; return w }', "must not contain spaces"),
    ('function handler(w) { w.url = "ftp://x.example/"; return w }', "absolute http:// or https:// URL"),
    ('function handler(w) { w.url = "/v1/track"; return w }', "absolute http:// or https:// URL"),
    ("function handler(w) { w.url = 5; return w }", "webhook.url must be a string"),
    ('function handler(w) { w.method = "DELETE"; return w }', "one of POST, PUT, PATCH"),
    ('function handler(w) { w.method = "post"; return w }', "capitals"),
    ('function handler(w) { w.cancel = "yes"; return w }', "cancel must be a boolean"),
    ("function handler(w) { w.headers = {A: 1}; return w }", 'headers["A"] must be a string'),
    ('function handler(w) { w.headers = {"X": "a\\r\\nEvil: 1"}; return w }', "line breaks"),
    ('function handler(w) { w.headers = {"Bad Name": "v"}; return w }', "invalid header name"),
    ("function handler(w) { w.headers = []; return w }", "headers must be an object"),
    ("function handler(w) { w.payload = undefined; return w }", "payload must be a JSON value"),
    ("function handler(w) { const a = {}; a.self = a; w.payload = a; return w }", "not JSON-serialisable"),
    ("function handler(w) { w.payload = {n: 10n}; return w }", "not JSON-serialisable"),
])
def test_invalid_results(engine, source, fragment):
    outcome = run(engine, source)
    assert outcome.status == "error"
    assert outcome.error.type == "InvalidResult", outcome.error
    assert fragment in outcome.error.message


def test_throw_reports_type_message_and_position(engine):
    outcome = engine.run(h("function handler(w) {\n  const d = w.payload.data;\n  return d.nothing.here;\n}", "t.js"), BODY)
    assert outcome.error.type == "TypeError"
    assert (outcome.error.line, outcome.error.source_line) == (3, "  return d.nothing.here;")
    assert outcome.error.column is not None


def test_custom_error_and_non_error_throws(engine):
    custom = run(engine, '// a custom error class\nclass Nope extends Error { constructor(m) { super(m); this.name = "Nope" } }; '
                         'function handler(w) { throw new Nope("bad event") }')
    assert (custom.error.type, custom.error.message, custom.error.line) == ("Nope", "bad event", 2)
    thrown = run(engine, 'function handler(w) { throw "plain string" }')
    assert thrown.error.type == "Error" and "plain string" in thrown.error.message


def test_getter_that_throws_on_the_result(engine):
    outcome = run(engine, 'function handler(w) { return { get url() { throw new RangeError("no url") } } }')
    assert (outcome.error.type, outcome.error.message) == ("RangeError", "no url")


def test_to_json_is_honoured(engine):
    outcome = run(engine, 'function handler(w) { w.payload = {toJSON() { return {via: "toJSON"} }}; return w }')
    assert outcome.request.body == '{"via":"toJSON"}'


# ---- limits --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tight() -> Engine:
    eng = Engine(limits=Limits(time_ms=200, memory_bytes=16 * 2**20))
    yield eng
    eng.close()


@pytest.mark.parametrize("source, kind", [
    ("function handler(w) {\n  while (true) {}\n}", "TimeLimitExceeded"),
    ("function handler(w) { for (;;) { w.n = (w.n || 0) + 1 } }", "TimeLimitExceeded"),
    ('function handler(w) { /(a+)+$/.test("a".repeat(40) + "b"); return w }', "TimeLimitExceeded"),
    ("function handler(w) { const a = []; for (;;) a.push(new Array(100000).fill(a.length)) }", "MemoryLimitExceeded"),
    ('function handler(w) { const keep = []; for (;;) keep.push("x".repeat(1 << 20) + keep.length) }', "MemoryLimitExceeded"),
    ("function handler(w) { function f(n) { return f(n + 1) + 1 } return f(0) }", "StackLimitExceeded"),
    ("async function handler(w) { for (;;) await null }", "TimeLimitExceeded"),
    ("function handler(w) { const loop = () => { Promise.resolve().then(loop) }; loop(); return w }", "TimeLimitExceeded"),
])
def test_limits_yield_errors_and_the_engine_carries_on(tight, seed_handlers, source, kind):
    outcome = tight.run(h(source), BODY)
    assert outcome.status == "error"
    assert outcome.error.type == kind, outcome.error
    after = tight.run(seed_handlers["segment-track-payments.js"], BODY)
    assert after.status == "sent"


def test_stack_overflow_caught_by_the_handler_is_its_business(tight):
    outcome = tight.run(h("function handler(w) { try { (function f() { f() })() } catch (e) { w.payload = {e: e.name} } return w }"), BODY)
    assert outcome.request.body == '{"e":"RangeError"}'


# ---- isolation -----------------------------------------------------------------------------

ISOLATION = {
    "top-level let": "let calls = 0;\nfunction handler(w) { calls++; w.payload = {v: calls}; return w }",
    "implicit global": "function handler(w) { counter = (typeof counter === 'number' ? counter : 0) + 1; w.payload = {v: counter}; return w }",
    "globalThis write": "function handler(w) { globalThis.seen = (globalThis.seen || 0) + 1; w.payload = {v: seen}; return w }",
    "var via indirect eval": "function handler(w) { (0, eval)('var ev = (typeof ev === \"number\" ? ev : 0) + 1'); w.payload = {v: ev}; return w }",
    "Array.prototype": "function handler(w) { const had = typeof [].sum; try { Array.prototype.sum = 1 } catch (e) {} w.payload = {v: had}; return w }",
    "Object.prototype": "function handler(w) { const had = ({}).isAdmin; try { Object.prototype.isAdmin = true } catch (e) {} w.payload = {v: had === undefined ? 'clean' : 'polluted'}; return w }",
    "JSON.parse": "function handler(w) { const v = JSON.parse('1'); try { JSON.parse = () => 'hijacked' } catch (e) {} w.payload = {v}; return w }",
    "JSON global": "function handler(w) { const v = JSON.stringify([1]); JSON = {stringify: () => 'x'}; w.payload = {v}; return w }",
    "Math.random": "function handler(w) { const v = typeof Math.random(); try { Math.random = () => 4 } catch (e) {} w.payload = {v}; return w }",
    "defineProperty on global": "function handler(w) { const v = typeof locked; Object.defineProperty(globalThis, 'locked', {value: 1}); w.payload = {v}; return w }",
    "prototype of global": "function handler(w) { const v = typeof polluted; try { Object.setPrototypeOf(globalThis, {polluted: 1}) } catch (e) {} w.payload = {v}; return w }",
    "Error.prepareStackTrace": "function handler(w) { const v = String(typeof Error.prepareStackTrace); Error.prepareStackTrace = () => 'mine'; Error.stackTraceLimit = 0; w.payload = {v}; return w }",
    "delete a global": "function handler(w) { const v = typeof parseInt; delete globalThis.parseInt; w.payload = {v}; return w }",
    "console": "function handler(w) { const v = typeof console.log; console.log = null; w.payload = {v}; return w }",
}


@pytest.mark.parametrize("name", sorted(ISOLATION))
def test_every_event_sees_a_pristine_world(engine, name):
    handler = h(ISOLATION[name])
    first = engine.run(handler, BODY)
    assert first.status == "sent", first.error
    for _ in range(3):
        again = engine.run(handler, BODY)
        assert again.request.body == first.request.body, name


def test_patched_builtins_do_not_reach_another_handler(engine):
    engine.run(h("function handler(w) { try { Object.prototype.polluted = 1; String.prototype.trim = () => 'x' } catch (e) {} globalThis.shared = 1; return w }"), BODY)
    probe = run(engine, "function handler(w) { w.payload = {p: ({}).polluted, t: ' a '.trim(), s: typeof shared}; return w }")
    assert probe.request.body == '{"t":"a","s":"undefined"}'


def test_instances_can_still_override_inherited_names(engine):
    outcome = run(engine, """class AppError extends Error {
      constructor(m) { super(m); this.name = "AppError"; }
    }
    function handler(w) {
      const o = {}; o.toString = () => "custom"; o.constructor = "c"; o.valueOf = () => 7;
      const e = new AppError("boom");
      w.payload = {s: String(o), c: o.constructor, v: o + 0, n: e.name, t: e.toString(), own: Object.keys(o)};
      return w;
    }""")
    assert json.loads(outcome.request.body) == {"s": "custom", "c": "c", "v": 7, "n": "AppError",
                                               "t": "AppError: boom", "own": ["toString", "constructor", "valueOf"]}


# ---- console -------------------------------------------------------------------------------

def test_console_is_captured_with_levels_and_kept_out_of_the_payload(engine):
    outcome = run(engine, """function handler(w) {
      console.log("event", w.eventType, {n: 1, s: "x"}, [1, 2]);
      console.info("info"); console.warn("warn %s=%d", "n", 5); console.error(new Error("oops").message);
      console.debug(null, undefined, true);
      w.url = "https://api.segment.io/v1/track";
      return w;
    }""")
    assert [(e.level, e.message) for e in outcome.logs] == [
        ("log", "event payment.succeeded { n: 1, s: 'x' } [ 1, 2 ]"),
        ("info", "info"), ("warn", "warn n=5"), ("error", "oops"), ("debug", "null undefined true"),
    ]
    assert "event" not in outcome.request.body[:20]


def test_console_output_is_capped_per_invocation(engine):
    outcome = run(engine, 'function handler(w) { for (let i = 0; i < 100000; i++) console.log("line " + i); return w }')
    assert outcome.logs_truncated
    assert sum(len(e.message) for e in outcome.logs) <= Limits().log_bytes
    fresh = run(engine, 'function handler(w) { console.log("one"); return w }')
    assert [e.message for e in fresh.logs] == ["one"] and not fresh.logs_truncated


# ---- async ---------------------------------------------------------------------------------

def test_async_handler_is_awaited(engine):
    outcome = run(engine, """async function handler(w) {
      const v = await Promise.all([1, Promise.resolve(2)]);
      w.payload = {v}; w.url = "https://api.segment.io/v1/track"; return w;
    }""")
    assert (outcome.status, outcome.request.body) == ("sent", '{"v":[1,2]}')


def test_rejected_promise_is_an_error(engine):
    outcome = run(engine, 'async function handler(w) { await null; throw new TypeError("late") }')
    assert (outcome.error.type, outcome.error.message) == ("TypeError", "late")


def test_promise_that_never_settles(engine):
    outcome = run(engine, "function handler(w) { return new Promise(() => {}) }")
    assert outcome.error.type == "UnsettledPromise"


# ---- the sandbox has no way out --------------------------------------------------------------

@pytest.mark.parametrize("expr", [
    "typeof require", "typeof process", "typeof std", "typeof os", "typeof fetch", "typeof XMLHttpRequest",
    "typeof setTimeout", "typeof setInterval", "typeof Deno", "typeof Bun",
])
def test_no_host_access(engine, expr):
    outcome = run(engine, f"function handler(w) {{ w.payload = {{v: {expr}}}; return w }}")
    assert outcome.request.body == '{"v":"undefined"}'


def test_dynamic_import_cannot_load_host_modules(engine):
    outcome = run(engine, """async function handler(w) {
      let r = [];
      for (const m of ["std", "os", "fs", "node:fs"]) {
        try { await import(m); r.push(m + ":loaded") } catch (e) { r.push(m + ":" + e.name) }
      }
      w.payload = r; return w;
    }""")
    assert all(not item.endswith(":loaded") for item in json.loads(outcome.request.body))


def test_invalid_body_is_an_input_error(engine):
    outcome = engine.run(h("function handler(w) { return w }"), "{not json")
    assert outcome.error.type == "InvalidInput"


# ---- the body is parsed only when read (event type given by the caller) ----------------------

LAZY = dict(event_type="payment.succeeded")


def test_untouched_body_is_unchanged_without_parsing(engine):
    outcome = engine.run(h("function handler(w) { if (w.eventType === 'refund.failed') w.payload = {}; return w }"),
                         BODY, **LAZY)
    assert outcome.status == "unchanged"
    assert outcome.request.body == BODY
    assert json.loads(outcome.webhook_json)["payload"] == json.loads(BODY)


@pytest.mark.parametrize("source, status, body", [
    ("function handler(w) { w.payload.extra = 1; return w }", "sent", None),
    ("function handler(w) { const p = w.payload; return w }", "unchanged", None),
    ("function handler(w) { Object.defineProperty(w, 'payload', {value: {x: 1}}); return w }", "sent", '{"x":1}'),
    ("function handler(w) { return {...w, url: 'https://x.example/'} }", "sent", None),
    ("function handler(w) { w.url = 'https://x.example/'; return w }", "sent", None),
    ("function handler(w) { w.payload = {a: 1}; return w }", "sent", '{"a":1}'),
    ("function handler(w) { w.cancel = true; w.headers = {X: 'y'}; return w }", "cancelled", None),
    ("function handler(w) { return JSON.parse(JSON.stringify(w)) }", "unchanged", None),
])
def test_reading_or_replacing_the_body_is_seen(engine, source, status, body):
    lazy = engine.run(h(source), BODY, **LAZY)
    eager = engine.run(h(source), BODY)
    assert lazy.status == eager.status == status
    assert lazy.webhook_json == eager.webhook_json
    if body is not None:
        assert lazy.request.body == body


def test_lazy_body_that_is_not_json_fails_where_it_is_read(engine):
    outcome = engine.run(h("function handler(w) {\n  return w.payload.type;\n}"), "{oops", **LAZY)
    assert outcome.error.type == "SyntaxError" and outcome.error.line == 2


# ---- error messages worded as V8 words them ---------------------------------------------------

@pytest.mark.parametrize("code, message", [
    ("const o = undefined; o.x", "Cannot read properties of undefined (reading 'x')"),
    ("const o = null; o.toString()", "Cannot read properties of null (reading 'toString')"),
    ("const o = {}; o.a.b = 1", "Cannot set properties of undefined (setting 'b')"),
    ("const o = {}; o.foo()", "o.foo is not a function"),
    ("const o = {a: {}};  o.a.bar(1)", "o.a.bar is not a function"),
    ("const f = 5;   f()", "f is not a function"),
    ("[].reduce((a, b) => a)", "Reduce of empty array with no initial value"),
    ("new Array(-1)", "Invalid array length"),
    ("JSON.parse('{bad')", "Expected property name or '}' in JSON at position 1"),
    ("Symbol() + ''", "Cannot convert a Symbol value to a string"),
])
def test_common_error_messages_read_as_in_v8(engine, code, message):
    outcome = run(engine, f"function handler(w) {{\n  try {{ {code} }} catch (e) {{ w.payload = {{m: e.message}} }}\n  return w;\n}}")
    assert json.loads(outcome.request.body) == {"m": message}


def test_uncaught_errors_are_reported_in_v8_words(engine):
    outcome = run(engine, "function handler(w) {\n  return w.payload.data.customer.address.city;\n}")
    assert outcome.error.message == "Cannot read properties of undefined (reading 'city')"


# ---- handlers that patch built-ins run with them writable, put back after each event ----------

PATCHING = {
    "String.prototype": ("String.prototype.titleCase = function () { return this.replace(/\\b\\w/g, c => c.toUpperCase()) };\n"
                         "function handler(w) { w.payload = {v: 'jane doe'.titleCase(), had: typeof ''.shout}; "
                         "String.prototype.shout = () => '!'; return w }", {"v": "Jane Doe", "had": "undefined"}),
    "Array.prototype via defineProperty": (
        "Object.defineProperty(Array.prototype, 'last', {get() { return this[this.length - 1] }, configurable: true});\n"
        "function handler(w) { w.payload = {v: [1, 2, 3].last}; return w }", {"v": 3}),
    "JSON.stringify override": ("const original = JSON.stringify;\nJSON.stringify = (v) => 'patched';\n"
                                "function handler(w) { w.payload = {v: JSON.stringify(1), orig: original(1)}; return w }",
                                {"v": "patched", "orig": "1"}),
    "Math helper": ("Math.round2 = (x) => Math.round(x * 100) / 100;\n"
                    "function handler(w) { w.payload = {v: Math.round2(1.005 * 3)}; return w }", {"v": 3.01}),
}


@pytest.mark.parametrize("name", sorted(PATCHING))
def test_patched_builtins_work_within_the_event_as_in_v8(engine, name):
    source, expected = PATCHING[name]
    handler = h(source)
    assert handler.patches_builtins
    for _ in range(3):
        outcome = engine.run(handler, BODY)
        assert outcome.status == "sent", outcome.error
        assert json.loads(outcome.request.body) == expected


def test_patches_never_reach_the_next_event_or_another_handler(engine):
    patcher = h("Object.prototype.polluted = 'yes'; Array.prototype.push = function () { return -1 };\n"
                "String.prototype.trim = function () { return 'hijacked' };\n"
                "function handler(w) { w.payload = {p: ({}).polluted, n: [].push(1)}; return w }")
    assert patcher.patches_builtins
    assert json.loads(engine.run(patcher, BODY).request.body) == {"p": "yes", "n": -1}
    probe_src = "function handler(w) { const a = []; a.push(1); w.payload = {p: ({}).polluted, n: a.length, t: ' x '.trim()}; return w }"
    clean = {"n": 1, "t": "x"}
    assert json.loads(engine.run(h(probe_src), BODY).request.body) == clean
    # The same probe in the writable-built-ins context (it patches something harmless itself).
    open_probe = h("Math.unused = 1;\n" + probe_src)
    assert open_probe.patches_builtins
    assert json.loads(engine.run(open_probe, BODY).request.body) == clean


def test_unrestorable_changes_replace_the_open_context(engine):
    freezer = h("Object.freeze(Array.prototype); Math.x = 1;\nfunction handler(w) { return w }")
    before = engine.contexts_created
    engine.run(freezer, BODY)
    probe = h("Math.y = 1;\nfunction handler(w) { Array.prototype.added = 1; w.payload = {v: [].added}; return w }")
    assert json.loads(engine.run(probe, BODY).request.body) == {"v": 1}
    assert engine.contexts_created > before


def test_a_handlers_own_stack_trace_hook_never_runs(tight):
    # It would run where QuickJS drops the time limit's interrupt: a loop there would never end.
    outcome = tight.run(h("function handler(w) {\n  Error.prepareStackTrace = () => { for (;;) {} };\n"
                          "  const before = typeof Error.prepareStackTrace;\n  new Error('x').stack;\n"
                          "  w.payload = {before}; return w;\n}"), BODY)
    assert outcome.request.body == '{"before":"function"}'
    after = tight.run(h("function handler(w) { w.payload = {t: typeof Error.prepareStackTrace}; return w }"), BODY)
    assert after.request.body == '{"t":"undefined"}'


def test_a_proxy_whose_traps_loop_inside_the_stack_trace_hook_is_still_stopped(tight):
    outcome = tight.run(h("function handler(w) {\n  const p = new Proxy(new Error('m'), {getOwnPropertyDescriptor() { for (;;) {} }});\n"
                          "  for (;;) { try { Error.captureStackTrace(p) } catch (e) {} }\n}"), BODY)
    assert outcome.error.type == "TimeLimitExceeded"


@pytest.mark.parametrize("record", [
    {"type": "InternalError", "message": "out of memory", "stack": None},
    {"type": "InternalError", "message": "", "stack": None},  # even the message could not be made
    {"type": "Error", "message": "handler threw a non-Error value: null", "stack": None},
])
def test_the_ways_quickjs_reports_an_exhausted_heap_all_read_as_the_memory_limit(record):
    from runner.engine.record import read_record

    raw = json.dumps({"r": {"error": record}, "logs": [], "eventType": "payment.succeeded"})
    outcome = read_record(h("function handler(w) { return w }"), BODY, raw, 0.0, Limits())
    assert outcome.error.type == "MemoryLimitExceeded"


# ---- jobs the handler leaves queued ----------------------------------------------------------

def messages(outcome) -> list[str]:
    return [e.message for e in outcome.logs]


@pytest.mark.parametrize("asynchronous", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("patches", [False, True], ids=["frozen", "open"])
def test_what_queued_jobs_log_is_kept_after_the_handler_returns(engine, asynchronous, patches):
    source = ("if (false) String.prototype.neverPatched = 1;\n" if patches else "") + (
        ("async " if asynchronous else "") + """function handler(w) {
      Promise.resolve(1).then((v) => console.log("then", v));
      queueMicrotask(() => console.log("microtask"));
      (async () => { for await (const x of [1, 2]) console.log("for await", x); })();
      w.payload = { ok: true };
      console.log("returning");
      return w;
    }""")
    outcome = run(engine, source)
    assert outcome.error is None, outcome.error
    assert messages(outcome) == ["returning", "then 1", "microtask", "for await 1", "for await 2"]
    # The next event starts with none of them.
    assert messages(run(engine, source)) == messages(outcome)


@pytest.mark.parametrize("source", [
    "function handler(w) { Promise.resolve().then(() => console.log('job')); throw new Error('after queuing'); }",
    "async function handler(w) { Promise.resolve().then(() => Promise.resolve()).then(() => console.log('job')); await null; throw new Error('after queuing'); }",
], ids=["sync_throw", "async_reject"])
def test_jobs_log_when_the_handler_fails(engine, source):
    outcome = run(engine, source)
    assert outcome.error is not None and outcome.error.message == "after queuing"
    assert messages(outcome) == ["job"]


def test_a_job_after_the_return_cannot_change_what_is_sent(engine):
    outcome = run(engine, """function handler(w) {
      w.payload = { status: "returned" };
      Promise.resolve().then(() => { w.payload.status = "changed"; w.cancel = true; console.log("job ran"); });
      return w;
    }""")
    assert json.loads(outcome.request.body) == {"status": "returned"} and messages(outcome) == ["job ran"]


def test_jobs_logs_share_the_events_cap_and_jobs_its_time_limit(engine):
    capped = run(engine, "function handler(w) { for (let i = 0; i < 2000; i++) Promise.resolve(i).then((v) => console.log('x'.repeat(100), v)); return w; }")
    assert capped.logs_truncated and sum(len(m) for m in messages(capped)) <= Limits().log_bytes
    spun = run(engine, "function handler(w) { Promise.resolve().then(() => { for (;;) {} }); return w; }")
    assert spun.error is not None and spun.error.type == "TimeLimitExceeded"
    assert messages(run(engine, "function handler(w) { console.log('next'); return w; }")) == ["next"]


def test_jobs_the_top_level_queues_at_load_never_reach_the_first_event(engine):
    source = """let runs = 0; runs += 1;
    Promise.resolve().then(() => console.log("top-level job", runs));
    function handler(w) { return w; }"""
    handler = h(source)
    engine.prepare(handler)  # loading runs the top level once: its job runs then, logging nowhere
    assert [messages(engine.run(handler, BODY)) for _ in range(3)] == [["top-level job 1"]] * 3


def test_a_load_whose_jobs_spin_is_a_load_error(engine):
    with pytest.raises(HandlerLoadError, match="time limit"):
        engine.prepare(h("Promise.resolve().then(() => { for (;;) {} });\nfunction handler(w) { return w; }"))


# ---- built-ins as V8 has them ----------------------------------------------------------------

def test_assigning_an_inherited_name_on_an_instance_makes_an_own_property(engine):
    outcome = run(engine, """function handler(w) {
      const re = /foo/; re[Symbol.match] = false;
      const o = {}; o.toString = () => "own"; o.hasOwnProperty = 1;
      const a = [1]; a.push = () => "pushed"; a[Symbol.iterator] = function* () { yield "it"; };
      const e = new Error("m"); e.name = "Named";
      const f = function () {}; f.call = "c";
      class L extends Array {} L.from = () => "own static";
      w.payload = ["/foo/".startsWith(re), String(o), o.hasOwnProperty, a.push(), [...a].join(), String(e), f.call, L.from(),
        typeof Array.prototype.push, [].push === Array.prototype.push, Array.from([1]).length, Error.prototype.name];
      return w;
    }""")
    assert json.loads(outcome.request.body) == [True, "own", 1, "pushed", "it", "Named: m", "c", "own static",
                                                "function", True, 1, "Error"]


def test_the_override_setters_never_change_a_built_in(engine):
    source = """function handler(w) {
      const d = Object.getOwnPropertyDescriptor(Array.prototype, "push");
      const before = [].push;
      d.set.call(Array.prototype, () => "hijacked");
      d.set.call(Map.prototype, 1);
      Reflect.apply(Object.getOwnPropertyDescriptor(Object.prototype, "toString").set, Object.prototype, [() => "x"]);
      Object.getOwnPropertyDescriptor(Error.prototype, "name").set.call(TypeError.prototype, "Hijacked");
      Object.getOwnPropertyDescriptor(Object.prototype, "valueOf").set.call(w.env, 1);
      const kept = [[].push === before, String({}), new TypeError("t").name, Object.isFrozen(d.set), Object.isFrozen(d.get),
        Object.prototype.hasOwnProperty.call(Map.prototype, "push"), Object.prototype.hasOwnProperty.call(w.env, "valueOf"),
        d.get.call(null) === before];
      d.set.call(globalThis, "a global for this event");
      w.payload = { kept, global: globalThis.push };
      return w;
    }"""
    for _ in range(2):
        outcome = run(engine, source)
        assert json.loads(outcome.request.body) == {"kept": [True, "[object Object]", "TypeError", True, True, False, False, True],
                                                    "global": "a global for this event"}
    later = run(engine, "function handler(w) { w.payload = [typeof push, [].push.name]; return w; }")
    assert json.loads(later.request.body) == ["undefined", "push"]


def test_weakref_targets_live_for_the_event_and_are_freed_after_it(engine):
    source = """function handler(w) {
      const refs = [];
      for (let i = 0; i < 200; i++) refs.push(new WeakRef({ big: "x".repeat(50000) + i }));
      w.payload = refs.filter((r) => r.deref() !== undefined).length;
      return w;
    }"""
    handler = h(source)
    assert json.loads(engine.run(handler, BODY).request.body) == 200
    ctx = engine._contexts[handler.digest]
    ctx.ctx.gc()
    grown = int(ctx.ctx.memory()["malloc_size"]) - ctx.baseline
    assert grown < 2_000_000, grown  # 200 targets of 100 KB each were not kept past the event
    assert json.loads(engine.run(handler, BODY).request.body) == 200


def test_native_and_javascript_built_ins_print_as_v8_prints_them(engine):
    outcome = run(engine, """function handler(w) {
      const get = Object.getOwnPropertyDescriptor(Intl.NumberFormat.prototype, "format").get;
      w.payload = [String(Math.abs), String(function f() {}.bind(null)), String(Intl.NumberFormat), String(get),
        String(new Intl.NumberFormat("en-US").format), String(Date.prototype.toLocaleString), String(console.log),
        String(Object.getOwnPropertyDescriptor(Array.prototype, "push").set), String((a) => a + 1),
        Object.prototype.hasOwnProperty.call(Date.prototype.toLocaleDateString, "prototype"), get.name];
      return w;
    }""")
    assert json.loads(outcome.request.body) == [
        "function abs() { [native code] }", "function () { [native code] }", "function NumberFormat() { [native code] }",
        "function get format() { [native code] }", "function () { [native code] }",
        "function toLocaleString() { [native code] }", "function () { [native code] }",
        "function set push() { [native code] }", "(a) => a + 1", False, "get format"]


def test_syntax_error_past_the_wording_analysis_budget_keeps_quickjs_position() -> None:
    # Thousands of tokens before the stray `)`: the V8-wording analysis runs out of its token
    # budget, and the position must still be the error's, not where the analysis stopped.
    source = "function handler(w) { let a = 0; " + "a = a + 1; " * 3000 + ") return w; }"
    with pytest.raises(HandlerSyntaxError) as caught:
        Handler.from_source(source, filename="long.js")
    assert (caught.value.line, caught.value.column) == (1, source.index(") return") + 1)


def test_record_builds_the_same_outcomes_as_the_dataclasses():
    # record.py makes the Outcome and Request of every event without their __init__: the very
    # objects those would make, field for field and in the same order.
    import dataclasses
    import pickle

    from runner.engine.outcome import Outcome, Request
    from runner.engine.record import _outcome, _request

    request = _request("https://a.example/", "POST", {"X-A": "b"}, "{}")
    assert request == Request(url="https://a.example/", method="POST", headers={"X-A": "b"}, body="{}")
    assert list(vars(request)) == [f.name for f in dataclasses.fields(Request)]
    made = _outcome("sent", "x.y", '{"a":1}', request, (), True, 1.5, None)
    want = Outcome(status="sent", event_type="x.y", webhook_text='{"a":1}', request=request, logs=(),
                   logs_truncated=True, duration_ms=1.5)
    assert made == want and repr(made) == repr(want) and pickle.loads(pickle.dumps(made)) == want
    assert list(vars(made)) == [f.name for f in dataclasses.fields(Outcome)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.status = "error"  # type: ignore[misc]
