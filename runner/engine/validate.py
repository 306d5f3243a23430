"""Checks on the request a handler's result asks for, beyond what JavaScript checked for types."""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

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


@functools.lru_cache(maxsize=1024)
def check_url(url: str) -> str | None:
    """Why `url` is not an absolute http(s) URL, or None when it is one."""
    if len(url) > MAX_URL_LENGTH:
        return f"webhook.url is longer than {MAX_URL_LENGTH} characters"
    if _CONTROL.search(url):
        return f"webhook.url must not contain spaces or control characters, got {url!r}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        return f"webhook.url is not a valid URL ({exc}): {url!r}"
    if parts.scheme not in ("http", "https"):
        return f"webhook.url must be an absolute http:// or https:// URL, got {url!r}"
    if not parts.hostname:
        return f"webhook.url has no host: {url!r}"
    return None


def check_request(url: str, method: str, headers: dict[str, str]) -> str | None:
    """The first problem with a result's url, method and headers, or None."""
    problem = check_url(url)
    if problem:
        return problem
    if method not in ALLOWED_METHODS:
        hint = f" (write it in capitals: {method.upper()!r})" if method.upper() in ALLOWED_METHODS else ""
        return f"webhook.method must be one of {', '.join(ALLOWED_METHODS)}, got {method!r}{hint}"
    for name, value in headers.items():
        if not isinstance(name, str) or not isinstance(value, str):
            return f"webhook.headers[{name!r}] must be a string, got {type(value).__name__}"
        if not _HEADER_NAME.match(name):
            return f"webhook.headers has an invalid header name {name!r}"
        if _BAD_VALUE.search(value):
            return f"webhook.headers[{name!r}] must not contain line breaks or NUL characters"
        if name.lower() in RESERVED_HEADERS:
            return f"webhook.headers[{name!r}] is set by the HTTP client and may not be set by the handler"
        if not value.isascii():
            return f"webhook.headers[{name!r}] must be ASCII text (encode it, e.g. with encodeURIComponent)"
    return None


# A JSON string (skipped whole, brackets inside it are text) or one structural bracket.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]+|\\.)*"|[\[\]{}]')


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether JSON `text` nests arrays/objects more than `limit` levels deep (linear time)."""
    if text.count("[") + text.count("{") <= limit:
        return False  # cannot nest deeper than it has brackets: the usual case, at C speed
    depth = 0
    for token in _JSON_TOKEN.finditer(text):
        c = token.group()
        if c == "[" or c == "{":
            depth += 1
            if depth > limit:
                return True
        elif c == "]" or c == "}":
            depth -= 1
    return False
