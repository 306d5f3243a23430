"""`Engine`: one QuickJS context that runs handlers on events, isolated from each other.

A new QuickJS context per event would cost more than the event itself (and reloading the compat
layer far more), so one context is reused: built-ins are frozen once, each event re-runs the
handler's top-level code in a fresh function scope, and the global object is put back after
every event (see js/runtime.js). Anything that cannot be put back, and every time or memory
limit hit, discards the context; the next event gets a new one.

An Engine belongs to one thread. QuickJS's time limit reads the *process* CPU clock, so the
limit is exact only while this is the one thread running JavaScript in the process: the CLI runs
one engine, and `EnginePool` gives each engine a process of its own.
"""

from __future__ import annotations

import json
import re
import time
from importlib import resources
from typing import Any, Mapping

import quickjs

from runner.compat import JsSettings, bootstrap_source
from runner.engine.handler import NO_HANDLER_HINT, Handler
from runner.engine.outcome import LogEntry, Outcome, Request, TransformError
from runner.engine.validate import check_request
from runner.errors import HandlerError, HandlerLoadError, NoHandlerError
from runner.limits import Limits

DEFAULT_URL = "https://example.invalid/webhook"
"""Where a webhook goes when no URL is configured: a reserved name that never resolves."""

# Handler code is compiled this many lines down, so that stack frames from it are told apart
# from the compat layer's (QuickJS names every script `<input>`).
HANDLER_LINE_OFFSET = 1_000_000
_WRAP_HEAD = "(function(){"
_WRAP_TAIL = '\n;return typeof handler==="function"?handler:undefined})'

_RUNTIME_JS = resources.files("runner.engine").joinpath("js/runtime.js").read_text("utf-8")

_STACK_MESSAGE = "Maximum call stack size exceeded"
_INTERRUPTED = "InternalError: interrupted"
_NULL_THROWN = "handler threw a non-Error value: null"  # runtime.js errorRecord(null)
_DISCARD_AFTER = frozenset({"StackLimitExceeded", "MemoryLimitExceeded", "InternalError"})


class Engine:
    """Runs handlers on webhook bodies in one reused, isolated QuickJS context."""

    def __init__(self, limits: Limits | None = None, settings: JsSettings | None = None) -> None:
        self.limits = limits or Limits()
        self.settings = settings or JsSettings()
        # Two contexts at most: built-ins frozen (the usual), and open for handlers that patch
        # built-ins, restored after each event (see js/runtime.js).
        self._contexts: dict[bool, _Context] = {}
        self.contexts_created = 0

    def prepare(self, handler: Handler) -> None:
        """Compile `handler` and run its top-level code once; raises `HandlerError` on failure."""
        self._context(handler.patches_builtins).factory(handler)

    def warm(self) -> None:
        """Build the QuickJS context (compat layer and all) now rather than on the first event."""
        self._context()

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
        engine then parses it only if the handler reads `webhook.payload`.
        """
        started = time.perf_counter()
        if isinstance(body, bytes):
            try:
                body = body.decode("utf-8")
            except UnicodeDecodeError as exc:
                return _failed(None, "InvalidInput", f"webhook body is not valid UTF-8 (byte {exc.start})", started)
        env_text = json.dumps(dict(env), ensure_ascii=False) if env else "{}"
        open_mode = handler.patches_builtins
        ctx = self._context(open_mode)
        try:
            factory = ctx.factory(handler)
        except HandlerError as exc:
            return _failed(None, exc.kind, exc.message, started, line=exc.line, column=exc.column,
                           source_line=exc.source_line)
        ctx.configure(settings or self.settings)
        raw, limit_error = ctx.invoke(factory, body, url, env_text, self.limits, event_type)
        if limit_error is not None or not ctx.reset():
            self._discard(open_mode)
        if limit_error is not None:
            return _outcome_for_error(handler, limit_error, started, self.limits)
        outcome = _outcome(handler, body, raw, started, self.limits)
        if outcome.error is not None and outcome.error.type in _DISCARD_AFTER:
            # The handler caught nothing, but QuickJS may be left short of stack or heap.
            self._discard(open_mode)
        return outcome

    def close(self) -> None:
        """Release the QuickJS contexts."""
        self._contexts.clear()

    def _context(self, open_mode: bool = False) -> "_Context":
        ctx = self._contexts.get(open_mode)
        if ctx is None:
            ctx = self._contexts[open_mode] = _Context(self.limits, self.settings, open_mode=open_mode)
            self.contexts_created += 1
        return ctx

    def _discard(self, open_mode: bool) -> None:
        self._contexts.pop(open_mode, None)


class _Context:
    """One QuickJS context with the compat layer and the runtime loaded and built-ins frozen."""

    def __init__(self, limits: Limits, settings: JsSettings, *, open_mode: bool = False) -> None:
        self.limits = limits
        ctx = quickjs.Context()
        ctx.set_max_stack_size(limits.stack_bytes)
        self.configure_fn = ctx.eval(bootstrap_source())
        self.runtime = ctx.eval(_RUNTIME_JS)
        self.runtime("lockdown", open_mode)
        self.pending_marker = self.runtime("pending")
        ctx.gc()
        baseline = int(ctx.memory()["malloc_size"])
        ctx.set_memory_limit(baseline + limits.memory_bytes)
        self.ctx = ctx
        self.loaded: set[str] = set()
        self.settings: JsSettings | None = None
        self.configure(settings)

    def configure(self, settings: JsSettings) -> None:
        if settings != self.settings:
            self.configure_fn(settings.locale, settings.time_zone, settings.now_ms)
            self.settings = settings

    def factory(self, handler: Handler) -> str:
        """Compile and load `handler` once per context; returns its id for `invoke`."""
        if handler.digest in self.loaded:
            return handler.digest
        wrapped = "\n" * HANDLER_LINE_OFFSET + _WRAP_HEAD + handler.source + _WRAP_TAIL
        self.ctx.set_time_limit(self.limits.time_ms / 1000)
        try:
            problem = self.runtime("compile", handler.digest, wrapped, handler.filename, HANDLER_LINE_OFFSET,
                                   len(_WRAP_HEAD))
        except quickjs.JSException as exc:
            error = _escaped_error(str(exc), handler, self.limits)
            raise HandlerLoadError(f"loading the handler failed: {error.message}", filename=handler.filename,
                                   line=error.line, column=error.column, source_line=error.source_line) from None
        finally:
            self.ctx.set_time_limit(-1)
            self.reset()
        if problem is not None:
            data = json.loads(problem)
            if data.get("missing"):
                raise NoHandlerError("no top-level function named `handler`", filename=handler.filename,
                                     hint=NO_HANDLER_HINT)
            err = data["error"]
            raise HandlerLoadError(
                f"the top-level code threw {err['type']}: {err['message']}",
                filename=handler.filename, line=err["line"], column=err["column"],
                source_line=handler.line(err["line"]),
                hint="Top-level code runs before every event; move event-specific work into handler().",
            )
        self.loaded.add(handler.digest)
        return handler.digest

    def invoke(self, handler_id: str, body: str, url: str, env_text: str,
               limits: Limits, event_type: str | None) -> tuple[str | None, str | None]:
        """Returns (result text, None) or (None, the text of an uncatchable JS error)."""
        ctx = self.ctx
        budget = limits.time_ms / 1000
        started = time.process_time()
        try:
            ctx.set_time_limit(budget)
            raw = self.runtime("invoke", handler_id, body, url, env_text, limits.log_bytes, event_type)
            if raw == self.pending_marker:
                if not self._drain(started, budget):
                    return None, _INTERRUPTED
                raw = self.runtime("settle")
            # Jobs a handler left queued run now, inside its budget, never in the next event.
            if not self._drain(started, budget):
                return None, _INTERRUPTED
            return raw, None
        except quickjs.StackOverflow as exc:
            return None, str(exc) or f"RangeError: {_STACK_MESSAGE}"
        except quickjs.JSException as exc:
            return None, str(exc)

    def _drain(self, started: float, budget: float) -> bool:
        """Run queued jobs until none is left (True) or the budget is spent (False)."""
        ctx = self.ctx
        # Still under the limit set for the call that queued them: no clock read when idle.
        if not ctx.execute_pending_job():
            return True
        while True:
            remaining = budget - (time.process_time() - started)
            if remaining <= 0:
                return False
            ctx.set_time_limit(remaining)
            if not ctx.execute_pending_job():
                return True

    def reset(self) -> bool:
        try:
            return bool(self.runtime("reset"))
        except quickjs.JSException:
            return False


def _failed(event_type: str | None, kind: str, message: str, started: float, *, line: int | None = None,
            column: int | None = None, source_line: str | None = None) -> Outcome:
    return Outcome(status="error", event_type=event_type,
                   error=TransformError(kind, message, line, column, source_line),
                   duration_ms=(time.perf_counter() - started) * 1000)


_FRAME = re.compile(r"\((?P<file>.*):(?P<line>\d+):(?P<column>\d+)\)\s*$")


def _first_handler_frame(stack: str, handler: Handler) -> tuple[int | None, int | None]:
    prefix = f"({handler.filename}:"
    for line in stack.split("\n"):
        m = _FRAME.search(line)
        if not m:
            continue
        if prefix in line and m.group("file") == handler.filename:
            return int(m.group("line")), int(m.group("column"))
        if m.group("file") == "<input>" and int(m.group("line")) > HANDLER_LINE_OFFSET:
            # QuickJS's own format, when the error was made before our formatter could run.
            number = int(m.group("line")) - HANDLER_LINE_OFFSET
            column = int(m.group("column")) - (len(_WRAP_HEAD) if number == 1 else 0)
            return number, column
    return None, None


def _limit_kind(kind: str, message: str, stack: str | None) -> str | None:
    """Which limit a QuickJS error means, whether it escaped (uncatchable) or was recorded."""
    if kind == "InternalError" and message.startswith("interrupted"):
        return "TimeLimitExceeded"
    if "out of memory" in message or (kind in ("InternalError", "Error") and message == "" and not stack) or (
            kind == "Error" and message == _NULL_THROWN and not stack):
        # QuickJS throws null when the heap is too full to allocate even its "out of memory"
        # error (a memory bomb of many small objects; a literal `throw null` reads the same), and
        # a message can come out empty when the heap was too full to turn it into a string.
        return "MemoryLimitExceeded"
    if message == _STACK_MESSAGE or "stack overflow" in message:
        return "StackLimitExceeded"
    return None


def _limit_message(kind: str, limits: Limits) -> str:
    if kind == "TimeLimitExceeded":
        return (f"the handler ran longer than its time limit of {limits.time_ms} ms "
                "(an endless loop, or a catastrophic regular expression?)")
    if kind == "MemoryLimitExceeded":
        return f"the handler used more than its memory limit of {limits.memory_bytes // (1024 * 1024)} MiB"
    return f"the handler exceeded its stack limit of {limits.stack_bytes // 1024} KiB (runaway recursion?)"


def _js_error(text: str, handler: Handler) -> TransformError:
    head, _, stack = text.partition("\n")
    kind, _, message = head.partition(": ")
    line, column = _first_handler_frame(stack, handler)
    return TransformError(kind or "Error", message or head, line, column, handler.line(line), stack or None)


def _escaped_error(text: str, handler: Handler, limits: Limits) -> TransformError:
    """The error of an exception that reached Python (uncatchable, or thrown while loading)."""
    error = _js_error(text, handler)
    limit = _limit_kind(error.type, error.message, None)
    if limit is None:
        return error
    return TransformError(limit, _limit_message(limit, limits), error.line, error.column, error.source_line,
                          error.stack)


def _outcome_for_error(handler: Handler, text: str, started: float, limits: Limits) -> Outcome:
    # An uncatchable error (a limit) unwinds through the runtime too: logs and the event type of
    # that invocation are lost with the discarded context.
    error = _escaped_error(text, handler, limits)
    return Outcome(status="error", event_type=None, error=error,
                   duration_ms=(time.perf_counter() - started) * 1000)


def _well_formed(value: Any) -> Any:
    """`value` with lone UTF-16 surrogates (a JavaScript string cut inside an emoji) replaced by
    U+FFFD in every string: such text cannot be encoded as UTF-8, so it could be neither stored
    (the handler's logs, error message, url, headers) nor sent."""
    if isinstance(value, str):
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if isinstance(value, list):
        return [_well_formed(v) for v in value]
    if isinstance(value, dict):
        return {_well_formed(k): _well_formed(v) for k, v in value.items()}
    return value


def _outcome(handler: Handler, body: str, raw: str | None, started: float, limits: Limits) -> Outcome:
    if not raw:
        raw = '{"r": {"error": {"type": "InternalError", "message": "the runtime returned nothing"}}, "logs": []}'
    meta, _, webhook_json = raw.partition("\n")
    data = json.loads(meta)
    if "\\ud" in meta:  # JSON.stringify escapes only lone surrogates this way
        data = _well_formed(data)
    event_type = data.get("eventType")
    logs = tuple(LogEntry(e["level"], e["message"]) for e in data["logs"])
    truncated = bool(data.get("truncated"))
    r = data["r"]
    elapsed = lambda: (time.perf_counter() - started) * 1000  # noqa: E731
    if "error" in r:
        e = r["error"]
        kind, message = e["type"], e["message"]
        limit = _limit_kind(kind, message, e.get("stack"))
        if limit is not None:
            kind, message = limit, _limit_message(limit, limits)
        line, column = e.get("line"), e.get("column")
        if line is None and e.get("stack"):
            line, column = _first_handler_frame(e["stack"], handler)
        error = TransformError(kind, message, line, column, handler.line(line), e.get("stack"))
        return Outcome(status="error", event_type=event_type, error=error, logs=logs, logs_truncated=truncated,
                       duration_ms=elapsed())
    status = r["status"]
    request = None
    if status != "cancelled":
        headers = json.loads(r["headers"]) if r.get("headers") else {}
        problem = check_request(r["url"], r["method"], headers)
        if problem is not None:
            return Outcome(status="error", event_type=event_type,
                           error=TransformError("InvalidResult", problem), webhook_text=webhook_json,
                           logs=logs, logs_truncated=truncated, duration_ms=elapsed())
        if r.get("lazy"):
            payload = body  # untouched and unchanged: the original body
        else:
            payload = webhook_json[r["at"]:r["at"] + r["len"]]
        request = Request(url=r["url"], method=r["method"], headers=headers,
                          body=body if status == "unchanged" else payload)
    if r.get("lazy"):
        return Outcome(status=status, event_type=event_type, webhook_lazy=(r["head"], body, r["tail"]),
                       request=request, logs=logs, logs_truncated=truncated, duration_ms=elapsed())
    return Outcome(status=status, event_type=event_type, webhook_text=webhook_json, request=request,
                   logs=logs, logs_truncated=truncated, duration_ms=elapsed())

