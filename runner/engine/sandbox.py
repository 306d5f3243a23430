"""`Engine`: runs handlers on events in QuickJS contexts of their own, isolated per event.

Every handler (transform) gets a QuickJS context of its own: no two transforms share a heap,
built-ins, compat-layer caches or random state. Within one handler's context, a new context per
event would cost more than the event itself (and reloading the compat layer far more), so the
context is reused: built-ins are frozen once, each event re-runs the handler's top-level code in
a new function object and scope, Math.random is reseeded from os.urandom, and the global object
is put back after every event (see js/runtime.js). Anything that cannot be put back, every time,
memory or stack limit hit, and a heap that grew well past its baseline discard the context; the
next event gets a new one.

An Engine belongs to one thread, and it is not a watchdog: QuickJS stops bytecode at the CPU time
limit, but not a built-in running long in C. Untrusted code goes through `EnginePool`, whose
worker processes run Engines under a wall-clock watchdog (`Engine.guard` tells it when handler
code runs).

What the runtime hands back is read by `runner.engine.record`; what QuickJS's errors mean (a
limit, a position in the handler) by `runner.engine.jserrors`.
"""

from __future__ import annotations

import functools
import json
import os
import re
import struct
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from importlib import resources

import quickjs

from runner.compat import JsSettings, bootstrap_source
from runner.compat import data as compat_data
from runner.compat.data import HOST_FUNCTION, host_data
from runner.engine.handler import NO_HANDLER_HINT, Handler
from runner.engine.jserrors import (
    HANDLER_LINE_OFFSET,
    INTERRUPTED,
    STACK_MESSAGE,
    WRAP_HEAD,
    WRAP_TAIL,
    escaped_error,
    limit_message,
)
from runner.engine.outcome import Outcome, TransformError
from runner.engine.record import read_record
from runner.errors import HandlerError, HandlerLoadError, NoHandlerError
from runner.limits import Limits

DEFAULT_URL = "https://example.invalid/webhook"
"""Where a webhook goes when no URL is configured: a reserved name that never resolves."""

MAX_CONTEXTS = 32
"""Handlers an Engine keeps a context for; the least recently used one is dropped past that."""
HEAP_CHECK_EVERY = 1024
"""Events between two looks at a context's heap (a look walks the whole heap: ~0.2-0.4 ms)."""
SEED_BYTES = 16
DATA_RERUNS = 2
"""Times an event runs again after fetching the locale or zone data it asked for (see
`_Context.fetch_wanted`); a second time only for data the first fetch revealed."""
RESET_BUDGET_S = 0.05

_JS = resources.files("runner.engine").joinpath("js")
# runtime.js gets errorsite.js (how V8 words and places a handler's errors) as source text,
# `errorSiteSource`, and compiles it when a context first formats a handler's error: most
# contexts never do, and compiling it costs more than a context's other setup.
_RUNTIME_JS = ("(function (errorSiteSource) {\n\"use strict\";\nreturn (\n" + _JS.joinpath("runtime.js").read_text("utf-8")
               + "\n);\n})(" + json.dumps(_JS.joinpath("errorsite.js").read_text("utf-8")) + ")")
_INSPECT_JS = resources.files("runner.engine").joinpath("js/inspect.js").read_text("utf-8")

_DISCARD_AFTER = frozenset({"StackLimitExceeded", "MemoryLimitExceeded", "InternalError"})

Guard = Callable[[float | None], None]
"""Told the time budget (seconds) before handler code runs, and None when it has stopped."""


class Engine:
    """Runs handlers on webhook bodies, each handler in an isolated QuickJS context of its own."""

    def __init__(self, limits: Limits | None = None, settings: JsSettings | None = None) -> None:
        self.limits = limits or Limits()
        self.settings = settings or JsSettings()
        self.guard: Guard | None = None
        self._contexts: OrderedDict[str, _Context] = OrderedDict()  # by handler digest
        self._spare: _Context | None = None  # built ahead, bound to the next new handler
        # Handlers whose loading failed: each event would fail the same way, after building a
        # whole context to find out.
        self._broken: OrderedDict[str, HandlerError] = OrderedDict()
        self.contexts_created = 0

    def prepare(self, handler: Handler) -> None:
        """Compile `handler` and run its top-level code once; raises `HandlerError` on failure."""
        self._bound(handler)

    def warm(self) -> None:
        """Build a QuickJS context (compat layer and all) now rather than on the first event."""
        if self._spare is None:
            self._spare = self._new_context(False)

    def run(
        self,
        handler: Handler,
        body: str | bytes,
        *,
        url: str = DEFAULT_URL,
        env: Mapping[str, str] | None = None,
        settings: JsSettings | None = None,
        event_type: str | None = None,
    ) -> Outcome:
        """Run `handler` on one webhook body (the JSON text of the envelope).

        Give `event_type` (the body's `type`) when the caller has parsed the body already: the
        engine then parses it only if the handler reads `webhook.payload`. `""` says the event has
        none (`webhook.eventType` is undefined); None takes the body's string `type`, if any.
        """
        started = time.perf_counter()
        if isinstance(body, bytes):
            try:
                body = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                return _failed(None, "InvalidInput", f"webhook body is not valid UTF-8 (byte {exc.start})", started)
        env_text = json.dumps(dict(env), ensure_ascii=False) if env else "{}"
        outcome, reused = self._run_once(handler, body, url, env_text, settings, event_type, started)
        if reused and outcome.error is not None and outcome.error.type == "MemoryLimitExceeded":
            # Cyclic garbage of earlier events may still hold heap the collector has not reached:
            # the event runs again in a new context, as it would in a fresh engine.
            outcome, _ = self._run_once(handler, body, url, env_text, settings, event_type, started)
        return outcome

    def _run_once(self, handler: Handler, body: str, url: str, env_text: str, settings: JsSettings | None,
                  event_type: str | None, started: float) -> tuple[Outcome, bool]:
        """The outcome, and whether the context had served events before this one."""
        try:
            ctx = self._bound(handler)
        except HandlerError as exc:
            return _failed(None, exc.kind, exc.message, started, line=exc.line, column=exc.column,
                           source_line=exc.source_line), False
        reused = ctx.events > 0
        ctx.configure(settings or self.settings)
        # Watched from the handler's first instruction until its result is read: reading what
        # the handler made (its error text, its payload) is bounded by that deadline too.
        if self.guard is not None:
            self.guard(self.limits.time_ms / 1000)
        try:
            budget = self.limits.time_ms / 1000
            event_started = time.process_time()
            raw, limit_error = ctx.invoke(body, url, env_text, event_type, started=event_started)
            for _ in range(DATA_RERUNS):
                # The event asked for locale or zone data the context did not hold, which can be
                # fetched only outside a time limit: fetched now, and the event runs again with
                # it (the first run used stand-in data; nothing of it is kept). One time limit
                # covers every run and fetch of the event: the watchdog's deadline is not moved,
                # and a run gets only what the earlier ones left.
                if limit_error is not None or not ctx.clean or not ctx.fetch_wanted():
                    break
                left = budget - (time.process_time() - event_started)
                if left <= 0:
                    raw, limit_error = None, INTERRUPTED
                    ctx.clean = False
                    break
                raw, limit_error = ctx.invoke(body, url, env_text, event_type, left)
            ctx.settle()
            if limit_error is not None or not ctx.clean or ctx.heap_grown():
                self._discard(handler)
            if limit_error is not None:
                return _outcome_for_error(handler, limit_error, started, self.limits), reused
            outcome = read_record(handler, body, raw, started, self.limits)
        finally:
            if self.guard is not None:
                self.guard(None)
        if outcome.error is not None and outcome.error.type in _DISCARD_AFTER:
            # The handler caught nothing, but QuickJS may be left short of stack or heap.
            self._discard(handler)
        return outcome, reused

    def close(self) -> None:
        """Release the QuickJS contexts."""
        self._contexts.clear()
        self._broken.clear()
        self._spare = None

    def _new_context(self, open_mode: bool) -> _Context:
        self.contexts_created += 1
        return _Context(self.limits, self.settings, open_mode=open_mode)

    def _bound(self, handler: Handler) -> _Context:
        """The context that serves `handler`, made (and the handler loaded) on first use."""
        ctx = self._contexts.get(handler.digest)
        if ctx is not None:
            self._contexts.move_to_end(handler.digest)
            return ctx
        broken = self._broken.get(handler.digest)
        if broken is not None:
            raise broken
        try:
            ctx = self._load(handler)
        except HandlerError as exc:
            self._broken[handler.digest] = exc
            while len(self._broken) > MAX_CONTEXTS:
                self._broken.popitem(last=False)
            raise
        self._contexts[handler.digest] = ctx
        while len(self._contexts) > MAX_CONTEXTS:
            self._contexts.popitem(last=False)
        return ctx

    def _load(self, handler: Handler) -> _Context:
        open_mode = handler.patches_builtins
        if not open_mode and self._spare is not None:
            ctx, self._spare = self._spare, None
        else:
            ctx = self._new_context(open_mode)
        if not ctx.bind(handler, self.guard, run=True):
            # Loading left the world changed (a non-configurable global, say): the first event
            # must not see that, so it runs in a new context that only compiled the code.
            ctx = self._new_context(open_mode)
            ctx.bind(handler, self.guard, run=False)
        return ctx

    def _discard(self, handler: Handler) -> None:
        self._contexts.pop(handler.digest, None)


class _Context:
    """One QuickJS context with the compat layer and the runtime loaded, built-ins frozen (or
    recorded, in open mode), serving one handler."""

    def __init__(self, limits: Limits, settings: JsSettings, *, open_mode: bool = False) -> None:
        self.limits = limits
        ctx = quickjs.Context()
        ctx.set_max_stack_size(limits.stack_bytes)
        # The compat layer's one way to locale and zone data beyond the default locale (a strictly
        # checked request string in, a JSON text or None out); it takes it off the global object.
        ctx.add_callable(HOST_FUNCTION, host_data)
        self.compat = ctx.eval(bootstrap_source())
        ctx.eval(_INSPECT_JS)  # Node's console formatting, which runtime.js takes up
        self.runtime = ctx.eval(_RUNTIME_JS)
        self.runtime("lockdown", open_mode)
        # As floats: the binding truncates Python ints beyond 32 bits.
        self.runtime("limits", float(limits.body_bytes), float(limits.header_count), float(limits.header_bytes),
                     float(limits.message_bytes))
        self.pending_marker = self.runtime("pending")
        self.deferred_marker = self.runtime("deferred")
        ctx.gc()
        self.baseline = int(ctx.memory()["malloc_size"])
        ctx.set_memory_limit(self.baseline + limits.memory_bytes)
        self.ctx = ctx
        self.handler: Handler | None = None
        self.settings: JsSettings | None = None
        self.clean = True
        self.events = 0
        self._random = b""
        self._random_at = 0
        self.configure(settings)

    def configure(self, settings: JsSettings) -> None:
        # Identity first: the same settings object comes with nearly every event, and comparing
        # the dataclasses field by field costs more than the check is worth.
        if settings is not self.settings and settings != self.settings:
            self.compat("configure", settings.locale, settings.time_zone, settings.now_ms)
            self.compat("pin")  # the configured locale and zone stay loaded for every event
            self.settings = settings

    def preload(self, source: str) -> None:
        """Fetch, before any event, the locales and zones the handler's source names as string
        literals, and keep them for every event (the base of the compat layer's data caches): an
        event that uses them then runs once. The base depends on the source and settings only,
        never on what an event did."""
        for kind, name in _named_data(source):
            self.compat("preload", kind, name)
        self.compat("pin")

    def settle(self) -> None:
        """After an event's last run: the compat layer's caches back to their base."""
        try:
            self.compat("settle")
        except quickjs.JSException:
            self.clean = False

    def bind(self, handler: Handler, guard: Guard | None, *, run: bool) -> bool:
        """Compile `handler` into this context and (when `run`) run its top-level code once.
        Raises HandlerError; returns False when the context is left unusable by it."""
        wrapped = "\n" * HANDLER_LINE_OFFSET + WRAP_HEAD + handler.source + WRAP_TAIL
        budget = self.limits.time_ms / 1000
        if guard is not None:
            guard(budget)
        try:
            self.ctx.set_time_limit(budget)
            started = time.process_time()
            problem = self.runtime("compile", handler.digest, wrapped, handler.filename, HANDLER_LINE_OFFSET,
                                   len(WRAP_HEAD), run)
            # Jobs the top-level code queued run now (what they log is dropped: no event is
            # running), never in the first event.
            if self._drain(started, budget) is None:
                raise HandlerLoadError(f"loading the handler failed: {limit_message('TimeLimitExceeded', self.limits)}",
                                       filename=handler.filename)
            self.clean = self._reset()
        except quickjs.JSException as exc:
            error = escaped_error(str(exc), handler, self.limits)
            raise HandlerLoadError(f"loading the handler failed: {error.message}", filename=handler.filename,
                                   line=error.line, column=error.column, source_line=error.source_line) from None
        finally:
            self.ctx.set_time_limit(-1)
            if guard is not None:
                guard(None)
        if problem is not None:
            data = json.loads(problem)
            if data.get("missing"):
                kind = data.get("kind", "undefined")
                raise NoHandlerError("no top-level function named `handler`"
                                     + ("" if kind == "undefined" else f" (`handler` is a {kind})"),
                                     filename=handler.filename, hint=NO_HANDLER_HINT)
            err = data["error"]
            raise HandlerLoadError(
                f"the top-level code threw {err['type']}: {err['message']}",
                filename=handler.filename, line=err["line"], column=err["column"],
                source_line=handler.line(err["line"]),
                hint="Top-level code runs before every event; move event-specific work into handler().",
            )
        self.handler = handler
        self.preload(handler.source)
        self.ctx.gc()
        self.baseline = int(self.ctx.memory()["malloc_size"])
        return self.clean

    def invoke(self, body: str, url: str, env_text: str, event_type: str | None,
               budget: float | None = None, *, started: float | None = None) -> tuple[str | None, str | None]:
        """Returns (result text, None) or (None, the text of an uncatchable JS error). `budget`:
        the seconds left of the event's time limit (all of it by default); `started`: the
        `time.process_time()` it is counted from, when the caller has just read it."""
        assert self.handler is not None
        ctx = self.ctx
        limits = self.limits
        if budget is None:
            budget = limits.time_ms / 1000
        # 31 bits each: the binding passes Python ints to JavaScript as 32-bit signed integers.
        seed = [s & 0x7FFFFFFF for s in struct.unpack("<4I", self._entropy())]
        self.events += 1
        if started is None:
            started = time.process_time()
        try:
            ctx.set_time_limit(budget)
            raw = self.runtime("invoke", self.handler.digest, body, url, env_text, limits.log_bytes, event_type, *seed)
            if raw == self.pending_marker:
                if self._drain(started, budget) is None:
                    self.clean = False
                    return None, INTERRUPTED
                raw = self.runtime("settle")
            # Jobs a handler left queued run now, inside its budget, never in the next event; the
            # result was taken before them (as a caller serialising the returned webhook would),
            # and is rendered again with what they logged.
            ran = self._drain(started, budget)
            if ran is None:
                self.clean = False
                return None, INTERRUPTED
            if ran or raw == self.deferred_marker:
                raw = self.runtime("flush")
            self.clean = self._reset()
            return raw, None
        except quickjs.StackOverflow as exc:
            self.clean = False
            return None, str(exc) or f"RangeError: {STACK_MESSAGE}"
        except quickjs.JSException as exc:
            self.clean = False
            return None, str(exc)
        finally:
            ctx.set_time_limit(-1)

    def fetch_wanted(self) -> bool:
        """Fetch the data the last event asked for in vain (compat "load"); whether any came."""
        try:
            return bool(self.compat("load"))
        except quickjs.JSException:  # out of memory while parsing it: the context is spent
            self.clean = False
            return False

    def _entropy(self) -> bytes:
        """SEED_BYTES from os.urandom, read a few kilobytes at a time (a system call per event
        would cost more than the reseeding itself)."""
        at = self._random_at
        if at + SEED_BYTES > len(self._random):
            self._random, at = os.urandom(256 * SEED_BYTES), 0
        self._random_at = at + SEED_BYTES
        return self._random[at:at + SEED_BYTES]

    def _drain(self, started: float, budget: float) -> bool | None:
        """Run queued jobs until none is left: whether any ran, or None when the budget ran out."""
        ctx = self.ctx
        # Still under the limit set for the call that queued them: no clock read when idle.
        if not ctx.execute_pending_job():
            return False
        while True:
            remaining = budget - (time.process_time() - started)
            if remaining <= 0:
                return None
            ctx.set_time_limit(remaining)
            if not ctx.execute_pending_job():
                return True

    def _reset(self) -> bool:
        """Put the global object back (runs no handler code, under a time limit of its own)."""
        self.ctx.set_time_limit(RESET_BUDGET_S)
        try:
            state = self.runtime("reset")
            if state == 2:
                self.compat("clear")
            return state in (1, 2)
        except quickjs.JSException:
            return False

    def heap_grown(self) -> bool:
        """Whether, now and then, the heap has kept much more than its baseline: whatever a
        handler left behind (a cache it filled) must not weigh on its later events."""
        if self.events % HEAP_CHECK_EVERY:
            return False
        slack = self.limits.memory_bytes // 2
        if int(self.ctx.memory()["malloc_size"]) <= self.baseline + slack:
            return False
        self.ctx.gc()
        return int(self.ctx.memory()["malloc_size"]) > self.baseline + slack


# String literals that may name a locale ("de-DE", 'pt_BR' is not one) or a zone ("America/New_York").
# Linear: no nested quantifiers; at most _MAX_NAMED of each are taken.
_LOCALE_LITERAL = re.compile(r"""["'`]([A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3})["'`]""")
_ZONE_LITERAL = re.compile(r"""["'`]([A-Z][A-Za-z_]{1,20}/[A-Za-z_\-]{2,30}(?:/[A-Za-z_\-]{2,30})?)["'`]""")
_MAX_NAMED = 48  # as many as the compat layer pins (core.js MAX_PINNED)


def _named_data(source: str) -> list[tuple[str, str]]:
    """(kind, name) of the locales and zones the source names, first _MAX_NAMED of each."""
    found: list[tuple[str, str]] = []
    for kind, pattern in (("locale", _LOCALE_LITERAL), ("zone", _ZONE_LITERAL)):
        names: dict[str, None] = {}
        for match in pattern.finditer(source):
            name = match.group(1)
            if name not in names and _shipped(kind, name):
                names[name] = None
                if len(names) >= _MAX_NAMED:
                    break
        found += [(kind, name) for name in names]
    return found


def _shipped(kind: str, name: str) -> bool:
    if kind == "zone":
        return name.lower() in compat_data.supported_zones()
    return name.split("-")[0].lower() in _languages()


@functools.cache
def _languages() -> frozenset[str]:
    return frozenset(tag.split("-")[0].lower() for tag in compat_data.LOCALES)


def _failed(event_type: str | None, kind: str, message: str, started: float, *, line: int | None = None,
            column: int | None = None, source_line: str | None = None) -> Outcome:
    return Outcome(status="error", event_type=event_type,
                   error=TransformError(kind, message, line, column, source_line),
                   duration_ms=(time.perf_counter() - started) * 1000)


def _outcome_for_error(handler: Handler, text: str, started: float, limits: Limits) -> Outcome:
    # An uncatchable error (a limit) unwinds through the runtime too: logs and the event type of
    # that invocation are lost with the discarded context.
    error = escaped_error(text, handler, limits)
    return Outcome(status="error", event_type=None, error=error,
                   duration_ms=(time.perf_counter() - started) * 1000)
