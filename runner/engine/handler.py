"""A handler's source, checked once when it is loaded.

Loading parses the code as a script (exactly as the dashboard would) in a throw-away QuickJS
context, so a syntax error is reported with file, line, column and the offending line before
any event is run. Whether the top-level code defines `handler` is checked here when it can be
told without the compat layer, and again by each engine when it compiles the handler.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import quickjs

from runner.errors import HandlerError, HandlerSyntaxError, NoHandlerError

PROBE_TIME_S = 0.25
PROBE_MEMORY_BYTES = 32 * 1024 * 1024
PROBE_STACK_BYTES = 256 * 1024
PARSE_IN_PROCESS_CHARS = 32 * 1024
PARSE_TIMEOUT_S = 5.0

NO_HANDLER_HINT = (
    "Define a top-level function named `handler` that takes the webhook and returns it:\n"
    "    function handler(webhook) {\n        // ...\n        return webhook;\n    }"
)

_BUILTIN = r"(?:Object|Function|Array|String|Number|Boolean|Symbol|BigInt|Date|RegExp|Error|[A-Z][a-z]+Error|Math|JSON|" \
           r"Reflect|Promise|Map|Set|WeakMap|WeakSet|Intl|URL|URLSearchParams|console|crypto|globalThis)"
# Every repetition is bounded or cannot overlap the next match's, so a scan is linear in the
# size of the code (an unbounded `[...]` made `"Math["` repeated 30,000 times take seconds).
_ASSIGN = r"\s{0,64}(?:\.\s{0,64}[A-Za-z_$][\w$]{0,128}|\[[^\]\n]{0,256}\])\s{0,64}(?:=(?![=>])|\+=|-=|\|\|=|\?\?=)"
_PATCHES_BUILTINS = re.compile(
    r"\.prototype" + _ASSIGN                                  # X.prototype.y = ...
    + r"|\b" + _BUILTIN + _ASSIGN                              # Math.round2 = ..., JSON.parse = ...
    + r"|\b(?:defineProperty|defineProperties|setPrototypeOf|assign)\s*\(\s*(?:" + _BUILTIN
    + r"\b|[\w$.]*prototype\b)"                               # Object.defineProperty(Array.prototype, ...)
    + r"|__proto__\s*(?:\.\s*[\w$]+\s*)?=(?![=>])"
)

_SCRIPT_HEAD = "throw 0;"
_PROBE_WRAPS = ((_SCRIPT_HEAD, ""), ("(function(){", "\n})"))
_MENTIONS_HANDLER = re.compile(r"\bhandler\b")

# A compile-time error has only the location frame (`at <input>:3:1`); a SyntaxError thrown
# while running (JSON.parse, new RegExp) has named frames.
_COMPILE_FRAME = re.compile(r"^\s+at <input>:(\d+):(\d+)\s*$")


@dataclass(frozen=True)
class Handler:
    """Dashboard handler code, syntax-checked, with the name it was loaded from."""

    source: str
    filename: str
    digest: str = field(repr=False)

    @classmethod
    def from_source(cls, source: str, filename: str = "<stdin>") -> Handler:
        """Check `source` and wrap it; raises `HandlerError` with the location of any problem."""
        if "\x00" in source:
            raise HandlerSyntaxError("the code contains a NUL character", filename=filename,
                                     hint="Paste the handler as plain text.")
        try:
            source.encode("utf-8")
        except UnicodeEncodeError:
            raise HandlerSyntaxError("the code is not valid Unicode text (a lone UTF-16 surrogate)", filename=filename,
                                     hint="Paste the handler as plain text.") from None
        source = source.replace("\r\n", "\n")
        source = source.removeprefix("\ufeff")
        _probe(source, filename)
        # The name is part of the identity: two transforms (files) with the same code are still two
        # tenants, and each gets its own engine context.
        digest = hashlib.sha256(filename.encode("utf-8", "surrogatepass") + b"\0" + source.encode("utf-8")).hexdigest()
        return cls(source=source, filename=filename, digest=digest)

    @classmethod
    def from_file(cls, path: str | Path) -> Handler:
        """Read and check a handler file (UTF-8)."""
        p = Path(path)
        try:
            data = p.read_bytes()
        except FileNotFoundError:
            raise HandlerError("no such file", filename=str(path),
                               hint="Check the path; handlers are .js files such as transforms/segment-track-payments.js.") from None
        except IsADirectoryError:
            raise HandlerError("is a directory, not a handler file", filename=str(path)) from None
        except OSError as exc:
            raise HandlerError(f"cannot read the file: {exc.strerror}", filename=str(path)) from None
        return cls.from_bytes(data, filename=str(path))

    @classmethod
    def from_bytes(cls, data: bytes, filename: str) -> Handler:
        """Decode UTF-8 handler code (a file, standard input) and check it."""
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            raise HandlerSyntaxError("the code is not valid UTF-8", filename=filename, line=line,
                                     column=column, hint="Save the handler as UTF-8 text.") from None
        return cls.from_source(text, filename=filename)

    @functools.cached_property
    def patches_builtins(self) -> bool:
        """Whether the code may assign to built-ins (`String.prototype.x = ...`, `Math.f = ...`).

        Such handlers run with writable built-ins put back after each event, as V8 would run
        them; the others with frozen built-ins, which is faster. Guessing wrong costs only
        speed or (for a patch this misses) the patch, never isolation.
        """
        return _PATCHES_BUILTINS.search(self.source) is not None

    def line(self, number: int | None) -> str | None:
        """The source line `number` (1-based), or None when out of range."""
        if number is None or number < 1:
            return None
        lines = self.source.split("\n")
        return lines[number - 1] if number <= len(lines) else None


def _probe(source: str, filename: str) -> None:
    """Parse `source` (see `_parse`); large code is parsed in a child process with a deadline:
    QuickJS's parser never checks its time limit, and some shapes of code (tens of thousands of
    declarations in one scope) take it seconds."""
    if len(source) <= PARSE_IN_PROCESS_CHARS:
        _parse(source, filename)
        return
    try:
        proc = subprocess.run([sys.executable, "-c", _CHILD_PARSE], input=json.dumps([source, filename]).encode(),
                              capture_output=True, timeout=PARSE_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise HandlerSyntaxError(f"the code did not parse within {PARSE_TIMEOUT_S:g} s", filename=filename,
                                 hint="Split it up: a handler is rarely more than a few hundred lines.") from None
    if proc.returncode != 0:
        raise HandlerError("the code could not be parsed (the parser stopped)", filename=filename)
    problem = json.loads(proc.stdout)
    if problem is not None:
        raise HandlerError.from_data(*problem)


_CHILD_PARSE = """
import json, sys
from runner.engine.handler import _parse
from runner.errors import HandlerError
source, filename = json.loads(sys.stdin.buffer.read())
try:
    _parse(source, filename)
    print("null")
except HandlerError as exc:
    print(json.dumps(exc.to_data()))
"""


_ERRORSITE_JS = resources.files("runner.engine").joinpath("js/errorsite.js").read_text("utf-8")
# The built-ins errorsite.js runs on (runtime.js hands it the same set).
_ERRORSITE_PRIMORDIALS = """({ __proto__: null, apply: Reflect.apply, charCodeAt: String.prototype.charCodeAt,
  slice: String.prototype.slice, fromCharCode: String.fromCharCode, parseFloat, parseInt, String, Map,
  mapGet: Map.prototype.get, mapSet: Map.prototype.set, mapClear: Map.prototype.clear,
  mapSize: Object.getOwnPropertyDescriptor(Map.prototype, "size").get, exec: RegExp.prototype.exec, RegExp,
  ownKeys: Reflect.ownKeys, ArrayPrototype: Array.prototype, ObjectPrototype: Object.prototype,
  StringPrototype: String.prototype, getOwnPropertyDescriptor: Object.getOwnPropertyDescriptor,
  getPrototypeOf: Object.getPrototypeOf, isArray: Array.isArray, indexOf: String.prototype.indexOf })"""


def _v8_syntax_error(ctx: quickjs.Context, source: str, message: str, line: int, column: int) -> tuple[str, int, int]:
    """V8's words and position for the syntax error QuickJS reported (errorsite.js), or QuickJS's
    own when they cannot be told (the analysis is bounded, and runs under the probe's limits)."""
    try:
        words = ctx.eval("(" + _ERRORSITE_JS + ")(" + _ERRORSITE_PRIMORDIALS + ").syntaxWords")
        found = words(source, message, line, column)
        if found is None:
            return message, line, column
        data = json.loads(ctx.eval("JSON.stringify")(found))
        return str(data["message"]), int(data["line"]), int(data["column"])
    except (quickjs.JSException, TypeError, ValueError, KeyError):
        return message, line, column


def _parse(source: str, filename: str) -> None:
    """Parse `source` without running any of it, so no handler code runs in this process.

    Parsed twice, never run: as a script behind a `throw` (script rules: no top-level
    `return`), and as the body of a function expression that is never called (as the engine
    compiles it, where a leading "use strict" is a directive: strict-mode rules). Whether it
    defines `handler` is told by each engine, in its sandbox, when it loads the handler."""
    ctx = quickjs.Context()
    ctx.set_time_limit(PROBE_TIME_S)
    ctx.set_memory_limit(PROBE_MEMORY_BYTES)
    ctx.set_max_stack_size(PROBE_STACK_BYTES)
    for head, tail in _PROBE_WRAPS:
        try:
            ctx.eval(head + source + tail)
        except quickjs.JSException as exc:
            text = str(exc)
            first_line, _, frames = text.partition("\n")
            match = _COMPILE_FRAME.match(frames.split("\n", 1)[0])
            if first_line.startswith("SyntaxError") and match:
                line, column = int(match.group(1)), int(match.group(2))
                if line == 1:
                    column = max(1, column - len(head))
                message = first_line.removeprefix("SyntaxError: ")
                message, line, column = _v8_syntax_error(ctx, source, message, line, column)
                lines = source.split("\n")
                raise HandlerSyntaxError(
                    message,
                    filename=filename,
                    line=line,
                    column=column,
                    source_line=lines[line - 1] if 0 < line <= len(lines) else None,
                    hint="Fix the JavaScript syntax at the marked position; the dashboard would reject it too.",
                ) from None
            if head == _SCRIPT_HEAD and first_line == "0":
                continue  # parsed; stopped by the throw before any of it ran
            # Parsing hit the probe's own limits (deep nesting): the engine's load decides.
            return
    if not _MENTIONS_HANDLER.search(source):
        raise NoHandlerError("no top-level function named `handler`", filename=filename, hint=NO_HANDLER_HINT)
