"""`JSON.stringify(JSON.parse(text))` computed in Python, byte for byte as JavaScript does it.

The engine hands a webhook body to a handler only if the handler reads it; when it does not,
the serialised result is still needed (for previews and the result record), and this gives it
without a round trip into JavaScript. It follows ECMAScript exactly: numbers become doubles and
are written by Number::toString, integer-like keys come first in ascending order, lone
surrogates are escaped.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_MAX_INDEX = 2**32 - 2
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _Number(float):
    """A parsed JSON number, written the way JavaScript writes a double."""


def _js_number(x: float) -> str:
    if math.isinf(x) or math.isnan(x):
        return "null"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    text = repr(abs(x))
    mantissa, _, exp_text = text.partition("e")
    whole, _, frac = mantissa.partition(".")
    if frac == "0":
        frac = ""
    digits = whole + frac
    n = len(whole) + (int(exp_text) if exp_text else 0)  # value = 0.DIGITS × 10^n
    stripped = digits.lstrip("0")
    n -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    exponent = ("+" if e >= 0 else "-") + str(abs(e))
    if k == 1:
        return sign + digits + "e" + exponent
    return sign + digits[0] + "." + digits[1:] + "e" + exponent


def _is_index(key: str) -> bool:
    return key.isdigit() and key.isascii() and (key == "0" or key[0] != "0") and int(key) <= _MAX_INDEX


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if any(_is_index(k) for k in obj):
        # JavaScript enumerates array-index keys first, ascending, then the rest in order.
        index = sorted((k for k in obj if _is_index(k)), key=int)
        obj = {**{k: obj[k] for k in index}, **{k: v for k, v in obj.items() if not _is_index(k)}}
    return obj


def _write(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, float):
        out.append(_js_number(value))
    elif isinstance(value, list):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        out.append("{")
        first = True
        for key, item in value.items():
            if not first:
                out.append(",")
            first = False
            out.append(_string(key))
            out.append(":")
            _write(item, out)
        out.append("}")


def _string(s: str) -> str:
    text = json.dumps(s, ensure_ascii=False)
    if _LONE_SURROGATE.search(text):
        text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


# What makes Python's own JSON writer differ from JavaScript's: a `\u` escape or a raw surrogate
# (JSON.stringify escapes lone surrogates only), an array-index key (JavaScript enumerates those
# first), a float, an integer of 16 or more digits (a double in JavaScript). Keys are looked for
# anywhere, in strings too: a false alarm only takes the exact path.
_INDEX_KEY = re.compile(r'"(?:0|[1-9][0-9]*)"\s*:')
_FAST_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False)


class _Slow(Exception):
    """The document needs the exact path."""


def _slow_number(text: str) -> Any:
    raise _Slow


def _exact_int(text: str) -> int:
    if len(text) > 15:  # 15 digits are exact in a double (and so written alike)
        raise _Slow
    return int(text)


def _fast(text: str) -> str | None:
    """`normalize(text)` through the json module's C parser and writer, when the document holds
    only what both languages write alike; else None."""
    if "\\u" in text or (not text.isascii() and _LONE_SURROGATE.search(text)) or _INDEX_KEY.search(text):
        return None
    try:
        return _FAST_ENCODER.encode(json.loads(text, parse_float=_slow_number, parse_int=_exact_int,
                                               parse_constant=_slow_number))
    except (_Slow, ValueError, RecursionError):
        return None


def normalize(text: str) -> str:
    """What `JSON.stringify(JSON.parse(text))` returns in V8 (raises ValueError on bad JSON)."""
    fast = _fast(text)
    if fast is not None:
        return fast
    value = json.loads(text, parse_float=_Number, parse_int=_Number, parse_constant=_reject,
                       object_pairs_hook=_object)
    out: list[str] = []
    _write(value, out)
    return "".join(out)


def _reject(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")
