"""axe-core on the page in each state of the widget, on a desktop and a 360 px phone, in the
light and the dark colour scheme: no WCAG 2.0/2.1 A or AA violation, and no serious or critical
one of any kind. Each state's axe results go to results/axe/ and a screenshot to
results/screenshots/, for a person to look at."""

import json

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from bot.settings import max_message_chars
from tests.web.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.e2e

BLOCKING = {"serious", "critical"}
WCAG_21_AA = {"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}


def check_state(widget, results_dir, name):
    """Screenshot the page, run axe on it, save both; the violations that fail the test."""
    widget.page.screenshot(path=str(results_dir / "screenshots" / f"{name}.png"))
    results = Axe().run(widget.page, options={"resultTypes": ["violations"]}).response
    violations, needs_review = (
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "tags": v["tags"],
                "help": v["help"],
                "targets": [n["target"] for n in v["nodes"]],
            }
            for v in results[kind]
        ]
        for kind in ("violations", "incomplete")
    )
    (results_dir / "axe" / f"{name}.json").write_text(
        json.dumps(
            {
                "state": name,
                "axe_version": results["testEngine"]["version"],
                "url": results["url"],
                "violations": violations,
                "needs_review": needs_review,
            },
            indent=2,
        )
    )
    return [v for v in violations if v["impact"] in BLOCKING or WCAG_21_AA & set(v["tags"])]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_every_state_has_no_accessibility_violations(viewport, scheme, new_widget, results_dir):
    size = "desktop" if viewport == DESKTOP else "phone"
    prefix = size if scheme == "light" else f"{size}-dark"
    widget = new_widget(viewport)
    widget.page.emulate_media(color_scheme=scheme)
    found = {}

    def state(name):
        found[name] = check_state(widget, results_dir, f"{prefix}-{name}")

    widget.wait_ready()
    state("1-closed")
    widget.open()
    state("2-disclaimer")
    widget.acknowledge_button.click()
    widget.ask("what helps calcinosis?")
    widget.last_answer.scroll_into_view_if_needed()
    state("3-answer")
    widget.last_answer.get_by_role("button", name="Helpful", exact=True).click()
    expect(widget.last_answer).to_contain_text("Thank you for your feedback.")
    state("4-rated")
    widget.ask("I have crushing chest pain right now")
    state("5-emergency")
    widget.page.get_by_role("button", name="Questions for my doctor").click()
    state("6-doctor-questions")
    widget.input.fill("x" * (max_message_chars() + 100))
    state("7-length-limit")
    widget.input.fill("white fingrs")
    widget.input.press("ArrowDown")
    expect(widget.matches).to_be_visible()
    state("8-type-ahead")
    widget.input.fill("")
    widget.ask("my insides")
    expect(widget.options().first).to_be_visible()
    state("9-asking-back")
    widget.delete_conversation.click()
    expect(widget.confirmation).to_be_visible()
    state("10-confirm-delete")
    widget.confirmation.get_by_role("button", name="Delete it").click()
    expect(widget.last_answer).to_contain_text("I have deleted this conversation")
    state("11-deleted")

    assert found == {name: [] for name in found}
