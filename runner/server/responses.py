"""`SafeJSONResponse`: JSON answers whose text is safe to show and always encodable.

Answers quote what handlers made (errors, results, logs) and are read by people too (curl on a
terminal, the playground page), not only by programs. Written as ASCII, every character outside
it becomes a `\\uXXXX` escape of the same value: control characters (C1 such as U+009B), bidi
overrides and lone UTF-16 surrogates (which no UTF-8 body can carry) included.
"""

from __future__ import annotations

import json

from starlette.responses import JSONResponse

_ENCODER = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(",", ":"))


def render_json(content: object) -> bytes:
    """`content` as the ASCII JSON text of a `SafeJSONResponse`."""
    return _ENCODER.encode(content).encode("ascii")


class SafeJSONResponse(JSONResponse):
    """A JSONResponse rendered as ASCII JSON (the same value)."""

    def render(self, content: object) -> bytes:
        return render_json(content)
