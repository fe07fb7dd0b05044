"""Bad input against the real servers: every message gets a clear reply, every
malformed request a clear HTTP error, and the server keeps serving others."""

import json
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa

from bot.records.ratings import FeedbackStore
from bot.records.replies import turns_of
from bot.run.rest_client import BotTurn
from tests.conftest import user_texts
from tests.stored import events_of

pytestmark = pytest.mark.e2e


def post(assistant, data: bytes):
    """(HTTP status, parsed JSON body) of a raw request to the REST webhook."""
    request = urllib.request.Request(
        f"{assistant.config.rasa_url}/webhooks/rest/webhook", data=data, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def say(assistant, sender, message) -> BotTurn:
    status, messages = post(assistant, json.dumps({"sender": sender, "message": message}).encode("utf-8"))
    assert status == 200
    return BotTurn(messages)


@pytest.fixture(scope="module")
def tracker(assistant):
    engine = sa.create_engine(f"sqlite:///{assistant.config.tracker_db}")
    yield engine
    engine.dispose()


def assert_safe_fallback(turn: BotTurn, content_id: str):
    assert turn.answer["kind"] == "fallback" and turn.answer["content_id"] == content_id
    assert "not medical advice" in turn.text and "talk to your doctor" in turn.text


@pytest.mark.parametrize("message", ["", "   ", "\n\t ", "\x00\x1b"])
def test_an_empty_message_is_asked_for_a_question(assistant, sender, message):
    assert_safe_fallback(say(assistant, sender, message), "out_of_scope.empty_message")


def test_a_very_long_message_is_asked_to_be_shorter_and_says_the_limit(assistant, sender):
    turn = say(assistant, sender, "my fingers hurt " * 320)  # 5,120 characters
    assert_safe_fallback(turn, "out_of_scope.too_long")
    assert "1000 characters" in turn.text
    assert user_texts(assistant, sender) == []  # not stored, not parsed


@pytest.mark.parametrize(
    "raw, status, error",
    [
        (b"{not json", 400, "must be JSON"),
        (b"\xff\xfe\x00{", 400, "must be UTF-8"),
        (b'["a list"]', 400, "must be a JSON object"),
        (json.dumps({"message": "hi"}).encode(), 400, "`sender` is missing"),
        (json.dumps({"sender": "x" * 500, "message": "hi"}).encode(), 400, "`sender` must be 1 to 64"),
        (json.dumps({"sender": "\ud800", "message": "hi"}).encode(), 400, "`sender` must be 1 to 64"),
        (json.dumps({"sender": {"id": 1}, "message": "hi"}).encode(), 400, "`sender` must be a text"),
        (json.dumps({"sender": "abc", "message": 42}).encode(), 400, "`message` must be a text"),
    ],
)
def test_malformed_requests_get_a_clear_http_error(assistant, raw, status, error):
    got_status, body = post(assistant, raw)
    assert got_status == status and error in body["error"]


def test_a_2_mb_request_is_refused_with_413(assistant):
    data = json.dumps({"sender": "big", "message": "x" * (2 * 1024 * 1024)}).encode()
    status, body = post(assistant, data)
    assert status == 413 and "size limit" in body["error"]


def test_control_characters_are_dropped_and_the_question_answered(assistant, sender):
    turn = say(assistant, sender, "what helps\x00 calci\u200bnosis?\x07")
    assert turn.answer["content_id"] == "skin.calcinosis_treatments"
    assert user_texts(assistant, sender) == ["what helps calcinosis?"]


@pytest.mark.parametrize("message", ["😀😀😀", "🙏", "?!?!"])
def test_emoji_only_is_not_understood_said_plainly(assistant, sender, message):
    assert_safe_fallback(say(assistant, sender, message), "out_of_scope.not_understood")


@pytest.mark.parametrize("message", ["¿Qué ayuda con la calcinosis?", "Was hilft bei Raynaud?", "我的手指发白"])
def test_another_language_gets_what_the_bot_can_do_in_english(assistant, sender, message):
    turn = say(assistant, sender, message)
    assert_safe_fallback(turn, "out_of_scope.english_only")
    assert "I can only read and answer English" in turn.text


@pytest.mark.parametrize(
    "message", ["<img src=x onerror=alert(1)>", "<script>alert('x')</script>", "'; DROP TABLE events; --", "1 OR 1=1"]
)
def test_markup_and_sql_are_stored_as_text_and_answered(assistant, sender, message):
    turn = say(assistant, sender, message)
    assert turn.texts and turn.answer["kind"] in ("fallback", "out_of_scope", "answer", "smalltalk")
    assert user_texts(assistant, sender) == [message]


def test_the_same_message_100_times_fast_gets_100_clear_replies(assistant, sender, client):
    with ThreadPoolExecutor(max_workers=26) as pool:
        flood = [pool.submit(say, assistant, sender, "what helps calcinosis?") for _ in range(100)]
        other = pool.submit(client.send, "someone-else", "what is raynaud's?")  # served meanwhile
        answered = [f.result().answer["content_id"] for f in flood]
    # One conversation is answered a message at a time: beyond a few waiting, the
    # sender is asked to wait, at once; what was taken is answered and stored.
    assert set(answered) <= {"skin.calcinosis_treatments", "out_of_scope.wait_for_answer"}
    assert answered.count("out_of_scope.wait_for_answer") > 0
    assert other.result().answer["content_id"] == "glossary.raynauds"
    taken = answered.count("skin.calcinosis_treatments")
    assert user_texts(assistant, sender) == ["what helps calcinosis?"] * taken


def test_an_urgent_message_gets_urgent_advice_even_when_too_long_or_waiting(assistant, sender):
    urgent = "I have crushing chest pain right now. " + "my fingers are also sore and white. " * 40
    turn = say(assistant, sender, urgent)
    assert turn.answer["kind"] == "emergency"
    with ThreadPoolExecutor(max_workers=12) as pool:
        turns = list(pool.map(lambda _: say(assistant, sender, "i have crushing chest pain right now"), range(12)))
    assert all(t.answer["kind"] == "emergency" for t in turns)


def test_personal_details_are_redacted_before_storage(assistant, sender, tracker):
    message = "my email is jane.doe@example.com and phone 07700 900123, born 03/05/1960. what helps calcinosis?"
    turn = say(assistant, sender, message)
    assert turn.answer["content_id"] == "skin.calcinosis_treatments"
    assert user_texts(assistant, sender) == [
        "my email is [email] and phone [phone], born [date]. what helps calcinosis?"
    ]
    kept = json.dumps(events_of(tracker, sender)) + json.dumps([t.text for t in turns_of(tracker, sender)])
    for detail in ("jane.doe@example.com", "07700 900123", "03/05/1960"):
        assert detail not in kept


def test_redaction_never_hides_an_urgent_symptom(assistant, sender):
    turn = say(assistant, sender, "I took 20 paracetamol on the road home, my number is 07700 900123")
    assert turn.answer["kind"] == "emergency"
    assert user_texts(assistant, sender) == ["I took 20 paracetamol on the road home, my number is [phone]"]


def test_forget_me_deletes_the_conversation_and_its_ratings(assistant, sender, tracker, client):
    answer = client.send(sender, "what helps calcinosis?").answer
    feedback = FeedbackStore.create(assistant.config.env["SSCBOT_FEEDBACK_DATABASE_URL"])
    feedback.rate(sender, answer["content_id"], "helpful")
    feedback.rate("someone-else", answer["content_id"], "helpful")
    assert user_texts(assistant, sender)

    turn = client.send(sender, "Forget me please")
    assert turn.answer["content_id"] == "privacy.forgotten" and "deleted this conversation" in turn.text
    assert events_of(tracker, sender) == [] and turns_of(tracker, sender) == []
    with feedback.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT conversation_id FROM feedback")).fetchall()
    assert [r[0] for r in rows] == ["someone-else"]

    fresh = client.send(sender, "hi")  # the same id starts again, as a new conversation
    assert fresh.contracts[0]["content_id"] == "welcome"
