"""Serving the playground with uvicorn on a socket bound up front.

Binding first means the real URL (even for port 0) is known before the server starts, and a
browser or test that connects early waits in the listen backlog instead of failing.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

LISTEN_BACKLOG = 64


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on (host, port); raises OSError (e.g. port in use)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(LISTEN_BACKLOG)
    except OSError:
        sock.close()
        raise
    return sock


def url_of(sock: socket.socket) -> str:
    """`http://host:port/` for a bound socket (IPv6 hosts in brackets)."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def server_for(app: ASGIApp, *, log_level: str = "warning") -> uvicorn.Server:
    """A uvicorn server for `app`; run it with `.run(sockets=[sock])`."""
    return uvicorn.Server(uvicorn.Config(app, log_level=log_level, lifespan="on"))


@contextmanager
def background(app: ASGIApp, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve `app` on a thread for the duration of the block; yields the base URL."""
    sock = bind(host, port)
    server = server_for(app)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="playground-http", daemon=True)
    thread.start()
    try:
        yield url_of(sock)
    finally:
        server.should_exit = True
        thread.join()
        sock.close()
