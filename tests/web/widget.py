"""The chat widget as a patient meets it, for the browser tests: what they click and read."""

import json

from playwright.sync_api import Page, expect

REPLY_TIMEOUT_MS = 30_000
BOT_MESSAGES = ".sscbot-msg--bot, .sscbot-msg--emergency"
# The share of the panel's height where the conversation log shows: sampled down its middle.
CONVERSATION_SHOWN = """panel => {
    const box = panel.getBoundingClientRect();
    const log = panel.querySelector("[role=log]");
    let shown = 0;
    for (let y = Math.ceil(box.top); y < box.bottom; y += 1) {
        if (log.contains(document.elementFromPoint(box.left + box.width / 2, y))) shown += 1;
    }
    return shown / box.height;
}"""


class Widget:
    def __init__(self, page: Page):
        self.page = page
        self.root = page.locator("aside.sscbot")
        self.launcher = page.get_by_role("button", name="Questions about scleroderma?")
        self.panel = page.get_by_role("dialog", name="Scleroderma information")
        self.acknowledge_button = page.get_by_role("button", name="I understand")
        self.input = page.get_by_label("Your question")
        self.send_button = page.get_by_role("button", name="Send", exact=True)
        self.log = page.get_by_role("log")
        self.typing = page.locator(".sscbot-typing")
        self.error = page.locator(".sscbot-error")
        self.retry = page.get_by_role("button", name="Try again")
        self.bot_messages = page.locator(BOT_MESSAGES)
        self.user_messages = page.locator(".sscbot-msg--user")
        self.new_conversation = page.get_by_role("button", name="New conversation")
        self.delete_conversation = page.get_by_role("button", name="Delete my conversation")
        self.confirmation = page.locator(".sscbot-confirm")
        self.matches = page.get_by_role("listbox", name="Matching questions")

    def wait_ready(self) -> None:
        expect(self.root).to_have_attribute("data-state", "ready")

    def open(self) -> None:
        self.wait_ready()
        self.launcher.click()
        expect(self.panel).to_be_visible()

    def start(self) -> None:
        """Open the widget and acknowledge the disclaimer."""
        self.open()
        self.acknowledge_button.click()
        expect(self.input).to_be_focused()

    def record_typing(self) -> None:
        """From now on, remember whether the typing indicator said so (the answer can come
        too fast for a check that polls)."""
        self.page.evaluate(
            """() => {
                window.sscbotTyped = false;
                const typing = document.querySelector(".sscbot-typing");
                new MutationObserver(() => {
                    if (typing.textContent === "The assistant is typing") window.sscbotTyped = true;
                }).observe(typing, {childList: true, characterData: true, subtree: true});
            }"""
        )

    def showed_typing(self) -> bool:
        return bool(self.page.evaluate("() => window.sscbotTyped"))

    def type(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def ask(self, text: str) -> None:
        before = self.bot_messages.count()
        self.type(text)
        self.wait_for_reply(before)

    def wait_for_reply(self, before: int) -> None:
        self.bot_messages.nth(before).wait_for(timeout=REPLY_TIMEOUT_MS)
        expect(self.typing).to_have_text("")

    @property
    def last_answer(self):
        return self.bot_messages.last

    def quick_replies(self):
        return self.page.get_by_role("group", name="Suggested questions").last.get_by_role("button")

    def options(self):
        """The buttons of the last ask-back ("Do you mean ...?")."""
        return self.page.get_by_role("group", name="Choose what you mean").last.get_by_role("button")

    def conversation_shown(self) -> float:
        return self.panel.evaluate(CONVERSATION_SHOWN)

    def sender(self) -> str:
        """The conversation id this browser keeps (the sender sent to Rasa)."""
        saved = self.page.evaluate(
            "Object.keys(localStorage).filter(k => k.startsWith('sscbot.')).map(k => localStorage.getItem(k))"
        )
        assert len(saved) == 1, saved
        return json.loads(saved[0])["sender"]
