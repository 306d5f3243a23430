"""Checks on the request a handler's result asks for, beyond what JavaScript checked for types."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from runner.json_layout import nesting_depth

ALLOWED_METHODS = ("POST", "PUT", "PATCH")
MAX_URL_LENGTH = 8192

# RFC 9110 token characters for header names; values may not contain CR, LF or NUL.
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_BAD_VALUE = re.compile(r"[\r\n\x00]")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")
# Headers that frame or route the request belong to the HTTP client: a handler's Content-Length or
# Transfer-Encoding would break the framing of a connection other deliveries share, and Host would
# reach another virtual host than the configured destination.
RESERVED_HEADERS = frozenset({"host", "content-length", "transfer-encoding", "connection", "keep-alive",
                              "upgrade", "te", "trailer", "proxy-connection", "expect"})


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, saying how many more there were (as runtime.js cuts)."""
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more characters)"


def _shown(value: object, limit: int = 200) -> str:
    """`repr(value)`, cut: a message quotes what the handler returned, which may be megabytes."""
    return clip(repr(value), limit)


@functools.lru_cache(maxsize=1024)
def check_url(url: str) -> str | None:
    """Why `url` is not an absolute http(s) URL, or None when it is one."""
    if len(url) > MAX_URL_LENGTH:
        return f"webhook.url is longer than {MAX_URL_LENGTH} characters"
    if _CONTROL.search(url):
        return f"webhook.url must not contain spaces or control characters, got {_shown(url)}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"webhook.url is not a valid URL ({exc}): {_shown(url)}"
    if parts.scheme not in ("http", "https"):
        return f"webhook.url must be an absolute http:// or https:// URL, got {_shown(url)}"
    if not parts.hostname:
        return f"webhook.url has no host: {_shown(url)}"
    return None


def check_request(url: str, method: str, headers: Mapping[Any, object]) -> str | None:
    """The first problem with a result's url, method and headers (as the handler set them:
    names and values may be any JavaScript value), or None."""
    problem = check_url(url)
    if problem:
        return problem
    if method not in ALLOWED_METHODS:
        hint = f" (write it in capitals: {_shown(method.upper())})" if method.upper() in ALLOWED_METHODS else ""
        return f"webhook.method must be one of {', '.join(ALLOWED_METHODS)}, got {_shown(method)}{hint}"
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            return f"webhook.headers[{_shown(name)}] must be a string, got {type(value).__name__}"
        if not _HEADER_NAME.match(name):
            return f"webhook.headers has an invalid header name {_shown(name)}"
        if _BAD_VALUE.search(value):
            return f"webhook.headers[{_shown(name)}] must not contain line breaks or NUL characters"
        if name.lower() in RESERVED_HEADERS:
            return f"webhook.headers[{_shown(name)}] is set by the HTTP client and may not be set by the handler"
        if not value.isascii():
            return f"webhook.headers[{_shown(name)}] must be ASCII text (encode it, e.g. with encodeURIComponent)"
    return None


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether JSON `text` nests arrays/objects more than `limit` levels deep (linear time)."""
    if text.count("[") + text.count("{") <= limit:
        return False  # cannot nest deeper than it has brackets: the usual case, at C speed
    return nesting_depth(text, stop_at=limit) > limit
