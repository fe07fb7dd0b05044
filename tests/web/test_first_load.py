"""What the first visit costs: the bytes of the page and the widget (a budget), and the
time until the widget can be used (recorded in results/web/first-load.json, not judged)."""

import json

import pytest
from playwright.sync_api import expect

from tests.web.widget import Widget

pytestmark = pytest.mark.e2e

BUDGET_BYTES = 60_000


def test_first_load_weight_and_time_to_usable(browser, assistant, results_dir):
    context = browser.new_context()
    page = context.new_page()
    responses = []
    page.on("requestfinished", lambda request: responses.append(request))
    page.goto(assistant.config.web_url + "/")
    Widget(page).wait_ready()
    expect(page.get_by_role("button", name="Questions about scleroderma?")).to_be_enabled()
    ready_ms = page.evaluate("performance.getEntriesByName('sscbot-ready')[0].startTime")
    files = {}
    for request in responses:
        sizes = request.sizes()
        files[request.url.split("/", 3)[3] or "index.html"] = sizes["responseBodySize"] + sizes["responseHeadersSize"]
    context.close()

    total = sum(files.values())
    (results_dir / "web" / "first-load.json").write_text(
        json.dumps({"bytes_transferred": total, "files": files, "ms_to_usable": round(ready_ms)}, indent=2)
    )
    assert set(files) == {"index.html", "site.css", "widget.js", "widget.css", "api/intro"}
    assert total < BUDGET_BYTES, files
