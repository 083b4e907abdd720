"""Which `Host` headers the dev server answers: a page on another site must not read it (DNS rebinding).

A hostile page can make its own domain name resolve to 127.0.0.1 and then read the dev server as if it
were its own origin; its requests still carry its name in `Host`. Names other than the local ones are
refused. An address typed as digits cannot be rebound, so when the server listens on every interface
(--host 0.0.0.0, to try the site on a phone) any IP address is answered.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

LOCAL_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"0.0.0.0", "::", ""})


@dataclass(frozen=True)
class HostPolicy:
    listen_host: str
    port: int

    def allows(self, header: str | None) -> bool:
        if not header:
            return False
        name, port = split_host(header)
        if port is not None and port != self.port:
            return False
        name = name.lower().rstrip(".")
        if name in LOCAL_NAMES or name.endswith(".localhost") or name == self.listen_host.lower():
            return True
        return self.listen_host in WILDCARDS and _is_ip(name)


def split_host(header: str) -> tuple[str, int | None]:
    """("name", port) from "name:port", "[::1]:port" or "name"; port -1 when it is not a number."""
    header = header.strip()
    if header.startswith("["):
        name, closed, rest = header[1:].partition("]")
        if not closed or (rest and not rest.startswith(":")):
            return header, -1  # malformed: refused
        port_text = rest[1:] if rest else None
    elif header.count(":") == 1:
        name, port_text = header.split(":")
    else:
        name, port_text = header, None
    if port_text is None:
        return name, None
    return name, int(port_text) if port_text.isdigit() else -1


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
