"""When the server cannot be reached, the patient is told so, keeps what they typed and can
retry. Each test runs its own widget web server next to the session's assistant."""

import dataclasses
import os
import signal

import pytest
from playwright.sync_api import expect

from bot.run.launcher import Assistant, free_port
from tests.web.widget import Widget

pytestmark = pytest.mark.e2e

QUESTION = "what helps calcinosis?"
UNREACHABLE = "We could not reach the assistant. Check your connection, then try again. Your message is kept."


@pytest.fixture
def start_web(assistant, tmp_path):
    """Starts a widget web server that talks to the Rasa server on `rasa_port`."""
    servers = []

    def start(rasa_port):
        config = dataclasses.replace(
            assistant.config, rasa_port=rasa_port, web_port=free_port(), runtime_dir=tmp_path, log_dir=tmp_path / "logs"
        )
        server = Assistant(config)
        servers.append(server)
        server.start_web()
        return server

    yield start
    for server in servers:
        server.stop()


def assert_kept_unsent(widget):
    expect(widget.error).to_have_text(f"{UNREACHABLE}Try again")
    expect(widget.retry).to_be_visible()
    message = widget.user_messages.last
    expect(message.locator(".sscbot-text")).to_have_text(QUESTION)
    expect(message).to_contain_text("Not sent yet")


def test_the_web_server_gone_then_back_retry_sends_the_kept_message(start_web, assistant, open_page, library):
    server = start_web(assistant.config.rasa_port)
    widget = Widget(open_page(server.config.web_url + "/"))
    widget.start()
    server.stop()
    widget.type(QUESTION)
    assert_kept_unsent(widget)

    server.start_web()
    widget.retry.click()
    widget.wait_for_reply(0)
    expect(widget.last_answer).to_contain_text(library.items["skin.calcinosis_treatments"].answer)
    expect(widget.page.get_by_text("Not sent yet")).to_have_count(0)
    expect(widget.error).to_be_hidden()
    expect(widget.user_messages).to_have_count(1)


def test_the_assistant_down_behind_the_web_server_keeps_the_message_across_a_reload(start_web, open_page):
    server = start_web(rasa_port=free_port())  # nobody listens there
    widget = Widget(open_page(server.config.web_url + "/"))
    widget.start()
    widget.type(QUESTION)
    assert_kept_unsent(widget)
    widget.retry.click()
    assert_kept_unsent(widget)
    expect(widget.user_messages).to_have_count(1)

    widget.page.reload()
    widget.wait_ready()
    assert_kept_unsent(widget)


def test_a_reload_while_waiting_for_the_answer_keeps_the_message_to_send_again(assistant, widget, library):
    widget.start()
    rasa = assistant.processes["rasa"]
    os.killpg(rasa.pid, signal.SIGSTOP)  # the answer does not come
    try:
        widget.type(QUESTION)
        expect(widget.typing).not_to_have_text("")
        widget.page.reload()
        widget.wait_ready()
        assert_kept_unsent(widget)
    finally:
        os.killpg(rasa.pid, signal.SIGCONT)
    widget.retry.click()
    widget.wait_for_reply(0)
    expect(widget.last_answer).to_contain_text(library.items["skin.calcinosis_treatments"].answer)
    expect(widget.user_messages).to_have_count(1)
