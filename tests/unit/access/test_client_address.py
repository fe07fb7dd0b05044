import pytest

from bot.access.client_address import client_address, trusted_proxies

PROXY = trusted_proxies(["10.0.0.1", " 10.0.0.2 "])


@pytest.mark.parametrize("peer, forwarded, address", [
    ("203.0.113.9", None, "203.0.113.9"),
    ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from a trusted proxy: the header is ignored
    ("10.0.0.1", "198.51.100.1", "198.51.100.1"),
    ("10.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # what the client wrote itself is ignored
    ("10.0.0.1", "198.51.100.1, 10.0.0.2", "198.51.100.1"),  # two trusted proxies in a row
    ("10.0.0.1", "not-an-address", "10.0.0.1"),
    ("10.0.0.1", None, "10.0.0.1"),
    (None, None, "unknown"),
])
def test_the_forwarded_address_counts_only_from_a_trusted_proxy(peer, forwarded, address):
    assert client_address(peer, forwarded, PROXY) == address


def test_a_bad_proxy_setting_is_named():
    with pytest.raises(ValueError, match="proxy.example"):
        trusted_proxies(["proxy.example"])
