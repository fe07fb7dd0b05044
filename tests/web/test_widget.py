"""The chat widget in Debian's Chromium against the real servers: what a patient sees and does."""

import base64
import json
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, select

from bot.records.ratings import FeedbackRow
from bot.records.replies import turns_of
from bot.settings import max_message_chars
from tests.conftest import user_texts
from tests.stored import events_of
from tests.web.conftest import DESKTOP, PHONE
from tests.web.widget import Widget

LIMIT = max_message_chars()

ZOOMED_200 = {"width": DESKTOP["width"] // 2, "height": DESKTOP["height"] // 2}  # the desktop at 200 % zoom
PHONE_390 = {"width": 390, "height": 844}
MAX_ANSWER_PX = 700  # an answer with its buttons, on a 390 x 844 phone at 100 % text

pytestmark = pytest.mark.e2e

CALCINOSIS = "skin.calcinosis_treatments"
SOURCE = "From: Treatment Options for Refractory Systemic Sclerosis (Refractory Skin Involvement), reviewed 2023-11-22."


@pytest.fixture
def widget_in(browser, assistant):
    """Widgets on the demo page in new browser contexts of this size and these options
    (has_touch, color_scheme ...); closed after the test, which a script error fails."""
    contexts, errors = [], []

    def open_(viewport, **options):
        context = browser.new_context(viewport=viewport, **options)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(error))
        page.goto(assistant.config.web_url + "/")
        return Widget(page)

    yield open_
    for context in contexts:
        context.close()
    assert errors == [], f"script errors on the page: {errors}"


def test_the_disclaimer_comes_first_and_must_be_acknowledged(widget, library):
    widget.open()
    intro = widget.page.get_by_role("region", name="Before you start")
    expect(intro).to_contain_text(library.settings["disclaimer"])
    expect(intro).to_contain_text(library.settings["physician_pointer"])
    expect(widget.input).to_be_hidden()
    expect(widget.acknowledge_button).to_be_focused()
    widget.acknowledge_button.click()
    expect(widget.input).to_be_visible()
    expect(widget.input).to_be_focused()
    expect(intro).to_contain_text(library.settings["disclaimer"])  # and it stays in view


def test_an_answer_shows_its_source_and_the_physician_pointer(widget, library):
    widget.start()
    widget.record_typing()
    widget.type("what helps calcinosis?")
    widget.wait_for_reply(0)
    assert widget.showed_typing(), "the typing indicator showed while the answer was on its way"
    expect(widget.user_messages.last).to_contain_text("what helps calcinosis?")
    answer = widget.last_answer
    expect(answer).to_contain_text(library.items[CALCINOSIS].answer)
    expect(answer).to_contain_text(SOURCE)
    expect(answer).to_contain_text(library.settings["physician_pointer"])
    titles = [library.items[r].title for r in library.items[CALCINOSIS].related]
    assert widget.quick_replies().all_inner_texts() == titles[:3]


def test_the_answer_comes_first_then_source_and_disclaimer_in_small_muted_print(widget, library):
    widget.start()
    widget.ask("what helps calcinosis?")
    answer = widget.last_answer
    expect(answer.locator(".sscbot-text")).to_have_text(library.items[CALCINOSIS].answer)
    settings = library.settings
    notes = answer.locator(".sscbot-note")
    expect(notes).to_have_text([SOURCE, f"{settings['disclaimer']} {settings['physician_pointer']}"])
    style = "el => [parseFloat(getComputedStyle(el).fontSize), getComputedStyle(el).color]"
    text_style, note_style = (locator.first.evaluate(style) for locator in (answer.locator(".sscbot-text"), notes))
    assert note_style[0] < text_style[0] and note_style[1] != text_style[1]  # smaller, muted (axe checks the contrast)


def test_at_most_three_suggested_questions_and_the_patients_other_questions_besides(widget, library):
    widget.start()
    widget.ask("What helps calcinosis? And is scleroderma hereditary?")
    shown = widget.quick_replies().all_inner_texts()
    assert shown[0] == "You also asked: And is scleroderma hereditary?"
    assert shown[1:] == [library.items[r].title for r in library.items[CALCINOSIS].related][:3]
    # an ask-back's options all show: test_asking_back_shows_the_options_as_choices...


def test_on_a_phone_the_raynauds_and_lung_answers_are_at_most_700_px_tall(widget_in, results_dir):
    widget = widget_in(viewport=PHONE_390)
    widget.start()
    heights = {}
    for question in ("what helps Raynaud's?", "what helps lung problems?"):
        widget.ask(question)
        heights[question] = round(widget.last_answer.bounding_box()["height"])  # its bubble, buttons inside
        widget.last_answer.screenshot(path=str(results_dir / "screenshots" / f"phone-390-answer-{len(heights)}.png"))
    (results_dir / "web" / "answer-heights.json").write_text(
        json.dumps({"viewport": PHONE_390, "max_px": MAX_ANSWER_PX, "heights_px": heights}, indent=2)
    )
    assert max(heights.values()) <= MAX_ANSWER_PX, heights


def test_a_quick_reply_asks_its_question(widget, library):
    widget.start()
    widget.ask("what helps calcinosis?")
    related = library.items[library.items[CALCINOSIS].related[0]]
    before = widget.bot_messages.count()
    widget.quick_replies().first.click()
    widget.wait_for_reply(before)
    expect(widget.user_messages.last.locator(".sscbot-text")).to_have_text(related.title)
    expect(widget.last_answer).to_contain_text(related.answer)
    expect(widget.page.get_by_role("group", name="Suggested questions")).to_have_count(1)  # older ones went


def test_asking_back_shows_the_options_as_choices_and_something_else_is_answered(widget, library):
    widget.start()
    widget.ask("my insides")
    expect(widget.last_answer.locator(".sscbot-text")).to_have_text("Do you mean one of these?")
    options = widget.page.get_by_role("group", name="Choose what you mean").last.get_by_role("button")
    expect(options.last).to_have_text("Something else")
    assert 2 <= options.count() <= 4
    before = widget.bot_messages.count()
    options.last.click()
    widget.wait_for_reply(before)
    expect(widget.last_answer).to_contain_text(library.items["out_of_scope.something_else"].answer)
    expect(widget.last_answer).to_contain_text(library.settings["physician_pointer"])


def test_the_lung_answer_explains_its_medical_words(widget, library):
    widget.start()
    widget.ask("what helps lung problems?")
    expect(widget.last_answer.locator(".sscbot-text")).to_contain_text(
        "WHO classes grade how much the illness limits daily activity"
    )
    shown = widget.quick_replies().all_inner_texts()
    explained = [library.items[f"treatments.{name}"].title for name in ("pde5_inhibitors", "endothelin_antagonists")]
    assert set(explained) <= set(shown), shown
    before = widget.bot_messages.count()
    widget.quick_replies().filter(has_text=explained[0]).click()
    widget.wait_for_reply(before)
    expect(widget.last_answer).to_contain_text(library.items["treatments.pde5_inhibitors"].answer)


def test_reload_keeps_the_conversation_and_new_conversation_clears_it(widget, library):
    widget.start()
    widget.ask("what helps calcinosis?")
    sender = widget.sender()
    texts = widget.log.get_by_role("listitem").all_inner_texts()
    widget.page.reload()
    widget.wait_ready()
    expect(widget.panel).to_be_visible()
    expect(widget.log.get_by_role("listitem")).to_have_count(len(texts))
    assert widget.log.get_by_role("listitem").all_inner_texts() == texts
    assert widget.sender() == sender

    widget.new_conversation.click()
    expect(widget.confirmation).to_contain_text("not deleted")  # it does not look like deleting
    widget.confirmation.get_by_role("button", name="Start new").click()
    expect(widget.log.get_by_role("listitem")).to_have_count(0)
    expect(widget.acknowledge_button).to_be_visible()
    assert widget.sender() != sender
    widget.page.reload()
    widget.wait_ready()
    expect(widget.log.get_by_role("listitem")).to_have_count(0)


def test_forget_me_clears_the_server_and_this_browser(widget, assistant, library):
    widget.start()
    widget.ask("what helps calcinosis?")
    sender = widget.sender()
    widget.type("forget me")
    expect(widget.last_answer).to_contain_text("I have deleted this conversation")
    expect(widget.last_answer).not_to_contain_text(library.settings["disclaimer"])  # not a medical reply
    expect(widget.log.get_by_role("listitem")).to_have_count(1)
    assert widget.sender() != sender
    assert tracker_events(assistant, sender) == 0
    widget.page.reload()
    widget.wait_ready()
    expect(widget.log.get_by_role("listitem")).to_have_count(1)  # only the confirmation is kept


def tracker_events(assistant, sender):
    """How many events and replies the tracker store keeps of the conversation."""
    engine = create_engine(f"sqlite:///{assistant.config.tracker_db}")
    try:
        return len(events_of(engine, sender)) + len(turns_of(engine, sender))
    finally:
        engine.dispose()


def test_delete_my_conversation_asks_first_then_deletes_it_on_the_server_and_here(widget, assistant, library):
    widget.start()
    widget.ask("what helps calcinosis?")
    sender = widget.sender()
    messages = widget.log.get_by_role("listitem").count()
    expect(widget.new_conversation).to_be_visible()
    widget.delete_conversation.click()
    expect(widget.confirmation).to_contain_text("Delete this conversation?")
    cancel = widget.confirmation.get_by_role("button", name="Cancel")
    expect(cancel).to_be_focused()  # the step that changes nothing
    cancel.click()
    expect(widget.confirmation).to_be_hidden()
    expect(widget.delete_conversation).to_be_focused()
    expect(widget.log.get_by_role("listitem")).to_have_count(messages)

    widget.delete_conversation.click()
    widget.confirmation.get_by_role("button", name="Delete it").click()
    expect(widget.last_answer).to_contain_text("I have deleted this conversation")
    expect(widget.log.get_by_role("listitem")).to_have_count(1)
    shown = widget.last_answer.inner_text()
    assert library.settings["disclaimer"] not in shown and library.settings["physician_pointer"] not in shown
    expect(widget.input).to_be_focused()
    assert widget.sender() != sender and tracker_events(assistant, sender) == 0


def test_after_a_reload_the_panel_opens_at_the_last_message(widget):
    widget.start()
    for question in ("what helps calcinosis?", "what is raynauds?", "what helps skin thickening?"):
        widget.ask(question)
    widget.page.reload()
    widget.wait_ready()
    messages = widget.log.get_by_role("listitem")
    expect(messages.last).to_be_in_viewport()
    expect(messages.first).not_to_be_in_viewport()


def test_after_a_button_keyboard_focus_goes_to_the_question_box(widget):
    widget.start()
    widget.ask("my insides")
    press_enter_on(widget, widget.options().last)  # an ask-back's option
    widget.ask("what helps calcinosis?")
    press_enter_on(widget, widget.quick_replies().first)  # a suggested question


def press_enter_on(widget, button):
    before = widget.bot_messages.count()
    button.focus()
    widget.page.keyboard.press("Enter")
    expect(widget.input).to_be_focused()
    widget.wait_for_reply(before)
    expect(widget.input).to_be_focused()


def test_on_a_touch_screen_focus_goes_to_the_new_answer(widget_in):
    widget = widget_in(viewport=PHONE_390, has_touch=True)
    widget.start()
    widget.ask("what helps calcinosis?")
    expect(widget.bot_messages.first).to_be_focused()  # the reply's first message; the on-screen keyboard is gone
    before = widget.bot_messages.count()
    widget.quick_replies().first.tap()
    widget.wait_for_reply(before)
    answer = widget.bot_messages.nth(before)
    expect(answer).to_be_focused()
    expect(answer).to_be_in_viewport()


def test_type_ahead_offers_questions_for_lay_words_and_typos_and_asks_the_one_chosen(widget, library):
    widget.start()
    page = widget.page
    sent = []
    page.on("request", lambda request: sent.append(request.url.split("/", 3)[3]))
    for typed, expected in (
        ("white fingers", "What helps Raynaud's?"),
        ("raynuads", "What is Raynaud's phenomenon?"),
        ("lung problms", "What helps lung problems?"),
        ("calcium lumps", "What helps calcinosis?"),
        ("is it contagous", "Can you catch SSc?"),
    ):
        widget.input.fill(typed)
        expect(widget.matches).to_be_visible()
        options = widget.matches.get_by_role("option")
        expect(options.filter(has_text=expected)).to_have_count(1)
        assert options.count() <= 5, typed
    assert set(sent) <= {"api/questions"}, "what is typed stays in the page"

    widget.input.fill("")
    widget.input.press_sequentially("white fingrs")
    expect(widget.page.get_by_role("status").filter(has_text="matching question")).to_have_count(1)  # announced
    widget.input.press("ArrowDown")
    first = widget.matches.get_by_role("option").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(widget.input).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(widget.input).to_have_value("white fingrs")  # what was typed stays until a question is chosen
    widget.input.press("Escape")
    expect(widget.matches).to_be_hidden()
    expect(widget.panel).to_be_visible()
    expect(widget.input).to_have_value("white fingrs")

    widget.input.press("Space")
    widget.input.press("ArrowDown")
    title = widget.matches.get_by_role("option").first.inner_text()
    item = next(i for i in library.items.values() if i.title == title)
    widget.input.press("Enter")
    widget.wait_for_reply(0)
    expect(widget.user_messages.last.locator(".sscbot-text")).to_have_text(title)
    expect(widget.last_answer).to_contain_text(item.answer)
    expect(widget.input).to_have_value("")
    expect(widget.input).to_be_focused()


def test_type_ahead_one_tap_on_a_touch_screen(widget_in, library):
    widget = widget_in(viewport=PHONE_390, has_touch=True)
    widget.start()
    widget.input.fill("lung problems")
    widget.matches.get_by_role("option", name="What helps lung problems?").tap()
    widget.wait_for_reply(0)
    expect(widget.last_answer).to_contain_text(library.items["lung.lung_involvement_treatments"].answer)
    expect(widget.bot_messages.first).to_be_focused()


def test_a_rating_is_stored_with_the_content_id_and_the_conversation(widget, assistant):
    widget.start()
    widget.ask("what helps calcinosis?")
    rating = widget.last_answer.get_by_role("group", name="Was this answer helpful?")
    helpful = rating.get_by_role("button", name="Helpful", exact=True)
    not_helpful = rating.get_by_role("button", name="Not helpful")
    expect(helpful).to_have_attribute("aria-pressed", "false")
    helpful.click()
    expect(rating).to_contain_text("Thank you for your feedback.")
    expect(helpful).to_have_attribute("aria-pressed", "true")
    assert stored_ratings(assistant, widget.sender()) == [(CALCINOSIS, "helpful")]

    not_helpful.click()
    expect(not_helpful).to_have_attribute("aria-pressed", "true")
    expect(helpful).to_have_attribute("aria-pressed", "false")
    assert stored_ratings(assistant, widget.sender()) == [(CALCINOSIS, "not_helpful")], "changed, not added"


def stored_ratings(assistant, sender):
    engine = create_engine(assistant.config.env["SSCBOT_FEEDBACK_DATABASE_URL"], future=True)
    with engine.connect() as connection:
        query = select(FeedbackRow.content_id, FeedbackRow.rating).where(FeedbackRow.conversation_id == sender)
        rows = [tuple(row) for row in connection.execute(query)]
    engine.dispose()
    return rows


def test_markup_is_shown_as_text_and_runs_nothing(widget):
    dialogs = []
    widget.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    attack = "<img src=x onerror=alert(1)>"
    widget.start()
    widget.ask(attack)
    expect(widget.user_messages.last.locator(".sscbot-text")).to_have_text(attack)
    expect(widget.page.locator("aside.sscbot img")).to_have_count(0)
    expect(widget.last_answer).to_be_visible()
    widget.page.reload()
    widget.wait_ready()
    expect(widget.user_messages.last.locator(".sscbot-text")).to_have_text(attack)
    expect(widget.page.locator("img")).to_have_count(0)
    assert dialogs == []


def test_keyboard_alone(widget, library):
    page = widget.page
    widget.wait_ready()
    for _ in range(10):
        if widget.launcher.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(widget.launcher).to_be_focused()
    assert_focus_is_visible(widget.launcher)
    page.keyboard.press("Enter")
    expect(widget.acknowledge_button).to_be_focused()
    page.keyboard.press("Enter")
    expect(widget.input).to_be_focused()
    page.keyboard.type("what helps calcinosis?")
    page.keyboard.press("Enter")
    widget.wait_for_reply(0)
    expect(widget.last_answer).to_contain_text(library.items[CALCINOSIS].answer)

    helpful = widget.last_answer.get_by_role("button", name="Helpful", exact=True)
    for _ in range(6):
        page.keyboard.press("Shift+Tab")
        if helpful.evaluate("el => el === document.activeElement"):
            break
    expect(helpful).to_be_focused()
    assert_focus_is_visible(helpful)
    page.keyboard.press("Enter")
    expect(helpful).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_focused()


def assert_focus_is_visible(locator):
    outline = locator.evaluate(
        "el => [getComputedStyle(el).outlineStyle, parseFloat(getComputedStyle(el).outlineWidth)]"
    )
    assert outline[0] != "none" and outline[1] >= 2, outline


def test_an_urgent_reply_cannot_be_missed(widget, library):
    widget.start()
    widget.ask("I have crushing chest pain right now")
    urgent = widget.page.locator(".sscbot-msg--emergency")
    expect(urgent).to_have_count(1)
    expect(urgent.locator(".sscbot-urgent")).to_have_text("Urgent")
    expect(urgent).to_contain_text(library.items["emergency.urgent"].answer)
    # announced once: by one alert outside the conversation log, which stays polite and silent for it
    alerts = widget.page.get_by_role("alert").filter(has_text=library.items["emergency.urgent"].answer)
    expect(alerts).to_have_count(1)
    expect(alerts).to_contain_text("Urgent")
    expect(widget.log.get_by_role("alert")).to_have_count(0)
    expect(widget.log).to_have_attribute("aria-live", "polite")
    style = urgent.evaluate(
        "el => { const s = getComputedStyle(el); "
        "return [s.borderTopColor, parseFloat(s.borderTopWidth), s.backgroundColor]; }"
    )
    assert style == ["rgb(179, 38, 30)", 4.0, "rgb(253, 236, 234)"]
    widget.ask("what helps calcinosis?")
    ordinary = widget.last_answer.evaluate("el => getComputedStyle(el).borderTopColor")
    assert ordinary != style[0]


def test_the_length_limit_is_shown(widget):
    widget.start()
    widget.input.fill("a" * (LIMIT + 100))
    assert len(widget.input.input_value()) == LIMIT
    expect(widget.page.get_by_text(f"{LIMIT} of {LIMIT} characters")).to_be_visible()
    expect(widget.page.get_by_text(f"You have reached the limit of {LIMIT} characters.")).to_be_visible()
    widget.input.fill("short")
    expect(widget.page.get_by_text(f"5 of {LIMIT} characters")).to_be_visible()
    expect(widget.page.get_by_text("You have reached the limit")).to_have_count(0)


def test_questions_for_the_doctor_can_be_copied_and_printed(widget, library):
    widget.start()
    widget.ask("what helps calcinosis?")
    widget.ask("I have crushing chest pain right now")
    widget.page.get_by_role("button", name="Questions for my doctor").click()
    questions = widget.page.get_by_role("region", name="Questions to ask my doctor")
    topic_and_title = f"Skin: {library.items[CALCINOSIS].title}"  # the urgent reply is not a topic to list
    expect(questions.get_by_role("listitem")).to_have_text([topic_and_title])
    questions.get_by_role("button", name="Copy list").click()
    expect(questions).to_contain_text("The list is copied.")
    copied = widget.page.evaluate("navigator.clipboard.readText()")
    assert copied == f"Questions to ask my doctor\n- {topic_and_title}"

    questions.get_by_role("button", name="Print list").click()
    widget.page.emulate_media(media="print")
    expect(questions.get_by_role("listitem")).to_be_visible()
    expect(widget.page.get_by_role("heading", name="Living with systemic sclerosis")).to_be_hidden()
    expect(widget.log).to_be_hidden()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_touch_targets_are_at_least_44_px(viewport, new_widget):
    chat = new_widget(viewport)
    chat.start()
    chat.ask("what helps calcinosis?")
    chat.page.get_by_role("button", name="Questions for my doctor").click()
    chat.input.fill("raynauds")
    expect(chat.matches).to_be_visible()
    controls = chat.page.locator("aside.sscbot").locator("button:visible, textarea:visible, [role=option]:visible")
    sizes = {c.inner_text() or c.get_attribute("aria-label") or "textarea": c.bounding_box() for c in controls.all()}
    assert len(sizes) >= 10
    small = {
        name: (box["width"], box["height"]) for name, box in sizes.items() if box["width"] < 44 or box["height"] < 44
    }
    assert small == {}


def test_a_360_px_phone_shows_the_panel_full_screen_without_sideways_scrolling(new_widget):
    phone_widget = new_widget(PHONE)
    page = phone_widget.page
    phone_widget.wait_ready()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    phone_widget.start()
    phone_widget.ask("what helps calcinosis?")
    assert phone_widget.panel.bounding_box() == {"x": 0, "y": 0, "width": 360, "height": 740}
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone_widget.panel.evaluate("el => el.scrollWidth <= el.clientWidth")
    expect(phone_widget.input).to_be_in_viewport()


@pytest.mark.parametrize("text_size, viewport", [("200%", DESKTOP), ("100%", ZOOMED_200)], ids=["text-200", "zoom-200"])
def test_text_at_200_percent_still_fits(text_size, viewport, new_widget, results_dir, request):
    widget = new_widget(viewport)
    widget.page.evaluate(f"document.documentElement.style.fontSize = '{text_size}'")
    widget.start()
    widget.ask("what helps calcinosis?")
    widget.ask("what is raynauds?")
    assert widget.input.evaluate("el => parseFloat(getComputedStyle(el).fontSize)") == 16 * int(text_size[:-1]) / 100
    assert widget.panel.evaluate("el => el.scrollWidth <= el.clientWidth")
    widget.page.screenshot(path=str(results_dir / "screenshots" / f"desktop-{request.node.callspec.id}.png"))
    for control in (widget.input, widget.send_button, widget.page.get_by_role("button", name="Close chat")):
        expect(control).to_be_in_viewport(ratio=1)
    shown = widget.conversation_shown()
    (results_dir / "web" / f"conversation-shown-{request.node.callspec.id}.json").write_text(
        json.dumps({"viewport": viewport, "text_size": text_size, "share_of_panel_height": round(shown, 3)})
    )
    assert shown >= 1 / 3, f"the conversation shows in {shown:.0%} of the panel's height"


def test_dark_mode_follows_the_system(widget_in, results_dir):
    widget = widget_in(viewport=DESKTOP, color_scheme="dark")
    widget.start()
    widget.ask("what helps calcinosis?")
    panel, answer = (
        locator.evaluate("el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]")
        for locator in (widget.panel, widget.last_answer)
    )
    for background, colour in (panel, answer):
        assert luminance(background) < 0.05 and luminance(colour) > 0.6, (background, colour)
    widget.page.screenshot(path=str(results_dir / "screenshots" / "desktop-dark.png"))


def luminance(css_colour):
    """The relative luminance (WCAG) of an rgb()/rgba() colour."""
    red, green, blue = (int(c) / 255 for c in re.findall(r"\d+", css_colour)[:3])
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_on_a_phone_focus_stays_inside_the_open_panel(new_widget):
    widget = new_widget(PHONE)
    widget.start()
    inside = []
    for key in ["Tab"] * 25 + ["Shift+Tab"] * 25:
        widget.page.keyboard.press(key)
        inside.append(
            widget.page.evaluate("() => document.getElementById('sscbot-panel').contains(document.activeElement)")
        )
    assert all(inside), inside.index(False)


def test_the_conversation_id_is_issued_by_the_server_and_a_refused_token_starts_a_new_one(widget, assistant):
    widget.start()
    widget.ask("what helps calcinosis?")
    first = widget.sender()
    assert len(base64.urlsafe_b64decode(first + "==")) == 16  # 128 bits, from the widget server
    widget.page.evaluate(  # as if the server's key had changed since
        "for (const k of Object.keys(localStorage).filter(k => k.startsWith('sscbot.'))) {"
        " const s = JSON.parse(localStorage.getItem(k)); s.token = 'forged';"
        " localStorage.setItem(k, JSON.stringify(s)); }"
    )
    widget.page.reload()
    widget.wait_ready()
    widget.ask("what is raynaud's?")
    expect(widget.last_answer).to_contain_text("Raynaud")
    assert widget.sender() != first
    assert user_texts(assistant, widget.sender()) == ["what is raynaud's?"]
    assert user_texts(assistant, first) == ["what helps calcinosis?"]  # the old conversation untouched


def set_last_used(widget, days_ago):
    widget.page.evaluate(
        "(daysAgo) => { for (const k of Object.keys(localStorage).filter(k => k.startsWith('sscbot.'))) {"
        " const s = JSON.parse(localStorage.getItem(k)); s.usedAt = Date.now() - daysAgo * 24 * 3600 * 1000;"
        " localStorage.setItem(k, JSON.stringify(s)); } }",
        days_ago,
    )


def test_a_conversation_unused_for_30_days_is_forgotten_in_the_browser(widget, assistant):
    widget.start()
    widget.ask("what helps calcinosis?")
    first = widget.sender()
    texts = widget.log.get_by_role("listitem").all_inner_texts()
    set_last_used(widget, 29)
    widget.page.reload()
    widget.wait_ready()
    assert widget.log.get_by_role("listitem").all_inner_texts() == texts and widget.sender() == first

    set_last_used(widget, 31)
    widget.page.reload()
    widget.wait_ready()
    expect(widget.log.get_by_role("listitem")).to_have_count(0)
    assert widget.page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('sscbot.'))") == []
    widget.start()  # a new conversation: the disclaimer first again
    widget.ask("what is raynaud's?")
    expect(widget.log).not_to_contain_text("calcinosis")
    assert widget.sender() != first
    assert user_texts(assistant, widget.sender()) == ["what is raynaud's?"]


def test_the_welcome_is_shown_once_not_again_with_the_first_answer(widget, library):
    widget.start()
    widget.ask("what helps calcinosis?")
    welcome = library.settings["welcome"]
    assert widget.panel.inner_text().count(welcome) == 1  # the panel's, not the new session's copy
    assert not any(welcome in text for text in widget.bot_messages.all_inner_texts())
