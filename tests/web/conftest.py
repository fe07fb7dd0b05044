"""Debian's Chromium driven by Playwright, against the session's real assistant
(tests/conftest.py: action server, Rasa server, widget web server)."""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from bot.settings import PROJECT_DIR
from tests.web.widget import Widget

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
RESULTS = PROJECT_DIR / "results"


@pytest.fixture(scope="module")  # Playwright's sync API holds an event loop: not past its own tests
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """Opens pages in fresh browser contexts (own storage); all closed after the test.
    A script error on a page fails the test."""
    contexts, errors = [], []

    def open_(url, viewport=DESKTOP):
        context = browser.new_context(viewport=viewport)
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(error))
        page.goto(url)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert errors == [], f"script errors on the page: {errors}"


@pytest.fixture
def new_widget(open_page, assistant):
    """The demo page with the widget, in a new browser context of this size."""
    return lambda viewport=DESKTOP: Widget(open_page(assistant.config.web_url + "/", viewport))


@pytest.fixture
def widget(new_widget):
    return new_widget()


@pytest.fixture(scope="session")
def results_dir():
    for folder in ("axe", "screenshots", "web"):
        (RESULTS / folder).mkdir(parents=True, exist_ok=True)
    return RESULTS
