import pytest

from bot.access.origins import OriginPolicy, Verdict, origin_of

POLICY = OriginPolicy.of(["https://chat.clinic.example"], ["https://www.clinic.example"])


@pytest.mark.parametrize(
    "url, origin",
    [
        ("https://Chat.Clinic.example/", "https://chat.clinic.example"),
        ("https://chat.clinic.example:443", "https://chat.clinic.example"),
        ("http://127.0.0.1:8080/widget", "http://127.0.0.1:8080"),
        ("http://[::1]:8080", "http://[::1]:8080"),
        ("ftp://chat.clinic.example", None),
        ("null", None),
        ("https://chat.clinic.example:99999", None),
    ],
)
def test_origin_of(url, origin):
    assert origin_of(url) == origin


@pytest.mark.parametrize(
    "header, verdict",
    [
        (None, Verdict.NONE),
        ("https://chat.clinic.example", Verdict.SAME_SITE),
        ("https://www.clinic.example", Verdict.LISTED_SITE),
        ("http://chat.clinic.example", Verdict.REFUSED),  # the scheme counts
        ("https://chat.clinic.example:8443", Verdict.REFUSED),  # so does the port
        ("https://chat.clinic.example.evil.example", Verdict.REFUSED),
        ("null", Verdict.REFUSED),  # sandboxed frames, file: pages
        ("", Verdict.REFUSED),
    ],
)
def test_judged_by_scheme_host_and_port(header, verdict):
    assert POLICY.judge(header) is verdict


def test_a_bad_site_setting_is_named():
    with pytest.raises(ValueError, match="not-a-site"):
        OriginPolicy.of(["not-a-site"])
