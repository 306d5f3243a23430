"""Reading a request body under a size limit: one rule for the server and the playground."""

from __future__ import annotations

from collections.abc import AsyncIterable

from starlette.requests import ClientDisconnect, Request
from starlette.types import Message, Receive


class BodyTooLarge(Exception):
    """The body is over the limit; `declared` is its Content-Length when that said so."""

    def __init__(self, declared: int | None) -> None:
        super().__init__("request body over the limit")
        self.declared = declared


async def read_limited(request: Request, limit: int) -> bytes:
    """The body, refusing as soon as it is known to exceed `limit` bytes (its declared length
    first, then the bytes as they arrive: a chunked body declares none)."""
    check_declared(request.headers.get("content-length"), limit)
    return await _gather(request.stream(), limit)


async def receive_limited(receive: Receive, declared: str | None, limit: int) -> bytes:
    """`read_limited` on a raw ASGI `receive` (`declared`: the Content-Length header, if any);
    a disconnect before the end raises ClientDisconnect, as `Request.stream` does."""
    check_declared(declared, limit)
    message = await receive()
    if message["type"] == "http.request" and not message.get("more_body", False):
        body: bytes = message.get("body", b"")  # the usual case: the whole body in one message
        if len(body) > limit:
            raise BodyTooLarge(None)
        return body
    return await _gather(_messages(receive, message), limit)


def check_declared(declared: str | None, limit: int) -> None:
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge(int(declared))


async def _gather(chunks: AsyncIterable[bytes], limit: int) -> bytes:
    parts = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(None)
        parts.append(chunk)
    return b"".join(parts)


async def _messages(receive: Receive, message: Message) -> AsyncIterable[bytes]:
    # `Request.stream`'s reading of the messages, starting from one already received.
    while True:
        if message["type"] == "http.request":
            body: bytes = message.get("body", b"")
            if body:
                yield body
            if not message.get("more_body", False):
                return
        elif message["type"] == "http.disconnect":
            raise ClientDisconnect()
        message = await receive()
