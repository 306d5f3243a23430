"""Text that is safe to show on a terminal: the one place untrusted text is made printable.

Handler code is untrusted, and so is what it produces (console logs, error messages, thrown
values, result URLs, headers and bodies), the webhooks it is given, and what the queue stores
from them. Printed raw, such text can drive the terminal: `ESC ] 52 ; c ; <base64> BEL` writes
the clipboard (OSC 52), CSI sequences clear the screen or move the cursor, C1 controls such as
U+009B act as CSI on some terminals, a carriage return overwrites what was shown, and the bidi
overrides and isolates U+202A-U+202E, U+2066-U+2069 reorder what is displayed, so a shown source
line can say something other than the code does ("Trojan Source").

Everything the CLI prints that did not come from runner itself goes through one of:

    printable(text)                  one line: every such character becomes a visible escape
    printable(text, multiline=True)  the same, but newlines and tabs are kept
    printable_json(json_text)        JSON text: such characters become \\uXXXX escapes, so the
                                     text stays valid JSON with the same value

Escapes look like Python's: `\\x1b`, `\\x7f`, `\\r` for C0 controls and DEL, `\\u009b` for C1
controls, `\\u202e` for bidi controls, `\\ud800` for lone surrogates (which no terminal encoding
can write). A backslash is left as it is, so ordinary text (paths, regular expressions) reads the
same; the escapes only have to be visible, not reversible.
"""

from __future__ import annotations

import re

UNSAFE = re.compile(
    "[\x00-\x1f"  # C0 controls: ESC, BEL, BS, CR, ... (LF and TAB kept in multi-line text)
    "\x7f-\x9f"  # DEL and the C1 controls (U+009B is CSI, U+009D is OSC on some terminals)
    "\u202a-\u202e"  # bidi embeddings and overrides: LRE, RLE, PDF, LRO, RLO
    "\u2066-\u2069"  # bidi isolates: LRI, RLI, FSI, PDI
    "\ud800-\udfff]"  # lone surrogates (from JavaScript strings): not encodable on output
)
_KEPT_IN_MULTILINE = frozenset("\n\t")
_KEPT_IN_JSON = frozenset("\n\t")  # JSON whitespace; inside valid JSON strings they are already escaped
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(ch: str) -> str:
    if ch in _SHORT:
        return _SHORT[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}"


def _escape_line(match: re.Match[str]) -> str:
    return _escape(match.group())


def _escape_lines(match: re.Match[str]) -> str:
    ch = match.group()
    return ch if ch in _KEPT_IN_MULTILINE else _escape(ch)


def _escape_json(match: re.Match[str]) -> str:
    ch = match.group()
    return ch if ch in _KEPT_IN_JSON else f"\\u{ord(ch):04x}"


def printable(text: object, *, multiline: bool = False) -> str:
    """`text` (or `str(text)`) with every control, bidi or lone-surrogate character escaped.

    With `multiline`, newlines and tabs are kept: for text whose lines mean something (a log
    message, a report); everything else, carriage returns included, is still escaped.
    """
    text = text if isinstance(text, str) else str(text)
    return UNSAFE.sub(_escape_lines if multiline else _escape_line, text)


def printable_json(text: str) -> str:
    """JSON text with the same value, in which every unsafe character is a `\\uXXXX` escape.

    `json.dumps(..., ensure_ascii=False)` and `JSON.stringify` escape C0 controls in strings but
    write DEL, C1 controls, bidi controls and lone surrogates raw; this escapes those (and any
    stray control) too. Newlines and tabs, JSON's whitespace between tokens, are kept.
    """
    return UNSAFE.sub(_escape_json, text)



def source_excerpt(line: str, column: int | None = None) -> tuple[str, str | None]:
    """A handler's source line made printable, and the padding that puts a caret under `column`.

    Tabs are kept (code is indented with them) and a trailing CR of a CRLF file is dropped;
    every other control or bidi character is escaped. The padding is measured on the escaped
    text, so the caret stays under the character at `column` (1-based) even when escapes
    before it widen the line; it is None when `column` is unknown.
    """
    line = line.removesuffix("\r")
    shown = "\t".join(printable(part) for part in line.split("\t"))
    if column is None:
        return shown, None
    prefix = "\t".join(printable(part) for part in line[: max(column - 1, 0)].split("\t"))
    return shown, "".join("\t" if c == "\t" else " " for c in prefix)
