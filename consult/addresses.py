"""The client's address, as sign-in throttling counts it.

What arrives is not always an address: a load balancer may add a port
("203.0.113.7:8080", "[2001:db8::1]:443"), a gunicorn on a unix socket has none
(REMOTE_ADDR is empty), and X-Forwarded-For is whatever the last proxy wrote. Each is
read as the address it names, or as no address at all: never an error, which would
stop everyone signing in.
"""

from __future__ import annotations

import ipaddress
import re

# "[v6]:port", "[v6]", or "v4:port": the address without the port.
_WITH_PORT = re.compile(r"^\[(?P<v6>[^\]]+)\](?::\d+)?$|^(?P<v4>[\d.]+):\d+$")


def valid(written: str | None) -> str | None:
    """`written` as a plain IPv4 or IPv6 address, or None if it is not one."""
    written = (written or "").strip()
    match = _WITH_PORT.match(written)
    if match:
        written = match["v6"] or match["v4"]
    try:
        return str(ipaddress.ip_address(written))
    except ValueError:
        return None


def forwarded(request) -> str | None:
    """The address the proxy saw: the last in X-Forwarded-For, the one the proxy
    added; earlier ones are whatever the client sent. Else the connection's own."""
    last = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1]
    return valid(last) or direct(request)


def direct(request) -> str | None:
    return valid(request.META.get("REMOTE_ADDR"))
