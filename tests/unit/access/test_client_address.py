import pytest

from bot.access.client_address import client_address, normal_address, trusted_proxies

PROXY = trusted_proxies(["10.0.0.1", " 10.0.0.2 "])


@pytest.mark.parametrize(
    "peer, forwarded, address",
    [
        ("203.0.113.9", None, "203.0.113.9"),
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from a trusted proxy: the header is ignored
        ("10.0.0.1", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # what the client wrote itself is ignored
        ("10.0.0.1", "198.51.100.1, 10.0.0.2", "198.51.100.1"),  # two trusted proxies in a row
        ("10.0.0.1", "not-an-address", "10.0.0.1"),
        ("10.0.0.1", None, "10.0.0.1"),
        ("::ffff:10.0.0.1", "198.51.100.1", "198.51.100.1"),  # the proxy on a dual-stack socket
        ("10.0.0.1", "::ffff:198.51.100.1", "198.51.100.1"),
        ("10.0.0.1", "2001:DB8::1", "2001:db8::/64"),
        (None, None, "unknown"),
    ],
)
def test_the_forwarded_address_counts_only_from_a_trusted_proxy(peer, forwarded, address):
    assert client_address(peer, forwarded, PROXY) == address


def test_a_bad_proxy_setting_is_named():
    with pytest.raises(ValueError, match="proxy.example"):
        trusted_proxies(["proxy.example"])


@pytest.mark.parametrize(
    "address, normal",
    [
        ("198.51.100.1", "198.51.100.1"),
        (" ::ffff:198.51.100.1 ", "198.51.100.1"),
        ("2001:0DB8:0000::0001", "2001:db8::1"),
    ],
)
def test_an_address_has_one_spelling(address, normal):
    assert normal_address(address) == normal


@pytest.mark.parametrize(
    "peer, client",
    [
        ("198.51.100.1", "198.51.100.1"),  # IPv4: the address itself
        ("2001:db8::1", "2001:db8::/64"),
        ("2001:db8::2", "2001:db8::/64"),  # the same /64: the same client
        ("2001:db8:0:0:ffff:ffff:ffff:ffff", "2001:db8::/64"),
        ("2001:db8:0:1::1", "2001:db8:0:1::/64"),  # the next /64: another client
        ("::ffff:198.51.100.1", "198.51.100.1"),
    ],
)
def test_an_ipv6_64_is_one_client(peer, client):
    assert client_address(peer, None, PROXY) == client
