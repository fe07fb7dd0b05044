"""The address of the client a request came from.

The forwarded address (X-Forwarded-For) is believed only when the request came
from a configured trusted proxy; otherwise anyone could choose their own address
and escape the per-address rate limit.
"""

from __future__ import annotations

import ipaddress
from typing import FrozenSet, Iterable, Optional


def trusted_proxies(addresses: Iterable[str]) -> FrozenSet[str]:
    """Normalised addresses; ValueError naming any that is not an IP address."""
    trusted = set()
    for address in addresses:
        try:
            trusted.add(str(ipaddress.ip_address(address.strip())))
        except ValueError:
            raise ValueError(f"SSCBOT_TRUSTED_PROXIES: {address!r} is not an IP address") from None
    return frozenset(trusted)


def client_address(peer: Optional[str], forwarded_for: Optional[str], trusted: FrozenSet[str]) -> str:
    """`peer` unless it is a trusted proxy; then the last address in X-Forwarded-For that is
    not a trusted proxy (the one the nearest trusted proxy saw)."""
    peer = peer or "unknown"
    if peer not in trusted or not forwarded_for:
        return peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
        try:
            address = str(ipaddress.ip_address(hop))
        except ValueError:
            return peer  # a malformed chain: the proxy itself is the client we know
        if address not in trusted:
            return address
    return peer
