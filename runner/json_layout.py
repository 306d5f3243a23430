"""Re-indent JSON text without parsing it into Python values.

JavaScript and Python write some numbers differently (`1e21` vs `1e+21`), so what a handler
produced is shown exactly as `JSON.stringify` wrote it, only laid out like
`JSON.stringify(value, null, 2)`.
"""

from __future__ import annotations

import re

PRETTY_MAX_CHARS = 16 * 1024 * 1024
"""Past this (estimated) size the indented form is not made: the text is shown as it is. A
megabyte nested 250 deep would otherwise print hundreds of megabytes."""

# A JSON string (skipped whole, brackets inside it are text) or one structural bracket.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]+|\\.)*"|[\[\]{}]')


def nesting_depth(text: str, stop_at: int | None = None) -> int:
    """How deep JSON `text` nests arrays and objects (linear time; stops counting past `stop_at`)."""
    brackets = text.count("[") + text.count("{")
    if brackets == 0:
        return 0
    depth = deepest = 0
    for token in _JSON_TOKEN.finditer(text):
        c = token.group()
        if c == "[" or c == "{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_at is not None and deepest > stop_at:
                    return deepest
        elif c == "]" or c == "}":
            depth -= 1
    return deepest


def pretty(text: str, indent: int = 2) -> str:
    """`text` (valid, compact or not) re-laid out with `indent` spaces, like JSON.stringify;
    as it is when the indented form would be larger than PRETTY_MAX_CHARS."""
    lines = text.count(",") + text.count("[") + text.count("{")
    if len(text) + lines * (1 + indent * min(nesting_depth(text), 1 + PRETTY_MAX_CHARS)) > PRETTY_MAX_CHARS:
        return text
    out: list[str] = []
    depth = 0
    i = 0
    n = len(text)
    pad = " " * indent
    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while j < n:
                c = text[j]
                if c == "\\":
                    j += 2
                    continue
                if c == '"':
                    break
                j += 1
            out.append(text[i : j + 1])
            i = j + 1
            continue
        if ch in " \t\r\n":
            i += 1
            continue
        if ch in "{[":
            close = "}" if ch == "{" else "]"
            k = i + 1
            while k < n and text[k] in " \t\r\n":
                k += 1
            if k < n and text[k] == close:
                out.append(ch + close)
                i = k + 1
                continue
            depth += 1
            out.append(ch + "\n" + pad * depth)
            i += 1
            continue
        if ch in "}]":
            depth -= 1
            out.append("\n" + pad * depth + ch)
            i += 1
            continue
        if ch == ",":
            out.append(",\n" + pad * depth)
            i += 1
            continue
        if ch == ":":
            out.append(": ")
            i += 1
            continue
        j = i
        while j < n and text[j] not in ' \t\r\n,:{}[]"':
            j += 1
        out.append(text[i:j])
        i = j
    return "".join(out)
