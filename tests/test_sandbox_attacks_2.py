"""A second round of attacks on the sandbox, the ones it contains, kept as regression tests.

Variants of tests/test_sandbox_attacks.py aimed at the fixes of the first round: tricks on the
global object in the frozen mode (each must discard the context, never show the next event
what this one did), results right at the size, depth and header limits (in multibyte
characters, lone surrogates, brackets inside strings), lone surrogates and terminal controls
in logs, deep bodies of cancelled results rendered by the host, and code shapes under the
in-process parse size that must still parse at once. Everything goes through `EnginePool`
(one worker behind the watchdog), the entry point for untrusted code.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from runner.engine import EnginePool, Handler, Limits, Outcome
from runner.engine.handler import PARSE_IN_PROCESS_CHARS
from runner.errors import HandlerError

ROOT = Path(__file__).resolve().parent.parent
PAYMENT = (ROOT / "samples" / "payment.succeeded.json").read_text("utf-8")
REFUND = (ROOT / "samples" / "refund.succeeded.json").read_text("utf-8")
LIMIT_MS = 300


@pytest.fixture(scope="module")
def pool() -> Iterator[EnginePool]:
    with EnginePool(workers=1, limits=Limits(time_ms=LIMIT_MS)) as p:
        yield p


def run(pool: EnginePool, handler: Handler, body: str) -> Outcome:
    return pool.run(handler, body, event_type=json.loads(body)["type"])


# ---- the global object in the frozen mode ------------------------------------------------------

# Each changes the global object in a way reset() cannot undo by assignment: the context must
# be replaced, so that the next event's top-level code finds the world as it was.
GLOBAL_TRICKS = {
    "freeze": "Object.freeze(globalThis)",
    "prevent_extensions": "Object.preventExtensions(globalThis)",
    "new_non_configurable": "Object.defineProperty(globalThis, 'zz', { value: 1, configurable: false })",
    "symbol_key": "globalThis[Symbol.for('k')] = 1",
    "read_only_flip": "Object.defineProperty(globalThis, 'JSON', { writable: false })",
    "prototype_swap": "Object.setPrototypeOf(globalThis, {})",
    "console_replaced": "console = { log() {} }",
}

SEEN_AT_TOP_LEVEL = (
    "const seen = [typeof zz !== 'undefined', !Object.isExtensible(globalThis), globalThis[Symbol.for('k')] !== undefined,\n"
    "  !Reflect.getOwnPropertyDescriptor(globalThis, 'JSON').writable, Object.getPrototypeOf(globalThis) !== Object.prototype,\n"
    "  typeof console.info !== 'function'];\n")


@pytest.mark.parametrize("name", GLOBAL_TRICKS)
def test_global_object_tricks_never_reach_the_next_event(pool: EnginePool, name: str) -> None:
    handler = Handler.from_source(SEEN_AT_TOP_LEVEL + "function handler(w) { " + GLOBAL_TRICKS[name]
                                  + "; w.url = 'https://a.example/'; w.payload = { seen }; return w; }\n", f"{name}.js")
    assert not handler.patches_builtins or name in ("new_non_configurable", "symbol_key", "read_only_flip",
                                                    "prototype_swap")
    for body in (PAYMENT, REFUND, PAYMENT):
        outcome = run(pool, handler, body)
        assert outcome.request is not None, outcome.error
        assert json.loads(outcome.request.body) == {"seen": [False] * 6}


# ---- results at the limits ---------------------------------------------------------------------

BODY = 1 << 20
AT_LIMITS = {
    # (code, accepted): a string payload serialises with its two quotes.
    "exact_MiB_of_three_byte_chars": (f"w.payload = '\\u20ac'.repeat({(BODY - 2) // 3}) + 'a'.repeat({(BODY - 2) % 3});", True),
    "one_byte_over_in_three_byte_chars": (f"w.payload = '\\u20ac'.repeat({(BODY - 2) // 3}) + 'a'.repeat({(BODY - 2) % 3 + 1});", False),
    "lone_surrogates_escaped_to_the_limit": (f"w.payload = '\\ud800'.repeat({(BODY - 2) // 6});", True),
    "brackets_inside_a_string": (f"w.payload = '['.repeat({BODY - 2});", True),
    "escaped_quotes_and_brackets": ("w.payload = '\\\\\"['.repeat(200000);", True),
    "depth_256": ("let p = 1; for (let i = 0; i < 256; i++) p = [p]; w.payload = p;", True),
    "depth_257": ("let p = 1; for (let i = 0; i < 257; i++) p = [p]; w.payload = p;", False),
    "64_headers_just_under_16_KiB": ("w.headers = Object.fromEntries(Array.from({ length: 64 }, (_, i) => "
                                     "['X-' + String(i).padStart(2, '0'), 'v'.repeat(240)]));", True),
    "65_headers": ("w.headers = Object.fromEntries(Array.from({ length: 65 }, (_, i) => ['X-' + i, 'v']));", False),
    "header_name_lone_surrogate": ("w.headers = { ['X-\\udc00']: 'v' };", False),
}


@pytest.mark.parametrize("name", AT_LIMITS)
def test_results_at_the_limits(pool: EnginePool, name: str) -> None:
    code, accepted = AT_LIMITS[name]
    handler = Handler.from_source("function handler(w) { w.url = 'https://a.example/x'; " + code + " return w; }\n",
                                  f"{name}.js")
    started = time.monotonic()
    outcome = run(pool, handler, PAYMENT)
    assert time.monotonic() - started < 5
    if accepted:
        assert outcome.status == "sent", outcome.error
        assert outcome.request is not None and len(outcome.request.body.encode("utf-8")) <= BODY
        assert len(outcome.request.headers) <= 64
    else:
        assert outcome.error is not None and outcome.error.type == "InvalidResult", outcome
        assert len(outcome.error.message) <= 4096


def test_logs_with_lone_surrogates_and_controls_are_well_formed(pool: EnginePool) -> None:
    handler = Handler.from_source(
        "function handler(w) { for (let i = 0; i < 10; i++) console.log('\\ud800\\u202e\\u001b[2J' + i, "
        "{ ['\\udfff']: '\\ud800' }); console.error(new Error('\\udbff')); w.cancel = true; return w; }\n", "logs.js")
    outcome = run(pool, handler, PAYMENT)
    assert outcome.status == "cancelled" and len(outcome.logs) == 11
    for entry in outcome.logs:
        assert isinstance(entry.level, str) and isinstance(entry.message, str)
        entry.message.encode("utf-8")  # no lone surrogate is left


def test_a_cancelled_result_of_a_deep_body_renders(pool: EnginePool) -> None:
    # The handler never read the body: the host renders it (js_stringify) when asked for webhook_json.
    body = '{"type":"deep","x":' + "[" * 900 + "]" * 900 + "}"
    handler = Handler.from_source("function handler(w) { w.cancel = true; return w; }\n", "deep.js")
    outcome = run(pool, handler, body)
    assert outcome.status == "cancelled"
    assert json.loads(outcome.webhook_json or "null")["payload"]["type"] == "deep"


# ---- code that QuickJS parses in the calling process --------------------------------------------

UNDER = PARSE_IN_PROCESS_CHARS - 64


def _fill(unit: str, head: str = "", tail: str = "") -> str:
    parts, size, i = [head], len(head) + len(tail), 0
    while size + len(unit.format(i=i)) <= UNDER:
        parts.append(unit.format(i=i))
        size += len(parts[-1])
        i += 1
    return "".join(parts) + tail


PARSE_SHAPES = {
    "let_declarations": _fill("let a{i}=0;"),
    "var_declarations": _fill("var a{i};"),
    "parameters": _fill("p{i},", "function f(", "x){}"),
    "destructuring": _fill("a{i},", "let [", "]=[];"),
    "object_keys": _fill("a{i}:0,", "x={", "};"),
    "labels": _fill("L{i}:", "", "0;"),
    "nested_parentheses": "x=" + "(" * 5000 + "0" + ")" * 5000 + ";",
    "nested_templates": "x=" + "`${" * 3000 + "0" + "}`" * 3000 + ";",
    "named_groups": "/" + "".join(f"(?<g{i}>a)" for i in range(2500)) + "/;",
    "optional_chain": "x=a" + "?.b" * ((UNDER - 5) // 3) + ";",
    "async_generators": _fill("async function*g{i}(){{yield await 0}}"),
}


@pytest.mark.parametrize("name", PARSE_SHAPES)
def test_code_under_the_child_parse_size_parses_at_once(name: str) -> None:
    code = PARSE_SHAPES[name] + "\nfunction handler(w){return w}"
    assert len(code) <= PARSE_IN_PROCESS_CHARS
    started = time.monotonic()
    try:
        Handler.from_source(code, f"{name}.js")
    except HandlerError:
        pass  # a syntax error is an answer too; only the time matters here
    assert time.monotonic() - started < 1.0


# ---- what the built-ins hand out -----------------------------------------------------------------

# Objects built-ins make whose prototypes no global leads to (iterators, Intl.Segmenter's
# segments, ...): each prototype on their chains must be frozen like the rest, or one event could
# leave something there for the next; and their methods print as native code.
MADE_BY_BUILT_INS = [
    "[][Symbol.iterator]()", "new Map().entries()", "new Set().values()", "'a'.matchAll(/a/g)", "''[Symbol.iterator]()",
    "new URLSearchParams('a=1').entries()", "new URLSearchParams('a=1')[Symbol.iterator]()", "new URL('https://a.example/?x=1').searchParams",
    "new Intl.Segmenter('en').segment('ab')", "new Intl.Segmenter('en').segment('ab')[Symbol.iterator]()",
    "new Intl.Segmenter('en').segment('ab').containing(0)", "new Intl.Locale('en-US')", "new Intl.DisplayNames('en', { type: 'region' })",
    "new Intl.NumberFormat().resolvedOptions()", "new Intl.DateTimeFormat().formatToParts(0)[0]", "new TextEncoder()",
    "new TextDecoder()", "new DOMException('x')", "structuredClone(new Map())", "crypto", "new WeakRef({})",
    "new FinalizationRegistry(() => {})", "Iterator.from({ next() { return { done: true }; } })", "[].values().map((x) => x)",
    "(async function* () {})()", "console",
]


def test_what_built_ins_hand_out_inherits_only_from_frozen_objects(pool: EnginePool) -> None:
    source = """function handler(w) {
      const problems = [];
      const factories = [__FACTORIES__];
      for (const [text, make] of factories) {
        let o;
        try { o = make(); } catch (e) { continue; }  // a built-in this engine does not have
        for (let p = Object.getPrototypeOf(o), depth = 1; p !== null; p = Object.getPrototypeOf(p), depth++) {
          if (depth === 1 && text.includes("function*")) continue;  // the handler's own generator's prototype
          if (!Object.isFrozen(p)) problems.push(text + ": prototype " + depth + " is not frozen");
          for (const k of Reflect.ownKeys(p)) {
            const d = Object.getOwnPropertyDescriptor(p, k);
            for (const f of [d.value, d.get, d.set]) {
              if (typeof f === "function" && !/\\{ \\[native code\\] \\}$/.test(Function.prototype.toString.call(f))) {
                problems.push(text + ": " + String(k) + " prints its source");
              }
            }
          }
        }
      }
      w.url = "https://a.example/"; w.payload = problems; return w;
    }""".replace("__FACTORIES__", ", ".join(f"[{json.dumps(f)}, () => {f}]" for f in MADE_BY_BUILT_INS))
    outcome = run(pool, Handler.from_source(source, "made_by_built_ins.js"), PAYMENT)
    assert outcome.request is not None, outcome.error
    assert json.loads(outcome.request.body) == []
