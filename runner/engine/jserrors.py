"""What a JavaScript error QuickJS reports means for the runner: which limit it stands for, where
in the handler it was thrown, and the `TransformError` it becomes.

QuickJS words some failures differently from V8, or barely at all (a heap too full to allocate
its own "out of memory" error throws null); these heuristics turn them into the runner's limit
kinds, and find the handler's own frame in a stack that also runs through the compat layer.
(How V8 words and places a handler's errors is runtime.js's business: see js/errorsite.js.)
"""

from __future__ import annotations

import re

from runner.engine.handler import Handler
from runner.engine.outcome import TransformError
from runner.engine.validate import clip
from runner.limits import Limits

# Handler code is compiled this many lines down, so that stack frames from it are told apart
# from the compat layer's (QuickJS names every script `<input>`).
HANDLER_LINE_OFFSET = 1_000_000
# A maker: each call returns a new function object holding the handler's top-level code.
WRAP_HEAD = "(function(){return function(){"
WRAP_TAIL = '\n;return typeof handler==="undefined"?undefined:handler}})'

STACK_MESSAGE = "Maximum call stack size exceeded"
INTERRUPTED = "InternalError: interrupted"
"""The text of the error QuickJS throws at its time limit (also used for a budget spent in Python)."""
_NULL_THROWN = "handler threw a non-Error value: null"  # runtime.js errorRecord(null)

# Linear on any text (a line of a million "(" included): no part can run across a "(".
_FRAME = re.compile(r"\((?P<file>[^()\n]*):(?P<line>\d{1,9}):(?P<column>\d{1,9})\)\s*$")


def first_handler_frame(stack: str, handler: Handler) -> tuple[int | None, int | None]:
    """(line, column) in the handler's source of the first stack frame in its code, or Nones."""
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
            column = int(m.group("column")) - (len(WRAP_HEAD) if number == 1 else 0)
            return number, column
    return None, None


def limit_kind(kind: str, message: str, stack: str | None) -> str | None:
    """Which limit a QuickJS error means, whether it escaped (uncatchable) or was recorded."""
    if kind == "InternalError" and message.startswith("interrupted"):
        return "TimeLimitExceeded"
    if kind == "null" and message == "null" and not stack:
        return "MemoryLimitExceeded"  # escaped as a bare null: QuickJS could not allocate its error
    if "out of memory" in message or (kind in ("InternalError", "Error") and message == "" and not stack) or (
            kind == "Error" and message == _NULL_THROWN and not stack):
        # QuickJS throws null when the heap is too full to allocate even its "out of memory"
        # error (a memory bomb of many small objects; a literal `throw null` reads the same), and
        # a message can come out empty when the heap was too full to turn it into a string.
        return "MemoryLimitExceeded"
    if message == STACK_MESSAGE or "stack overflow" in message:
        return "StackLimitExceeded"
    return None


def limit_message(kind: str, limits: Limits) -> str:
    """What the runner says when a handler hit the limit `kind` (a `limit_kind` result)."""
    if kind == "TimeLimitExceeded":
        return (f"the handler ran longer than its time limit of {limits.time_ms} ms "
                "(an endless loop, or a catastrophic regular expression?)")
    if kind == "MemoryLimitExceeded":
        return f"the handler used more than its memory limit of {limits.memory_bytes // (1024 * 1024)} MiB"
    return f"the handler exceeded its stack limit of {limits.stack_bytes // 1024} KiB (runaway recursion?)"


def js_error(text: str, handler: Handler, limits: Limits) -> TransformError:
    """The error of a QuickJS exception's text ("Kind: message" then its stack), as it is."""
    text = clip(text, 5 * limits.message_bytes)  # whatever the handler put in it, before it is parsed
    head, _, stack = text.partition("\n")
    kind, _, message = head.partition(": ")
    line, column = first_handler_frame(stack, handler)
    return TransformError(clip(kind or "Error", 200), clip(message or head, limits.message_bytes), line, column,
                          handler.line(line), clip(stack, 4 * limits.message_bytes) or None)


def escaped_error(text: str, handler: Handler, limits: Limits) -> TransformError:
    """The error of an exception that reached Python (uncatchable, or thrown while loading)."""
    error = js_error(text, handler, limits)
    limit = limit_kind(error.type, error.message, None)
    if limit is None:
        return error
    return TransformError(limit, limit_message(limit, limits), error.line, error.column, error.source_line,
                          error.stack)
