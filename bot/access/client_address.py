"""The client a request came from, as the per-address rate limits count it.

The forwarded address (X-Forwarded-For) is believed only when the request came
from a configured trusted proxy; otherwise anyone could choose their own address
and escape the per-address rate limit. For the same reason one IPv6 /64, which a
single home or device usually gets whole, counts as one client.
"""

from __future__ import annotations

import ipaddress
from typing import FrozenSet, Iterable, Optional

IPV6_CLIENT_PREFIX = 64


def normal_address(address: str) -> str:
    """The address in one spelling: IPv6 compressed and lower case, an IPv4-mapped IPv6
    address (::ffff:1.2.3.4) as its IPv4 address; ValueError if it is not an IP address."""
    ip = ipaddress.ip_address(address.strip())
    mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
    return str(mapped or ip)


def trusted_proxies(addresses: Iterable[str]) -> FrozenSet[str]:
    """Normalised addresses; ValueError naming any that is not an IP address."""
    trusted = set()
    for address in addresses:
        try:
            trusted.add(normal_address(address))
        except ValueError:
            raise ValueError(f"SSCBOT_TRUSTED_PROXIES: {address!r} is not an IP address") from None
    return frozenset(trusted)


def client_address(peer: Optional[str], forwarded_for: Optional[str], trusted: FrozenSet[str]) -> str:
    """The client as the per-address limits count it: `peer` unless it is a trusted proxy; then
    the last address in X-Forwarded-For that is not a trusted proxy (the one the nearest trusted
    proxy saw). An IPv4 address as itself (also when IPv4-mapped), an IPv6 address as its /64."""
    try:
        peer = normal_address(peer or "")
    except ValueError:
        return peer or "unknown"  # a Unix socket, or no peer at all
    if peer in trusted and forwarded_for:
        for hop in reversed(forwarded_for.split(",")):
            try:
                address = normal_address(hop)
            except ValueError:
                break  # a malformed chain: the proxy itself is the client we know
            if address not in trusted:
                return _client(address)
    return _client(peer)


def _client(address: str) -> str:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv4Address):
        return address
    return str(ipaddress.IPv6Network((ip, IPV6_CLIENT_PREFIX), strict=False))
