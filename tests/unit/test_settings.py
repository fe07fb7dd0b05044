"""Settings read from the environment: the sites allowed to embed the widget."""

import pytest

from bot import settings


def test_listed_sites_are_allowed(monkeypatch):
    monkeypatch.setenv("SSCBOT_WIDGET_ORIGINS", " https://www.clinic.example/ ,http://localhost:8443")
    assert settings.widget_origins() == ("https://www.clinic.example", "http://localhost:8443")


def test_no_sites_by_default(monkeypatch):
    monkeypatch.delenv("SSCBOT_WIDGET_ORIGINS", raising=False)
    assert settings.widget_origins() == ()


@pytest.mark.parametrize(
    "origins",
    ["*", "https://*.clinic.example", "https://clinic.example/path", "clinic.example", "https://clinic.(example|evil)"],
)
def test_wildcards_and_non_sites_are_refused(monkeypatch, origins):
    monkeypatch.setenv("SSCBOT_WIDGET_ORIGINS", f"https://ok.example,{origins}")
    with pytest.raises(ValueError, match="is not a site like https://www.clinic.example"):
        settings.widget_origins()
