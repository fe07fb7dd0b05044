"""Which sites may send a state-changing request, judged by its Origin header.

An origin is compared whole, scheme, host and port, with the assistant's configured
public address and the sites listed to embed the widget; the Host header, which the
client chooses, plays no part.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import FrozenSet, Iterable, List, Optional
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> Optional[str]:
    """`scheme://host[:port]` of a URL, lower case, default port dropped; None if it has none."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in DEFAULT_PORTS or not host:
        return None
    if host.count(":"):  # IPv6
        host = f"[{host}]"
    return f"{scheme}://{host}" + (f":{port}" if port and port != DEFAULT_PORTS[scheme] else "")


class Verdict(Enum):
    NONE = "no Origin header: not sent by a web page"
    SAME_SITE = "the assistant's own page"
    LISTED_SITE = "a site listed to embed the widget"
    REFUSED = "any other site"


def own_sites(configured: str, host: str, port: int) -> List[str]:
    """A server's own site: the `configured` address if set, else its own address (and, on
    127.0.0.1, its `localhost` name)."""
    if configured:
        return [configured]
    return [f"http://{host}:{port}", *([f"http://localhost:{port}"] if host == "127.0.0.1" else [])]


@dataclass(frozen=True)
class OriginPolicy:
    own: FrozenSet[str]  # the assistant's public address(es)
    listed: FrozenSet[str]  # other sites allowed to embed the widget

    @classmethod
    def of(cls, own: Iterable[str], listed: Iterable[str] = ()) -> OriginPolicy:
        def origins(urls: Iterable[str]) -> FrozenSet[str]:
            found = {url: origin_of(url) for url in urls}
            bad = [url for url, origin in found.items() if origin is None]
            if bad:
                raise ValueError(f"not a site address like https://chat.clinic.example: {', '.join(bad)}")
            return frozenset(o for o in found.values() if o)

        return cls(origins(own), origins(listed))

    def judge(self, origin_header: Optional[str]) -> Verdict:
        if origin_header is None:
            return Verdict.NONE
        origin = origin_of(origin_header)
        if origin is not None and origin in self.own:
            return Verdict.SAME_SITE
        if origin is not None and origin in self.listed:
            return Verdict.LISTED_SITE
        return Verdict.REFUSED
