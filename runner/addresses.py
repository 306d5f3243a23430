"""Which hosts are private: the rule that keeps handler results off loopback and internal networks.

A destination may only list (and a result may only be sent to) a private host when the config
says `allow_private: true`: config validation and routing both ask `is_private_host`.
"""

from __future__ import annotations

import ipaddress

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})


def is_private_host(host: str) -> bool:
    """True for loopback, private, link-local and other non-global addresses, and localhost.

    `host` may carry a port (`10.0.0.1:8080`) and IPv6 brackets (`[::1]`); names other than
    localhost are not resolved, so they count as public.
    """
    bare = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
    bare = bare.strip("[]").lower()
    if bare in LOCAL_NAMES or bare.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(bare)
    except ValueError:
        return False
    return not ip.is_global
