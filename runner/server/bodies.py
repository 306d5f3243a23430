"""Reading a request body under a size limit: one rule for the server and the playground."""

from __future__ import annotations

from starlette.requests import Request


class BodyTooLarge(Exception):
    """The body is over the limit; `declared` is its Content-Length when that said so."""

    def __init__(self, declared: int | None) -> None:
        super().__init__("request body over the limit")
        self.declared = declared


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refusing as soon as it is known to exceed `limit` bytes (its declared length
    first, then the bytes as they arrive: a chunked body declares none)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(int(declared))
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(None)
        chunks.append(chunk)
    return b"".join(chunks)
