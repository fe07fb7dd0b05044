"""A server that listens beyond loopback needs its secrets set by the deployment.

On loopback (`make run`) the keys are generated into var/ and the webhook needs no token.
Anywhere else a server refuses to start unless each secret it uses is set, at least 32
bytes, and names the missing one: a generated key would differ between replicas, and a
blank webhook token would let anyone who knows a conversation id write into it.
"""

from __future__ import annotations

import ipaddress
import os
from typing import Iterable, Mapping

MIN_SECRET_BYTES = 32
MAKE_ONE = "python3 -c 'import secrets; print(secrets.token_urlsafe(32))'"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a name: it may resolve anywhere


def require_secrets(host: str, names: Iterable[str], environ: Mapping[str, str] = os.environ) -> None:
    """ValueError naming each secret in `names` that is missing or short, unless `host` is loopback."""
    if is_loopback(host):
        return
    missing = [name for name in names if len(environ.get(name, "").encode("utf-8")) < MIN_SECRET_BYTES]
    if missing:
        raise ValueError(
            f"listening on {host}, beyond loopback, needs {' and '.join(missing)} set to at least "
            f"{MIN_SECRET_BYTES} bytes each (make one with {MAKE_ONE})"
        )
