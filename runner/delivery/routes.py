"""Where a handler's result may go: URL → configured destination, or a rejection with reason.

No open relay: a URL is deliverable only if its host belongs to a configured destination
(Segment's US/EU hosts for `segment` destinations, the listed `hosts` for `http` ones), and
never to a private or loopback address unless that destination says `allow_private: true`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from runner import __version__, segment
from runner.config import DestinationConfig, is_private_host

USER_AGENT = f"runner/{__version__}"
ALLOWED_METHODS = frozenset({"POST", "PUT", "PATCH"})


class RouteRejected(Exception):
    """The result's URL or method is not allowed; `reason` is recorded on the delivery."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@dataclass(frozen=True)
class Route:
    destination: DestinationConfig
    kind: str | None  # the Segment call type for segment destinations

    @property
    def is_segment(self) -> bool:
        return self.destination.type == "segment"


class Router:
    """Resolves URLs against the configured destinations and builds their headers."""

    def __init__(self, destinations: Sequence[DestinationConfig]) -> None:
        self.destinations = tuple(destinations)
        self._by_name = {d.name: d for d in self.destinations}

    def get(self, name: str) -> DestinationConfig | None:
        return self._by_name.get(name)

    def resolve(self, url: str, method: str = "POST") -> Route:
        """The route for a result, or RouteRejected saying why it is not sent."""
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise RouteRejected(f"URL {url!r} is not an absolute http(s) URL; set webhook.url to one")
        if parts.username or parts.password:
            raise RouteRejected(f"URL {_safe(url)!r} carries credentials; put them in the destination's headers")
        host = parts.hostname.lower()
        netloc = f"{host}:{parts.port}" if parts.port else host
        for dest in self.destinations:
            if host not in dest.hosts and netloc not in dest.hosts:
                continue
            if is_private_host(host) and not dest.allow_private:
                raise RouteRejected(f"host {host!r} is a private address; set allow_private on destination {dest.name!r}")
            if dest.type == "segment":
                kind = segment.call_type(url)
                if kind is None:
                    raise RouteRejected(
                        f"URL {url!r} is not a Segment tracking API path; use /v1/track, /v1/identify, ... or /v1/batch"
                    )
                return Route(dest, kind)
            if method.upper() not in ALLOWED_METHODS:
                raise RouteRejected(f"method {method!r} is not allowed; use one of {', '.join(sorted(ALLOWED_METHODS))}")
            return Route(dest, None)
        raise RouteRejected(
            f"host {host!r} is not a configured destination; add it to a destination's hosts in runner.yaml"
        )

    def segment_base(self, dest: DestinationConfig, url: str) -> str:
        """Scheme and host a Segment delivery goes to: the destination's base URL, else the
        URL's own Segment host (so EU stays EU)."""
        if dest.base_url:
            return dest.base_url
        parts = urlsplit(url)
        return f"https://{parts.hostname}"

    def headers(self, dest: DestinationConfig, environ: Mapping[str, str], handler_headers: Mapping[str, str] | None = None) -> dict[str, str]:
        """Request headers: Segment auth, or the destination's headers overridden by the
        handler's (the dashboard contract: handler headers override the endpoint's)."""
        out = {"content-type": "application/json", "user-agent": USER_AGENT}
        if dest.type == "segment":
            write_key = environ.get(dest.write_key_env or "", "")
            if write_key:
                out["authorization"] = segment.auth_header(write_key)
            return out
        for name, value in dest.headers:
            out[name.lower()] = value.resolve(environ)
        for name, value in (handler_headers or {}).items():
            out[name.lower()] = value
        return out


def _safe(url: str) -> str:
    parts = urlsplit(url)
    return parts._replace(netloc=parts.hostname or "").geturl()
